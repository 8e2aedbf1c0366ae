// The design's limit: a bare server that does for a tools/call exactly the work the platform's
// design makes mandatory, on raw drivers and nothing else: node:http; the URL secret's hash looked
// up in Redis (one GET); the quota reserved by one atomic Lua script (hour, day and month
// counters); a ledger row INSERTed in PostgreSQL; a BullMQ job to a separate worker process
// (bench/design-limit-worker.ts), awaited; the worker UPDATEs the row. It answers JSON-RPC as an
// MCP server does, so bench/load.ts drives it unchanged. Its scratch table and Redis keys are
// made at start and removed on SIGTERM. Prints "listening <url>" when ready.
//
// Environment: DESIGN_DATABASE_URL, DESIGN_REDIS_URL, DESIGN_PREFIX (a Redis key prefix and the
// scratch table's name).
import { createHash, randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import { Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";
// The platform's admission script, as it reserves one call in three windows at once.
import { reserveScript } from "@/lib/quota/quota-store";
import { designQueueName, designTableName, readDesignSettings } from "./design-limit-settings";

const settings = readDesignSettings();
const table = designTableName(settings.prefix);
const secret = randomBytes(24).toString("base64url");
const secretKey = `${settings.prefix}:server:${createHash("sha256").update(secret).digest("hex")}`;
const userId = randomUUID();
const serverId = randomUUID();
const unlimited = 1_000_000_000;

type ServerRecord = { serverId: string; userId: string; limits: [number, number, number] };

// As the platform sizes them: a pool of 10 PostgreSQL connections per process.
const db = new pg.Pool({ connectionString: settings.databaseUrl, max: 10 });
const redis = new Redis(settings.redisUrl, {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  lazyConnect: true,
});
const queue = new Queue(designQueueName, {
  connection: new Redis(settings.redisUrl, { maxRetriesPerRequest: 1 }),
  prefix: `{${settings.prefix}}:bull`,
});
const events = new QueueEvents(designQueueName, {
  connection: new Redis(settings.redisUrl, { maxRetriesPerRequest: null }),
  prefix: `{${settings.prefix}}:bull`,
});
const waiters = new Map<string, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
events.on("completed", ({ jobId, returnvalue }) => waiters.get(jobId)?.resolve(returnvalue));
events.on("failed", ({ jobId, failedReason }) => waiters.get(jobId)?.reject(new Error(failedReason)));

type Windows = { keys: string[]; expiries: number[] };

function windowsOf(now: Date): Windows {
  const hour = Math.floor(now.getTime() / 3_600_000);
  const day = Math.floor(hour / 24);
  const month = now.getUTCFullYear() * 12 + now.getUTCMonth();
  const monthEnd = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1) / 1000;
  return {
    keys: [`hour:${hour}`, `day:${day}`, `month:${month}`].map(
      (window) => `${settings.prefix}:quota:{${userId}}:${window}`,
    ),
    expiries: [(hour + 1) * 3_600, (day + 1) * 86_400, monthEnd].map((end) => end + 86_400),
  };
}

type Message = { jsonrpc?: string; id?: number | string; method?: string; params?: Record<string, unknown> };

async function callTool(record: ServerRecord, params: Record<string, unknown>): Promise<unknown> {
  const args = (params.arguments ?? {}) as Record<string, unknown>;
  const now = new Date();
  const windows = windowsOf(now);
  const [refusedBy] = (await redis.evalsha(
    reserveSha,
    3,
    ...windows.keys,
    ...record.limits,
    ...windows.expiries,
  )) as number[];
  if (refusedBy !== 0) return { isError: true, content: [{ type: "text", text: "Quota exceeded." }] };
  const callId = randomUUID();
  await insertCall(callId, record, String(params.name), args, now);
  const result = new Promise<unknown>((resolve, reject) => waiters.set(callId, { resolve, reject }));
  try {
    await queue.add(
      "call",
      { callId, arguments: args },
      { jobId: callId, removeOnComplete: { count: 1_000 } },
    );
    const output = (await result) as { text: string };
    return { content: [{ type: "text", text: output.text }] };
  } finally {
    waiters.delete(callId);
  }
}

async function insertCall(
  callId: string,
  record: ServerRecord,
  toolName: string,
  args: Record<string, unknown>,
  now: Date,
): Promise<void> {
  const { ledger } = settings;
  if (ledger.kind === "minimal") {
    await db.query(
      `INSERT INTO ${table} (id, user_id, server_id, tool_name, input, status, started_at)
       VALUES ($1, $2, $3, $4, $5, 'PENDING', $6)`,
      [callId, record.userId, record.serverId, toolName, JSON.stringify(args), now],
    );
    return;
  }
  // The platform's row: its display input, and a sealed copy the size of the platform's.
  await db.query(
    `INSERT INTO "Call" ("id", "userId", "serverId", "toolId", "toolName", "integration", "action",
       "status", "counted", "input", "sealedInput", "startedAt")
     VALUES ($1, $2, $3, $4, $5, 'formatter', 'transform_text', 'PENDING', true, $6, $7, $8)`,
    [
      callId,
      ledger.userId,
      ledger.serverId,
      ledger.toolId,
      toolName,
      JSON.stringify(args),
      randomBytes(96),
      now,
    ],
  );
}

async function answer(message: Message): Promise<unknown> {
  if (message.method === "initialize")
    return {
      protocolVersion: (message.params?.protocolVersion as string | undefined) ?? "2025-06-18",
      capabilities: { tools: {} },
      serverInfo: { name: "design-limit", version: "1.0.0" },
    };
  if (message.method === "tools/list")
    return { tools: [{ name: "formatter_transform_text", inputSchema: { type: "object" } }] };
  return undefined;
}

async function serve(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const body = await readBody(request);
  const message = JSON.parse(body) as Message;
  if (message.id === undefined) {
    response.writeHead(202).end();
    return;
  }
  const secretInUrl = request.url?.slice("/mcp/".length) ?? "";
  const hash = createHash("sha256").update(secretInUrl).digest("hex");
  const stored = await redis.get(`${settings.prefix}:server:${hash}`);
  if (!stored) {
    response.writeHead(401, { "content-type": "application/json" }).end();
    return;
  }
  const record = JSON.parse(stored) as ServerRecord;
  const result =
    message.method === "tools/call" ? await callTool(record, message.params ?? {}) : await answer(message);
  const reply =
    result === undefined
      ? { jsonrpc: "2.0", id: message.id, error: { code: -32601, message: "Method not found" } }
      : { jsonrpc: "2.0", id: message.id, result };
  const text = JSON.stringify(reply);
  response
    .writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) })
    .end(text);
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

