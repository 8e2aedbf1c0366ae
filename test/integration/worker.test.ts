// The worker process (workers/index.ts) against redis-servers of its own: it refuses a Redis that
// may evict keys, beats while it runs, answers `cli worker ping`, and stops promptly on SIGTERM.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { waitUntil } from "@/lib/runtime/children";
import { startRedisServer, type TestRedis } from "../helpers/redis-server";
import { runScript } from "../helpers/run-script";

// Spawns processes: on a busy two-core machine each takes seconds, so tests get room; the
// behaviour's own time limits are asserted separately.
vi.setConfig({ testTimeout: 60_000 });

const projectRoot = path.resolve(import.meta.dirname, "../..");

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms)),
  ]);
}

describe("worker on a Redis that evicts keys", () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedisServer(["--maxmemory-policy", "allkeys-lru"]);
  });
  afterAll(async () => {
    await redis.stop();
  });

  it("refuses to start and says why", async () => {
    const result = await withTimeout(
      runScript("workers/index.ts", [], { REDIS_URL: redis.url, LOG_LEVEL: "info" }),
      30_000,
      "the worker's refusal",
    );
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    const fatal = (result.stdout + result.stderr)
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { level: number; msg: string; err?: string })
      .find((line) => line.level === 60);
    expect(fatal?.msg).toBe("worker failed to start");
    expect(fatal?.err).toContain('maxmemory-policy is "allkeys-lru"');
    expect(fatal?.err).toContain('Set it to "noeviction"');
  });
});

describe("worker on a noeviction Redis", () => {
  const prefix = `test-worker-${randomBytes(3).toString("hex")}`;
  const heartbeats = `${prefix}:workers:heartbeats`;
  let redis: TestRedis;
  let client: Redis;
  let worker: ChildProcess;
  let output = "";
  let exited: Promise<number | null>;

  beforeAll(async () => {
    redis = await startRedisServer(["--maxmemory-policy", "noeviction"]);
    client = new Redis(redis.url);
    worker = spawn(
      process.execPath,
      ["scripts/run-bundled.mjs", "workers/index.ts"], // as scripts/start.ts runs it
      {
        cwd: projectRoot,
        env: {
          ...process.env,
          REDIS_URL: redis.url,
          REDIS_PREFIX: prefix,
          HEARTBEAT_INTERVAL_MS: "200",
          LOG_LEVEL: "info",
        },
      },
    );
    worker.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    worker.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    exited = new Promise((resolve) => worker.on("exit", (code) => resolve(code)));
    await waitUntil(
      async () => (await client.zcard(heartbeats)) > 0,
      30_000,
      `the worker's heartbeat (${output})`,
    );
  });

  afterAll(async () => {
    if (worker.exitCode === null) worker.kill("SIGKILL");
    client.disconnect();
    await redis.stop();
  });

  it("keeps its heartbeat fresh in a sorted set under REDIS_PREFIX", async () => {
    const [member, firstScore] = await client.zrange(heartbeats, "0", "0", "WITHSCORES");
    expect(member).toMatch(new RegExp(`^.+:${worker.pid}:[0-9a-f]{8}$`)); // host:pid:random
    await waitUntil(
      async () => Number(await client.zscore(heartbeats, member!)) > Number(firstScore),
      5_000,
      "a newer heartbeat",
    );
    expect(Date.now() - Number(await client.zscore(heartbeats, member!))).toBeLessThan(2_000);
  });

  it("answers `cli worker ping` through the queue", async () => {
    const result = await runScript("scripts/cli.ts", ["worker", "ping"], {
      REDIS_URL: redis.url,
      REDIS_PREFIX: prefix,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`^Worker ${worker.pid} answered; the job waited \\d+ ms in the queue\\.`),
    );
  });

  it("schedules the hourly pruning of old calls and the sweep of lost calls: one schedule each, kept in Redis", async () => {
    const maintenance = new Queue("maintenance", {
      connection: client.duplicate(),
      prefix: `{${prefix}}:bull`,
    });
    try {
      const schedulers = await maintenance.getJobSchedulers();
      expect(schedulers).toHaveLength(2);
      expect(schedulers).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ key: "prune-calls-hourly", name: "prune-calls", every: 3_600_000 }),
          expect.objectContaining({
            key: "sweep-lost-calls-every-minute",
            name: "sweep-lost-calls",
            every: 60_000,
          }),
        ]),
      );
    } finally {
      await maintenance.close();
    }
  });

  it("exits 0 promptly on SIGTERM and removes its heartbeat", async () => {
    const started = Date.now();
    worker.kill("SIGTERM");
    expect(await withTimeout(exited, 5_000, "the worker's stop")).toBe(0);
    console.log(`worker stopped ${Date.now() - started} ms after SIGTERM`);
    expect(output).toContain("worker stopped");
    expect(await client.zcard(heartbeats)).toBe(0);
  });
});
