// Fuzzes the running platform's edge (docs/security.md 13): at least 10,000 generated requests
// to the MCP endpoint (Streamable HTTP, bearer, the legacy SSE transport) and every REST route,
// plus odd HTTP anywhere, and not one may get a 5xx, a reset connection or a crash. The requests
// come from a seeded PRNG: the seed is printed, and FUZZ_SEED=<seed> replays the same requests
// (ids the run creates for itself may differ with timing).
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { createUser } from "@/lib/users/create-user";
import { setLimitOverrides } from "@/lib/users/set-limit-overrides";
import { startTodoistEmulator, todoistToken } from "../emulators/todoist";
import {
  type FuzzRequest,
  type FuzzTargets,
  IdPool,
  type Integration,
  type McpTool,
  mcpRequest,
  mcpStreamRequest,
  mcpToolCall,
  type OpenApiDocument,
  oddHttpRequest,
  restRequest,
} from "../helpers/fuzz-cases";
import { Random } from "../helpers/fuzz-values";
import { acceptBoth, connectClient, createTenant, uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { createRawHttpClient, type RawOutcome } from "../helpers/raw-http";
import { closeTestConnections } from "../helpers/teardown";

const requestCount = 10_000;
const concurrency = 8;
// Generous: a request answers in milliseconds; this only catches a request that never does.
const requestTimeoutMs = 30_000;
// Below the default, so that bodies over it stay cheap to send; above 64 KiB, so that large tool
// arguments still reach the call path.
const mcpMaxBodyBytes = 262_144;
const formatterActions = [
  "transform_text",
  "count_text",
  "replace_text",
  "truncate_text",
  "split_text",
  "format_number",
  "calculate",
  "format_date",
  "add_to_date",
  "extract_json",
];
const plentyOfCalls = { hour: 1_000_000, day: 1_000_000, month: 1_000_000 };
// JSON-RPC's own "500": a handler that threw. Malformed input must get a specific error instead.
const internalError = '"code":-32603';

let platform: RunningPlatform;
let todoist: Awaited<ReturnType<typeof startTodoistEmulator>>;
let targets: FuzzTargets;
let mcpUserId: string;
let liveSession = "";
/** The legacy SSE transport's streams the fuzz posts messages for; answers arrive on them. */
const legacyStreams: {
  request: http.ClientRequest;
  sessionId: string;
  ended: boolean;
  internalErrors: string[];
}[] = [];

async function json<T>(response: Response): Promise<T> {
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as T;
}

/** Opens a legacy SSE stream, resolving once it names its session, and keeps reading it. */
function openLegacyStream(url: string, headers: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { accept: "text/event-stream", ...headers } }, (response) => {
      if (response.statusCode !== 200)
        return reject(new Error(`legacy stream answered ${response.statusCode}`));
      const stream = { request, sessionId: "", ended: false, internalErrors: [] as string[] };
      let buffered = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        if (chunk.includes(internalError)) stream.internalErrors.push(chunk.slice(0, 500));
        if (stream.sessionId) return;
        buffered += chunk;
        const endpoint = /event: endpoint\ndata: (\S+)/.exec(buffered);
        if (!endpoint) return;
        stream.sessionId = new URL(endpoint[1]!, url).searchParams.get("sessionId") ?? "";
        legacyStreams.push(stream);
        resolve();
      });
      response.on("close", () => {
        stream.ended = true;
      });
    });
    request.on("error", reject);
  });
}

async function initializeSession(): Promise<string> {
  const response = await fetch(`${platform.url}/mcp/${targets.mcpSecret}`, {
    method: "POST",
    headers: { accept: acceptBoth, "content-type": "application/json" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "fuzz", version: "1" } },
    }),
  });
  expect(response.status).toBe(200);
  return response.headers.get("mcp-session-id") ?? "";
}

beforeAll(async () => {
  todoist = await startTodoistEmulator();
  platform = await startPlatform({
    env: {
      TODOIST_API_URL: todoist.url,
      MCP_MAX_BODY_BYTES: String(mcpMaxBodyBytes),
      LOG_LEVEL: "warn",
      // Thousands of requests on one URL: the per-server limits stay in the path of every request
      // but are set high enough not to answer for the fuzz (test/integration/mcp-flood.test.ts
      // tests them).
      MCP_RATE_LIMIT_PER_MINUTE: "1000000",
      MCP_MAX_SESSIONS_PER_SERVER: "100000",
    },
  });
  const tenant = await createTenant(
    platform.url,
    "fuzz-mcp",
    formatterActions.map((action) => ({ integration: "formatter", action })),
  );
  mcpUserId = tenant.userId;
  await setLimitOverrides(tenant.userId, plentyOfCalls);
  const restUser = await createUser({ email: uniqueEmail("fuzz-rest"), password: "correct horse battery" });
  await setLimitOverrides(restUser.id, plentyOfCalls);
  const apiToken = (await createApiToken(restUser.id, { name: "fuzz" })).token;
  const auth = { authorization: `Bearer ${apiToken}` };

  const client = await connectClient(platform.url, tenant.secret);
  const { tools } = await client.listTools();
  await client.close();
  targets = {
    appUrl: platform.url,
    mcpSecret: tenant.secret,
    foreignServerId: tenant.serverId,
    tools: tools as McpTool[],
    sessionId: () => liveSession || undefined,
    legacySessionId: () => legacyStreams.find((stream) => !stream.ended)?.sessionId,
    apiToken,
    openapi: await json<OpenApiDocument>(await fetch(`${platform.url}/api/v1/openapi.json`)),
    integrations: await json<Integration[]>(
      await fetch(`${platform.url}/api/v1/integrations`, { headers: auth }),
    ),
    workingConnection: { integration: "todoist", credentials: { api_token: todoistToken } },
    mcpMaxBodyBytes,
  };
  liveSession = await initializeSession();
  await openLegacyStream(`${platform.url}/mcp/${tenant.secret}/sse`);
  await openLegacyStream(`${platform.url}/mcp/sse`, { authorization: `Bearer ${tenant.secret}` });
}, 300_000);

