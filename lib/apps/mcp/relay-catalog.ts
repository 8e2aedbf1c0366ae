// The resources, resource templates and prompts of every upstream MCP server a server's tools use,
// as one catalog on our endpoint: listings ask every upstream at once and page through them
// together (our cursor carries each upstream's own), reads and prompts go to the one upstream
// their wrapped URI or namespaced name says (relay-names.ts). An upstream that fails or does not
// answer within the relay's deadline is left out of a listing and logged; the others are listed.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  type CompleteRequest,
  type CompleteResult,
  ErrorCode,
  type GetPromptResult,
  McpError,
  type Prompt,
  type PromptMessage,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplate,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { ActionError, RetriableError } from "@/integrations/sdk/errors";
import { createLogger } from "@/lib/log/logger";
import type { ServerSnapshot } from "@/lib/servers/server-snapshot";
import type { AppRecord } from "../app-driver";
import { targetOfApp } from "./mcp-driver";
import { relayedApps, relayTimeoutMs, withRelayAccess } from "./relay-access";
import {
  cut,
  mayBePromptOf,
  promptNameOf,
  relayLimits,
  unwrapResourceUri,
  wrapResourceUri,
} from "./relay-names";
import { withPooledUpstream } from "./session-pool";
import {
  completeUpstream,
  getUpstreamPrompt,
  listUpstreamPrompts,
  readUpstreamResource,
} from "./upstream-catalog";

const log = createLogger({ module: "mcp-relay" });

/** MCP's code for a resource that does not exist. */
const resourceNotFound = -32002;

export type RelayedListKind = "resources" | "resourceTemplates" | "prompts";
type Listed = { resources: Resource; resourceTemplates: ResourceTemplate; prompts: Prompt };

// Our cursor: for each upstream that has more, its slug and its own cursor. Upstream cursors are
// opaque and can be long; one beyond the cap ends that upstream's listing.
const maxUpstreamCursor = 2_000;
const cursorSchema = z.object({
  kind: z.enum(["resources", "resourceTemplates", "prompts"]),
  pending: z.array(z.tuple([z.string().max(200), z.string().max(maxUpstreamCursor)])).max(200),
});

function encodeCursor(kind: RelayedListKind, pending: [string, string][]): string | undefined {
  if (pending.length === 0) return undefined;
  return Buffer.from(JSON.stringify({ kind, pending })).toString("base64url");
}

function decodeCursor(kind: RelayedListKind, cursor: string): [string, string][] {
  try {
    const parsed = cursorSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    if (parsed.kind === kind) return parsed.pending;
  } catch {}
  throw new McpError(ErrorCode.InvalidParams, "Invalid cursor: give back a nextCursor of this listing.");
}

/** One page of one upstream's listing ([] when it offers none of this kind). */
async function upstreamPage<K extends RelayedListKind>(
  client: Client,
  kind: K,
  cursor: string | undefined,
  signal: AbortSignal,
): Promise<{ items: Listed[K][]; next?: string }> {
  const capabilities = client.getServerCapabilities();
  const params = cursor === undefined ? undefined : { cursor };
  const options = { signal, timeout: relayTimeoutMs() };
  if (kind === "prompts") {
    if (!capabilities?.prompts) return { items: [] };
    const page = await client.listPrompts(params, options);
    return { items: page.prompts as Listed[K][], next: page.nextCursor };
  }
  if (!capabilities?.resources) return { items: [] };
  if (kind === "resources") {
    const page = await client.listResources(params, options);
    return { items: page.resources as Listed[K][], next: page.nextCursor };
  }
  const page = await client.listResourceTemplates(params, options);
  return { items: page.resourceTemplates as Listed[K][], next: page.nextCursor };
}

function relayedResource(slug: string, resource: Resource): Resource | null {
  if (resource.uri.length > relayLimits.uri) return null;
  return {
    uri: wrapResourceUri(slug, resource.uri),
    name: cut(resource.name, relayLimits.name) ?? "",
    ...(resource.title !== undefined && { title: cut(resource.title, relayLimits.title) }),
    ...(resource.description !== undefined && {
      description: cut(resource.description, relayLimits.description),
    }),
    ...(resource.mimeType !== undefined && { mimeType: cut(resource.mimeType, 200) }),
    ...(resource.size !== undefined && { size: resource.size }),
    ...(resource.annotations !== undefined && { annotations: resource.annotations }),
  };
}

