// Requests refused before any routing, for what their request line alone gets wrong: a method the
// platform serves nowhere (TRACE, CONNECT, WebDAV's), or a path whose percent-encoding does not
// decode. Next.js answers both with a 500 (its Request cannot carry TRACE; its router throws on
// the path), so the front server (scripts/web.ts) and proxy.ts refuse them with a clear 4xx.
import type { ServerResponse } from "node:http";
import type { AppErrorCode } from "@/lib/errors/app-error";
import { securityHeaders } from "./security-headers";

/** Every method some route of the platform serves. */
export const servedMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
const served = new Set<string>(servedMethods);

export type RequestLineRefusal = {
  status: 400 | 405;
  code: Extract<AppErrorCode, "bad_request" | "method_not_allowed">;
  message: string;
  headers: Record<string, string>;
};

/** The path of a request target, without its query or fragment. */
function pathOf(target: string): string {
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}

/** Whether every %-escape in `path` is two hex digits and the bytes are UTF-8. */
export function hasValidPercentEncoding(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/** Why a request must be refused from its method and target alone, or null to route it. */
export function refuseRequestLine(
  method: string | undefined,
  target: string | undefined,
): RequestLineRefusal | null {
  if (!method || !served.has(method))
    return {
      status: 405,
      code: "method_not_allowed",
      message: `The method ${method ?? "(none)"} is not allowed here.`,
      headers: { Allow: servedMethods.join(", ") },
    };
  // Origin-form ("/path") is what clients send; absolute-form ("http://host/path") must be
  // accepted too. Asterisk-form ("OPTIONS *") and authority-form (CONNECT's) address no resource.
  if (!target || !(target.startsWith("/") || /^https?:\/\//i.test(target)))
    return {
      status: 400,
      code: "bad_request",
      message: "The request target must be a path, like /mcp.",
      headers: {},
    };
  if (!hasValidPercentEncoding(pathOf(target)))
    return {
      status: 400,
      code: "bad_request",
      message: "The request path is not valid: a %-escape is malformed or does not decode to UTF-8.",
      headers: {},
    };
  return null;
}

/**
 * The body of a refusal in the shape the path's clients expect: JSON-RPC under /mcp, the REST
 * API's error object under /api, plain text elsewhere.
 */
export function describeRefusal(
  refusal: RequestLineRefusal,
  target: string | undefined,
): { contentType: string; body: string } {
  const path = pathOf(target ?? "/");
  if (path === "/mcp" || path.startsWith("/mcp/"))
    return {
      contentType: "application/json",
      body: JSON.stringify({ jsonrpc: "2.0", error: { code: -32600, message: refusal.message }, id: null }),
    };
  if (path.startsWith("/api/"))
    return {
      contentType: "application/json",
      body: JSON.stringify({ error: { code: refusal.code, message: refusal.message } }),
    };
  return { contentType: "text/plain; charset=utf-8", body: `${refusal.message}\n` };
}

/** Answers a refused request on the front server, with the headers every response carries. */
export function writeRefusal(
  response: ServerResponse,
  refusal: RequestLineRefusal,
  target: string | undefined,
): void {
  const { contentType, body } = describeRefusal(refusal, target);
  for (const { key, value } of securityHeaders) response.setHeader(key, value);
  response.writeHead(refusal.status, { ...refusal.headers, "Content-Type": contentType }).end(body);
}
