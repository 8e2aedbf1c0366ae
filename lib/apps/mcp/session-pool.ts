// Streamable HTTP sessions with upstreams kept open between uses, so that a call costs one request
// rather than a handshake too. A session serves one use at a time (a call that is cancelled or
// fails closes its own session, which also stops the upstream's work on a stateless server) and
// waits idle for the next use with the same upstream and the same headers (hence the same
// credentials: a session is never shared between connections). An upstream that forgot the session
// answers 404, as the specification says; the use then runs again in a new session, since the
// upstream did not act on it. Legacy SSE sessions are not kept: they open per use.
import { createHash } from "node:crypto";
import { StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { canonicalJson } from "../action-definition";
import {
  describeUpstreamFailure,
  hideHeaderValues,
  openUpstream,
  type SessionOptions,
  type UpstreamSession,
  type UpstreamTarget,
  withUpstream,
} from "./upstream-session";

/** How long an idle session is kept before it is closed. */
export const idleSessionMs = 30_000;
const maxIdlePerKey = 4;
const maxIdle = 200;

type Idle = { key: string; session: UpstreamSession; timer: NodeJS.Timeout };

/** Idle sessions by key, oldest first; a Map keeps its keys in insertion order for the global cap. */
const idle = new Map<string, Idle[]>();
let idleCount = 0;

/** The key is a hash: the headers (credentials among them) are never kept in clear as a key. */
function keyOf(target: UpstreamTarget): string {
  return createHash("sha256")
    .update(canonicalJson({ url: target.url, headers: target.headers }))
    .digest("hex");
}

function forget(entry: Idle): void {
  const list = idle.get(entry.key);
  const index = list?.indexOf(entry) ?? -1;
  if (!list || index < 0) return;
  list.splice(index, 1);
  if (list.length === 0) idle.delete(entry.key);
  idleCount--;
  clearTimeout(entry.timer);
}

function checkout(key: string): UpstreamSession | undefined {
  for (;;) {
    const entry = idle.get(key)?.at(-1);
    if (!entry) return undefined;
    forget(entry);
    if (entry.session.isOpen()) return entry.session;
  }
}

function checkin(key: string, session: UpstreamSession): void {
  const list = idle.get(key) ?? [];
  if (!session.isOpen() || list.length >= maxIdlePerKey) return void session.close();
  if (idleCount >= maxIdle) {
    const oldest = idle.values().next().value?.[0];
    if (oldest) {
      forget(oldest);
      void oldest.session.close();
    }
  }
  const entry: Idle = {
    key,
    session,
    timer: setTimeout(() => {
      forget(entry);
      void session.close();
    }, idleSessionMs).unref(),
  };
  list.push(entry);
  idle.set(key, list);
  idleCount++;
}

function sessionGone(error: unknown): boolean {
  return error instanceof StreamableHTTPError && error.code === 404;
}

/** The upstream answered with an MCP error (an unknown tool, bad arguments): the session is fine. */
function answeredWithError(error: unknown): boolean {
  return (
    error instanceof McpError &&
    error.code !== ErrorCode.ConnectionClosed &&
    error.code !== ErrorCode.RequestTimeout
  );
}

/** Like withUpstream, in a kept session when one is idle (see the module's comment). */
export async function withPooledUpstream<T>(
  target: UpstreamTarget,
  options: SessionOptions,
  use: (session: UpstreamSession) => Promise<T>,
): Promise<T> {
  if (target.transport !== "streamable-http") return withUpstream(target, options, use);
  const key = keyOf(target);
  let reused = checkout(key);
  for (;;) {
    const session = reused ?? (await openUpstream(target, options));
    session.fetchFailures.length = 0;
    let result: T;
    try {
      result = await use(session);
    } catch (error) {
      if (answeredWithError(error) && !options.signal.aborted) checkin(key, session);
      else void session.close();
      if (reused && sessionGone(error) && !options.signal.aborted) {
        reused = undefined;
        continue;
      }
      throw hideHeaderValues(
        describeUpstreamFailure(target.appName, target.url, error, session.fetchFailures, options.signal),
        target.headers,
      );
    }
    if (options.signal.aborted) void session.close();
    else checkin(key, session);
    return result;
  }
}

/** Closes every idle session (a worker shutting down, a test ending). */
export async function closeIdleSessions(): Promise<void> {
  const entries = [...idle.values()].flat();
  for (const entry of entries) forget(entry);
  await Promise.all(entries.map((entry) => entry.session.close()));
}
