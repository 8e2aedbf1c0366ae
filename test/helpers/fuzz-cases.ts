// The requests of the protocol fuzz test: JSON-RPC to the MCP endpoint (Streamable HTTP at
// /mcp/<secret> and /mcp with a bearer, the legacy SSE transport's messages), every route of the
// REST API as /api/v1/openapi.json lists it, and odd HTTP (methods, paths, headers) anywhere.
// Each generator mixes requests that should succeed with every way of getting them wrong.
import {
  awkwardString,
  deepJson,
  deepValue,
  hugeString,
  type JsonSchema,
  junkObject,
  junkValue,
  mutate,
  type Random,
  randomText,
  valueFromSchema,
} from "./fuzz-values";
import type { RawOutcome, RawRequest } from "./raw-http";

/** A generated request, with the kind it is for the test's summary. */
export type FuzzRequest = RawRequest & { label: string };

export type McpTool = { name: string; inputSchema: JsonSchema };

export type OpenApiDocument = {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

type OpenApiOperation = {
  parameters?: { name: string; in: "path" | "query"; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
};

/** An app as GET /api/v1/integrations lists it, as far as the fuzz uses it. */
export type Integration = { slug: string; actions: { key: string; inputSchema: JsonSchema }[] };

export type FuzzTargets = {
  appUrl: string;
  mcpSecret: string;
  /** Another user's server: REST requests for it must find nothing. */
  foreignServerId: string;
  tools: McpTool[];
  /** The live Streamable HTTP session and legacy SSE sessions, when there are some. */
  sessionId: () => string | undefined;
  legacySessionId: () => string | undefined;
  apiToken: string;
  openapi: OpenApiDocument;
  integrations: Integration[];
  /** Credentials that create a connection the local emulator accepts (no real app is reached). */
  workingConnection: { integration: string; credentials: Record<string, string> };
  /** The MCP endpoint's body limit (MCP_MAX_BODY_BYTES), for bodies just beyond it. */
  mcpMaxBodyBytes: number;
};

const protocolVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05", "2024-10-07"];
const jsonRpcMethods = [
  "initialize",
  "ping",
  "tools/list",
  "tools/call",
  "logging/setLevel",
  "notifications/initialized",
  "notifications/cancelled",
  "notifications/progress",
];
const unknownMethods = [
  "resources/list",
  "resources/read",
  "prompts/list",
  "prompts/get",
  "completion/complete",
  "sampling/createMessage",
  "roots/list",
  "tools/delete",
  "rpc.discover",
  "",
  "TOOLS/LIST",
  "tools/list ",
  "notifications/unknown",
];
const evilOrigins = ["https://evil.example", "null", "http://127.0.0.1.evil.example", "file://"];

/** A header value Node will send: printable Latin-1, however odd. */
function headerJunk(random: Random): string {
  return random.weighted<() => string>([
    [3, () => awkwardString(random).replace(/[^\t\x20-\x7e\x80-\xff]/g, "?")],
    [1, () => "x".repeat(random.int(1_000, 8_000))],
    [1, () => random.pick(["", " ", ",", ";", "*", "null", "undefined", "é", "\xff\xfe"])],
  ])();
}

/** encodeURIComponent, which throws on a lone surrogate: those go as U+FFFD (raw ones are sent too). */
function encode(text: string): string {
  return encodeURIComponent(
    text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd"),
  );
}

/** A path segment that is not a clean one: broken percent-encoding, NUL, dots, huge. */
function awkwardSegment(random: Random): string {
  return random.pick([
    "%zz",
    "%",
    "%E0%A4%A",
    "%C0%AF",
    "%ED%A0%80",
    "%00",
    "a%00b",
    "%2F",
    "..",
    "%2e%2e",
    "%FF%FE",
    "x".repeat(5_000),
    encode(awkwardString(random)).slice(0, 300) || "%20",
  ]);
}

function jsonRpcId(random: Random): unknown {
  return random.weighted<() => unknown>([
    [8, () => random.int(1, 1_000_000)],
    [3, () => `req-${random.int(1, 1_000_000)}`],
    [1, () => null],
    [1, () => 1e308],
    [1, () => 2 ** 64],
    [1, () => -1.5],
    [1, () => "x".repeat(random.int(1_000, 20_000))],
    [1, () => awkwardString(random)],
    [1, () => ({ nested: 1 })],
    [1, () => [1]],
    [1, () => true],
  ])();
}

function progressMeta(random: Random): Record<string, unknown> | undefined {
  return random.chance(0.15)
    ? { _meta: { progressToken: random.chance(0.8) ? random.int(1, 1e6) : junkValue(random) } }
    : undefined;
}

/** Arguments for one of the tools: fitting its schema, bent out of shape, or plain junk. */
function toolArguments(random: Random, tool: McpTool): unknown {
  const fitting = () => valueFromSchema(random, tool.inputSchema);
  return random.weighted<() => unknown>([
    [12, fitting],
    [4, () => mutate(random, fitting())],
    [1, () => junkObject(random)],
    [1, () => junkValue(random)],
    [1, () => ({ ...(fitting() as object), text: hugeString(random, random.int(65_537, 200_000)) })],
    [1, () => ({ ...(fitting() as object), json: deepJson(random, random.int(100, 3_000)) })],
    [1, () => ({ ...(fitting() as object), nested: deepValue(random, random.int(20, 500)) })],
    [1, () => undefined],
  ])();
}

function realParams(random: Random, method: string, targets: FuzzTargets): unknown {
  switch (method) {
    case "initialize":
      return {
        protocolVersion: random.chance(0.8) ? random.pick(protocolVersions) : awkwardString(random),
        capabilities: random.chance(0.8) ? {} : junkObject(random),
        clientInfo: { name: "fuzz", version: "1.0.0" },
      };
    case "tools/call": {
      const tool = random.pick(targets.tools);
      const name = random.chance(0.85) ? tool.name : awkwardString(random);
      return { name, arguments: toolArguments(random, tool), ...progressMeta(random) };
    }
    case "tools/list":
      return random.chance(0.7) ? {} : { cursor: awkwardString(random) };
    case "logging/setLevel":
      return { level: random.pick(["debug", "info", "warning", "error", "emergency", "verbose", ""]) };
    case "notifications/cancelled":
      return { requestId: jsonRpcId(random), reason: awkwardString(random) };
    case "notifications/progress":
      return { progressToken: jsonRpcId(random), progress: random.int(0, 100) };
    default:
      return random.chance(0.5) ? {} : undefined;
  }
}

/** One JSON-RPC message: mostly well formed, often not. */
function jsonRpcMessage(random: Random, targets: FuzzTargets): unknown {
  const method = random.weighted<() => string>([
    [8, () => random.pick(jsonRpcMethods)],
    [2, () => random.pick(unknownMethods)],
    [1, () => awkwardString(random)],
  ])();
  const isNotification = method.startsWith("notifications/");
  const message: Record<string, unknown> = {
    jsonrpc: "2.0",
    method,
    ...(!isNotification && { id: jsonRpcId(random) }),
  };
  const params = realParams(random, method, targets);
  if (params !== undefined) message.params = params;
  return random.weighted<() => unknown>([
    [10, () => message],
    [3, () => ({ ...message, params: mutate(random, message.params ?? {}) })],
    [1, () => ({ ...message, params: junkValue(random) })],
    [1, () => ({ ...message, jsonrpc: random.pick(["1.0", 2, null, "", "2.0 "]) })],
    [1, () => ({ ...message, method: junkValue(random) })],
    [1, () => Object.fromEntries(Object.entries(message).filter(([key]) => key !== "id"))],
    [1, () => Object.fromEntries(Object.entries(message).filter(([key]) => key !== "method"))],
    [1, () => ({ jsonrpc: "2.0", id: jsonRpcId(random), result: junkValue(random) })],
    [
      1,
      () => ({ jsonrpc: "2.0", id: jsonRpcId(random), error: { code: random.int(-33000, 0), message: "x" } }),
    ],
    [1, () => junkValue(random)],
  ])();
}

/** The text of a request body: JSON-RPC as JSON, or something that is not quite that. */
function mcpBody(random: Random, targets: FuzzTargets): string | Buffer {
  const json = () => JSON.stringify(jsonRpcMessage(random, targets)) ?? "null";
  return random.weighted<() => string | Buffer>([
    [30, json],
    [
      4,
      () => JSON.stringify(Array.from({ length: random.int(1, 6) }, () => jsonRpcMessage(random, targets))),
    ],
    [
      1,
      () =>
        JSON.stringify(
          Array.from({ length: random.int(50, 300) }, (_, id) => ({ jsonrpc: "2.0", id, method: "ping" })),
        ),
    ],
    [1, () => "[]"],
    [1, () => ""],
    [1, () => json().slice(0, random.int(0, 30))],
    [1, () => `${json()}${random.pick(["}", "]", ",", " garbage", "\u0000"])}`],
    [
      1,
      () =>
        Buffer.concat([
          Buffer.from('{"jsonrpc":"2.0","id":1,"method":"'),
          Buffer.from([0xed, 0xa0, 0x80, 0xff, 0x00]),
          Buffer.from('"}'),
        ]),
    ],
    [1, () => `\ufeff${json()}`],
    [1, () => random.pick(["null", "1", "true", '"text"', "1e999999", "-", "{", "[[[[[[", "{}"])],
    [1, () => `[${"[".repeat(random.int(1_000, 100_000))}`],
    [
      1,
      () =>
        `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":${JSON.stringify(random.pick(targets.tools).name)},"arguments":{"text":${deepJson(random, random.int(1_000, 20_000))}}}}`,
    ],
    [
      1,
      () =>
        JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "ping",
          params: { pad: hugeString(random, targets.mcpMaxBodyBytes + random.int(1, 100_000)) },
        }),
    ],
  ])();
}

