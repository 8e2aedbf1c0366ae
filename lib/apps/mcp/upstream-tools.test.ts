// An upstream's tool as an action (its hints as annotations, only those it gives) and a tool's
// result as an action's output (structured content, else text with other blocks kept; isError as
// the tool error in the upstream's words).
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { ActionError } from "@/integrations/sdk/errors";
import { actionOfTool, outputOfToolResult } from "./upstream-tools";

describe("actionOfTool", () => {
  it("maps each hint to its annotation and leaves out those the tool does not give", () => {
    const tool: Tool = {
      name: "delete_file",
      description: "Deletes a file.",
      inputSchema: { type: "object", properties: { path: { type: "string" } } },
      annotations: { title: "Delete a file", destructiveHint: true, openWorldHint: false },
    };
    expect(actionOfTool(tool)).toEqual({
      upstreamName: "delete_file",
      title: "Delete a file",
      description: "Deletes a file.",
      inputSchema: { type: "object", properties: { path: { type: "string" } } },
      annotations: { destructive: true, openWorld: false },
    });
  });

  it("prefers the tool's own title, and keeps its output schema", () => {
    const tool: Tool = {
      name: "t",
      title: "Own title",
      inputSchema: { type: "object" },
      outputSchema: { type: "object", properties: { n: { type: "number" } } },
      annotations: { title: "Annotation title", readOnlyHint: true, idempotentHint: true },
    };
    expect(actionOfTool(tool)).toMatchObject({
      title: "Own title",
      outputSchema: { type: "object", properties: { n: { type: "number" } } },
      annotations: { readOnly: true, idempotent: true },
    });
    expect(actionOfTool({ name: "bare", inputSchema: { type: "object" } })).toEqual({
      upstreamName: "bare",
      inputSchema: { type: "object" },
      annotations: {},
    });
  });
});

describe("outputOfToolResult", () => {
  it("gives structured content as it is, even beside text", () => {
    expect(
      outputOfToolResult("App", { content: [{ type: "text", text: "{}" }], structuredContent: { n: 1 } }),
    ).toEqual({ n: 1 });
  });

  it("joins text blocks, and keeps other blocks next to the text", () => {
    expect(
      outputOfToolResult("App", {
        content: [
          { type: "text", text: "one" },
          { type: "text", text: "two" },
        ],
      }),
    ).toBe("one\ntwo");
    const link = { type: "resource_link" as const, uri: "file:///a.txt", name: "a.txt" };
    expect(outputOfToolResult("App", { content: [{ type: "text", text: "see" }, link] })).toEqual({
      text: "see",
      content: [link],
    });
    expect(outputOfToolResult("App", { content: [] })).toBe("");
  });

  it("throws the upstream's words as the tool error, and says so when it gave none", () => {
    expect(() =>
      outputOfToolResult("App", { isError: true, content: [{ type: "text", text: "Disk full." }] }),
    ).toThrow(new ActionError("Disk full."));
    expect(() => outputOfToolResult("App", { isError: true, content: [] })).toThrow(
      "App: the tool reported an error without saying what it was.",
    );
  });
});
