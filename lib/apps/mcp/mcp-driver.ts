// Upstream MCP servers as apps: added by URL, their tools become actions, and each call runs in a
// session with the upstream (Streamable HTTP or legacy SSE, through the SSRF-guarded client) with
// the app's headers and the caller's connection credential. Streamable HTTP sessions are kept
// between calls (session-pool.ts); adding, discovering and checking an app open their own.
import { randomUUID } from "node:crypto";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { getEnv } from "@/env";
import { apiKeyAuth, type ConnectionContext, noAuth } from "@/integrations/sdk/define";
import {
  ActionError,
  AppUnreachableError,
  CredentialsRejectedError,
  RateLimitedError,
} from "@/integrations/sdk/errors";
import { scrubValue, secretStringsIn } from "@/lib/connections/secret-scrub";
import { AppError } from "@/lib/errors/app-error";
import { mcpToolOutput } from "@/lib/mcp/call-result";
import type { AppDriver, AppRecord, PreparedApp } from "../app-driver";
import { oauthDefinitionOfApp } from "../app-oauth";
import { upstreamTextsOfClient } from "../upstream-texts";
import {
  type AddMcpApp,
  mcpAuthSchema,
  mcpSourceSchema,
  parseAddMcpApp,
  readMcpApp,
  upstreamHeaders,
} from "./mcp-app-config";
import { canRegisterMcpOAuthClient, registerMcpOAuthClient } from "./mcp-oauth-client";
import { discoverMcpOAuth } from "./mcp-oauth-discovery";
import { withPooledUpstream } from "./session-pool";
import { assertUpstreamNotDown, recordUpstreamHealth } from "./upstream-health";
import { relayUpstreamLogs } from "./upstream-logs";
import { UpstreamAddressRefusedError, type UpstreamTarget, withUpstream } from "./upstream-session";
import { actionOfTool, listAllTools } from "./upstream-tools";

/** How long a handshake or a listing may take: an upstream that does not answer fails soon. */
export function upstreamRequestTimeoutMs(): number {
  return Math.min(getEnv().HTTP_TIMEOUT_MS, 15_000);
}

/** A tool call's own cap; the caller's signal (the action's timeout) normally ends it first. */
const toolCallTimeoutMs = 15 * 60_000;

/** The upstream as a stored app's calls reach it, with a connection's credentials (or none). */
export function targetOfApp(app: AppRecord, credentials: unknown): UpstreamTarget {
  const { source, auth } = readMcpApp(app);
  return {
    appName: app.name,
    url: source.url,
    transport: source.transport,
    headers: upstreamHeaders(app.headers, auth, credentials),
  };
}

/**
 * Lists the upstream's tools as actions; also says which transport worked and what the server says
 * about itself in its handshake.
 */
async function discoverTools(target: UpstreamTarget, signal: AbortSignal) {
  const timeout = upstreamRequestTimeoutMs();
  return withUpstream(target, { signal, timeoutMs: timeout }, async (session) => ({
    transport: session.transport,
    actions: (await listAllTools(session.client, target.appName, { signal, timeout })).map(actionOfTool),
    texts: upstreamTextsOfClient(session.client),
  }));
}

const authExample = '{"type":"header","header":"Authorization","scheme":"Bearer"}';

/** What went wrong while adding an app, told to the person adding it, with what to change. */
function addingError(given: AddMcpApp, error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof AppError) return error;
  if (error instanceof CredentialsRejectedError && given.auth.type !== "oauth") {
    if (given.auth.type === "none")
      return new AppError(
        "validation_failed",
        `${given.url} asks for credentials (HTTP 401). Say how it takes them, for example auth: ${authExample}, and give credentials: {"value": "<your token>"}.`,
      );
    if (!given.credentials)
      return new AppError(
        "validation_failed",
        `${given.url} asks for credentials (HTTP 401): give credentials: {"value": "…"}, the value of its ${given.auth.header} header${given.auth.scheme ? ` (after "${given.auth.scheme} ")` : ""}.`,
      );
    return new AppError(
      "validation_failed",
      `${given.url} refused the credentials given (HTTP 401): check credentials.value and auth (header ${given.auth.header}${given.auth.scheme ? `, scheme ${given.auth.scheme}` : ""}).`,
    );
  }
  if (error instanceof AppUnreachableError || error instanceof RateLimitedError)
    return new AppError("upstream_error", error.message);
  if (error instanceof UpstreamAddressRefusedError)
    return new AppError("validation_failed", `url: ${error.message}`);
  if (error instanceof ActionError) return new AppError("upstream_error", error.message);
  return error;
}

function connectionOf(app: AppRecord) {
  const source = mcpSourceSchema.safeParse(app.source);
  const auth = mcpAuthSchema.safeParse(app.auth);
  return { url: source.success ? source.data.url : "", auth: auth.success ? auth.data : undefined };
}

