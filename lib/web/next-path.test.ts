import { describe, expect, it } from "vitest";
import { safeNextPath } from "./next-path";

describe("safeNextPath", () => {
  it("keeps a path on this site", () => {
    expect(safeNextPath("/invitations/tgo_abc")).toBe("/invitations/tgo_abc");
    expect(safeNextPath("/org?x=1")).toBe("/org?x=1");
  });

  it("refuses anything that could leave the site, or is not a string", () => {
    for (const value of ["//evil.example", "/\\evil.example", "https://evil.example", "evil", "/a b", "", 5])
      expect(safeNextPath(value), String(value)).toBeUndefined();
    expect(safeNextPath(`/${"a".repeat(600)}`)).toBeUndefined();
  });
});
