// A call's outcome as MCP's tools/call result: its words as text content, an error flag on every
// outcome but success, and the output as structured content when the action declares its shape.
// An upstream MCP tool's result is the exception: its content blocks (text, image, audio, resource
// links, embedded resources) and structured content reach the client as the upstream sent them.
// They travel through the queue and the ledger as JSON, in the envelope defined here.
import { type CallToolResult, ContentBlockSchema } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { ActionError } from "@/integrations/sdk/errors";
import { type CallOutcome, describeCallOutcome } from "@/lib/calls/call-outcome";

/**
 * An upstream MCP tool's successful result, as an action's output. Strict, so that an output of
 * another shape (a built-in action's object) is never taken for one.
 */
const mcpToolOutputSchema = z.strictObject({
  $mcp: z.strictObject({
    content: z.array(ContentBlockSchema),
    structuredContent: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type McpToolOutput = z.infer<typeof mcpToolOutputSchema>;

/** The most of an upstream's error text that a tool error carries. */
const maxErrorText = 4_000;

/**
 * The output of an upstream tool's result: its content and structured content, as sent (`_meta`
 * is the upstream's own business and stays behind). A result flagged as an error is the tool
 * error, in the upstream's words.
 */
export function mcpToolOutput(appName: string, result: CallToolResult): McpToolOutput {
  const content = Array.isArray(result.content) ? result.content : [];
  if (result.isError) {
    const text = content
      .flatMap((block) => (block.type === "text" ? [block.text] : []))
      .join("\n")
      .trim();
    throw new ActionError(
      text
        ? text.slice(0, maxErrorText)
        : `${appName}: the tool reported an error without saying what it was.`,
    );
  }
  return {
    $mcp: {
      content,
      ...(result.structuredContent !== undefined && { structuredContent: result.structuredContent }),
    },
  };
}

/** The upstream's result in an output, or undefined when the output is not one (or was cut for storage). */
export function readMcpToolOutput(output: unknown): McpToolOutput["$mcp"] | undefined {
  if (!output || typeof output !== "object" || !("$mcp" in output)) return undefined;
  const parsed = mcpToolOutputSchema.safeParse(output);
  return parsed.success ? parsed.data.$mcp : undefined;
}

/**
 * `fromMcpUpstream`: the action is an upstream MCP server's tool, whose result passes through as
 * it was sent. Only then: another app's answer that happens to have the envelope's shape (an API
 * returning `{"$mcp": ...}`) is that app's data, shown as such.
 */
export function toCallToolResult(
  outcome: CallOutcome,
  hasOutputSchema: boolean,
  { fromMcpUpstream = false }: { fromMcpUpstream?: boolean } = {},
): CallToolResult {
  const upstream =
    fromMcpUpstream && outcome.status === "succeeded" ? readMcpToolOutput(outcome.output) : undefined;
  if (upstream) return upstream;
  const content = [{ type: "text" as const, text: describeCallOutcome(outcome) }];
  if (outcome.status !== "succeeded") return { isError: true, content };
  return {
    content,
    ...(hasOutputSchema && { structuredContent: outcome.output as Record<string, unknown> }),
  };
}
