// An upstream's tools as actions, and a tool's result as an action's output. What the upstream
// says (names, descriptions, schemas, hints) is untrusted: it is returned as is, and the caller
// caps, scans and pins it (app-definitions.ts).
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { ActionAnnotations } from "@/integrations/sdk/define";
import { ActionError } from "@/integrations/sdk/errors";
import type { DiscoveredAction } from "../action-definition";
import { maxActionsPerApp } from "../app-definitions";

/** A listing longer than this many pages is refused: an upstream that never stops paging. */
const maxPages = 200;

type RequestOptions = { signal: AbortSignal; timeout: number };

/** Every tool the upstream lists, page by page. */
export async function listAllTools(
  client: Client,
  appName: string,
  options: RequestOptions,
): Promise<Tool[]> {
  if (!client.getServerCapabilities()?.tools) return [];
  const tools: Tool[] = [];
  const cursors = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const result = await client.listTools(cursor === undefined ? undefined : { cursor }, options);
    tools.push(...result.tools);
    if (tools.length > maxActionsPerApp * 2)
      throw new ActionError(
        `${appName} lists more than ${maxActionsPerApp * 2} tools; that is more than an app can offer.`,
      );
    cursor = result.nextCursor;
    if (cursor === undefined) return tools;
    if (cursors.has(cursor))
      throw new ActionError(`${appName} repeats a page of its tool list (cursor "${cursor.slice(0, 50)}").`);
    cursors.add(cursor);
  }
  throw new ActionError(`${appName}'s tool list goes on for more than ${maxPages} pages.`);
}

const hintNames = {
  readOnlyHint: "readOnly",
  destructiveHint: "destructive",
  idempotentHint: "idempotent",
  openWorldHint: "openWorld",
} as const;

/** The hints the tool gives, as annotations; those it leaves out take MCP's defaults later. */
function annotationsOf(tool: Tool): Partial<ActionAnnotations> {
  const annotations: Partial<ActionAnnotations> = {};
  for (const [hint, name] of Object.entries(hintNames) as [
    keyof typeof hintNames,
    keyof ActionAnnotations,
  ][]) {
    const value = tool.annotations?.[hint];
    if (typeof value === "boolean") annotations[name] = value;
  }
  return annotations;
}

export function actionOfTool(tool: Tool): DiscoveredAction {
  const title = tool.title ?? tool.annotations?.title;
  return {
    upstreamName: tool.name,
    ...(title !== undefined && { title }),
    ...(tool.description !== undefined && { description: tool.description }),
    inputSchema: tool.inputSchema as Record<string, unknown>,
    ...(tool.outputSchema && { outputSchema: tool.outputSchema as Record<string, unknown> }),
    annotations: annotationsOf(tool),
  };
}

type ContentBlock = CallToolResult["content"][number];

function textOf(blocks: ContentBlock[]): string {
  return blocks
    .flatMap((block) => (block.type === "text" ? [block.text] : []))
    .join("\n")
    .trim();
}

/** The most of an upstream's error text that a tool error carries. */
const maxErrorText = 4_000;

/**
 * A tool's result as the action's output: its structured content when it gives some; else its
 * text (blocks joined by new lines), with any other blocks (images, resources) kept as they are.
 * A result flagged as an error is the tool error, in the upstream's words.
 */
export function outputOfToolResult(appName: string, result: CallToolResult): unknown {
  const blocks = Array.isArray(result.content) ? result.content : [];
  if (result.isError) {
    const text = textOf(blocks);
    throw new ActionError(
      text
        ? text.slice(0, maxErrorText)
        : `${appName}: the tool reported an error without saying what it was.`,
    );
  }
  if (result.structuredContent !== undefined) return result.structuredContent;
  const others = blocks.filter((block) => block.type !== "text");
  const text = textOf(blocks);
  if (others.length === 0) return text;
  return { text, content: others };
}
