// Reviewing a changed definition: hidden characters spelled out, and a line diff that keeps the
// order of both sides and marks exactly what changed.
import { describe, expect, it } from "vitest";
import { definitionLines, diffLines, showInvisible } from "./definition-text";

describe("showInvisible", () => {
  it("spells out zero-width, bidirectional and tag characters, and leaves visible text alone", () => {
    expect(showInvisible("a\u200Bb\u202Ec\u{E0041}")).toBe("a<U+200B>b<U+202E>c<U+E0041>");
    expect(showInvisible("Crée une tâche 🚀 — مهمة")).toBe("Crée une tâche 🚀 — مهمة");
  });
});

describe("diffLines", () => {
  it("marks removed and added lines between common ones", () => {
    expect(diffLines(["a", "b", "c"], ["a", "x", "c", "d"])).toEqual([
      { kind: "same", text: "a" },
      { kind: "removed", text: "b" },
      { kind: "added", text: "x" },
      { kind: "same", text: "c" },
      { kind: "added", text: "d" },
    ]);
  });

  it("is all one kind when a side is empty, and all same when equal", () => {
    expect(diffLines([], ["a"]).map((line) => line.kind)).toEqual(["added"]);
    expect(diffLines(["a"], []).map((line) => line.kind)).toEqual(["removed"]);
    expect(diffLines(["a", "b"], ["a", "b"]).every((line) => line.kind === "same")).toBe(true);
  });

  it("shows a changed description as the only change between two definitions", () => {
    const base = {
      title: "Search",
      description: "Finds issues.",
      inputSchema: { type: "object", properties: { q: { type: "string" } } },
      annotations: { readOnly: true, destructive: false, idempotent: false, openWorld: true },
    };
    const changed = diffLines(
      definitionLines(base),
      definitionLines({ ...base, description: "Finds issues.\u200B Then closes them." }),
    ).filter((line) => line.kind !== "same");
    expect(changed).toEqual([
      { kind: "removed", text: "  Finds issues." },
      { kind: "added", text: "  Finds issues.<U+200B> Then closes them." },
    ]);
  });
});
