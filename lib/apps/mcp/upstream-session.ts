// One session with an upstream MCP server, as its client: Streamable HTTP, or legacy HTTP+SSE
// (chosen, or found by the specification's backwards-compatibility rule: a POST answered with a
// 4xx means an older server), every request through the SSRF-guarded streaming fetch. What went
// wrong is told in the integration SDK's error classes, so the worker and the connection's status
// treat an upstream like any app. withUpstream opens a session for one use; session-pool.ts keeps
// Streamable HTTP sessions for the next.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport, SseError } from "@modelcontextprotocol/sdk/client/sse.js";
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  ErrorCode,
  type JSONRPCMessage,
  McpError,
  type ProgressNotification,
  ProgressNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import {
  ActionError,
  AppUnreachableError,
  CredentialsRejectedError,
  RetriableError,
} from "@/integrations/sdk/errors";
import { errorForStatus } from "@/integrations/sdk/http";
import { describeNetworkFailure, networkErrorCode } from "@/integrations/sdk/network-failure";
import { scrubError, scrubText, secretStringsIn } from "@/lib/connections/secret-scrub";
import { BlockedAddressError, ResponseTooLargeError } from "@/lib/http/guarded-fetch";
import { createGuardedStreamFetch, type StreamFetch } from "@/lib/http/guarded-stream-fetch";
import type { UpstreamTransport } from "./mcp-app-config";

export type UpstreamTarget = {
  /** The app's name, for error messages. */
  appName: string;
  url: string;
  transport: "auto" | UpstreamTransport;
  headers: Record<string, string>;
};

export type SessionOptions = {
  signal: AbortSignal;
  /** How long each request of the session (the handshake, a listing) may wait for its answer. */
  timeoutMs: number;
};

type ProgressListener = (progress: ProgressNotification["params"]) => void;

export type UpstreamSession = {
  client: Client;
  /** The transport that worked. */
  transport: UpstreamTransport;
  close: () => Promise<void>;
  /**
   * Calls `listener` with each progress notification for `token`, as it arrives, until the returned
   * function is called. (The client's own `onprogress` runs a tick late and misses a notification
   * that comes just before the result.)
   */
  onProgress: (token: string, listener: ProgressListener) => () => void;
  /** False once the session was closed, by us or by the upstream. */
  isOpen: () => boolean;
  /** Fetch failures seen so far (the SSE transport reports them only as text). */
  fetchFailures: unknown[];
};

/** The upstream's address is one the platform may not reach (private, loopback, metadata…). */
export class UpstreamAddressRefusedError extends ActionError {}

const clientInfo = { name: "toolgate", version: "1.0.0" };

// Closing a Streamable HTTP session asks the upstream to end it (DELETE), briefly: it is a courtesy.
const terminateWaitMs = 1_000;

type Attempt = Pick<UpstreamSession, "client" | "close" | "onProgress" | "isOpen">;

function transportFor(kind: UpstreamTransport, target: UpstreamTarget, fetch: StreamFetch) {
  const url = new URL(target.url);
  const requestInit = { headers: target.headers };
  if (kind === "sse")
    return { transport: new SSEClientTransport(url, { fetch, requestInit }), streamable: undefined };
  const streamable = new StreamableHTTPClientTransport(url, {
    fetch,
    requestInit,
    // A stream cut short fails its use instead of resuming in the background.
    reconnectionOptions: {
      maxRetries: 0,
      initialReconnectionDelay: 1_000,
      maxReconnectionDelay: 1_000,
      reconnectionDelayGrowFactor: 1,
    },
  });
  return { transport: streamable, streamable };
}

