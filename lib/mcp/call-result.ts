// A call's outcome as MCP's tools/call result: its words as text content, an error flag on every
// outcome but success, and the output as structured content when the action declares its shape.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { type CallOutcome, describeCallOutcome } from "@/lib/calls/call-outcome";

export function toCallToolResult(outcome: CallOutcome, hasOutputSchema: boolean): CallToolResult {
  const content = [{ type: "text" as const, text: describeCallOutcome(outcome) }];
  if (outcome.status !== "succeeded") return { isError: true, content };
  return {
    content,
    ...(hasOutputSchema && { structuredContent: outcome.output as Record<string, unknown> }),
  };
}
