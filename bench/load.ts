// A small closed-loop load generator for MCP over Streamable HTTP: N virtual clients, each on its
// own keep-alive connection, each initializing once (keeping the session id the server hands
// out, as real clients do) and then sending one JSON-RPC request after another for a fixed time.
// Every response is parsed (JSON or SSE) and checked; anything else counts as an error.
import http from "node:http";

export type Target = {
  name: string;
  /** The MCP URL, e.g. http://127.0.0.1:3000/mcp/<secret>. */
  url: string;
  /** Sent with every request, e.g. an Authorization header. */
  headers?: Record<string, string>;
};

export type Check = (message: JsonRpcResponse) => string | undefined;

export type Scenario = {
  method: string;
  params: Record<string, unknown>;
  /** Returns an error description, or undefined when the response is what was expected. */
  check: Check;
};

export type JsonRpcResponse = {
  jsonrpc: "2.0";
  id?: number | string;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
};

export type LevelResult = {
  connections: number;
  durationMs: number;
  requests: number;
  errors: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  firstError?: string;
};

export const protocolVersion = "2025-06-18";

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string };

function post(agent: http.Agent, url: URL, headers: Record<string, string>, body: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "content-length": Buffer.byteLength(body),
          ...headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        response.on("error", reject);
      },
    );
    request.setTimeout(30_000, () => request.destroy(new Error("request timed out after 30 s")));
    request.on("error", reject);
    request.end(body);
  });
}

/** The JSON-RPC messages of a response, whether the server answered with JSON or with SSE. */
export function parseMessages(reply: Reply): JsonRpcResponse[] {
  const type = String(reply.headers["content-type"] ?? "");
  if (type.startsWith("application/json")) {
    const parsed = JSON.parse(reply.body) as JsonRpcResponse | JsonRpcResponse[];
    return Array.isArray(parsed) ? parsed : [parsed];
  }
  if (type.startsWith("text/event-stream")) {
    const messages: JsonRpcResponse[] = [];
    for (const event of reply.body.split(/\r?\n\r?\n/)) {
      const data = event
        .split(/\r?\n/)
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trimStart())
        .join("\n");
      if (data) messages.push(JSON.parse(data) as JsonRpcResponse);
    }
    return messages;
  }
  throw new Error(`unexpected content-type "${type}"`);
}

/** One virtual client: a connection of its own and, when the server gives one, a session. */
class VirtualClient {
  private nextId = 1;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly agent: http.Agent,
    private readonly url: URL,
    headers: Record<string, string> = {},
  ) {
    this.headers = { ...headers };
  }

  async initialize(): Promise<void> {
    const reply = await post(
      this.agent,
      this.url,
      this.headers,
      JSON.stringify({
        jsonrpc: "2.0",
        id: this.nextId++,
        method: "initialize",
        params: { protocolVersion, capabilities: {}, clientInfo: { name: "toolgate-bench", version: "1" } },
      }),
    );
    if (reply.status !== 200) throw new Error(`initialize: HTTP ${reply.status} ${reply.body.slice(0, 200)}`);
    const answer = parseMessages(reply).find((message) => message.id !== undefined);
    if (!answer?.result) throw new Error(`initialize: ${JSON.stringify(answer?.error ?? reply.body)}`);
    const sessionId = reply.headers["mcp-session-id"];
    if (typeof sessionId === "string") this.headers["mcp-session-id"] = sessionId;
    this.headers["mcp-protocol-version"] = String(answer.result.protocolVersion ?? protocolVersion);
    const notified = await post(
      this.agent,
      this.url,
      this.headers,
      JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
    );
    if (notified.status !== 202) throw new Error(`notifications/initialized: HTTP ${notified.status}`);
  }

  /** Sends one request; returns an error description or undefined. */
  async send(scenario: Scenario): Promise<string | undefined> {
    const id = this.nextId++;
    let reply: Reply;
    try {
      reply = await post(
        this.agent,
        this.url,
        this.headers,
        JSON.stringify({ jsonrpc: "2.0", id, method: scenario.method, params: scenario.params }),
      );
    } catch (error) {
      return `network: ${(error as Error).message}`;
    }
    if (reply.status !== 200) return `HTTP ${reply.status}: ${reply.body.slice(0, 200)}`;
    let answer: JsonRpcResponse | undefined;
    try {
      answer = parseMessages(reply).find((message) => message.id === id);
    } catch (error) {
      return `unparsable response: ${(error as Error).message}`;
    }
    if (!answer) return "no response with the request's id";
    if (answer.error) return `JSON-RPC error ${answer.error.code}: ${answer.error.message}`;
    return scenario.check(answer);
  }
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

export type Phase = { latencies: number[]; errors: number; firstError?: string; elapsedMs: number };

/** N initialized virtual clients on their own keep-alive connections, ready to run phases. */
export async function openClients(target: Target, scenario: Scenario, connections: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const url = new URL(target.url);
  const clients = Array.from({ length: connections }, () => new VirtualClient(agent, url, target.headers));
  try {
    await Promise.all(clients.map((client) => client.initialize()));
  } catch (error) {
    agent.destroy();
    throw error;
  }
  return {
    /** Every client sends request after request until the deadline (bounded by time). */
    async run(durationMs: number): Promise<Phase> {
      const latencies: number[] = [];
      let errors = 0;
      let firstError: string | undefined;
      const started = performance.now();
      const deadline = started + durationMs;
      await Promise.all(
        clients.map(async (client) => {
          while (performance.now() < deadline) {
            const sent = performance.now();
            const error = await client.send(scenario);
            latencies.push(performance.now() - sent);
            if (error !== undefined) {
              errors++;
              firstError ??= error;
            }
          }
        }),
      );
      return { latencies, errors, firstError, elapsedMs: performance.now() - started };
    },
    close: () => agent.destroy(),
  };
}

export function summarize(connections: number, phases: Phase[]): LevelResult {
  const sorted = phases.flatMap((phase) => phase.latencies).sort((a, b) => a - b);
  const elapsedMs = phases.reduce((sum, phase) => sum + phase.elapsedMs, 0);
  return {
    connections,
    durationMs: elapsedMs,
    requests: sorted.length,
    errors: phases.reduce((sum, phase) => sum + phase.errors, 0),
    requestsPerSecond: (sorted.length / elapsedMs) * 1000,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    firstError: phases.find((phase) => phase.firstError)?.firstError,
  };
}

/** One target at one level: a warm-up (not counted), then the measured period. */
export async function runLevel(
  target: Target,
  scenario: Scenario,
  options: { connections: number; warmupMs: number; durationMs: number },
): Promise<LevelResult> {
  const clients = await openClients(target, scenario, options.connections);
  try {
    await clients.run(options.warmupMs);
    return summarize(options.connections, [await clients.run(options.durationMs)]);
  } finally {
    clients.close();
  }
}
