// `npm start` on embedded defaults: no DATABASE_URL, REDIS_URL or secrets, only a DATA_DIR. It
// must come up healthy on a real PostgreSQL, listen on loopback only, let the CLI find it through
// runtime.json, serve a flood of concurrent tool calls under a quota exactly, stop every process it
// started on SIGTERM, and come back with its accounts after a restart.
import { randomBytes } from "node:crypto";
import { readFile, rm, stat } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { canConnect } from "@/lib/runtime/embedded-postgres";
import { canPing } from "@/lib/runtime/embedded-redis";
import { type CookieJar, sessionCookieName, signInOverHttp } from "../helpers/auth-http";
import { connectClient, secretOfUrl } from "../helpers/mcp";
import {
  createDataDir,
  embeddedEnv,
  type RunningPlatform,
  startPlatform,
  stopStartedPlatforms,
} from "../helpers/platform";
import { killLeftovers, listDescendants, waitUntilGone } from "../helpers/processes";
import { runNpmScript, runScript } from "../helpers/run-script";

// Spawns processes: on a busy two-core machine each takes seconds, so tests get room; the
// behaviour's own time limits are asserted separately.
vi.setConfig({ testTimeout: 240_000 });

const email = `embedded-${randomBytes(4).toString("hex")}@example.com`;
const password = "embedded password";

let dataDir: string;
let platform: RunningPlatform | undefined;
let firstSession: CookieJar;