/** Runs `call`; an upstream found unreachable is recorded, and one found answering again too. */
async function observingHealth<T>(app: AppRecord, call: () => Promise<T>): Promise<T> {
  const before = await assertUpstreamNotDown(app);
  const started = performance.now();
  const record = (observed: Parameters<typeof recordUpstreamHealth>[1]) =>
    recordUpstreamHealth(app.id, observed).catch(() => {});
  try {
    const result = await call();
    if (before !== true) await record({ healthy: true, latencyMs: performance.now() - started });
    return result;
  } catch (error) {
    if (error instanceof AppUnreachableError) await record({ healthy: false, error: error.reason });
    throw error;
  }
}

/**
 * An app whose people sign in with OAuth: its endpoints are discovered now; its tools can only be
 * listed with a person's token, so it starts with none (the first connection reads them).
 */
async function prepareOAuthApp(given: AddMcpApp, signal: AbortSignal): Promise<PreparedApp> {
  const auth = await discoverMcpOAuth(given.url, { signal, timeoutMs: upstreamRequestTimeoutMs() });
  return {
    name: given.name,
    description: `MCP server at ${new URL(given.url).host}`,
    // "auto" until a connection's first listing finds the transport that works.
    source: { url: given.url, transport: given.transport },
    auth,
    headers: given.headers ?? {},
    actions: [],
  };
}

export const mcpDriver: AppDriver = {
  prepare: async (input, signal) => {
    const given = parseAddMcpApp(input);
    if (given.auth.type === "oauth") return prepareOAuthApp(given, signal);
    const { auth } = given;
    const headers = given.headers ?? {};
    const target: UpstreamTarget = {
      appName: given.name,
      url: given.url,
      transport: given.transport,
      headers: upstreamHeaders(headers, auth, given.credentials),
    };
    let found: Awaited<ReturnType<typeof discoverTools>>;
    try {
      found = await discoverTools(target, signal);
    } catch (error) {
      throw addingError(given, error);
    }
    return {
      name: given.name,
      description: `MCP server at ${new URL(given.url).host}`,
      source: { url: given.url, transport: found.transport },
      auth,
      headers,
      ...(given.credentials && { credentials: { value: given.credentials.value } }),
      actions: found.actions,
      texts: found.texts,
    };
  },

  connect: (app) => {
    const { url, auth } = connectionOf(app);
    const header = auth?.type === "header" ? auth : undefined;
    return {
      auth:
        auth?.type === "oauth2"
          ? { ...oauthDefinitionOfApp(app, auth), registersClient: canRegisterMcpOAuthClient(auth) }
          : header
            ? apiKeyAuth([
                {
                  name: "value",
                  label: `${header.header} value`,
                  secret: true,
                  help: header.scheme
                    ? `Sent as "${header.header}: ${header.scheme} <value>" to ${url}.`
                    : `Sent as the ${header.header} header to ${url}.`,
                },
              ])
            : noAuth,
      api: {
        baseUrl: url,
        // Never the operator's setting: the URL is the app owner's, so it is always SSRF-checked.
        baseUrlSetting: "",
        userBaseUrl: () => url,
        headers: (credentials) => (auth ? upstreamHeaders(app.headers, auth, credentials) : {}),
      },
      test: async (context: ConnectionContext<unknown>) => {
        await discoverTools(targetOfApp(app, context.auth), context.signal);
        return { account: app.name };
      },
    };
  },

  registerOAuthClient: registerMcpOAuthClient,

  discover: async (app, access) => {
    const found = await discoverTools(targetOfApp(app, access.connection?.auth), access.signal);
    access.onTexts?.(found.texts);
    return found.actions;
  },

  run: async (app, action, context) => {
    const target = targetOfApp(app, context.auth);
    const { signal } = context;
    const result = await observingHealth(app, () =>
      withPooledUpstream(target, { signal, timeoutMs: upstreamRequestTimeoutMs() }, async (session) => {
        // A kept session serves one call at a time: its log messages meanwhile are this call's.
        const stopRelayingLogs = relayUpstreamLogs(session.client, context);
        const progressToken = randomUUID();
        const stopRelaying = session.onProgress(progressToken, (progress) => {
          void context.progress(progress.progress, progress.total, progress.message).catch(() => {});
        });
        try {
          return await session.client.callTool(
            { name: action.upstreamName, arguments: context.input, _meta: { progressToken } },
            undefined,
            { signal, timeout: toolCallTimeoutMs },
          );
        } finally {
          stopRelaying();
          stopRelayingLogs();
        }
      }),
    );
    // The upstream's content blocks and structured content reach the client as it sent them; an
    // upstream that repeats the app's headers in a result must not hand them to the caller.
    return scrubValue(mcpToolOutput(app.name, result as CallToolResult), secretStringsIn(target.headers));
  },
};
