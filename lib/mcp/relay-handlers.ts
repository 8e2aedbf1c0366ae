// The resources and prompts part of our MCP server: the upstream MCP servers' catalog
// (lib/apps/mcp/relay-catalog.ts) offered through the endpoint. Free: no quota, run in the web
// process, each upstream under a short deadline.
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CompleteRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ReadResourceRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { relayedApps } from "@/lib/apps/mcp/relay-access";
import { completeRelayed, getRelayedPrompt, listRelayed, readRelayed } from "@/lib/apps/mcp/relay-catalog";
import type { ServerSnapshot } from "@/lib/servers/server-snapshot";

// listChanged: the upstreams' own notices reach a session's GET stream (lib/mcp/tool-list-watch.ts).
export const relayCapabilities = { resources: { listChanged: true }, prompts: { listChanged: true } };

/**
 * Completions are offered when the server relays some upstream, whose prompts and resource
 * templates they complete (an upstream that offers none answers with no suggestions).
 */
export function relaysCompletions(snapshot: ServerSnapshot): boolean {
  return relayedApps(snapshot).length > 0;
}

export function registerRelayHandlers(server: Server, snapshot: ServerSnapshot): void {
  server.setRequestHandler(ListResourcesRequestSchema, async (request, extra) => {
    const page = await listRelayed(snapshot, "resources", request.params?.cursor, extra.signal);
    return { resources: page.items, ...(page.nextCursor && { nextCursor: page.nextCursor }) };
  });
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async (request, extra) => {
    const page = await listRelayed(snapshot, "resourceTemplates", request.params?.cursor, extra.signal);
    return { resourceTemplates: page.items, ...(page.nextCursor && { nextCursor: page.nextCursor }) };
  });
  server.setRequestHandler(ReadResourceRequestSchema, (request, extra) =>
    readRelayed(snapshot, request.params.uri, extra.signal),
  );
  server.setRequestHandler(ListPromptsRequestSchema, async (request, extra) => {
    const page = await listRelayed(snapshot, "prompts", request.params?.cursor, extra.signal);
    return { prompts: page.items, ...(page.nextCursor && { nextCursor: page.nextCursor }) };
  });
  server.setRequestHandler(GetPromptRequestSchema, (request, extra) =>
    getRelayedPrompt(snapshot, request.params.name, request.params.arguments, extra.signal),
  );
  // The SDK refuses a handler for a capability the server does not declare.
  if (relaysCompletions(snapshot))
    server.setRequestHandler(CompleteRequestSchema, (request, extra) =>
      completeRelayed(snapshot, request.params, extra.signal),
    );
}
