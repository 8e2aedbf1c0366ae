// The guarded client for answers that are read as they arrive (an MCP upstream's Server-Sent
// Events): the same address checks as guarded-fetch.ts (on the resolved address, at every redirect
// hop), a connect timeout, and a size cap counted while the body streams, but the body is handed
// over unread instead of buffered. Its shape is the web fetch's, so SDK transports can take it.
import { Agent, type Dispatcher, fetch, type RequestInit, Headers as UndiciHeaders } from "undici";
import { getEnv } from "@/env";
import {
  assertAllowedUrl,
  BlockedAddressError,
  guardedLookup,
  ResponseTooLargeError,
  redirectStatuses,
} from "./guarded-fetch";

export type StreamFetch = (input: string | URL, init?: globalThis.RequestInit) => Promise<Response>;

export type StreamFetchOptions = {
  /** How long opening a connection may take (the whole answer has no timeout: it is a stream). */
  connectTimeoutMs?: number;
  /** The most bytes one answer's body may carry. */
  maxResponseBytes?: number;
  maxRedirects?: number;
};

// Headers that carry no credential: the only ones that follow a redirect to another origin.
const headersKeptAcrossOrigins = new Set([
  "accept",
  "accept-language",
  "content-type",
  "last-event-id",
  "mcp-protocol-version",
  "user-agent",
]);

const agents = new Map<number, Dispatcher>();

// Streams stay open as long as the upstream sends: no headers or body timeout here; callers end
// them with their signal.
function streamAgent(connectTimeoutMs: number): Dispatcher {
  let agent = agents.get(connectTimeoutMs);
  if (!agent) {
    agent = new Agent({
      connect: { timeout: connectTimeoutMs, lookup: guardedLookup as never },
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    agents.set(connectTimeoutMs, agent);
  }
  return agent;
}

function cappedBody(body: ReadableStream<Uint8Array>, maxBytes: number): ReadableStream<Uint8Array> {
  let total = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.byteLength;
        if (total > maxBytes)
          controller.error(new ResponseTooLargeError(`The response is larger than ${maxBytes} bytes.`));
        else controller.enqueue(chunk);
      },
    }),
  );
}

const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);

/** A guarded, streaming fetch. `redirect: "manual"` hands redirects back (the next hop, if fetched, is checked again). */
export function createGuardedStreamFetch(options: StreamFetchOptions = {}): StreamFetch {
  return async (input, init = {}) => {
    const env = getEnv();
    const connectTimeoutMs = options.connectTimeoutMs ?? Math.min(env.HTTP_TIMEOUT_MS, 10_000);
    const maxBytes = options.maxResponseBytes ?? env.HTTP_MAX_RESPONSE_BYTES;
    const maxRedirects = options.maxRedirects ?? 5;
    let url = new URL(input);
    let requestInit = { ...init, headers: new UndiciHeaders(init.headers as never) } as RequestInit & {
      headers: UndiciHeaders;
    };
    try {
      for (let hop = 0; ; hop++) {
        assertAllowedUrl(url, false);
        const response = await fetch(url, {
          ...requestInit,
          redirect: "manual",
          dispatcher: streamAgent(connectTimeoutMs),
        });
        const location = response.headers.get("location");
        if (redirectStatuses.has(response.status) && location && init.redirect !== "manual") {
          await response.body?.cancel();
          if (init.redirect === "error") throw new TypeError(`${url.host} answered with a redirect.`);
          if (hop >= maxRedirects) throw new Error(`Too many redirects (more than ${maxRedirects}).`);
          const next = new URL(location, url);
          const method = requestInit.method?.toUpperCase() ?? "GET";
          const becomesGet =
            response.status === 303 ||
            ((response.status === 301 || response.status === 302) && method !== "GET" && method !== "HEAD");
          const headers = new UndiciHeaders(requestInit.headers);
          if (next.origin !== url.origin)
            for (const name of [...headers.keys()])
              if (!headersKeptAcrossOrigins.has(name)) headers.delete(name);
          requestInit = { ...requestInit, headers, ...(becomesGet && { method: "GET", body: undefined }) };
          url = next;
          continue;
        }
        const declared = Number(response.headers.get("content-length") ?? "0");
        if (declared > maxBytes) {
          await response.body?.cancel();
          throw new ResponseTooLargeError(`The response is larger than ${maxBytes} bytes.`);
        }
        const body =
          response.body && !nullBodyStatuses.has(response.status)
            ? cappedBody(response.body as ReadableStream<Uint8Array>, maxBytes)
            : null;
        return new Response(body, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers as unknown as Headers,
        });
      }
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      if (cause instanceof BlockedAddressError) throw cause;
      throw error;
    }
  };
}
