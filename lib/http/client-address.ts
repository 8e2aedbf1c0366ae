// Which address a request came from. The front web server (scripts/web.ts) decides it once per
// request from the socket's peer and, only for as many reverse proxies as TRUST_PROXY says are in
// front of it, from X-Forwarded-For; it then replaces the header with that one address and marks
// it as pinned, so a client cannot choose its own address for rate limits or the audit trail.
// Under `next start` or `next dev` nothing pins it, and route handlers never see the socket:
// X-Forwarded-For is then read by the TRUST_PROXY rule alone, and not believed at all without it.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { getEnv } from "@/env";

const pinHeader = "x-toolgate-client-pin";

/**
 * A secret of this process that marks X-Forwarded-For as pinned by the front server: Next.js
 * runs the route handlers in the same process, with modules of their own, so it lives on
 * globalThis. A client cannot guess it, so it cannot send a "pinned" header of its own.
 */
function processPin(): string {
  const holder = globalThis as { [key: symbol]: string | undefined };
  const key = Symbol.for("toolgate.clientAddressPin");
  holder[key] ??= randomBytes(24).toString("base64url");
  return holder[key];
}

function isPinned(headers: Headers): boolean {
  const given = Buffer.from(headers.get(pinHeader) ?? "");
  const pin = Buffer.from(processPin());
  return given.length === pin.length && timingSafeEqual(given, pin);
}

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
  request.headers[pinHeader] = processPin();
}

/**
 * The address X-Forwarded-For gives for a request the front server did not pin: the entry the
 * outermost of `trustedProxies` proxies appended; none when no proxy is trusted. Next.js puts the
 * socket's peer in the header only when the header is absent, so the peer is not at its end.
 */
export function unpinnedClientAddress(forwardedFor: string | null, trustedProxies: number): string | null {
  if (trustedProxies === 0 || !forwardedFor) return null;
  const chain = forwardedFor
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const client = chain[Math.max(0, chain.length - trustedProxies)];
  return client ? plainAddress(client) : null;
}

/** The client's address: as the front server pinned it, else by unpinnedClientAddress; or null. */
export function forwardedClientIp(headers: Headers): string | null {
  const forwardedFor = headers.get("x-forwarded-for");
  if (isPinned(headers)) return forwardedFor?.split(",")[0]?.trim() || null;
  return unpinnedClientAddress(forwardedFor, getEnv().TRUST_PROXY);
}

/** The client's address (see forwardedClientIp), or "unknown". */
export function clientAddress(headers: Headers): string {
  return forwardedClientIp(headers) ?? "unknown";
}