async function start(label: string): Promise<RunningPlatform> {
  const started = Date.now();
  const running = await startPlatform({ env: embeddedEnv, dataDir });
  console.log(`${label}: ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return running;
}

async function readRuntime(): Promise<{ pid: number; DATABASE_URL: string; REDIS_URL: string }> {
  return JSON.parse(await readFile(path.join(dataDir, "runtime.json"), "utf8"));
}

/**
 * Stops the platform (with SIGTERM to npm unless told otherwise) and checks that every process it
 * started is gone; `stop` resolves with npm's exit code, checked when it is a number.
 */
async function stopAndCheckNothingRemains(
  running: RunningPlatform,
  stop: () => Promise<number | string | null> = running.stop,
): Promise<void> {
  const runtime = await readRuntime();
  const children = await listDescendants(running.process.pid!);
  // The supervisor, the web server, the worker, the hosts of PostgreSQL and redis-server, and those.
  const commands = children.map((child) => child.command);
  for (const part of [
    "scripts/start.ts",
    "scripts/web.ts",
    "workers/index.ts",
    "redis-server",
    "postgres -D",
  ])
    expect(commands.some((command) => command.includes(part))).toBe(true);

  const started = Date.now();
  const exitCode = await stop();
  console.log(`stopped ${((Date.now() - started) / 1000).toFixed(1)} s after the signal`);

  // Helpers that exit when their parent's pipe closes (tsx's esbuild service) get a moment.
  const survivors = await waitUntilGone(children, 3_000);
  killLeftovers(survivors); // leave nothing behind
  expect(survivors).toEqual([]);
  if (typeof exitCode === "number") expect(exitCode).toBe(0);
  else expect(exitCode).toBe("exited");
  expect(await canConnect(runtime.DATABASE_URL)).toBe(false);
  expect(await canPing(runtime.REDIS_URL)).toBe(false);
  await expect(stat(path.join(dataDir, "runtime.json"))).rejects.toThrow(/ENOENT/);
}

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2_000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Waits past the next hour boundary if it is close, so that one flood falls in one hour. */
async function awayFromHourBoundary(marginMs = 30_000): Promise<void> {
  const untilNextHour = 3_600_000 - (Date.now() % 3_600_000);
  if (untilNextHour < marginMs) await new Promise((resolve) => setTimeout(resolve, untilNextHour + 500));
}

beforeAll(async () => {
  dataDir = await createDataDir("embedded");
});

afterAll(async () => {
  await stopStartedPlatforms();
  await rm(dataDir, { recursive: true, force: true });
});

describe("npm start on embedded defaults", () => {
  it("starts healthy with generated secrets and a runtime file", async () => {
    platform = await start("first start (fresh data directory)");
    const health = await fetch(`${platform.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });

    const secretsFile = path.join(dataDir, "secrets.json");
    expect((await stat(secretsFile)).mode & 0o777).toBe(0o600);
    const secrets = JSON.parse(await readFile(secretsFile, "utf8"));
    expect(secrets.AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(Buffer.from(secrets.ENCRYPTION_KEY, "base64")).toHaveLength(32);

    expect(await readRuntime()).toMatchObject({
      pid: platform.supervisorPid,
      DATABASE_URL: expect.stringMatching(/^postgresql:\/\/postgres:.+@127\.0\.0\.1:\d+\/postgres$/),
      REDIS_URL: expect.stringMatching(/^redis:\/\/127\.0\.0\.1:\d+$/),
    });
  });

  it("runs a real PostgreSQL server: durable, on loopback only, behind a password", async () => {
    const url = new URL((await readRuntime()).DATABASE_URL);
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      const settings = await client.query<{ version: string; fsync: string; commit: string; listen: string }>(
        `SELECT version(), current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS commit,
                current_setting('listen_addresses') AS listen`,
      );
      expect(settings.rows[0]).toEqual({
        version: expect.stringMatching(/^PostgreSQL 18\.\d+ on /),
        fsync: "on",
        commit: "on",
        listen: "127.0.0.1",
      });
      expect(settings.rows[0]!.version).not.toContain("PGlite");
      // A real server takes a second database, which PGlite could not.
      await client.query(`CREATE DATABASE "probe_${randomBytes(3).toString("hex")}"`);
    } finally {
      await client.end();
    }
    const wrongPassword = new URL(url);
    wrongPassword.password = "not-the-password";
    expect(await canConnect(wrongPassword.toString())).toBe(false);
    expect(await accepts("127.0.0.2", Number(url.port))).toBe(false);
  });

  it("listens on loopback only by default (HOST unset, APP_URL on 127.0.0.1)", async () => {
    expect(await accepts("127.0.0.1", platform!.port)).toBe(true);
    // Another loopback address reaches a server bound to every interface, but not one bound to 127.0.0.1.
    expect(await accepts("127.0.0.2", platform!.port)).toBe(false);
    expect(await accepts("::1", platform!.port)).toBe(false);
  });

  it("refuses a second instance on the same data directory, naming the first", async () => {
    const second = await runScript("scripts/start.ts", [], { ...embeddedEnv, DATA_DIR: dataDir, PORT: "1" });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      `Toolgate is already running with the data in ${dataDir}: process ${platform!.supervisorPid} (`,
    );
    expect(second.stderr).toContain("scripts/start.ts");
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

  it("serves 200 simultaneous tool calls under an hourly limit of 50: 50 run, 150 are refused, usage agrees", async () => {
    const env = { ...embeddedEnv, DATA_DIR: dataDir };
    const seeded = await runNpmScript("seed:demo", ["--json"], env);
    expect(seeded.code, seeded.stderr).toBe(0);
    const demo = JSON.parse(seeded.stdout.trim().split("\n").pop()!) as { email: string; mcpUrl: string };
    const limited = await runNpmScript(
      "cli",
      ["limits", "set", "--email", demo.email, "--hourly", "50"],
      env,
    );
    expect(limited.code, limited.stderr).toBe(0);
    const tokens = await runNpmScript("cli", ["tokens", "create", "--email", demo.email], env);
    expect(tokens.code, tokens.stderr).toBe(0);
    const token = tokens.stdout.trim().split("\n").pop()!;

    await awayFromHourBoundary();
    const clients: Client[] = await Promise.all(
      Array.from({ length: 200 }, () => connectClient(platform!.url, secretOfUrl(demo.mcpUrl))),
    );
    const started = Date.now();
    const outcomes = await Promise.all(
      clients.map((client, index) =>
        client
          .callTool({
            name: "formatter_transform_text",
            arguments: { text: `call ${index}`, operation: "uppercase" },
          })
          .then(
            (result) => {
              const text = (result.content as { type: string; text: string }[])[0]?.text ?? "";
              if (!result.isError)
                return text.includes(`CALL ${index}`) ? "succeeded" : `wrong answer: ${text}`;
              return text.startsWith("Quota exceeded: the hourly limit of 50 ")
                ? "refused"
                : `error: ${text}`;
            },
            (error: Error) => `failed: ${error.message}`,
          ),
      ),
    );
    await Promise.all(clients.map((client) => client.close()));
    const tally = (outcome: string) => outcomes.filter((candidate) => candidate === outcome).length;
    console.log(
      `200 concurrent calls in ${Date.now() - started} ms: ${tally("succeeded")} succeeded, ${tally("refused")} refused, ` +
        `${200 - tally("succeeded") - tally("refused")} other`,
    );
    expect({
      succeeded: tally("succeeded"),
      refused: tally("refused"),
      other: outcomes.filter((outcome) => outcome !== "succeeded" && outcome !== "refused"),
    }).toEqual({ succeeded: 50, refused: 150, other: [] });

    const api = (route: string) =>
      fetch(`${platform!.url}/api/v1${route}`, { headers: { Authorization: `Bearer ${token}` } });
    const usage = (await (await api("/usage")).json()) as { hour: { used: number; limit: number } };
    expect(usage.hour).toMatchObject({ used: 50, limit: 50 });
    const history = (await (await api("/calls?limit=200")).json()) as { id: string; status: string }[];
    expect(history).toHaveLength(200);
    const statuses = history.map((call) => call.status);
    expect(statuses.filter((status) => status === "SUCCESS")).toHaveLength(50);
    expect(statuses.filter((status) => status === "REFUSED")).toHaveLength(150);
    const older = await (await api(`/calls?limit=200&before=${history.at(-1)!.id}`)).json();
    expect(older).toEqual([]); // 200 rows in the ledger, no more
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
      // Closing a terminal closes the platform's output and sends its process group (npm and the
      // supervisor) SIGHUP; npm itself dies of it, so only the supervisor's exit tells.
      running.process.stdout?.destroy();
      running.process.stderr?.destroy();
      const supervisorGone = waitUntilGone(
        (await listDescendants(running.process.pid!)).filter((entry) => entry.pid === running.supervisorPid),
        30_000,
      );
      for (const pid of [running.process.pid!, running.supervisorPid]) process.kill(pid, "SIGHUP");
      return (await supervisorGone).length === 0 ? "exited" : "still running 30 s after SIGHUP";
    });
  });
});