function mcpHeaders(random: Random, targets: FuzzTargets): Record<string, string> {
  const headers: Record<string, string> = {};
  const accept = random.weighted<() => string | undefined>([
    [12, () => "application/json, text/event-stream"],
    [1, () => "application/json"],
    [1, () => "text/event-stream"],
    [1, () => "*/*"],
    [1, () => undefined],
    [1, () => headerJunk(random)],
  ])();
  if (accept !== undefined) headers.accept = accept;
  const contentType = random.weighted<() => string | undefined>([
    [12, () => "application/json"],
    [1, () => "application/json; charset=utf-8"],
    [1, () => "text/plain"],
    [1, () => "application/x-www-form-urlencoded"],
    [1, () => undefined],
    [1, () => headerJunk(random)],
  ])();
  if (contentType !== undefined) headers["content-type"] = contentType;
  const session = targets.sessionId();
  if (random.chance(0.3) && session) headers["mcp-session-id"] = session;
  else if (random.chance(0.1)) headers["mcp-session-id"] = headerJunk(random);
  if (random.chance(0.5)) headers["mcp-protocol-version"] = random.pick(protocolVersions);
  else if (random.chance(0.1)) headers["mcp-protocol-version"] = headerJunk(random);
  if (random.chance(0.05)) headers.origin = random.pick(evilOrigins);
  else if (random.chance(0.1)) headers.origin = targets.appUrl;
  if (random.chance(0.03)) headers["last-event-id"] = headerJunk(random);
  return headers;
}

