import { describe, expect, it } from "vitest";
import { returnWithConnection, toolFormReturnPath } from "./return-path";

describe("toolFormReturnPath", () => {
  it("accepts the paths of the platform's tool forms", () => {
    for (const path of [
      "/servers/cm3abc/tools/new?app=airtable&action=create_records",
      "/servers/cm3abc/tools/cm9tool",
    ])
      expect(toolFormReturnPath(path)).toBe(path);
  });

  it("refuses anything that could leave the platform or reach another page", () => {
    for (const path of [
      "https://evil.example/servers/a/tools/new",
      "//evil.example/servers/a/tools/new",
      "/\\evil.example",
      "/servers/a/tools/new/../../../admin",
      "/servers/a/tools/new?x=<script>",
      "/servers/a/tools/new#x",
      "/admin",
      "/servers/a",
      "",
      undefined,
      42,
    ])
      expect(toolFormReturnPath(path)).toBeUndefined();
  });
});

describe("returnWithConnection", () => {
  it("names the new connection in the query, keeping the rest", () => {
    expect(returnWithConnection("/servers/s/tools/new?app=todoist&action=create_task", "c1")).toBe(
      "/servers/s/tools/new?app=todoist&action=create_task&connected=c1",
    );
    expect(returnWithConnection("/servers/s/tools/t1?connected=old", "c2")).toBe(
      "/servers/s/tools/t1?connected=c2",
    );
  });
});
