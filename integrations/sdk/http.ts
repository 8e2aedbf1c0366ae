// The HTTP client every integration talks to its app's API with: the platform's guarded fetch
// (timeouts, size caps, SSRF checks where the destination is not the operator's) behind a small
// JSON-first interface, and the one place HTTP statuses become the SDK's error classes.
import {
  BlockedAddressError,
  type GuardedRequestInit,
  guardedFetch,
  HttpTimeoutError,
  ResponseTooLargeError,
} from "@/lib/http/guarded-fetch";
import {
  ActionError,
  AppUnreachableError,
  CredentialsRejectedError,
  RateLimitedError,
  RetriableError,
} from "./errors";
import { describeNetworkFailure, networkErrorCode } from "./network-failure";

type QueryValue = string | number | boolean | undefined | null | Array<string | number>;

export type ApiRequest = {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  query?: Record<string, QueryValue>;
  /** Sent as application/json. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, QueryValue>;
  /** Sent as is, with the content type given in `headers`. */
  body?: string | Buffer;
  headers?: Record<string, string>;
};

export type ApiResponse<T> = { status: number; headers: Headers; data: T };

export type ApiClient = {
  readonly baseUrl: string;
  /** The parsed JSON body (or text when the answer is not JSON; undefined when empty). */
  request: <T = unknown>(path: string, request?: ApiRequest) => Promise<T>;
  /** Like `request`, with the status and headers (for pagination links, ETags and the like). */
  send: <T = unknown>(path: string, request?: ApiRequest) => Promise<ApiResponse<T>>;
  /** A web-standard fetch over the same guarded client, for official SDKs that accept one. */
  fetch: typeof fetch;
};

export type ApiClientOptions = {
  /** The app's name, for error messages. */
  appName: string;
  baseUrl: string;
  /** Sent with every request (the credentials, an API version). */
  headers: Record<string, string>;
  signal: AbortSignal;
  /** False when the base URL came from the user (a self-hosted site): then SSRF checks apply. */
  trustedDestination: boolean;
  /** Other API roots of the same app that actions name in full (Drive's, from Sheets). */
  otherBaseUrls?: string[];
  /** The app's own error text from an error body, when the generic reading misses it. */
  describeError?: (body: unknown, status: number) => string | undefined;
};

function appendQuery(url: URL, query: Record<string, QueryValue> | undefined): void {
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) url.searchParams.append(name, String(item));
    else url.searchParams.set(name, String(value));
  }
}

export function encodeForm(form: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) params.append(name, String(item));
    else params.set(name, String(value));
  }
  return params.toString();
}

function isUnder(url: URL, root: URL): boolean {
  const rootPath = root.pathname.replace(/\/+$/, "");
  return url.origin === root.origin && (url.pathname === rootPath || url.pathname.startsWith(`${rootPath}/`));
}

/**
 * A request's URL: a path joined to the base URL, or a full URL. Either must stay under the base
 * URL (or another of the app's API roots), so a path an AI chose ("https://evil.example/",
 * "/../admin") cannot take the connection's credentials anywhere else. Apps without an API of
 * their own (HTTP request, Webhook) have no base URL: any URL, through the SSRF guard.
 */
function resolveUrl(options: ApiClientOptions, path: string): URL {
  const { appName, baseUrl, otherBaseUrls = [] } = options;
  if (!baseUrl) return new URL(path);
  const url = /^https?:\/\//i.test(path)
    ? new URL(path)
    : new URL(`${baseUrl.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`);
  if (![baseUrl, ...otherBaseUrls].some((root) => isUnder(url, new URL(root))))
    throw new ActionError(
      `${appName}: "${path.slice(0, 200)}" is not a path of ${appName}'s API (${baseUrl}); requests cannot leave it.`,
    );
  return url;
}

/** Milliseconds to wait, from Retry-After (seconds or an HTTP date) or an epoch-seconds reset header. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const retryAfter = headers.get("retry-after");
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = Number(headers.get("x-ratelimit-reset") ?? Number.NaN);
  if (Number.isFinite(reset) && reset > 1_000_000_000) return Math.max(0, reset * 1000 - now);
  return undefined;
}

function firstString(...candidates: unknown[]): string | undefined {
  return candidates.find((value): value is string => typeof value === "string" && value.trim() !== "");
}

/** The error text most APIs put in their error bodies. */
export function readErrorText(body: unknown): string | undefined {
  if (typeof body === "string") return body.trim().slice(0, 300) || undefined;
  if (!body || typeof body !== "object") return undefined;
  const record = body as Record<string, unknown>;
  const nested =
    record.error && typeof record.error === "object" ? (record.error as Record<string, unknown>) : {};
  const errors = Array.isArray(record.errors) ? (record.errors as unknown[]) : [];
  const firstError = errors[0];
  return firstString(
    record.message,
    nested.message,
    record.error_description,
    record.error,
    typeof firstError === "string"
      ? firstError
      : (firstError as Record<string, unknown> | undefined)?.message,
    record.detail,
  );
}