afterAll(async () => {
  for (const stream of legacyStreams) stream.request.destroy();
  await stopStartedPlatforms();
  await todoist?.stop();
  await closeTestConnections();
});

/** The fuzz deletes sessions now and then (DELETE with the live id): take up a new one when it does. */
function keepSessionAlive(request: FuzzRequest, outcome: RawOutcome): void {
  const offered = outcome.headers["mcp-session-id"];
  if (typeof offered === "string" && outcome.status === 200) liveSession = offered;
  else if (
    outcome.status === 204 &&
    request.method === "DELETE" &&
    request.headers?.["mcp-session-id"] === liveSession
  )
    liveSession = "";
}

function isFailure(request: FuzzRequest, outcome: RawOutcome): boolean {
  if (outcome.status === null || outcome.status >= 500 || outcome.error) return true;
  return request.label.startsWith("mcp") && outcome.body.includes(internalError);
}

type Failure = { request: FuzzRequest; outcome: RawOutcome };

function describeFailure({ request, outcome }: Failure): string {
  const body = request.body === undefined ? "" : String(request.body).slice(0, 300);
  const headers = JSON.stringify(request.headers ?? {}).slice(0, 300);
  return [
    `${request.label}: ${request.method} ${request.path.slice(0, 200)} -> ${outcome.status ?? outcome.error}`,
    `  headers ${headers}`,
    body && `  body ${JSON.stringify(body)}`,
    `  answer ${JSON.stringify(outcome.body.slice(0, 300))}`,
  ]
    .filter(Boolean)
    .join("\n");
}

describe("the platform's edge under fuzzed requests", () => {
  it(`answers ${requestCount} generated MCP, REST and HTTP requests without a 5xx or a dropped connection`, async () => {
    const seed = Random.seedFromEnvironment();
    console.log(`protocol fuzz: seed ${seed} (replay with FUZZ_SEED=${seed})`);
    const random = new Random(seed);
    const ids = new IdPool();
    const client = createRawHttpClient(platform.url, {
      connections: concurrency,
      timeoutMs: requestTimeoutMs,
    });
    const generate = (): FuzzRequest =>
      random.weighted<() => FuzzRequest>([
        [45, () => mcpRequest(random, targets)],
        [10, () => mcpToolCall(random, targets)],
        [1, () => mcpStreamRequest(random, targets)],
        [34, () => restRequest(random, targets, ids)],
        [10, () => oddHttpRequest(random, targets)],
      ])();

    const failures: Failure[] = [];
    const statuses = new Map<string, number>();
    let sent = 0;
    const startedAt = Date.now();
    async function runLane(): Promise<void> {
      while (sent < requestCount) {
        sent++;
        const request = generate();
        const outcome = await client.send(request);
        ids.observe(request, outcome);
        keepSessionAlive(request, outcome);
        const key = `${request.label.split(" ").slice(0, 2).join(" ")} ${outcome.status ?? "no answer"}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        if (isFailure(request, outcome)) failures.push({ request, outcome });
      }
    }
    await Promise.all(Array.from({ length: concurrency }, runLane));
    client.close();
    const seconds = (Date.now() - startedAt) / 1000;
    console.log(
      `protocol fuzz: ${sent} requests in ${seconds.toFixed(1)} s; answers by kind:\n` +
        [...statuses]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([key, count]) => `  ${key}: ${count}`)
          .join("\n"),
    );

    expect(sent).toBeGreaterThanOrEqual(requestCount);
    // The fuzz reached the call path, not only the checks in front of it: calls ran on the worker.
    const ran = await getDb().call.count({ where: { userId: mcpUserId, status: "SUCCESS" } });
    console.log(`protocol fuzz: ${ran} tool calls ran to success`);
    expect(ran).toBeGreaterThan(100);
    // With what the platform logged as errors, which names the failing code.
    const platformErrors = platform
      .output()
      .split("\n")
      .filter(
        (line) => line.includes('"level":50') || line.startsWith("Error") || line.startsWith("TypeError"),
      )
      .slice(-10);
    expect(
      failures.slice(0, 20).map(describeFailure),
      `${failures.length} of ${sent} requests failed (seed ${seed}); the first ones, then the platform's last errors:\n${platformErrors.join("\n")}\n`,
    ).toEqual([]);
  }, 600_000);

  it("is still healthy afterwards: no fault logged, health, the legacy streams, a real client's tool call", async () => {
    expect(platform.process.exitCode).toBeNull();
    // Bad input is the client's mistake (logged at warn at most): an error line is a fault of ours.
    const loggedErrors = platform
      .output()
      .split("\n")
      .filter((line) => /^\{"level":(50|60)/.test(line));
    expect(loggedErrors).toEqual([]);
    const health = await fetch(`${platform.url}/api/health`);
    expect(health.status).toBe(200);
    expect(legacyStreams.filter((stream) => stream.ended)).toEqual([]);
    expect(legacyStreams.flatMap((stream) => stream.internalErrors)).toEqual([]);
    const client = await connectClient(platform.url, targets.mcpSecret, "bearer");
    const result = await client.callTool({ name: "formatter_count_text", arguments: { text: "still here" } });
    await client.close();
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ characters: 10, words: 2, lines: 1 });
  });
});
