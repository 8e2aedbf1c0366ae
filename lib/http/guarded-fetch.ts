// The one outbound HTTP client. Every connection's resolved address is checked (no DNS
// rebinding window: the check runs in the socket's own lookup), redirects are followed by hand so
// each hop is checked again (a trusted destination's trust stays with its own origin), and every
// request has a timeout and a response-size cap.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP } from "node:net";
import {
  Agent,
  type Dispatcher,
  fetch,
  type RequestInit,
  type Response,
  Headers as UndiciHeaders,
} from "undici";
import { getEnv } from "@/env";
import { isForbiddenAddress } from "./address-policy";

export class BlockedAddressError extends Error {
  constructor(readonly host: string) {
    super(`Requests to ${host} are not allowed: it is a private, loopback, link-local or reserved address.`);
    this.name = "BlockedAddressError";
  }
}
export class ResponseTooLargeError extends Error {}
export class HttpTimeoutError extends Error {}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A socket lookup that refuses forbidden resolved addresses (no DNS-rebinding window). */
export function guardedLookup(
  hostname: string,
  options: { all?: boolean; family?: number },
  callback: LookupCallback,
): void {
  dnsLookup(hostname, { all: true, family: options.family }, (error, addresses) => {
    if (error) return callback(error, []);
    const blocked = addresses.find((entry) => isForbiddenAddress(entry.address));
    if (blocked) return callback(new BlockedAddressError(`${hostname} (${blocked.address})`), []);
    if (options.all) return callback(null, addresses);
    const first = addresses[0]!;
    callback(null, first.address, first.family);
  });
}

let guardedAgent: Agent | undefined;
let openAgent: Agent | undefined;

function agentFor(trusted: boolean): Dispatcher {
  if (trusted) {
    openAgent ??= new Agent({ connect: { timeout: 10_000 } });
    return openAgent;
  }
  guardedAgent ??= new Agent({ connect: { timeout: 10_000, lookup: guardedLookup as never } });
  return guardedAgent;
}

export type GuardedRequestInit = Omit<RequestInit, "redirect" | "dispatcher"> & {
  timeoutMs?: number;
  maxResponseBytes?: number;
  maxRedirects?: number;
  /**
   * For destinations the operator configured (an integration's API base URL), not the user:
   * they may be private (GitHub Enterprise on the LAN, a local emulator in tests). Only the
   * first URL's origin is trusted; a redirect to any other origin is checked like a user's URL.
   */
  trustedDestination?: boolean;
};

export type GuardedResponse = {
  status: number;
  headers: Headers;
  url: string;
  body: Buffer;
  text: () => string;
  json: <T = unknown>() => T;
};

/** Refuses other schemes, embedded credentials, and (unless trusted) a forbidden literal address. */
export function assertAllowedUrl(url: URL, trusted: boolean): void {
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new Error(`Only http and https URLs are allowed, not ${url.protocol}`);
  if (url.username || url.password) throw new Error("URLs with embedded credentials are not allowed.");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!trusted && isIP(host) !== 0 && isForbiddenAddress(host)) throw new BlockedAddressError(url.hostname);
}

async function readCapped(response: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new ResponseTooLargeError(`The response is larger than ${maxBytes} bytes.`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  if (response.body) {
    for await (const chunk of response.body) {
      total += chunk.byteLength;
      if (total > maxBytes) throw new ResponseTooLargeError(`The response is larger than ${maxBytes} bytes.`);
      chunks.push(Buffer.from(chunk));
    }
  }
  return Buffer.concat(chunks);
}

export const redirectStatuses = new Set([301, 302, 303, 307, 308]);

export async function guardedFetch(
  input: string | URL,
  init: GuardedRequestInit = {},
): Promise<GuardedResponse> {
  const env = getEnv();
  const {
    timeoutMs = env.HTTP_TIMEOUT_MS,
    maxResponseBytes = env.HTTP_MAX_RESPONSE_BYTES,
    maxRedirects = 5,
    trustedDestination = false,
    signal,
    ...rest
  } = init;
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal as AbortSignal, timeout]) : timeout;
  let url = new URL(input);
  // A redirect within the operator's origin stays on the operator's server; one that leaves it
  // goes wherever that server (or whoever controls the path it was given) says.
  const trustedOrigin = trustedDestination ? url.origin : undefined;
  let requestInit: RequestInit = { ...rest };
  try {
    for (let hop = 0; ; hop++) {
      const trusted = url.origin === trustedOrigin;
      assertAllowedUrl(url, trusted);
      const response = await fetch(url, {
        ...requestInit,
        redirect: "manual",
        signal: combined,
        dispatcher: agentFor(trusted),
      });
      const location = response.headers.get("location");
      if (redirectStatuses.has(response.status) && location) {
        await response.body?.cancel();
        if (hop >= maxRedirects) throw new Error(`Too many redirects (more than ${maxRedirects}).`);
        const next = new URL(location, url);
        // As browsers do: 303 (and 301/302 after POST) turn into GET without a body; credentials
        // never follow a redirect to another origin.
        const becomesGet =
          response.status === 303 ||
          ((response.status === 301 || response.status === 302) &&
            requestInit.method &&
            requestInit.method !== "GET" &&
            requestInit.method !== "HEAD");
        const headers = new UndiciHeaders(requestInit.headers);
        if (next.origin !== url.origin) headers.delete("authorization");
        requestInit = { ...requestInit, headers, ...(becomesGet && { method: "GET", body: undefined }) };
        url = next;
        continue;
      }
      const body = await readCapped(response, maxResponseBytes);
      return {
        status: response.status,
        headers: response.headers as unknown as Headers,
        url: url.toString(),
        body,
        text: () => body.toString("utf8"),
        json: <T>() => JSON.parse(body.toString("utf8")) as T,
      };
    }
  } catch (error) {
    if (timeout.aborted && !(signal as AbortSignal | undefined)?.aborted)
      throw new HttpTimeoutError(`No answer from ${url.host} within ${timeoutMs} ms.`);
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof BlockedAddressError) throw cause;
    throw error;
  }
}