export const defaultRateLimitWaitMs = 30_000;

/** The SDK error for an HTTP failure; also for official SDKs' errors that carry a status. */
export function errorForStatus(
  appName: string,
  status: number,
  headers: Headers,
  detail: string | undefined,
): Error {
  const suffix = detail ? `: ${detail}` : ".";
  // 403 is how GitHub (and others) say it too: with no requests left, or with a Retry-After.
  const rateLimited =
    status === 429 ||
    (status === 403 && (headers.get("x-ratelimit-remaining") === "0" || headers.has("retry-after")));
  if (rateLimited) {
    const waitMs = retryAfterMs(headers) ?? defaultRateLimitWaitMs;
    return new RateLimitedError(`${appName} is rate limiting this account (HTTP ${status})${suffix}`, waitMs);
  }
  if (status === 401)
    return new CredentialsRejectedError(
      `${appName} rejected the connection's credentials (HTTP 401)${suffix} Reconnect the account.`,
    );
  if (status === 408 || status >= 500)
    return new AppUnreachableError(
      `${appName} could not answer (HTTP ${status})${suffix}`,
      `it answered with a server error (HTTP ${status})`,
      status,
    );
  return new ActionError(`${appName} refused the request (HTTP ${status})${suffix}`, status);
}

function parseBody(body: Buffer, contentType: string | null): unknown {
  if (body.length === 0) return undefined;
  const text = body.toString("utf8");
  if (contentType?.includes("json") || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      if (contentType?.includes("json")) throw new RetriableError("The app answered with malformed JSON.");
    }
  }
  return text;
}

function requestBody(request: ApiRequest): { body?: string | Buffer; contentType?: string } {
  if (request.json !== undefined)
    return { body: JSON.stringify(request.json), contentType: "application/json" };
  if (request.form !== undefined)
    return { body: encodeForm(request.form), contentType: "application/x-www-form-urlencoded" };
  return { body: request.body };
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const { appName, baseUrl, signal, trustedDestination } = options;

  async function fetchGuarded(url: URL, init: GuardedRequestInit) {
    try {
      return await guardedFetch(url, { ...init, signal, trustedDestination });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (error instanceof BlockedAddressError || error instanceof ResponseTooLargeError)
        throw new ActionError(error.message);
      if (error instanceof HttpTimeoutError)
        throw new AppUnreachableError(`${appName}: ${error.message}`, `${url.host} did not answer in time`);
      const code = networkErrorCode(error);
      const reason = describeNetworkFailure(code, url.host);
      throw new AppUnreachableError(
        `Could not reach ${appName}: ${reason}${code ? ` (${code})` : ""}.`,
        reason,
      );
    }
  }

  async function send<T>(path: string, request: ApiRequest = {}): Promise<ApiResponse<T>> {
    const url = resolveUrl(options, path);
    appendQuery(url, request.query);
    const { body, contentType } = requestBody(request);
    const response = await fetchGuarded(url, {
      method: request.method ?? (body === undefined ? "GET" : "POST"),
      headers: {
        accept: "application/json",
        ...(contentType && { "content-type": contentType }),
        ...options.headers,
        ...request.headers,
      },
      body,
    });
    const data = parseBody(response.body, response.headers.get("content-type"));
    if (response.status >= 400) {
      const detail = options.describeError?.(data, response.status) ?? readErrorText(data);
      throw errorForStatus(appName, response.status, response.headers, detail);
    }
    return { status: response.status, headers: response.headers, data: data as T };
  }

  const webFetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const request = input instanceof Request ? input : undefined;
    const url = resolveUrl(options, request ? request.url : input.toString());
    const headers = new Headers(request?.headers);
    new Headers(init.headers).forEach((value, name) => {
      headers.set(name, value);
    });
    const rawBody = init.body ?? (request?.body ? await request.arrayBuffer() : undefined);
    const body =
      rawBody === undefined || rawBody === null
        ? undefined
        : typeof rawBody === "string"
          ? rawBody
          : Buffer.from(await new Response(rawBody as BodyInit).arrayBuffer());
    const response = await fetchGuarded(url, {
      method: init.method ?? request?.method ?? "GET",
      headers: Object.fromEntries(headers),
      body,
    });
    const nullBody = response.status === 204 || response.status === 304;
    return new Response(nullBody ? null : new Uint8Array(response.body), {
      status: response.status,
      headers: response.headers,
    });
  }) as typeof fetch;

  return {
    baseUrl,
    send,
    request: async <T>(path: string, request?: ApiRequest) => (await send<T>(path, request)).data,
    fetch: webFetch,
  };
}
