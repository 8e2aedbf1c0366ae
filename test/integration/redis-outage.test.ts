// Redis stopped and restarted under a running platform (docs/security.md 21): while it is down, MCP
// requests fail fast with a clear answer instead of hanging; when it is back on the same port,
// calls work again without restarting anything. Likewise while Redis is full and refuses writes.
import { type ChildProcess, spawn } from "node:child_process";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { canPing } from "@/lib/runtime/embedded-redis";
import { findFreePort } from "@/lib/runtime/free-port";
import {
  callRequest,
  connectClient,
  createTenant,
  postRpc,
  responseOf,
  type Tenant,
  textOf,
} from "../helpers/mcp";
import { type RunningPlatform, startPlatform } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

let redisPort: number;
let redis: ChildProcess | undefined;
let platform: RunningPlatform;
let tenant: Tenant;

async function startRedis(): Promise<void> {
  const child = spawn(
    "redis-server",
    [
      "--port",
      String(redisPort),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--maxmemory-policy",
      "noeviction",
      "--loglevel",
      "warning",
    ],
    { stdio: "ignore" },
  );
  redis = child;
  const deadline = Date.now() + 15_000;
  while (!(await canPing(`redis://127.0.0.1:${redisPort}`))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error("redis-server did not start");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopRedis(): Promise<void> {
  const child = redis;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

beforeAll(async () => {
  redisPort = await findFreePort();
  await startRedis();
  // The platform gets this Redis; the test process keeps the run's Redis for its own lib/ calls.
  platform = await startPlatform({ env: { REDIS_URL: `redis://127.0.0.1:${redisPort}` } });
  tenant = await createTenant(platform.url, "outage", [
    { integration: "formatter", action: "transform_text" },
    { integration: "delay", action: "wait" },
  ]);
});

afterAll(async () => {
  await platform?.stop();
  await stopRedis();
  await closeTestConnections();
});

const shout = (text: string) => callRequest("formatter_transform_text", { text, operation: "uppercase" });

describe("Redis stopped and restarted", () => {
  it("answers fast while Redis is down and recovers by itself when it returns", async () => {
    const before = responseOf(await postRpc(tenant.url, shout("before")));
    expect(textOf(before.result)).toContain("BEFORE");

    await stopRedis();
    const outcomes: { ms: number; status: number; text: string }[] = [];
    for (const body of [shout("during"), { jsonrpc: "2.0", id: 2, method: "tools/list" }, shout("again")]) {
      const started = Date.now();
      const reply = await postRpc(tenant.url, body);
      outcomes.push({ ms: Date.now() - started, status: reply.status, text: reply.text });
    }
    for (const outcome of outcomes) {
      expect(outcome.ms).toBeLessThan(3_000);
      expect(outcome.status).toBe(503);
      expect(outcome.text).toMatch(/temporarily unavailable/);
    }
    // A refused request recorded nothing that could later be counted or left pending.
    expect(await getDb().call.count({ where: { userId: tenant.userId, status: "PENDING" } })).toBe(0);
    expect(platform.process.exitCode).toBeNull(); // web and worker are still up

    await startRedis(); // same port, empty: the cache, sessions and queues are all gone
    const deadline = Date.now() + 20_000;
    let recovered: ReturnType<typeof responseOf> | undefined;
    while (!recovered && Date.now() < deadline) {
      const reply = await postRpc(tenant.url, shout("after"));
      if (reply.status === 200 && !responseOf(reply).result?.isError) recovered = responseOf(reply);
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(textOf(recovered?.result)).toContain("AFTER");

    // A real client, a new session and a call that goes through the worker with progress.
    const client = await connectClient(platform.url, tenant.secret);
    try {
      const progress: number[] = [];
      const waited = await client.callTool({ name: "delay_wait", arguments: { seconds: 1 } }, undefined, {
        onprogress: (update) => progress.push(update.progress),
      });
      expect(waited.structuredContent).toEqual({ waitedSeconds: 1 });
      expect(progress.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
    const rows = await getDb().call.findMany({ where: { userId: tenant.userId } });
    expect(rows.filter((row) => row.status === "SUCCESS")).toHaveLength(3);
    expect(rows.filter((row) => row.status === "PENDING")).toHaveLength(0);
  }, 60_000);

  it("answers a call that was running when Redis went away, from the ledger", async () => {
    const started = Date.now();
    const reply = postRpc(tenant.url, callRequest("delay_wait", { seconds: 2 }));
    // Wait until the worker has the job (its ledger row exists and a second has passed).
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(await getDb().call.count({ where: { userId: tenant.userId, status: "PENDING" } })).toBe(1);
    await stopRedis();
    try {
      const response = responseOf(await reply);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeLessThan(8_000);
      expect(response.result?.isError).toBeFalsy();
      expect(response.result?.structuredContent).toEqual({ waitedSeconds: 2 });
      const rows = await getDb().call.findMany({
        where: { userId: tenant.userId },
        orderBy: { startedAt: "desc" },
      });
      expect(rows[0]).toMatchObject({ status: "SUCCESS", counted: true });
    } finally {
      await startRedis();
    }
  }, 60_000);

  it("answers 503 while Redis is full (noeviction refuses writes), and works again once it has room", async () => {
    const admin = new Redis(`redis://127.0.0.1:${redisPort}`);
    try {
      await admin.config("SET", "maxmemory", "1");
      for (const body of [shout("full"), { jsonrpc: "2.0", id: 3, method: "tools/list" }]) {
        const reply = await postRpc(tenant.url, body);
        expect(reply.status).toBe(503);
        expect(reply.headers.get("retry-after")).toBe("5");
        expect(reply.text).toMatch(/temporarily unavailable/);
      }
      await admin.config("SET", "maxmemory", "0");
      await expect
        .poll(async () => textOf(responseOf(await postRpc(tenant.url, shout("room"))).result))
        .toContain("ROOM");
    } finally {
      await admin.config("SET", "maxmemory", "0").catch(() => {});
      admin.disconnect();
    }
  }, 60_000);
});