function mcpMethod(random: Random): string {
  return random.weighted<() => string>([
    [40, () => "POST"],
    [2, () => "GET"],
    [2, () => "DELETE"],
    [1, () => random.pick(["PUT", "PATCH", "OPTIONS", "HEAD", "TRACE"])],
  ])();
}

/** A request to the MCP endpoint's Streamable HTTP routes or the legacy SSE transport's. */
export function mcpRequest(random: Random, targets: FuzzTargets): FuzzRequest {
  const secret = targets.mcpSecret;
  const headers = mcpHeaders(random, targets);
  const method = mcpMethod(random);
  const body = method === "GET" || method === "HEAD" ? undefined : mcpBody(random, targets);
  const route = random.weighted<() => { path: string; label: string }>([
    [10, () => ({ path: `/mcp/${secret}`, label: "mcp path secret" })],
    [5, () => ({ path: "/mcp", label: "mcp bearer" })],
    [
      3,
      () => {
        const session = random.chance(0.85) ? targets.legacySessionId() : awkwardString(random);
        return {
          path: `/mcp/${secret}/messages?sessionId=${encode(session ?? "")}`,
          label: "mcp legacy messages",
        };
      },
    ],
    [
      1,
      () => {
        const session = random.chance(0.85) ? targets.legacySessionId() : awkwardString(random);
        return {
          path: `/mcp/messages?sessionId=${encode(session ?? "")}`,
          label: "mcp legacy messages bearer",
        };
      },
    ],
    [
      1,
      () => ({
        path: `/mcp/${random.pick([`${secret}x`, "tgs_", awkwardSegment(random)])}`,
        label: "mcp bad secret",
      }),
    ],
    [
      1,
      () => ({
        path: `/mcp/${secret}/${random.pick(["sse", "messages", awkwardSegment(random)])}${random.pick(["", "/", "?sessionId=%zz"])}`,
        label: "mcp odd subpath",
      }),
    ],
  ])();
  if (route.path.startsWith("/mcp/messages") || route.path === "/mcp") {
    if (random.chance(0.9)) headers.authorization = `Bearer ${secret}`;
    else if (random.chance(0.5)) headers.authorization = headerJunk(random);
  }
  return {
    label: `${route.label} ${method}`,
    method,
    path: route.path,
    headers,
    ...(body !== undefined && { body }),
  };
}

