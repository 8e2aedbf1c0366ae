// Supervision that cannot orphan: `npm start` on embedded defaults, killed the way the world kills
// processes (SIGKILL of npm, of the supervisor, of one child as the OOM killer would). Within 10 s
// no process of the platform may remain, PostgreSQL and redis-server included, and the next start
// on the same data directory must serve the same accounts. A start on a directory whose database
// or Redis is still held refuses, naming the process.
import { randomBytes } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { stopChild } from "@/lib/runtime/children";
import { startEmbeddedPostgres } from "@/lib/runtime/embedded-postgres";
import { startEmbeddedRedis } from "@/lib/runtime/embedded-redis";
import type { ProcessInfo } from "@/lib/runtime/process-info";
import { signInOverHttp } from "../helpers/auth-http";
import {
  createDataDir,
  embeddedEnv,
  type RunningPlatform,
  startPlatform,
  stopStartedPlatforms,
} from "../helpers/platform";
import { killLeftovers, listDescendants, waitUntilGone } from "../helpers/processes";
import { runScript } from "../helpers/run-script";

vi.setConfig({ testTimeout: 240_000 });

const email = `supervised-${randomBytes(4).toString("hex")}@example.com`;
const password = "supervised password";

let dataDir: string;

const start = () => startPlatform({ env: embeddedEnv, dataDir });

/** Every process of the platform, checked to include each part of it. */
async function listPlatformProcesses(running: RunningPlatform): Promise<ProcessInfo[]> {
  const processes = [
    { pid: running.process.pid!, ppid: process.pid, command: "npm start" },
    ...(await listDescendants(running.process.pid!)),
  ];
  const commands = processes.map((entry) => entry.command);
  for (const part of [
    "scripts/start.ts",
    "scripts/web.ts",
    "workers/index.ts",
    "service-host.mjs",
    "postgres -D",
    "postgres: checkpointer",
    "redis-server",
  ])
    expect(
      commands.some((command) => command.includes(part)),
      part,
    ).toBe(true);
  return processes;
}

/** After `kill`, waits (10 s at most, as promised) for every process of the platform to end. */
async function expectAllGoneWithin10s(processes: ProcessInfo[], kill: () => void): Promise<void> {
  const killedAt = Date.now();
  kill();
  const survivors = await waitUntilGone(processes, 10_000);
  console.log(
    `${processes.length} processes; the last ended ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`,
  );
  killLeftovers(survivors);
  expect(survivors).toEqual([]);
}

async function expectSameAccount(running: RunningPlatform): Promise<void> {
  expect((await signInOverHttp(running.url, email, password)).code).toBeNull();
}

beforeAll(async () => {
  dataDir = await createDataDir("supervised");
});

afterAll(async () => {
  await stopStartedPlatforms();
  await rm(dataDir, { recursive: true, force: true });
});

describe("npm start, killed", () => {
  it("kill -KILL of npm ends every process within 10 s; the next start serves the same accounts", async () => {
    const first = await start();
    const created = await runScript(
      "scripts/cli.ts",
      ["users", "create", "--email", email, "--password", password],
      {
        ...embeddedEnv,
        DATA_DIR: dataDir,
      },
    );
    expect(created.code, created.stderr).toBe(0);
    const processes = await listPlatformProcesses(first);
    await expectAllGoneWithin10s(processes, () => process.kill(first.process.pid!, "SIGKILL"));

    const second = await start();
    await expectSameAccount(second);
    await second.stop();
  });

  it("kill -KILL of the supervisor ends every process within 10 s; the next start serves the same accounts", async () => {
    const running = await start();
    const processes = await listPlatformProcesses(running);
    await expectAllGoneWithin10s(processes, () => process.kill(running.supervisorPid, "SIGKILL"));

    const next = await start();
    await expectSameAccount(next);
    await next.stop();
  });

  it("a child killed with SIGKILL (the worker, as the OOM killer would) stops the rest; npm start fails", async () => {
    const running = await start();
    const processes = await listPlatformProcesses(running);
    const worker = processes.find((entry) => entry.command.includes("workers/index.ts"))!;
    await expectAllGoneWithin10s(processes, () => process.kill(worker.pid, "SIGKILL"));
    expect(await running.exited).not.toBe(0);
    expect(running.output()).toContain(
      "[start] worker exited unexpectedly (code 137); stopping the platform",
    );
  });
});

describe("npm start on a data directory still held", () => {
  it("refuses while the database of an earlier start still runs, naming its process", async () => {
    const { POSTGRES_PASSWORD } = JSON.parse(await readFile(path.join(dataDir, "secrets.json"), "utf8"));
    const directory = path.join(dataDir, "postgres");
    const leftover = await startEmbeddedPostgres({ directory, password: POSTGRES_PASSWORD });
    try {
      const postmaster = Number(
        (await readFile(path.join(directory, "postmaster.pid"), "utf8")).split("\n")[0],
      );
      const refused = await start().then(
        () => "started",
        (error: Error) => error.message,
      );
      expect(refused).toContain(`The database in ${directory} is still in use by `);
      expect(refused).toContain(`process ${postmaster} (`);
      expect(refused).toMatch(/If it is still there, stop it with `kill [\d ]+`/);
    } finally {
      await stopChild(leftover.child, 10_000);
    }
  });

  it("refuses while the Redis of an earlier start still runs, naming its process", async () => {
    const leftover = await startEmbeddedRedis(dataDir);
    try {
      const pid = Number(await readFile(path.join(dataDir, "redis", "redis-server.pid"), "utf8"));
      const refused = await start().then(
        () => "started",
        (error: Error) => error.message,
      );
      expect(refused).toContain(
        `The Redis data in ${path.join(dataDir, "redis")} is still in use by process ${pid} (redis-server`,
      );
    } finally {
      await stopChild(leftover.child, 10_000);
    }
  });
});
