// `npm start` on embedded defaults: no DATABASE_URL, REDIS_URL or secrets, only a DATA_DIR. It
// must come up healthy, let the CLI find it through runtime.json, stop every process it started
// on SIGTERM, and come back with its accounts after a restart.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { canConnect } from "@/lib/runtime/embedded-postgres";
import { canPing } from "@/lib/runtime/embedded-redis";
import { type CookieJar, sessionCookieName, signInOverHttp } from "../helpers/auth-http";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { runScript } from "../helpers/run-script";

// Spawns processes: on a busy two-core machine each takes seconds, so tests get room; the
// behaviour's own time limits are asserted separately.
vi.setConfig({ testTimeout: 240_000 });

const embeddedEnv = {
  DATABASE_URL: undefined,
  REDIS_URL: undefined,
  AUTH_SECRET: undefined,
  ENCRYPTION_KEY: undefined,
};
const email = `embedded-${randomBytes(4).toString("hex")}@example.com`;
const password = "embedded password";

let dataDir: string;
let platform: RunningPlatform | undefined;
let firstSession: CookieJar;

type ProcessInfo = { pid: number; ppid: number; args: string };

function listProcesses(): ProcessInfo[] {
  return execFileSync("ps", ["-eo", "pid=,ppid=,args="], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [, pid, ppid, args] = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line)!;
      return { pid: Number(pid), ppid: Number(ppid), args: args! };
    });
}

function descendantsOf(root: number): ProcessInfo[] {
  const all = listProcesses();
  const found: ProcessInfo[] = [];
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const child of all.filter((candidate) => candidate.ppid === parent)) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The node process running scripts/start.ts (tsx runs it in a child of the spawned process). */
function startScriptPid(running: RunningPlatform): number {
  const own = [{ pid: running.process.pid!, args: "" }, ...descendantsOf(running.process.pid!)];
  const script = own.find(
    (candidate) => candidate.args.includes("scripts/start.ts") && candidate.pid !== running.process.pid,
  );
  return script?.pid ?? running.process.pid!;
}