async function attempt(
  kind: UpstreamTransport,
  target: UpstreamTarget,
  fetch: StreamFetch,
  options: SessionOptions,
): Promise<Attempt> {
  const client = new Client(clientInfo, { capabilities: {} });
  const { transport, streamable } = transportFor(kind, target, fetch);
  let open = true;
  client.onclose = () => {
    open = false;
  };
  const close = async () => {
    open = false;
    if (streamable?.sessionId)
      await Promise.race([
        streamable.terminateSession().catch(() => {}),
        new Promise((resolve) => setTimeout(resolve, terminateWaitMs).unref()),
      ]);
    await client.close().catch(() => {});
  };
  // The SDK also reports failures here that it reports to the caller; nothing to add.
  client.onerror = () => {};
  // The handshake's notification has no timeout of its own: the whole handshake gets one.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new McpError(ErrorCode.RequestTimeout, "The handshake took too long.")),
      options.timeoutMs,
    );
  });
  try {
    await Promise.race([
      client.connect(transport, { signal: options.signal, timeout: options.timeoutMs }),
      deadline,
    ]);
    const progressListeners = new Map<string, ProgressListener>();
    const forward = transport.onmessage;
    transport.onmessage = (message: JSONRPCMessage) => {
      const progress = ProgressNotificationSchema.safeParse(message);
      if (progress.success)
        progressListeners.get(String(progress.data.params.progressToken))?.(progress.data.params);
      forward?.(message);
    };
    const onProgress: UpstreamSession["onProgress"] = (token, listener) => {
      progressListeners.set(token, listener);
      return () => progressListeners.delete(token);
    };
    return { client, close, onProgress, isOpen: () => open };
  } catch (error) {
    await close();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** The specification's sign of a legacy (HTTP+SSE) server: the POST of the handshake answered with a 4xx. */
function looksLegacy(error: unknown): boolean {
  if (!(error instanceof StreamableHTTPError)) return false;
  const status = error.code ?? 0;
  return status >= 400 && status < 500 && status !== 401 && status !== 403 && status !== 429;
}

/** Fetch failures seen during a session: the SSE transport reports them only as text. */
function recordingFetch(failures: unknown[]): StreamFetch {
  const fetch = createGuardedStreamFetch();
  return async (input, init) => {
    try {
      return await fetch(input, init);
    } catch (error) {
      if (!init?.signal?.aborted) failures.push(error);
      throw error;
    }
  };
}

/** Opens a session with the upstream, or throws what went wrong (see describeUpstreamFailure). */
export async function openUpstream(
  target: UpstreamTarget,
  options: SessionOptions,
): Promise<UpstreamSession> {
  const failures: unknown[] = [];
  const fetch = recordingFetch(failures);
  try {
    const opened = (kind: UpstreamTransport) =>
      attempt(kind, target, fetch, options).then((session) => ({
        ...session,
        transport: kind,
        fetchFailures: failures,
      }));
    if (target.transport === "sse") return await opened("sse");
    try {
      return await opened("streamable-http");
    } catch (error) {
      if (target.transport !== "auto" || !looksLegacy(error) || options.signal.aborted) throw error;
      failures.length = 0;
      try {
        return await opened("sse");
      } catch (legacyError) {
        throw neitherTransport(target, error as StreamableHTTPError, legacyError, failures, options.signal);
      }
    }
  } catch (error) {
    throw hideHeaderValues(
      describeUpstreamFailure(target.appName, target.url, error, failures, options.signal),
      target.headers,
    );
  }
}

/**
 * An upstream may echo what it was sent in its error text: the app's headers and the connection's
 * credential are masked in any message before it goes further (history, the tool result, logs).
 */
export function hideHeaderValues(error: Error, headers: Record<string, string>): Error {
  const secrets = secretStringsIn(headers);
  if (secrets.length === 0) return error;
  scrubError(error, secrets);
  const withReason = error as { reason?: unknown };
  if (typeof withReason.reason === "string")
    Object.defineProperty(error, "reason", { value: scrubText(withReason.reason, secrets) });
  return error;
}

/**
 * Both transports refused: when both answered with an HTTP error, the URL is most likely not an
 * MCP endpoint, and the person is told both answers; other failures speak for themselves.
 */
function neitherTransport(
  target: UpstreamTarget,
  postError: StreamableHTTPError,
  legacyError: unknown,
  failures: unknown[],
  signal: AbortSignal,
): Error {
  const legacy = describeUpstreamFailure(target.appName, target.url, legacyError, failures, signal);
  const status = (legacy as ActionError).httpStatus;
  if (!(legacy instanceof ActionError) || legacy instanceof CredentialsRejectedError || status === undefined)
    return legacy;
  return new ActionError(
    `${target.appName} did not answer as an MCP server at ${target.url}: a Streamable HTTP POST got HTTP ${postError.code} and a legacy SSE GET got HTTP ${status}. Check that the URL is the server's MCP endpoint (often ending in /mcp or /sse).`,
    status,
  );
}

/** Runs `use` in a session with the upstream; the session is closed after, whatever happens. */
export async function withUpstream<T>(
  target: UpstreamTarget,
  options: SessionOptions,
  use: (session: UpstreamSession) => Promise<T>,
): Promise<T> {
  const session = await openUpstream(target, options);
  try {
    return await use(session);
  } catch (error) {
    throw hideHeaderValues(
      describeUpstreamFailure(target.appName, target.url, error, session.fetchFailures, options.signal),
      target.headers,
    );
  } finally {
    // The answer is in hand: ending the session need not hold it up.
    void session.close();
  }
}

function findInChain<T>(error: unknown, test: (candidate: unknown) => candidate is T): T | undefined {
  let current = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (test(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

const isBlocked = (value: unknown): value is BlockedAddressError => value instanceof BlockedAddressError;
const isTooLarge = (value: unknown): value is ResponseTooLargeError => value instanceof ResponseTooLargeError;

function statusDetail(message: string): string | undefined {
  // The SDK's own wording around the upstream's body: "Streamable HTTP error: Error POSTing to endpoint: <body>".
  const detail = message
    .replace(/^(Streamable HTTP error|SSE error):\s*/, "")
    .replace(/^Error POSTing to endpoint:\s*/, "")
    .trim();
  return detail ? detail.slice(0, 300) : undefined;
}

/**
 * What went wrong with an upstream, as the integration SDK's error classes: a refused address or
 * a response too large (ActionError), an HTTP status (401 → credentials rejected, 429 → rate
 * limited, 5xx → unreachable), the network (unreachable), no answer in time (unreachable), an
 * MCP error from the upstream (ActionError with its message).
 */
export function describeUpstreamFailure(
  appName: string,
  url: string,
  error: unknown,
  fetchFailures: unknown[],
  signal?: AbortSignal,
): Error {
  if (signal?.aborted)
    return signal.reason instanceof Error ? signal.reason : new Error("The call was cancelled.");
  if (error instanceof ActionError || error instanceof RetriableError) return error;
  const host = URL.canParse(url) ? new URL(url).host : url;
  for (const candidate of [error, ...fetchFailures]) {
    const blocked = findInChain(candidate, isBlocked);
    if (blocked) return new UpstreamAddressRefusedError(`${appName}: ${blocked.message}`);
    const tooLarge = findInChain(candidate, isTooLarge);
    if (tooLarge) return new ActionError(`${appName}: ${tooLarge.message}`);
  }
  if (error instanceof StreamableHTTPError || error instanceof SseError) {
    const status = error.code;
    if (typeof status === "number" && status >= 400)
      return errorForStatus(appName, status, new Headers(), statusDetail(error.message));
    // The SDK follows a redirect only within the origin; the guarded fetch checks any hop it takes.
    if (typeof status === "number" && status >= 300)
      return new ActionError(
        `${appName} redirects elsewhere (${statusDetail(error.message)}); give the URL it redirects to, if it is to be trusted.`,
      );
  }
  if (error instanceof McpError) {
    if (error.code === ErrorCode.RequestTimeout)
      return new AppUnreachableError(`${appName} did not answer in time.`, `${host} did not answer in time`);
    if (error.code === ErrorCode.ConnectionClosed)
      return new AppUnreachableError(
        `${appName} closed the connection before answering.`,
        `the connection to ${host} was cut off`,
      );
    return new ActionError(`${appName}: ${error.message.slice(0, 1_000)}`);
  }
  for (const candidate of [...fetchFailures, error]) {
    const code = networkErrorCode(candidate);
    if (code || (candidate instanceof TypeError && candidate.message === "fetch failed")) {
      const reason = describeNetworkFailure(code, host);
      return new AppUnreachableError(
        `Could not reach ${appName}: ${reason}${code ? ` (${code})` : ""}.`,
        reason,
      );
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ActionError(`${appName} did not answer as an MCP server should: ${message.slice(0, 500)}`);
}
