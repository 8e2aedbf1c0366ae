// Which address a request came from. The front web server (scripts/web.ts) decides it once per
// request from the socket's peer and, only for as many reverse proxies as TRUST_PROXY says are in
// front of it, from X-Forwarded-For; it then replaces the header with that one address, so a
// client cannot choose its own address for rate limits or the audit trail by sending the header.
import type { IncomingMessage } from "node:http";

/** "::ffff:192.0.2.1" (an IPv4 peer on a dual-stack socket) is 192.0.2.1. */
function plainAddress(address: string): string {
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

/**
 * The client's address: the socket's peer when no proxy is trusted; otherwise the entry of
 * X-Forwarded-For that the outermost trusted proxy appended (each proxy appends the address it
 * received from, so the entries before that are whatever the client sent).
 */
export function resolveClientAddress(
  forwardedFor: string | undefined,
  peer: string | undefined,
  trustedProxies: number,
): string | undefined {
  const chain =
    trustedProxies > 0 && forwardedFor ? forwardedFor.split(",").map((entry) => entry.trim()) : [];
  if (peer) chain.push(peer);
  const hops = chain.filter(Boolean);
  const client = hops[Math.max(0, hops.length - 1 - trustedProxies)];
  return client === undefined ? undefined : plainAddress(client);
}

/** Rewrites a request's X-Forwarded-For to the one address resolveClientAddress trusts. */
export function pinClientAddress(request: IncomingMessage, trustedProxies: number): void {
  const forwarded = request.headers["x-forwarded-for"];
  const client = resolveClientAddress(
    Array.isArray(forwarded) ? forwarded.join(",") : forwarded,
    request.socket.remoteAddress,
    trustedProxies,
  );
  delete request.headers["x-real-ip"];
  if (client) request.headers["x-forwarded-for"] = client;
  else delete request.headers["x-forwarded-for"];
}

/** The client address the front server pinned (see pinClientAddress), or null. */
export function forwardedClientIp(headers: Headers): string | null {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || null;
}

/** The client address the front server pinned, or "unknown". */
export function clientAddress(headers: Headers): string {
  return forwardedClientIp(headers) ?? "unknown";
}
