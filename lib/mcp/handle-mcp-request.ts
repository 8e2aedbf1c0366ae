// The MCP endpoint as a plain (Request) => Response function: route handlers call it, and it can
// be mounted outside Next.js too. Streamable HTTP through the official SDK, stateless per request,
// with sessions kept in Redis so any replica can serve any request.
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { looksLike } from "@/lib/authorization-server/credentials";
import { bearerChallenge, mcpResource } from "@/lib/authorization-server/metadata";
import { type AccessProblem, verifyAccessToken } from "@/lib/authorization-server/tokens";
import { createLogger } from "@/lib/log/logger";
import { isRedisUnavailable } from "@/lib/redis/client";
import { endpointIdOf, type ServerSnapshot } from "@/lib/servers/server-snapshot";
import { resolveServerByGrant, resolveServerBySecret } from "@/lib/servers/snapshot-cache";
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

// A secret URL's path names no resource an OAuth client could sign in to: its refusal points nowhere.
const secretUrlChallenge = { "WWW-Authenticate": 'Bearer realm="toolgate", error="invalid_token"' };

function bearerFrom(request: Request): string | undefined {
  const header = request.headers.get("authorization");
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

const accessProblems: Record<AccessProblem, string> = {
  invalid: "The access token is not one this server issued",
  expired: "The access token expired; refresh it",
  revoked: "The access token was revoked; sign in again",
  audience: "The access token was issued for another resource",
};

type Resolved = { snapshot: ServerSnapshot } | { refusal: Response };

function unauthorized(message: string, challenge: Record<string, string>): Resolved {
  return { refusal: jsonRpcError(401, JsonRpcCodes.unauthorized, message, challenge) };
}

/**
 * The server a request's credential opens: a secret in the path, or in an Authorization: Bearer
 * header either a server secret or an access token from the platform's authorization server.
 * Refusals of APP_URL/mcp carry the challenge that starts an OAuth client's sign-in (RFC 9728).
 */
async function resolveServer(request: Request, pathSecret: string | undefined): Promise<Resolved> {
  if (pathSecret) {
    const snapshot = await resolveServerBySecret(pathSecret);
    return snapshot ? { snapshot } : unauthorized("Invalid or revoked MCP server secret", secretUrlChallenge);
  }
  const bearer = bearerFrom(request);
  if (!bearer)
    return unauthorized(
      "Missing credentials: sign in with OAuth, or use the MCP URL with its secret or an Authorization: Bearer header",
      { "WWW-Authenticate": bearerChallenge() },
    );
  const invalidToken = { "WWW-Authenticate": bearerChallenge("invalid_token") };
  if (!looksLike("access", bearer)) {
    const snapshot = await resolveServerBySecret(bearer);
    return snapshot ? { snapshot } : unauthorized("Invalid or revoked MCP server secret", invalidToken);
  }
  const access = await verifyAccessToken(bearer, mcpResource());
  if ("problem" in access) return unauthorized(accessProblems[access.problem], invalidToken);
  const snapshot = await resolveServerByGrant(access);
  return snapshot
    ? { snapshot }
    : unauthorized("The server this access was given for is gone, or no longer yours", invalidToken);
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

  try {
    const resolved = await resolveServer(request, pathSecret);
    if ("refusal" in resolved) return resolved.refusal;
    const { snapshot } = resolved;
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