function relayedTemplate(slug: string, template: ResourceTemplate): ResourceTemplate | null {
  if (template.uriTemplate.length > relayLimits.uri) return null;
  return {
    uriTemplate: wrapResourceUri(slug, template.uriTemplate),
    name: cut(template.name, relayLimits.name) ?? "",
    ...(template.title !== undefined && { title: cut(template.title, relayLimits.title) }),
    ...(template.description !== undefined && {
      description: cut(template.description, relayLimits.description),
    }),
    ...(template.mimeType !== undefined && { mimeType: cut(template.mimeType, 200) }),
    ...(template.annotations !== undefined && { annotations: template.annotations }),
  };
}

function relayedPrompt(slug: string, prompt: Prompt): Prompt {
  return {
    name: promptNameOf(slug, prompt.name),
    ...(prompt.title !== undefined && { title: cut(prompt.title, relayLimits.title) }),
    ...(prompt.description !== undefined && {
      description: cut(prompt.description, relayLimits.description),
    }),
    ...(prompt.arguments && {
      arguments: prompt.arguments.slice(0, 50).map((argument) => ({
        name: argument.name,
        ...(argument.description !== undefined && {
          description: cut(argument.description, relayLimits.description),
        }),
        ...(argument.required !== undefined && { required: argument.required }),
      })),
    }),
  };
}

function relayed<K extends RelayedListKind>(kind: K, slug: string, item: Listed[K]): Listed[K] | null {
  if (kind === "prompts") return relayedPrompt(slug, item as Prompt) as Listed[K];
  if (kind === "resources") return relayedResource(slug, item as Resource) as Listed[K] | null;
  return relayedTemplate(slug, item as ResourceTemplate) as Listed[K] | null;
}

function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.name === "TimeoutError" ? "no answer in time" : error.message;
  return String(error);
}

/**
 * One page of the catalog: the next page of every upstream that has one (the first page of each
 * without a cursor), in the apps' order, and the cursor of the rest.
 */
export async function listRelayed<K extends RelayedListKind>(
  snapshot: ServerSnapshot,
  kind: K,
  cursor: string | undefined,
  signal: AbortSignal,
): Promise<{ items: Listed[K][]; nextCursor?: string }> {
  const apps = new Map(relayedApps(snapshot).map((app) => [app.slug, app]));
  const pending: [string, string | undefined][] =
    cursor === undefined ? [...apps.keys()].map((slug) => [slug, undefined]) : decodeCursor(kind, cursor);
  const pages = await Promise.all(
    pending.map(async ([slug, upstreamCursor]) => {
      const app = apps.get(slug);
      if (!app) return null;
      try {
        const page = await withRelayAccess(snapshot, app, signal, (record, access) =>
          withPooledUpstream(
            targetOfApp(record, access.connection?.auth),
            { signal: access.signal, timeoutMs: relayTimeoutMs() },
            (session) => upstreamPage(session.client, kind, upstreamCursor, access.signal),
          ),
        );
        return { slug, ...page };
      } catch (error) {
        if (signal.aborted) throw error;
        log.warn({ app: slug, kind, err: reasonOf(error) }, "upstream left out of a listing");
        return null;
      }
    }),
  );
  const items: Listed[K][] = [];
  const next: [string, string][] = [];
  for (const page of pages) {
    if (!page) continue;
    for (const item of page.items) {
      const shown = relayed(kind, page.slug, item);
      if (shown) items.push(shown);
    }
    if (page.next !== undefined && page.next.length <= maxUpstreamCursor) next.push([page.slug, page.next]);
  }
  const nextCursor = encodeCursor(kind, next);
  return { items, ...(nextCursor && { nextCursor }) };
}

/** What a client sees when the upstream could not give what it asked. */
function relayFailure(app: AppRecord, error: unknown): McpError {
  if (error instanceof McpError) return error;
  if (error instanceof Error && error.name === "TimeoutError")
    return new McpError(ErrorCode.RequestTimeout, `${app.name} did not answer in time.`);
  if (error instanceof ActionError || error instanceof RetriableError)
    return new McpError(ErrorCode.InternalError, error.message);
  return new McpError(ErrorCode.InternalError, `${app.name} could not be asked: ${reasonOf(error)}`);
}