/**
 * A tool call as a real client sends it, at the path or with a bearer, its arguments fitting the
 * tool's schema but for what they hold (any script, NUL, huge): so that calls reach the worker.
 */
export function mcpToolCall(random: Random, targets: FuzzTargets): FuzzRequest {
  const tool = random.pick(targets.tools);
  const bearer = random.chance(0.3);
  const body = {
    jsonrpc: "2.0",
    id: random.int(1, 1_000_000),
    method: "tools/call",
    params: { name: tool.name, arguments: toolArguments(random, tool), ...progressMeta(random) },
  };
  return {
    label: `mcp tool call ${bearer ? "bearer" : "path"}`,
    method: "POST",
    path: bearer ? "/mcp" : `/mcp/${targets.mcpSecret}`,
    headers: {
      accept: "application/json, text/event-stream",
      "content-type": "application/json",
      "mcp-protocol-version": random.pick(protocolVersions),
      ...(bearer && { authorization: `Bearer ${targets.mcpSecret}` }),
    },
    body: JSON.stringify(body),
  };
}

/** Opening an event stream of the legacy transport, or the Streamable HTTP GET. */
export function mcpStreamRequest(random: Random, targets: FuzzTargets): FuzzRequest {
  const bearer = random.chance(0.3);
  const path = random.pick(
    bearer ? ["/mcp/sse", "/mcp"] : [`/mcp/${targets.mcpSecret}/sse`, `/mcp/${targets.mcpSecret}`],
  );
  const headers = mcpHeaders(random, targets);
  if (bearer) headers.authorization = `Bearer ${targets.mcpSecret}`;
  return {
    label: `mcp stream GET ${bearer ? "bearer" : "path"}`,
    method: "GET",
    path,
    headers,
  };
}

/** Ids the REST fuzz made itself (so updates and deletes find something), by kind. */
export class IdPool {
  readonly servers: string[] = [];
  readonly tools = new Map<string, string[]>();
  readonly connections: string[] = [];

  observe(request: RawRequest, outcome: RawOutcome): void {
    if (request.method !== "POST" || (outcome.status !== 201 && outcome.status !== 200)) return;
    let id: unknown;
    try {
      id = (JSON.parse(outcome.body) as { id?: unknown }).id;
    } catch {
      return; // the kept start of the body may be cut short
    }
    if (typeof id !== "string") return;
    const path = request.path.split("?")[0]!;
    if (path === "/api/v1/servers") this.servers.push(id);
    else if (path === "/api/v1/connections") this.connections.push(id);
    else {
      const tool = /^\/api\/v1\/servers\/([^/]+)\/tools$/.exec(path);
      if (tool) this.tools.set(tool[1]!, [...(this.tools.get(tool[1]!) ?? []), id]);
    }
  }
}

