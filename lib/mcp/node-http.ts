// The MCP endpoint mounted directly on a node:http server, in front of Next.js: the same
// handleMcpRequest as the route handlers, without Next's per-request pipeline (routing,
// middleware, request and stream wrapping), which cost several times the MCP work itself.
// Responses carry the headers Next would have added (security headers, x-request-id).
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { getAppUrl, getEnv } from "@/env";
import { readIncomingText } from "@/lib/http/read-body";
import { securityHeaders } from "@/lib/http/security-headers";
import { createLogger, redactUrlPath } from "@/lib/log/logger";
import { handleMcpRequest } from "./handle-mcp-request";

const mcpMethods = new Set(["GET", "POST", "DELETE"]);

/**
 * The path secret of an MCP request this adapter serves: "" for APP_URL/mcp, the secret for
 * APP_URL/mcp/<secret>; undefined for anything else (left to Next.js, as are other methods).
 */
export function matchMcpRequest(method: string | undefined, url: string | undefined): string | undefined {
  if (!method || !mcpMethods.has(method) || !url?.startsWith("/mcp")) return undefined;
  const queryAt = url.indexOf("?");
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  if (path === "/mcp") return "";
  const segment = path.slice("/mcp/".length);
  if (!path.startsWith("/mcp/") || segment === "" || segment.includes("/")) return undefined;
  // The older HTTP+SSE transport's bearer routes stay with their Next.js route handlers.
  if (segment === "sse" || segment === "messages") return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function toHeaders(request: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = request.rawHeaders;
  for (let index = 0; index < raw.length; index += 2) headers.append(raw[index]!, raw[index + 1]!);
  return headers;
}

const immediately = () => new Promise<"later">((resolve) => setImmediate(() => resolve("later")));

/** Whether `promise` settles within `ms`; the timer is cleared either way. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Writes a web Response to a Node response. A body whose chunks are all ready at once (every
 * plain JSON-RPC answer) goes out in one write with a Content-Length; a body still being
 * produced (progress notifications while a call runs) is streamed chunk by chunk.
 */
async function writeResponse(response: Response, to: ServerResponse, abort: AbortController): Promise<void> {
  to.statusCode = response.status;
  if (response.statusText) to.statusMessage = response.statusText;
  for (const [name, value] of response.headers) {
    if (name === "set-cookie") continue;
    to.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length) to.setHeader("set-cookie", cookies);
  if (!response.body) {
    to.end();
    return;
  }
  const reader = response.body.getReader();
  to.on("close", () => {
    if (!to.writableFinished) {
      abort.abort(new Error("client disconnected"));
      void reader.cancel().catch(() => {});
    }
  });
  const pending: Uint8Array[] = [];
  let next = reader.read();
  for (;;) {
    const ready = await Promise.race([next, immediately()]);
    if (ready === "later") {
      // Nothing more right now: send what is there and wait for the rest. A stream that has
      // sent nothing yet gets its headers after a moment, as Next.js would send them at once.
      for (const chunk of pending.splice(0)) to.write(chunk);
      if (!to.headersSent && !(await settlesWithin(next, 20))) to.flushHeaders();
      const result = await next;
      if (result.done) break;
      pending.push(result.value);
    } else {
      if (ready.done) break;
      pending.push(ready.value);
    }
    next = reader.read();
  }
  if (pending.length === 0) to.end();
  else to.end(pending.length === 1 ? pending[0] : Buffer.concat(pending));
}

/** Serves one MCP request (see matchMcpRequest) on a node:http request/response pair. */
export async function serveMcpOverNodeHttp(
  request: IncomingMessage,
  response: ServerResponse,
  pathSecret: string,
): Promise<void> {
  const requestId = (request.headers["x-request-id"] as string | undefined)?.slice(0, 100) || randomUUID();
  for (const { key, value } of securityHeaders) response.setHeader(key, value);
  response.setHeader("x-request-id", requestId);
  const abort = new AbortController();
  try {
    const method = request.method ?? "GET";
    const bodyText =
      method === "GET" || method === "HEAD"
        ? undefined
        : await readIncomingText(request, getEnv().MCP_MAX_BODY_BYTES);
    // The body is handed over as text, already read: no request stream to build and drain.
    const webRequest = new Request(new URL(request.url ?? "/mcp", getAppUrl()), {
      method,
      headers: toHeaders(request),
      signal: abort.signal,
    });
    const webResponse = await handleMcpRequest(webRequest, pathSecret || undefined, "streamable", {
      bodyText,
    });
    await writeResponse(webResponse, response, abort);
  } catch (error) {
    createLogger({ module: "mcp" }).error(
      { err: redactUrlPath((error as Error).message), url: redactUrlPath(request.url?.split("?")[0] ?? "") },
      "MCP request failed",
    );
    if (!response.headersSent) {
      response.statusCode = 500;
      response.setHeader("content-type", "application/json");
      response.end(
        JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32603, message: "Internal error" } }),
      );
    } else response.destroy();
  }
}