/** A wrapped resource URI read from its upstream; the contents' URIs come back wrapped. */
export async function readRelayed(
  snapshot: ServerSnapshot,
  uri: string,
  signal: AbortSignal,
): Promise<ReadResourceResult> {
  const target = unwrapResourceUri(uri);
  const app = target && relayedApps(snapshot).find((candidate) => candidate.slug === target.slug);
  if (!target || !app) throw new McpError(resourceNotFound, `Resource not found: ${cut(uri, 300)}`);
  let result: ReadResourceResult;
  try {
    result = await withRelayAccess(snapshot, app, signal, (record, access) =>
      readUpstreamResource(record, access, target.uri),
    );
  } catch (error) {
    throw relayFailure(app, error);
  }
  return {
    contents: result.contents.map((content) => ({ ...content, uri: wrapResourceUri(app.slug, content.uri) })),
  };
}

function relayedMessage(slug: string, message: PromptMessage): PromptMessage {
  const { content } = message;
  if (content.type === "resource")
    return {
      ...message,
      content: {
        ...content,
        resource: { ...content.resource, uri: wrapResourceUri(slug, content.resource.uri) },
      },
    };
  if (content.type === "resource_link")
    return { ...message, content: { ...content, uri: wrapResourceUri(slug, content.uri) } };
  return message;
}

/**
 * The app and upstream name of a namespaced prompt: the name is looked up in the listing of each
 * app it can belong to, in the catalog's order, so the prompt found is the one listed under it.
 */
async function findRelayedPrompt(
  snapshot: ServerSnapshot,
  name: string,
  signal: AbortSignal,
): Promise<{ app: AppRecord; upstreamName: string }> {
  for (const app of relayedApps(snapshot).filter((candidate) => mayBePromptOf(name, candidate.slug))) {
    try {
      const prompts = await withRelayAccess(snapshot, app, signal, listUpstreamPrompts);
      const upstreamName = prompts.find((prompt) => promptNameOf(app.slug, prompt.name) === name)?.name;
      if (upstreamName !== undefined) return { app, upstreamName };
    } catch (error) {
      log.warn({ app: app.slug, err: reasonOf(error) }, "upstream not asked for a prompt");
    }
  }
  throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${cut(name, 100)}`);
}

/** A namespaced prompt filled in by its upstream. */
export async function getRelayedPrompt(
  snapshot: ServerSnapshot,
  name: string,
  args: Record<string, string> | undefined,
  signal: AbortSignal,
): Promise<GetPromptResult> {
  const { app, upstreamName } = await findRelayedPrompt(snapshot, name, signal);
  let result: GetPromptResult;
  try {
    result = await withRelayAccess(snapshot, app, signal, (record, access) =>
      getUpstreamPrompt(record, access, upstreamName, args),
    );
  } catch (error) {
    throw relayFailure(app, error);
  }
  return {
    ...(result.description !== undefined && {
      description: cut(result.description, relayLimits.description),
    }),
    messages: result.messages.map((message) => relayedMessage(app.slug, message)),
  };
}

/** MCP's cap on the values of one completion. */
const maxCompletionValues = 100;

/**
 * completion/complete for a namespaced prompt or a wrapped resource template: asked of the upstream
 * the name or URI says, under its own name or URI, as the caller. Suggestions are untrusted text:
 * at most MCP's 100, each cut.
 */
export async function completeRelayed(
  snapshot: ServerSnapshot,
  params: CompleteRequest["params"],
  signal: AbortSignal,
): Promise<CompleteResult> {
  const { ref } = params;
  let app: AppRecord;
  let upstreamRef: CompleteRequest["params"]["ref"];
  if (ref.type === "ref/prompt") {
    const found = await findRelayedPrompt(snapshot, ref.name, signal);
    app = found.app;
    upstreamRef = { type: "ref/prompt", name: found.upstreamName };
  } else {
    const target = unwrapResourceUri(ref.uri);
    const owner = target && relayedApps(snapshot).find((candidate) => candidate.slug === target.slug);
    if (!target || !owner)
      throw new McpError(ErrorCode.InvalidParams, `Unknown resource template: ${cut(ref.uri, 300)}`);
    app = owner;
    upstreamRef = { type: "ref/resource", uri: target.uri };
  }
  let result: CompleteResult;
  try {
    result = await withRelayAccess(snapshot, app, signal, (record, access) =>
      completeUpstream(record, access, { ...params, ref: upstreamRef }),
    );
  } catch (error) {
    throw relayFailure(app, error);
  }
  const { values, total, hasMore } = result.completion;
  return {
    completion: {
      values: values.slice(0, maxCompletionValues).map((value) => cut(value, relayLimits.name) ?? ""),
      ...(typeof total === "number" && { total }),
      ...((hasMore === true || values.length > maxCompletionValues) && { hasMore: true }),
    },
  };
}
