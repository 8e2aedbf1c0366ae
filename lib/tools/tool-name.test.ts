import { describe, expect, it } from "vitest";
import { deriveToolName, makeUniqueToolName, sanitizeToolName, toolNamePattern } from "./tool-name";

describe("deriveToolName", () => {
  it("joins app and action", () => {
    expect(deriveToolName("github", "create_issue")).toBe("github_create_issue");
  });

  it("keeps names within 64 characters of the allowed set", () => {
    const name = deriveToolName("a-very-long-integration-slug-for-enterprise", "x".repeat(80));
    expect(name).toHaveLength(64);
    expect(name).toMatch(toolNamePattern);
  });

  it("keeps two long names that share their first 64 characters apart, each within 64 (docs/security.md 25)", () => {
    const slug = "upstream-mcp-server-of-a-vendor-a1b2";
    const first = deriveToolName(slug, `${"get_customer_invoice_line_items_".repeat(2)}by_id`);
    const second = deriveToolName(slug, `${"get_customer_invoice_line_items_".repeat(2)}by_email`);
    expect(first).not.toBe(second);
    for (const name of [first, second]) {
      expect(name.length).toBeLessThanOrEqual(64);
      expect(name).toMatch(toolNamePattern);
      expect(name.startsWith(`${slug}_get_customer`)).toBe(true);
    }
    // Each app's tools carry its slug first: another app's identically named tool is another name.
    expect(deriveToolName("weather-x1y2", "search")).not.toBe(deriveToolName("weather-z9w8", "search"));
  });

  it("replaces characters clients refuse and never returns an empty name", () => {
    expect(sanitizeToolName("Créer une tâche! (v2)")).toBe("Creer_une_tache_v2");
    expect(sanitizeToolName("a..b  c")).toBe("a_b_c");
    expect(sanitizeToolName("!!!")).toBe("tool");
    expect(sanitizeToolName("__x__")).toBe("x");
  });
});

describe("makeUniqueToolName", () => {
  it("returns the name when free and adds a counter when taken", () => {
    expect(makeUniqueToolName("formatter_calculate", new Set())).toBe("formatter_calculate");
    const taken = new Set(["formatter_calculate", "formatter_calculate_2"]);
    expect(makeUniqueToolName("formatter_calculate", taken)).toBe("formatter_calculate_3");
  });

  it("shortens a 64-character name so that the suffix fits", () => {
    const base = "n".repeat(64);
    const taken = new Set([base]);
    const second = makeUniqueToolName(base, taken);
    expect(second).toBe(`${"n".repeat(62)}_2`);
    expect(second).toHaveLength(64);
    taken.add(second);
    for (let counter = 3; counter <= 10; counter++) taken.add(`${"n".repeat(62)}_${counter}`);
    const tenth = makeUniqueToolName(base, taken);
    expect(tenth).toBe(`${"n".repeat(61)}_10`);
    expect(tenth).toHaveLength(64);
    expect(tenth).toMatch(toolNamePattern);
    expect(taken.has(tenth)).toBe(false);
  });
});
