// An upstream MCP server's resources and prompts, read for our own endpoint to offer: each
// function opens a session with the app's headers and the connection's credential (as a tool call
// does; a kept one when idle), and asks once (a listing: every page). Names, descriptions and contents are
// the upstream's, untrusted: the endpoint that offers them namespaces and shows them as data.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type {
  CompleteRequest,
  CompleteResult,
  GetPromptResult,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplate,
} from "@modelcontextprotocol/sdk/types.js";
import type { ConnectionContext } from "@/integrations/sdk/define";
import { ActionError } from "@/integrations/sdk/errors";
import type { AppRecord } from "../app-driver";
import { targetOfApp, upstreamRequestTimeoutMs } from "./mcp-driver";
import { withPooledUpstream } from "./session-pool";

/** The connection to use (null for an app without accounts) and the signal that ends the wait. */
export type UpstreamAccess = { connection: ConnectionContext<unknown> | null; signal: AbortSignal };

/** A listing longer than this is cut: an endpoint offers what a person can look through. */
const maxListed = 2_000;
const maxPages = 100;

type Page<T> = { items: T[]; nextCursor?: string };

async function listEveryPage<T>(
  appName: string,
  what: string,
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
): Promise<T[]> {
  const items: T[] = [];
  const cursors = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < maxPages && items.length < maxListed; page++) {
    const result = await fetchPage(cursor);
    items.push(...result.items);
    cursor = result.nextCursor;
    if (cursor === undefined) break;
    if (cursors.has(cursor)) throw new ActionError(`${appName} repeats a page of its ${what}.`);
    cursors.add(cursor);
  }
  return items.slice(0, maxListed);
}

function inSession<T>(
  app: AppRecord,
  access: UpstreamAccess,
  use: (client: Client) => Promise<T>,
): Promise<T> {
  const target = targetOfApp(app, access.connection?.auth);
  return withPooledUpstream(
    target,
    { signal: access.signal, timeoutMs: upstreamRequestTimeoutMs() },
    (session) => use(session.client),
  );
}

const requestOptions = (access: UpstreamAccess) => ({
  signal: access.signal,
  timeout: upstreamRequestTimeoutMs(),
});

/** The upstream's resources and resource templates ([] each when it offers none). */
export function listUpstreamResources(
  app: AppRecord,
  access: UpstreamAccess,
): Promise<{ resources: Resource[]; resourceTemplates: ResourceTemplate[] }> {
  return inSession(app, access, async (client) => {
    if (!client.getServerCapabilities()?.resources) return { resources: [], resourceTemplates: [] };
    const resources = await listEveryPage(app.name, "resource list", async (cursor) => {
      const page = await client.listResources(cursor ? { cursor } : undefined, requestOptions(access));
      return { items: page.resources, nextCursor: page.nextCursor };
    });
    const resourceTemplates = await listEveryPage(app.name, "resource template list", async (cursor) => {
      const page = await client.listResourceTemplates(
        cursor ? { cursor } : undefined,
        requestOptions(access),
      );
      return { items: page.resourceTemplates, nextCursor: page.nextCursor };
    });
    return { resources, resourceTemplates };
  });
}

/** One resource's contents, as the upstream gives them. */
export function readUpstreamResource(
  app: AppRecord,
  access: UpstreamAccess,
  uri: string,
): Promise<ReadResourceResult> {
  return inSession(app, access, (client) => client.readResource({ uri }, requestOptions(access)));
}

/** The upstream's prompts ([] when it offers none). */
export function listUpstreamPrompts(app: AppRecord, access: UpstreamAccess): Promise<Prompt[]> {
  return inSession(app, access, async (client) => {
    if (!client.getServerCapabilities()?.prompts) return [];
    return listEveryPage(app.name, "prompt list", async (cursor) => {
      const page = await client.listPrompts(cursor ? { cursor } : undefined, requestOptions(access));
      return { items: page.prompts, nextCursor: page.nextCursor };
    });
  });
}

/** One prompt filled in with `args`, as the upstream gives it. */
export function getUpstreamPrompt(
  app: AppRecord,
  access: UpstreamAccess,
  name: string,
  args: Record<string, string> = {},
): Promise<GetPromptResult> {
  return inSession(app, access, (client) =>
    client.getPrompt({ name, arguments: args }, requestOptions(access)),
  );
}

/**
 * Suggestions for one argument of a prompt or resource template, as the upstream gives them; none
 * from an upstream that does not offer completions.
 */
export function completeUpstream(
  app: AppRecord,
  access: UpstreamAccess,
  params: CompleteRequest["params"],
): Promise<CompleteResult> {
  return inSession(app, access, async (client) => {
    if (!client.getServerCapabilities()?.completions) return { completion: { values: [] } };
    return client.complete(params, requestOptions(access));
  });
}
