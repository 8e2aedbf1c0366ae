// GET /api/health while the platform's dependencies die and come back: a platform pointed at its
// own redis-server and its own embedded PostgreSQL, which the test stops and restarts on the same
// port (and, for the database, the same data directory) without restarting the platform.
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Child, stopChild } from "@/lib/runtime/children";
import { startEmbeddedPostgres } from "@/lib/runtime/embedded-postgres";
import { findFreePort } from "@/lib/runtime/free-port";
import {
  createDataDir,
  type RunningPlatform,
  startPlatform,
  stopStartedPlatforms,
} from "../helpers/platform";
import { startRedisServer, type TestRedis } from "../helpers/redis-server";
import { runScript } from "../helpers/run-script";

// Spawns processes: on a busy two-core machine each takes seconds, so tests get room; the
// behaviour's own time limits are asserted separately.
vi.setConfig({ testTimeout: 60_000 });

type Part = { ok: boolean; error?: string };
type Health = {
  status: number;
  body: { status: string; database: Part; redis: Part; worker: Part & { live: number } };
};

let redis: TestRedis;
let postgresDir: string;
let postgresPort: number;
const postgresPassword = randomBytes(24).toString("base64url");
let postgres: Child;
let platform: RunningPlatform;
const platformPrefix = `test-health-${randomBytes(3).toString("hex")}`;

async function getHealth(): Promise<Health & { ms: number }> {
  const started = Date.now();
  const response = await fetch(`${platform.url}/api/health`);
  return { status: response.status, body: await response.json(), ms: Date.now() - started };
}

/** Polls until `matches`; returns the matching answer and how long it took to arrive. */
async function waitForHealth(matches: (health: Health) => boolean, timeoutMs: number, what: string) {
  const started = Date.now();
  let last: (Health & { ms: number }) | undefined;
  while (Date.now() - started < timeoutMs) {
    last = await getHealth();
    if (matches(last)) return { ...last, elapsedMs: Date.now() - started };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} not seen within ${timeoutMs} ms; last answer: ${JSON.stringify(last)}`);
}

const healthy = (health: Health) => health.status === 200 && health.body.status === "ok";

/** `npm run healthcheck -- <part>` as a container health check runs it against this platform. */
async function probe(part: "web" | "worker") {
  const result = await runScript("scripts/healthcheck.ts", [part], {
    PORT: String(platform.port),
    REDIS_URL: redis.url,
    REDIS_PREFIX: platformPrefix,
    HEARTBEAT_INTERVAL_MS: "500",
  });
  return { code: result.code, line: result.stdout.trim() };
}

beforeAll(async () => {
  redis = await startRedisServer();
  postgresDir = await createDataDir("health-pg");
  postgresPort = await findFreePort();
  const embedded = await startEmbeddedPostgres({
    directory: path.join(postgresDir, "postgres"),
    password: postgresPassword,
    port: postgresPort,
  });
  postgres = embedded.child;
  platform = await startPlatform({
    env: {
      DATABASE_URL: embedded.url,
      REDIS_URL: redis.url,
      REDIS_PREFIX: platformPrefix,
      HEARTBEAT_INTERVAL_MS: "500",
    },
  });
});

afterAll(async () => {
  const code = await platform?.stop();
  await stopStartedPlatforms();
  await redis?.stop();
  if (postgres) await stopChild(postgres, 5_000);
  if (postgresDir) await rm(postgresDir, { recursive: true, force: true });
  expect(code).toBe(0);
});

describe("GET /api/health", () => {
  it("is 200 while everything runs", async () => {
    const health = await waitForHealth(healthy, 10_000, "a healthy answer");
    expect(health.body.worker.live).toBe(1);
  });

  it("lets a health check probe the web server and this host's worker one at a time", async () => {
    expect(await probe("web")).toEqual({ code: 0, line: expect.stringMatching(/^web: healthy/) });
    expect(await probe("worker")).toEqual({
      code: 0,
      line: expect.stringMatching(/^worker: healthy \(1 live/),
    });
    const otherPrefix = await runScript("scripts/healthcheck.ts", ["worker"], {
      REDIS_URL: redis.url,
      REDIS_PREFIX: `${platformPrefix}-none`,
    });
    expect(otherPrefix.code).toBe(1);
    expect(otherPrefix.stdout).toMatch(/no worker heartbeat/);
  });

  it("says 503 with redis.ok false within 3 s of Redis dying, and recovers when it returns", async () => {
    await redis.kill();
    const down = await waitForHealth(
      (health) => health.status === 503 && !health.body.redis.ok,
      3_000,
      "503 with redis.ok false",
    );
    console.log(`Redis killed: 503 after ${down.elapsedMs} ms (the answer took ${down.ms} ms)`);
    expect(down.body).toMatchObject({ status: "unhealthy", database: { ok: true }, redis: { ok: false } });
    expect(down.body.worker.ok).toBe(false);
    expect(down.ms).toBeLessThan(2_500); // the check answers quickly instead of hanging
    expect(await probe("web")).toEqual({ code: 1, line: expect.stringMatching(/redis not ok/) });
    expect((await probe("worker")).code).toBe(1);

    await redis.start();
    const back = await waitForHealth(healthy, 20_000, "a healthy answer after Redis restarted");
    console.log(`Redis restarted: healthy again after ${back.elapsedMs} ms`);
    expect(back.body.worker.live).toBe(1);
  });

  it("says 503 with database.ok false when the database stops, and recovers when it returns", async () => {
    await stopChild(postgres, 5_000);
    const down = await waitForHealth(
      (health) => health.status === 503 && !health.body.database.ok,
      3_000,
      "503 with database.ok false",
    );
    console.log(`Database stopped: 503 after ${down.elapsedMs} ms (the answer took ${down.ms} ms)`);
    expect(down.body).toMatchObject({ status: "unhealthy", database: { ok: false }, redis: { ok: true } });
    expect(down.body.database.error).toMatch(/reach database server|connect|terminat|closed/i);
    expect(down.body.database.error).not.toMatch(/postgres(ql)?:\/\//); // no connection strings
    expect(await probe("web")).toEqual({ code: 1, line: expect.stringMatching(/database not ok/) });

    postgres = (
      await startEmbeddedPostgres({
        directory: path.join(postgresDir, "postgres"),
        password: postgresPassword,
        port: postgresPort,
      })
    ).child;
    const back = await waitForHealth(healthy, 20_000, "a healthy answer after the database restarted");
    console.log(`Database restarted: healthy again after ${back.elapsedMs} ms`);
  });

  it("recovered without a restart of the platform", () => {
    expect(platform.process.exitCode).toBeNull();
    expect(platform.output()).not.toContain("exited unexpectedly");
    expect(platform.output().match(/\[start\] ready:/g)).toHaveLength(1);
  });
});