async function start(label: string): Promise<RunningPlatform> {
  const started = Date.now();
  const running = await startPlatform({ env: embeddedEnv, dataDir });
  console.log(`${label}: ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return running;
}

/** Stops the platform (with SIGTERM unless told otherwise) and checks that every process it started is gone. */
async function stopAndCheckNothingRemains(
  running: RunningPlatform,
  stop: () => Promise<number | string | null> = running.stop,
): Promise<void> {
  const runtime = JSON.parse(await readFile(path.join(dataDir, "runtime.json"), "utf8"));
  const children = descendantsOf(running.process.pid!);
  // The web server (scripts/web.ts, Next.js behind it), the worker, PGlite and redis-server at least.
  expect(children.some((child) => child.args.includes("redis-server"))).toBe(true);
  expect(children.some((child) => child.args.includes("embedded-postgres"))).toBe(true);
  expect(children.some((child) => child.args.includes("workers/index.ts"))).toBe(true);
  expect(children.some((child) => child.args.includes("scripts/web.ts"))).toBe(true);

  const started = Date.now();
  const exitCode = await stop();
  console.log(`stopped ${((Date.now() - started) / 1000).toFixed(1)} s after the signal`);

  // Helpers that exit when their parent's pipe closes (tsx's esbuild service) get a moment.
  const graceEnds = Date.now() + 3_000;
  while (Date.now() < graceEnds && children.some((child) => isAlive(child.pid))) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const survivors = children.filter((child) => isAlive(child.pid));
  for (const survivor of survivors) process.kill(survivor.pid, "SIGKILL"); // leave nothing behind
  expect(exitCode).toBe(0);
  expect(survivors).toEqual([]);
  const leftovers = listProcesses().filter(
    (process) => process.args.includes(dataDir) || process.args.includes(`--port ${running.port}`),
  );
  expect(leftovers).toEqual([]);
  expect(await canConnect(runtime.DATABASE_URL)).toBe(false);
  expect(await canPing(runtime.REDIS_URL)).toBe(false);
  await expect(stat(path.join(dataDir, "runtime.json"))).rejects.toThrow(/ENOENT/);
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "toolgate-embedded-"));
});

afterAll(async () => {
  await stopStartedPlatforms();
  await rm(dataDir, { recursive: true, force: true });
});

describe("npm start on embedded defaults", () => {
  it("starts healthy with generated secrets and a runtime file", async () => {
    platform = await start("first start");
    const health = await fetch(`${platform.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });

    const secretsFile = path.join(dataDir, "secrets.json");
    expect((await stat(secretsFile)).mode & 0o777).toBe(0o600);
    const secrets = JSON.parse(await readFile(secretsFile, "utf8"));
    expect(secrets.AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(Buffer.from(secrets.ENCRYPTION_KEY, "base64")).toHaveLength(32);

    const runtime = JSON.parse(await readFile(path.join(dataDir, "runtime.json"), "utf8"));
    expect(runtime).toMatchObject({
      pid: startScriptPid(platform),
      DATABASE_URL: expect.stringMatching(/^postgresql:\/\/.*@127\.0\.0\.1:\d+\//),
      REDIS_URL: expect.stringMatching(/^redis:\/\/127\.0\.0\.1:\d+$/),
    });
  });

  it("refuses a second instance on the same data directory", async () => {
    const second = await runScript("scripts/start.ts", [], { ...embeddedEnv, DATA_DIR: dataDir, PORT: "1" });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      `Another instance (pid ${startScriptPid(platform!)}) is already using ${dataDir}.`,
    );
  });

  it("lets the CLI find the running instance through runtime.json", async () => {
    const result = await runScript(
      "scripts/cli.ts",
      ["users", "create", "--email", email, "--password", password],
      { ...embeddedEnv, DATA_DIR: dataDir },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Created admin ${email} `)); // the first account
    const signIn = await signInOverHttp(platform!.url, email, password);
    expect(signIn.code).toBeNull();
    firstSession = signIn.jar;
  });

  it("stops every process it started on SIGTERM and exits 0", async () => {
    await stopAndCheckNothingRemains(platform!);
    expect(platform!.output()).toContain("[start] stopped");
  });

  it("tells the CLI that nothing is running once it has stopped", async () => {
    const result = await runScript("scripts/cli.ts", ["tokens", "create", "--email", email], {
      ...embeddedEnv,
      DATA_DIR: dataDir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Error: DATABASE_URL is not set and no `npm start` is running/);
  });

  it("restarts healthy with the same accounts, secrets and sessions", async () => {
    platform = await start("restart");
    expect((await fetch(`${platform.url}/api/health`)).status).toBe(200);

    const again = await runScript(
      "scripts/cli.ts",
      ["users", "create", "--email", email, "--password", password],
      { ...embeddedEnv, DATA_DIR: dataDir },
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("already exists");

    expect((await signInOverHttp(platform.url, email, password)).code).toBeNull();
    // The session from before the restart is still valid: AUTH_SECRET was kept in DATA_DIR.
    expect(firstSession.cookies.has(sessionCookieName)).toBe(true);
    const session = await fetch(`${platform.url}/api/auth/session`, {
      headers: { cookie: firstSession.header() },
    });
    expect(await session.json()).toMatchObject({ user: { email } });

    await stopAndCheckNothingRemains(platform);
  });

  it("stops every process when its terminal goes away (SIGHUP, output closed)", async () => {
    platform = await start("third start");
    const running = platform;
    await stopAndCheckNothingRemains(running, async () => {
      // Closing a terminal closes the platform's output and sends it SIGHUP.
      running.process.stdout?.destroy();
      running.process.stderr?.destroy();
      running.process.kill("SIGHUP");
      return Promise.race([
        running.exited,
        new Promise<string>((resolve) =>
          setTimeout(() => resolve("still running 30 s after SIGHUP"), 30_000),
        ),
      ]);
    });
  });
});