function restBody(
  random: Random,
  path: string,
  schema: JsonSchema | undefined,
  targets: FuzzTargets,
  resolve: (ref: string) => JsonSchema,
): unknown {
  if (path === "/connections" && random.chance(0.3))
    return { ...targets.workingConnection, ...(random.chance(0.5) && { label: awkwardString(random) }) };
  if (path === "/servers/{id}/tools" && random.chance(0.5)) {
    const integration = random.pick(targets.integrations);
    const action = random.pick(integration.actions);
    const fields: Record<string, unknown> = {};
    for (const name of Object.keys(action.inputSchema.properties ?? {})) {
      if (random.chance(0.3)) continue;
      const property = action.inputSchema.properties?.[name] ?? {};
      fields[name] = random.pick([
        { mode: "ai" },
        { mode: "omit" },
        { mode: "fixed", value: valueFromSchema(random, property) },
        { mode: "fixed", value: junkValue(random) },
      ]);
    }
    return {
      integration: integration.slug,
      action: action.key,
      ...(random.chance(0.5) && { name: awkwardString(random) }),
      fields,
    };
  }
  return valueFromSchema(random, schema ?? {}, resolve);
}

/** A request to one of the REST API's routes (or beside them), with the fuzz user's token. */
export function restRequest(random: Random, targets: FuzzTargets, ids: IdPool): FuzzRequest {
  const resolve = (ref: string): JsonSchema =>
    targets.openapi.components?.schemas?.[ref.replace("#/components/schemas/", "")] ?? {};
  const operations = Object.entries(targets.openapi.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
  );
  const { path, method: documented, operation } = random.pick(operations);
  const serverId = random.weighted<() => string>([
    [6, () => (ids.servers.length ? random.pick(ids.servers) : "none")],
    [1, () => targets.foreignServerId],
    [2, () => awkwardSegment(random)],
    [1, () => encode(awkwardString(random)) || "x"],
  ])();
  const pathValues: Record<string, () => string> = {
    id: () =>
      path.startsWith("/connections")
        ? random.chance(0.7) && ids.connections.length
          ? random.pick(ids.connections)
          : awkwardSegment(random)
        : serverId,
    toolId: () => {
      const known = ids.tools.get(serverId) ?? [];
      return random.chance(0.7) && known.length ? random.pick(known) : awkwardSegment(random);
    },
    slug: () => (random.chance(0.7) ? random.pick(targets.integrations).slug : awkwardSegment(random)),
    action: () =>
      random.chance(0.7)
        ? random.pick(random.pick(targets.integrations).actions).key
        : awkwardSegment(random),
    field: () =>
      random.chance(0.7) ? random.pick(["project_id", "repo", "channel", "base_id"]) : awkwardSegment(random),
  };
  const urlPath = path.replace(
    /\{(\w+)\}/g,
    (_, name: string) => pathValues[name]?.() ?? awkwardSegment(random),
  );
  const query = new URLSearchParams();
  for (const parameter of operation.parameters ?? []) {
    if (parameter.in !== "query" || random.chance(0.5)) continue;
    const value = random.chance(0.6)
      ? valueFromSchema(random, parameter.schema ?? {}, resolve)
      : junkValue(random);
    query.set(parameter.name, typeof value === "string" ? value : (JSON.stringify(value) ?? ""));
  }
  if (random.chance(0.05)) query.set(awkwardString(random), awkwardString(random));
  let search = query.toString() ? `?${query}` : "";
  if (random.chance(0.03)) search = random.pick(["?%zz", "?limit=%E0%A4%A", "?a=%00", "?&&=&"]);

  const method = random.weighted<() => string>([
    [20, () => documented],
    [1, () => random.pick(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE"])],
  ])();
  const schema = operation.requestBody?.content["application/json"]?.schema;
  let body: string | Buffer | undefined;
  if (method !== "GET" && method !== "HEAD" && (schema || random.chance(0.2))) {
    const fitting = () => restBody(random, path, schema, targets, resolve);
    body = random.weighted<() => string | Buffer>([
      [8, () => JSON.stringify(fitting()) ?? "null"],
      [6, () => JSON.stringify(mutate(random, fitting())) ?? "null"],
      [2, () => JSON.stringify(junkValue(random)) ?? "null"],
      [1, () => (JSON.stringify(fitting()) ?? "").slice(0, random.int(0, 20))],
      [1, () => ""],
      [
        1,
        () =>
          Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x00, 0x22, 0x7d]),
      ],
      [1, () => JSON.stringify({ name: hugeString(random, 1_048_576 + random.int(1, 50_000)) })],
      [1, () => deepJson(random, random.int(100, 5_000))],
    ])();
  }
  const headers: Record<string, string> = {};
  headers.authorization = random.weighted<() => string>([
    [25, () => `Bearer ${targets.apiToken}`],
    [1, () => `Bearer ${headerJunk(random)}`],
    [1, () => `Bearer ${targets.mcpSecret}`],
    [1, () => headerJunk(random)],
  ])();
  if (body !== undefined)
    headers["content-type"] = random.chance(0.9)
      ? "application/json"
      : random.pick(["text/plain", "", "multipart/form-data; boundary=x", headerJunk(random)]);
  if (random.chance(0.05)) headers.origin = random.pick(evilOrigins);
  if (random.chance(0.03)) headers["x-forwarded-for"] = headerJunk(random);
  return {
    label: `rest ${documented} ${path}${method === documented ? "" : ` as ${method}`}`,
    method,
    path: `/api/v1${urlPath}${search}`,
    headers,
    ...(body !== undefined && { body }),
  };
}

