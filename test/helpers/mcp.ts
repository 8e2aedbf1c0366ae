// Helpers for MCP endpoint tests: tenants made through the lib/ functions (the test process
// shares the run's database and Redis with the platform), real SDK clients over HTTP, and raw
// JSON-RPC POSTs for what a well-behaved client would never send.
import { randomBytes } from "node:crypto";
import http from "node:http";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createServer } from "@/lib/servers/manage-servers";
import { type AddToolInput, addTool, addToolSchema } from "@/lib/tools/manage-tools";
import { createUser } from "@/lib/users/create-user";

export const acceptBoth = "application/json, text/event-stream";

export function uniqueEmail(label: string): string {
  return `${label}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}@test.local`;
}

export type Tenant = {
  userId: string;
  email: string;
  serverId: string;
  secret: string;
  /** APP_URL/mcp/<secret> on the given platform. */
  url: string;
};

export const formatterTools: AddToolInput[] = [
  { integration: "formatter", action: "transform_text" },
  { integration: "formatter", action: "calculate" },
  { integration: "formatter", action: "extract_json" },
  { integration: "delay", action: "wait" },
];

export function secretOfUrl(url: string): string {
  const secret = new URL(url).pathname.split("/").pop();
  if (!secret) throw new Error(`no secret in ${url}`);
  return secret;
}

/** A user with one MCP server carrying `tools`, addressed on the platform at `baseUrl`. */
export async function createTenant(
  baseUrl: string,
  label: string,
  tools: AddToolInput[] = formatterTools,
): Promise<Tenant> {
  const email = uniqueEmail(label);
  const user = await createUser({ email, password: "correct horse battery", demo: true });
  return addServer(baseUrl, user.id, email, `${label} server`, tools);
}

export async function addServer(
  baseUrl: string,
  userId: string,
  email: string,
  name: string,
  tools: AddToolInput[] = formatterTools,
): Promise<Tenant> {
  const server = await createServer(userId, name);
  for (const tool of tools) await addTool(userId, server.id, addToolSchema.parse(tool));
  const secret = secretOfUrl(server.url);
  return { userId, email, serverId: server.id, secret, url: `${baseUrl}/mcp/${secret}` };
}

/** An SDK client connected through the URL with the secret, or through APP_URL/mcp with a bearer. */
export async function connectClient(
  baseUrl: string,
  secret: string,
  via: "path" | "bearer" = "path",
): Promise<Client> {
  const client = new Client({ name: "toolgate-tests", version: "1.0.0" });
  const transport =
    via === "path"
      ? new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp/${secret}`))
      : new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp`), {
          requestInit: { headers: { Authorization: `Bearer ${secret}` } },
        });
  await client.connect(transport);
  return client;
}

export type RpcResponse = {
  status: number;
  headers: Headers;
  text: string;
  /** JSON-RPC messages from a JSON body or from the data lines of an SSE body. */
  messages: Record<string, unknown>[];
};

export function parseMessages(contentType: string | null, text: string): Record<string, unknown>[] {
  if (!text) return [];
  if (contentType?.includes("text/event-stream")) {
    return text
      .split(/\r?\n/)
      .filter((line) => line.startsWith("data:"))
      .map((line) => line.slice(5).trim())
      .filter(Boolean)
      .map((data) => JSON.parse(data) as Record<string, unknown>);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    return (Array.isArray(parsed) ? parsed : [parsed]) as Record<string, unknown>[];
  } catch {
    return [];
  }
}

/** One raw POST to an MCP URL; `body` is sent as is when it is a string. */
export async function postRpc(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<RpcResponse> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: acceptBoth, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    messages: parseMessages(response.headers.get("content-type"), text),
  };
}

/** The JSON-RPC response (the message with an id) among a reply's messages. */
export function responseOf(reply: RpcResponse): Record<string, unknown> & {
  result?: { isError?: boolean; content?: { type: string; text: string }[]; [key: string]: unknown };
  error?: { code: number; message: string };
} {
  const message = reply.messages.find((candidate) => "result" in candidate || "error" in candidate);
  if (!message) throw new Error(`no JSON-RPC response in ${reply.status}: ${reply.text.slice(0, 500)}`);
  return message;
}

let nextId = 1;
export function callRequest(name: string, args: unknown): Record<string, unknown> {
  return { jsonrpc: "2.0", id: nextId++, method: "tools/call", params: { name, arguments: args } };
}

/** A raw request through node:http, which (unlike fetch) lets a test set any Host header. */
export function rawHttp(
  url: string,
  options: { method: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: options.method, headers: options.headers }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        text += chunk;
      });
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text }),
      );
    });
    request.on("error", reject);
    if (options.body !== undefined) request.write(options.body);
    request.end();
  });
}

export function textOf(result: unknown): string {
  const content = ((result as { content?: unknown }).content ?? []) as { type: string; text?: string }[];
  return content.map((item) => item.text ?? "").join("\n");
}
