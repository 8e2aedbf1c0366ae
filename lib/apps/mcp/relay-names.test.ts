import { describe, expect, it } from "vitest";
import { cut, mayBePromptOf, promptNameOf, unwrapResourceUri, wrapResourceUri } from "./relay-names";

describe("resource URIs wrapped with their app", () => {
  it("round-trips any upstream URI, query and fragment included", () => {
    for (const uri of ["file:///README.md", "demo://resource/1?x=1#top", "https://example.com/a b", "x:/"]) {
      const wrapped = wrapResourceUri("mcp-1a2b", uri);
      expect(wrapped.startsWith("toolgate-app://mcp-1a2b/")).toBe(true);
      expect(unwrapResourceUri(wrapped)).toEqual({ slug: "mcp-1a2b", uri });
    }
  });

  it("keeps a template's expressions, so the expanded template unwraps to the upstream's URI", () => {
    const template = wrapResourceUri("everything", "demo://resource/dynamic/text/{resourceId}");
    expect(template).toBe("toolgate-app://everything/demo://resource/dynamic/text/{resourceId}");
    expect(unwrapResourceUri(template.replace("{resourceId}", "7"))?.uri).toBe(
      "demo://resource/dynamic/text/7",
    );
  });

  it("refuses what is not one of ours", () => {
    for (const uri of [
      "file:///README.md",
      "toolgate-app://",
      "toolgate-app://slug",
      "toolgate-app://slug/",
      "toolgate-app:///x",
    ])
      expect(unwrapResourceUri(uri)).toBeNull();
  });
});

describe("prompt names", () => {
  it("puts the app first, so two apps' same prompt names differ", () => {
    expect(promptNameOf("north", "simple-prompt")).toBe("north_simple-prompt");
    expect(promptNameOf("south", "simple-prompt")).not.toBe(promptNameOf("north", "simple-prompt"));
  });

  it("drops invisible and bidirectional characters and keeps within 64 characters", () => {
    expect(promptNameOf("a", "sum\u200bmary\u202e")).toBe("a_summary");
    const long = promptNameOf("mcp-1a2b", "x".repeat(300));
    expect(long.length).toBe(64);
    expect(long).not.toBe(promptNameOf("mcp-1a2b", `${"x".repeat(299)}y`));
    expect(mayBePromptOf(long, "mcp-1a2b")).toBe(true);
  });

  it("tells which apps a name may belong to, long slugs included", () => {
    expect(mayBePromptOf("north_simple-prompt", "north")).toBe(true);
    expect(mayBePromptOf("north_simple-prompt", "south")).toBe(false);
    const longSlug = `app-${"s".repeat(60)}`;
    const name = promptNameOf(longSlug, "p");
    expect(name.length).toBe(64);
    expect(mayBePromptOf(name, longSlug)).toBe(true);
    expect(mayBePromptOf(name, `app-${"t".repeat(60)}`)).toBe(false);
  });

  it("cuts untrusted text to its cap", () => {
    expect(cut("abcdef", 4)).toBe("abc…");
    expect(cut("abc", 4)).toBe("abc");
    expect(cut(undefined, 4)).toBeUndefined();
  });
});