let reserveSha = "";

async function setUp(): Promise<void> {
  await redis.connect();
  await db.query(`CREATE TABLE IF NOT EXISTS ${table} (
    id uuid PRIMARY KEY, user_id uuid NOT NULL, server_id uuid NOT NULL, tool_name text NOT NULL,
    input jsonb NOT NULL, status text NOT NULL, output jsonb, started_at timestamptz NOT NULL,
    finished_at timestamptz, duration_ms integer)`);
  const record: ServerRecord = { serverId, userId, limits: [unlimited, unlimited, unlimited] };
  await redis.set(secretKey, JSON.stringify(record));
  reserveSha = (await redis.script("LOAD", reserveScript)) as string;
  await events.waitUntilReady();
}

async function tearDown(): Promise<void> {
  await Promise.allSettled([
    queue.obliterate({ force: true }),
    db.query(`DROP TABLE IF EXISTS ${table}`),
    settings.ledger.kind === "platform" &&
      db.query(`DELETE FROM "Call" WHERE "integration" = 'formatter' AND "userId" = $1`, [
        settings.ledger.userId,
      ]),
  ]);
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `*${settings.prefix}*`, "COUNT", 1_000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
  await Promise.allSettled([queue.close(), events.close(), db.end()]);
  redis.disconnect();
}

const httpServer = http.createServer((request, response) => {
  if (request.method !== "POST" || !request.url?.startsWith("/mcp/")) {
    response.writeHead(404).end();
    return;
  }
  serve(request, response).catch((error: Error) => {
    if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
    response.end(
      JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32603, message: error.message } }),
    );
  });
});
httpServer.keepAliveTimeout = 65_000;

await setUp();
httpServer.listen(0, "127.0.0.1", () => {
  const address = httpServer.address();
  if (typeof address === "object" && address)
    console.log(`listening http://127.0.0.1:${address.port}/mcp/${secret}`);
});
for (const signal of ["SIGTERM", "SIGINT"] as const)
  process.once(signal, () => {
    httpServer.close();
    httpServer.closeAllConnections();
    void tearDown().finally(() => process.exit(0));
  });