const pagePaths = [
  "/",
  "/signin",
  "/signup",
  "/servers",
  "/history",
  "/apps",
  "/admin/users",
  "/api/health",
  "/api/auth/session",
  "/api/auth/csrf",
  "/api/v1",
  "/api/v1/openapi.json",
  "/favicon.ico",
  "/icon.svg",
  "/_next/static/x.js",
  "/nope",
];

/** Odd HTTP anywhere: unusual methods, broken paths, NUL bytes on the wire, server-action posts. */
export function oddHttpRequest(random: Random, targets: FuzzTargets): FuzzRequest {
  return random.weighted<() => FuzzRequest>([
    [
      4,
      () => {
        const method = random.pick([
          "TRACE",
          "PUT",
          "PATCH",
          "OPTIONS",
          "HEAD",
          "DELETE",
          "PROPFIND",
          "SEARCH",
          "PURGE",
          "QUERY",
        ]);
        const path = random.pick([...pagePaths, `/mcp/${targets.mcpSecret}`, "/mcp", "/api/v1/servers"]);
        return { label: `odd method ${method}`, method, path };
      },
    ],
    [
      4,
      () => {
        const base = random.pick([
          "/mcp/",
          "/api/v1/servers/",
          "/",
          "/servers/",
          "/api/auth/",
          "/api/oauth/",
          `/mcp/${targets.mcpSecret}/`,
          "/_next/static/",
        ]);
        const method = random.pick(["GET", "POST", "DELETE", "HEAD"]);
        return {
          label: `odd path ${method}`,
          method,
          path: `${base}${awkwardSegment(random)}`,
          ...(method === "POST" && { body: "{}", headers: { "content-type": "application/json" } }),
        };
      },
    ],
    [
      2,
      () => ({
        label: "raw request line",
        raw: true,
        method: random.pick(["GET", "POST", "CONNECT", "TRACE", "TRACK", "FOO", "get"]),
        path: random.pick([
          `/mcp/${targets.mcpSecret}\u0000`,
          "/api/v1/servers/a\u0000b",
          "/\u0000",
          "127.0.0.1:443",
          "*",
          "/mcp/%zz",
          "http://evil.example/",
          "/ space",
          "/\xff",
        ]),
        headers: random.chance(0.5) ? { "x-junk": randomText(random, 10).replace(/[\r\n]/g, "") } : {},
      }),
    ],
    [
      2,
      () => ({
        label: "server action",
        method: "POST",
        path: random.pick(["/", "/servers", "/signin", "/signup", "/settings", "/connections/new"]),
        headers: {
          "next-action": random.chance(0.5) ? "0".repeat(40) : headerJunk(random),
          "content-type": random.pick([
            "text/plain;charset=UTF-8",
            "multipart/form-data; boundary=x",
            "application/json",
          ]),
          ...(random.chance(0.7) && { origin: random.pick([...evilOrigins, targets.appUrl]) }),
        },
        body: JSON.stringify(junkValue(random)) ?? "",
      }),
    ],
    [
      1,
      () => ({
        label: "odd headers",
        method: random.pick(["GET", "POST"]),
        path: random.pick(pagePaths),
        headers: {
          [random.pick([
            "accept",
            "accept-language",
            "cookie",
            "rsc",
            "next-router-state-tree",
            "next-url",
            "x-forwarded-host",
            "range",
            "if-none-match",
          ])]: headerJunk(random),
        },
      }),
    ],
  ])();
}
