// The MCP endpoint as a plain (Request) => Response function: route handlers call it, and it can
// be mounted outside Next.js too. Streamable HTTP through the official SDK, stateless per request,
// with sessions kept in Redis so any replica can serve any request.
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { createLogger } from "@/lib/log/logger";
import { isRedisUnavailable } from "@/lib/redis/client";
import { endpointIdOf, type ServerSnapshot } from "@/lib/servers/server-snapshot";
import { resolveServerBySecret } from "@/lib/servers/snapshot-cache";
import { buildMcpServer } from "./build-server";
import { recordCancellations } from "./cancellations";
import { answerToolsListDirectly } from "./direct-tools-list";
import { JsonRpcCodes, jsonRpcError } from "./jsonrpc-responses";
import { acceptSseMessage, openSseStream } from "./legacy-sse";
import { checkOriginAndHost } from "./origin-policy";
import { checkMcpRateLimit } from "./rate-limit";
import { readMcpBodyText } from "./read-mcp-body";
import { openSessionStream } from "./session-stream";
import { createSession, deleteSession, findSession, type McpSession, renewSession } from "./sessions";

const unauthorizedHeaders = { "WWW-Authenticate": 'Bearer realm="toolgate", error="invalid_token"' };

function secretFrom(request: Request, pathSecret: string | undefined): string | undefined {
  if (pathSecret) return pathSecret;
  const header = request.headers.get("authorization");
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

function messagesOf(body: unknown): { method?: unknown; params?: { _meta?: { progressToken?: unknown } } }[] {
  return (Array.isArray(body) ? body : [body]).filter(
    (message) => typeof message === "object" && message !== null,
  );
}

// Answers are plain JSON unless notifications may precede the result (progress was asked for,
// or the session set a log level and a tool runs): those need an SSE stream.
function wantsStream(body: unknown, session: McpSession | null): boolean {
  return messagesOf(body).some(
    (message) =>
      message.params?._meta?.progressToken !== undefined ||
      (session?.logLevel !== undefined && message.method === "tools/call"),
  );
}

function isInitialize(body: unknown): boolean {
  const messages = Array.isArray(body) ? body : [body];
  return messages.some(
    (message) =>
      typeof message === "object" &&
      message !== null &&
      (message as { method?: unknown }).method === "initialize",
  );
}

async function readBody(
  request: Request,
  bodyText: string | null | undefined,
): Promise<{ body: unknown } | { error: Response }> {
  const text = await readMcpBodyText(request, bodyText);
  if (text instanceof Response) return { error: text };
  try {
    return { body: JSON.parse(text) };
  } catch {
    return { error: jsonRpcError(400, JsonRpcCodes.parseError, "Parse error: the body is not valid JSON") };
  }
}

export type McpRoute = "streamable" | "sse" | "sse-messages";

/**
 * Serves one MCP request. `options.bodyText` is the request's body when the caller has already
 * read it (the node:http adapter; null when it was over MCP_MAX_BODY_BYTES), in which case
 * `request` need not carry it.
 */
export async function handleMcpRequest(
  request: Request,
  pathSecret?: string,
  route: McpRoute = "streamable",
  options: { bodyText?: string | null } = {},
): Promise<Response> {
  const refusal = checkOriginAndHost(request);
  if (refusal) return jsonRpcError(403, JsonRpcCodes.invalidRequest, `Forbidden: ${refusal}`);

  const secret = secretFrom(request, pathSecret);
  if (!secret)
    return jsonRpcError(
      401,
      JsonRpcCodes.unauthorized,
      "Missing credentials: use the MCP URL with its secret, or an Authorization: Bearer header",
      unauthorizedHeaders,
    );

  try {
    const snapshot = await resolveServerBySecret(secret);
    if (!snapshot)
      return jsonRpcError(
        401,
        JsonRpcCodes.unauthorized,
        "Invalid or revoked MCP server secret",
        unauthorizedHeaders,
      );
    // The legacy SSE routes identify their session otherwise (legacy-sse.ts), so only Streamable
    // HTTP reads it here, in the same round trip to Redis as the rate limit.
    const sessionId = route === "streamable" ? request.headers.get("mcp-session-id") : null;
    const [limited, session] = await Promise.all([
      checkMcpRateLimit(endpointIdOf(snapshot)),
      sessionId === null ? null : findSession(sessionId, endpointIdOf(snapshot)),
    ]);
    if (limited) return limited;
    if (route === "sse") {
      if (request.method !== "GET") return new Response(null, { status: 405, headers: { Allow: "GET" } });
      return await openSseStream(
        request,
        snapshot,
        pathSecret ? `/mcp/${pathSecret}/messages` : "/mcp/messages",
      );
    }
    if (route === "sse-messages") {
      if (request.method !== "POST") return new Response(null, { status: 405, headers: { Allow: "POST" } });
      return await acceptSseMessage(request, snapshot, options.bodyText);
    }
    return await serve(request, snapshot, sessionId, session, options.bodyText);
  } catch (error) {
    if (isRedisUnavailable(error)) {
      createLogger({ module: "mcp" }).warn(
        { err: (error as Error).message },
        "MCP request refused: Redis unavailable",
      );
      return jsonRpcError(
        503,
        JsonRpcCodes.unavailable,
        "The platform is temporarily unavailable; try again shortly",
        { "Retry-After": "5" },
      );
    }
    createLogger({ module: "mcp" }).error({ err: (error as Error).message }, "MCP request failed");
    return jsonRpcError(500, -32603, "Internal error");
  }
}

async function serve(
  request: Request,
  snapshot: ServerSnapshot,
  sessionId: string | null,
  session: McpSession | null,
  bodyText: string | null | undefined,
): Promise<Response> {
  if (sessionId && !session)
    return jsonRpcError(404, JsonRpcCodes.sessionNotFound, "Session not found; initialize a new one");

  if (request.method === "DELETE") {
    if (!session) return jsonRpcError(400, JsonRpcCodes.invalidRequest, "Mcp-Session-Id header required");
    await deleteSession(session);
    return new Response(null, { status: 204 });
  }
  // Best effort: a session that misses a renewal only expires sooner.
  if (session) await renewSession(session).catch(() => {});
  // A session's stream of notifications; without a session (a stateless client) there is none.
  if (request.method === "GET" && session) return await openSessionStream(request, snapshot, session);
  if (request.method !== "POST") {
    return new Response(null, { status: 405, headers: { Allow: "POST, DELETE" } });
  }

  const parsed = await readBody(request, bodyText);
  if ("error" in parsed) return parsed.error;
  if (Array.isArray(parsed.body) && parsed.body.length === 0)
    return jsonRpcError(400, JsonRpcCodes.invalidRequest, "Invalid Request: the batch is empty");
  const direct = answerToolsListDirectly(request, parsed.body, snapshot);
  if (direct) return direct;
  await recordCancellations(parsed.body, endpointIdOf(snapshot), session?.id ?? null);

  const server = buildMcpServer(snapshot, { session });
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: !wantsStream(parsed.body, session),
  });
  await server.connect(transport);
  const response = await transport.handleRequest(request, { parsedBody: parsed.body });
  if (!isInitialize(parsed.body) || response.status !== 200) return response;
  const headers = new Headers(response.headers);
  headers.set("mcp-session-id", await createSession(endpointIdOf(snapshot)));
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
