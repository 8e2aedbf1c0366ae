// A call's outcome as a tools/call result: only success is not an error, the text is the
// outcome's words, and structured content comes only with an action's declared output; an upstream
// MCP tool's result comes back as the upstream sent it.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { ActionError } from "@/integrations/sdk/errors";
import type { CallOutcome } from "@/lib/calls/call-outcome";
import { capForStorage } from "@/lib/calls/payload-limits";
import { mcpToolOutput, readMcpToolOutput, toCallToolResult } from "./call-result";

const text = (value: string) => [{ type: "text", text: value }];

describe("toCallToolResult", () => {
  it("gives a success's output as JSON text, and as structured content when the action declares it", () => {
    const outcome: CallOutcome = { status: "succeeded", output: { result: "HI" } };
    const json = JSON.stringify({ result: "HI" }, null, 2);
    expect(toCallToolResult(outcome, true)).toEqual({
      content: text(json),
      structuredContent: { result: "HI" },
    });
    expect(toCallToolResult(outcome, false)).toEqual({ content: text(json) });
  });

  it("makes every other outcome a tool error in words, never with structured content", () => {
    const refused: CallOutcome = {
      status: "refused",
      window: "day",
      limit: 4,
      resetsAt: new Date("2031-01-02T00:00:00Z"),
    };
    expect(toCallToolResult(refused, true)).toEqual({
      isError: true,
      content: text(
        "Quota exceeded: the daily limit of 4 tool calls is used up. It resets at 2031-01-02T00:00:00.000Z.",
      ),
    });
    expect(toCallToolResult({ status: "failed", code: "timeout", message: "Too slow." }, true)).toEqual({
      isError: true,
      content: text("Too slow."),
    });
    expect(toCallToolResult({ status: "cancelled", started: false }, true).content).toEqual(
      text("The call was cancelled before its action started; no quota was used."),
    );
    expect(toCallToolResult({ status: "cancelled", started: true }, false).isError).toBe(true);
  });
});

describe("an upstream MCP tool's result", () => {
  const blocks: CallToolResult["content"] = [
    { type: "text", text: "Multiple content types test:" },
    { type: "image", data: "iVBORw0KGgo=", mimeType: "image/png" },
    { type: "audio", data: "UklGRg==", mimeType: "audio/wav" },
    { type: "resource_link", uri: "test://linked", name: "linked" },
    { type: "resource", resource: { uri: "test://embedded", mimeType: "text/plain", text: "inside" } },
  ];

  it("comes back as the upstream sent it, through JSON as the queue and the ledger carry it", () => {
    const output = mcpToolOutput("Up", {
      content: blocks,
      structuredContent: { value: 123 },
      _meta: { "upstream/own": true },
    });
    const carried = JSON.parse(JSON.stringify(output));
    const fromUpstream = { fromMcpUpstream: true };
    expect(toCallToolResult({ status: "succeeded", output: carried }, false, fromUpstream)).toEqual({
      content: blocks,
      structuredContent: { value: 123 },
    });
    expect(
      toCallToolResult(
        { status: "succeeded", output: mcpToolOutput("Up", { content: [] }) },
        false,
        fromUpstream,
      ),
    ).toEqual({ content: [] });
  });

  it("passes through only for an upstream MCP server's tool, not for another app's answer of that shape", () => {
    const shaped = JSON.parse(JSON.stringify(mcpToolOutput("Up", { content: blocks })));
    expect(toCallToolResult({ status: "succeeded", output: shaped }, false).content).toEqual([
      { type: "text", text: JSON.stringify(shaped, null, 2) },
    ]);
  });

  it("is a tool error in the upstream's words when the upstream flags one", () => {
    const failing = () =>
      mcpToolOutput("Up", {
        isError: true,
        content: [
          { type: "text", text: "This tool intentionally returns an error for testing" },
          { type: "image", data: "iVBORw0KGgo=", mimeType: "image/png" },
        ],
      });
    expect(failing).toThrow(ActionError);
    expect(failing).toThrow(/^This tool intentionally returns an error for testing$/);
    expect(() => mcpToolOutput("Up", { isError: true, content: [] })).toThrow(
      "Up: the tool reported an error without saying what it was.",
    );
  });

  it("is never read into another output, nor into one cut for storage", () => {
    const lookalike = { $mcp: { content: [{ type: "text", text: "x" }] }, extra: 1 };
    expect(readMcpToolOutput(lookalike)).toBeUndefined();
    expect(readMcpToolOutput({ $mcp: { content: [{ type: "script", text: "x" }] } })).toBeUndefined();
    expect(toCallToolResult({ status: "succeeded", output: lookalike }, false).content).toEqual([
      { type: "text", text: JSON.stringify(lookalike, null, 2) },
    ]);
    const big = mcpToolOutput("Up", {
      content: [{ type: "image", data: "A".repeat(100_000), mimeType: "image/png" }],
    });
    const stored = capForStorage(big);
    expect(readMcpToolOutput(stored)).toBeUndefined();
    expect(
      toCallToolResult({ status: "succeeded", output: stored }, false, { fromMcpUpstream: true }).content[0]
        ?.type,
    ).toBe("text");
  });
});
