// The base of every third-party API emulator: a real HTTP server on loopback with a route table,
// a record of every request it received, one-off injected answers (a 429, a 500) for the next
// request, and a hold on the next request (an app still working on it), so tests can check
// exactly what the platform sent and how it copes.
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { z } from "zod";

export type EmulatedRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  /** JSON or form bodies parsed (forms as a record of strings); undefined when empty. */
  body: unknown;
  contentType: string;
};

export type Reply = { status?: number; json?: unknown; text?: string; headers?: Record<string, string> };

export type Handler = (request: EmulatedRequest, params: Record<string, string>) => Reply | Promise<Reply>;

export type Route = { method: string; path: string; handle: Handler };

export type EmulatorOptions = {
  name: string;
  routes: Route[];
  /** Checks the credentials of every request; returns the error reply, or undefined to go on. */
  authenticate?: (request: EmulatedRequest) => Reply | undefined;
  /** The answer for an unknown route, in the app's own error shape. */
  notFound?: (request: EmulatedRequest) => Reply;
  /** Serve https with this certificate (test/helpers/tls.ts) instead of plain http. */
  tls?: { cert: string; key: string };
};

export type Emulator = {
  url: string;
  requests: EmulatedRequest[];
  /** The requests to one route pattern ("POST /repos/:owner/:repo/issues"). */
  requestsTo: (route: string) => EmulatedRequest[];
  /** Answers the next matching request (any, if no route is given) with `reply`. */
  injectOnce: (reply: Reply, route?: string) => void;
  /**
   * Keeps the next request to `route` waiting, unanswered and not yet carried out, until
   * `release` is called; `received` resolves when it arrives.
   */
  holdNext: (route: string) => { received: Promise<void>; release: () => void };
  stop: () => Promise<void>;
};

export function route(method: string, path: string, handle: Handler): Route {
  return { method, path, handle };
}

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const patternParts = pattern.split("/").filter(Boolean);
  const pathParts = path.split("/").filter(Boolean);
  const wildcard = patternParts.at(-1) === "*";
  if (wildcard ? pathParts.length < patternParts.length - 1 : pathParts.length !== patternParts.length)
    return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of patternParts.entries()) {
    if (part === "*") {
      params["*"] = pathParts.slice(index).map(decodeURIComponent).join("/");
      return params;
    }
    const actual = pathParts[index];
    if (actual === undefined) return undefined;
    if (part.startsWith(":")) params[part.slice(1)] = decodeURIComponent(actual);
    else if (part !== actual) return undefined;
  }
  return params;
}

function parseBody(raw: string, contentType: string): unknown {
  if (!raw) return undefined;
  if (contentType.includes("application/json")) {
    try {
      return JSON.parse(raw);
    } catch {
      return Symbol.for("malformed-json");
    }
  }
  if (contentType.includes("application/x-www-form-urlencoded"))
    return Object.fromEntries(new URLSearchParams(raw));
  return raw;
}

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const requests: EmulatedRequest[] = [];
  const injected: Array<{ reply: Reply; route?: string }> = [];
  const holds: Array<{ route: string; arrive: () => void; released: Promise<void> }> = [];

  const listener: http.RequestListener = async (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const url = new URL(incoming.url ?? "/", "http://emulator");
    const contentType = String(incoming.headers["content-type"] ?? "");
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const request: EmulatedRequest = {
      method: incoming.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: incoming.headers,
      rawBody,
      body: parseBody(rawBody, contentType),
      contentType,
    };
    requests.push(request);
    let reply: Reply;
    try {
      const matched = options.routes
        .map((candidate) => ({
          candidate,
          params: candidate.method === request.method ? matchPath(candidate.path, request.path) : undefined,
        }))
        .find((entry) => entry.params !== undefined);
      const routeName = matched && `${matched.candidate.method} ${matched.candidate.path}`;
      const holdIndex = holds.findIndex((hold) => hold.route === routeName);
      if (holdIndex >= 0) {
        const [hold] = holds.splice(holdIndex, 1);
        hold!.arrive();
        await hold!.released;
      }
      const injectedIndex = injected.findIndex((entry) => !entry.route || entry.route === routeName);
      if (injectedIndex >= 0) {
        reply = injected.splice(injectedIndex, 1)[0]!.reply;
      } else if (!matched) {
        reply = options.notFound?.(request) ?? { status: 404, json: { message: "Not Found" } };
      } else {
        reply =
          options.authenticate?.(request) ??
          (request.body === Symbol.for("malformed-json")
            ? { status: 400, json: { message: "Problems parsing JSON" } }
            : await matched.candidate.handle(request, matched.params ?? {}));
      }
    } catch (error) {
      reply = { status: 500, json: { message: `emulator fault: ${(error as Error).message}` } };
    }
    const headers: Record<string, string> = { ...reply.headers };
    let payload = "";
    if (reply.json !== undefined) {
      payload = JSON.stringify(reply.json);
      headers["content-type"] ??= "application/json; charset=utf-8";
    } else if (reply.text !== undefined) {
      payload = reply.text;
      headers["content-type"] ??= "text/plain; charset=utf-8";
    }
    outgoing.writeHead(reply.status ?? 200, headers);
    outgoing.end(payload);
  };
  const server = options.tls ? https.createServer(options.tls, listener) : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}`,
    requests,
    requestsTo: (name) => {
      const [method, pattern] = name.split(" ");
      return requests.filter(
        (request) => request.method === method && matchPath(pattern ?? "", request.path),
      );
    },
    injectOnce: (reply, routeName) => {
      injected.push({ reply, ...(routeName && { route: routeName }) });
    },
    holdNext: (routeName) => {
      let arrive = () => {};
      let release = () => {};
      const received = new Promise<void>((resolve) => {
        arrive = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      holds.push({ route: routeName, arrive, released });
      return { received, release };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The bearer token of a request ("Authorization: Bearer <token>"), if any. */
export function bearerToken(request: EmulatedRequest): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(String(request.headers.authorization ?? ""));
  return match?.[1];
}

/** The user and password of a Basic Authorization header, if any. */
export function basicCredentials(request: EmulatedRequest): { user: string; password: string } | undefined {
  const match = /^Basic\s+(.+)$/i.exec(String(request.headers.authorization ?? ""));
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Checks a body against what the API requires; returns the parsed body or the error reply the
 * API would send (built by `reject` from a description of the problem).
 */
export function checkBody<T>(
  request: EmulatedRequest,
  schema: z.ZodType<T>,
  reject: (problem: string) => Reply,
): { ok: true; body: T } | { ok: false; reply: Reply } {
  const parsed = schema.safeParse(request.body);
  if (parsed.success) return { ok: true, body: parsed.data };
  const problem = parsed.error.issues
    .map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`)
    .join("; ");
  return { ok: false, reply: reject(problem) };
}
