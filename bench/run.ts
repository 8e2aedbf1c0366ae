// `npm run bench`: tools/list and tools/call through the platform's whole path (next start, the
// MCP route, Redis, the queue, the worker, PostgreSQL) against a bare official-SDK server with one
// echo tool, both started by this run, at 1, 10 and 50 keep-alive connections. Prints req/s,
// p50/p99 latency, errors and the platform/bare ratio. Loopback only, bounded in time.
//
// Services: DATABASE_URL / REDIS_URL when set; otherwise the local PostgreSQL and Redis on
// 127.0.0.1 (a scratch database and key prefix, both removed afterwards); otherwise the
// platform's embedded defaults in a temporary DATA_DIR.
//
// Options: --duration MS (measured time per level and target, default 5000, taken in --rounds
// turns, default 4, alternating with the other target), --warmup MS (default 1500),
// --levels 1,10,50, --only list|call, --json FILE (also write the figures as JSON), --embedded
// (the embedded defaults a zero-config `npm start` uses, even where DATABASE_URL/REDIS_URL or local
// services exist).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import pg from "pg";
import { resetEnvCache } from "@/env";
import { disconnectDb } from "@/lib/db/client";
import { seedDemo } from "@/lib/demo/seed-demo";
import { disconnectRedis } from "@/lib/redis/client";
import { canConnect } from "@/lib/runtime/embedded-postgres";
import { canPing } from "@/lib/runtime/embedded-redis";
import { adoptLocalInstanceSettings } from "@/lib/runtime/runtime-file";
import { setLimitOverrides } from "@/lib/users/set-limit-overrides";
import { createDataDir, type RunningPlatform, startPlatform } from "@/test/helpers/platform";
import { type LevelResult, openClients, type Phase, type Scenario, summarize, type Target } from "./load";

const projectRoot = path.resolve(import.meta.dirname, "..");
const say = (message: string) => process.stderr.write(`[bench] ${message}\n`);

const { values: options } = parseArgs({
  options: {
    duration: { type: "string", default: "5000" },
    warmup: { type: "string", default: "1500" },
    levels: { type: "string", default: "1,10,50" },
    rounds: { type: "string", default: "4" },
    only: { type: "string" },
    json: { type: "string" },
    embedded: { type: "boolean", default: false },
  },
});
const durationMs = Math.min(30_000, Math.max(500, Number(options.duration)));
const warmupMs = Math.min(10_000, Math.max(0, Number(options.warmup)));
const rounds = Math.min(20, Math.max(1, Math.round(Number(options.rounds))));
const levels = options.levels
  .split(",")
  .map(Number)
  .filter((level) => Number.isInteger(level) && level >= 1 && level <= 200);

const runId = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
const cleanups: (() => Promise<unknown>)[] = [];

async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error: Error) => say(error.message));
  cleanups.length = 0;
}

/** DATABASE_URL as given, or a scratch database on the local server, or none (embedded). */
async function provideDatabase(): Promise<string | undefined> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const serverUrl = `postgresql://${os.userInfo().username}@127.0.0.1:5432/postgres`;
  if (!(await canConnect(serverUrl))) return undefined;
  const database = `toolgate_bench_${runId}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  cleanups.push(async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await client.end();
  });
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function provideRedis(prefix: string): Promise<string | undefined> {
  const url =
    process.env.REDIS_URL ??
    ((await canPing("redis://127.0.0.1:6379")) ? "redis://127.0.0.1:6379" : undefined);
  if (url) {
    cleanups.push(async () => {
      const redis = new Redis(url);
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `*${prefix}*`, "COUNT", 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== "0");
      redis.disconnect();
    });
  }
  return url;
}

function startBareServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [path.join(projectRoot, "node_modules/tsx/dist/cli.mjs"), path.join(projectRoot, "bench/bare-server.ts")],
    {
      cwd: projectRoot,
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, NODE_ENV: "production" },
    },
  );
  cleanups.push(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  });
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error("the bare server did not start in 30 s")), 30_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, child });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the bare server exited with code ${code}`));
    });
  });
}

function expectTools(minimum: number) {
  return (message: { result?: Record<string, unknown> }) => {
    const tools = message.result?.tools;
    return Array.isArray(tools) && tools.length >= minimum
      ? undefined
      : `tools/list returned ${JSON.stringify(message.result).slice(0, 200)}`;
  };
}

function expectText(expected: string) {
  return (message: { result?: Record<string, unknown> }) => {
    const result = message.result as
      | { isError?: boolean; content?: { type: string; text?: string }[]; structuredContent?: unknown }
      | undefined;
    if (result?.isError) return `tool error: ${result.content?.[0]?.text?.slice(0, 200)}`;
    const text = result?.content?.[0]?.text ?? "";
    return text.includes(expected) ? undefined : `unexpected result ${JSON.stringify(result).slice(0, 200)}`;
  };
}

type Row = { method: string; connections: number; bare: LevelResult; platform: LevelResult };

const targets = { "tools/list": 0.8, "tools/call": 0.5 } as const;

function formatTable(rows: Row[]): string {
  const number = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : "-");
  const header =
    "| method | conns | bare req/s | bare p50 ms | bare p99 ms | bare errors | platform req/s | platform p50 ms | platform p99 ms | platform errors | ratio | target |";
  const divider = `|${header
    .split("|")
    .slice(1, -1)
    .map(() => "---")
    .join("|")}|`;
  const lines = rows.map((row) => {
    const ratio = row.platform.requestsPerSecond / row.bare.requestsPerSecond;
    const target = targets[row.method as keyof typeof targets];
    const met = ratio >= target && row.platform.errors === 0 && row.bare.errors === 0;
    return `| ${row.method} | ${row.connections} | ${number(row.bare.requestsPerSecond)} | ${number(row.bare.p50Ms, 2)} | ${number(row.bare.p99Ms, 2)} | ${row.bare.errors} | ${number(row.platform.requestsPerSecond)} | ${number(row.platform.p50Ms, 2)} | ${number(row.platform.p99Ms, 2)} | ${row.platform.errors} | ${number(ratio, 2)}x | >= ${target}x ${met ? "met" : "NOT met"} |`;
  });
  return [header, divider, ...lines].join("\n");
}

async function main(): Promise<void> {
  const started = Date.now();
  const prefix = `bench-${runId}`;
  const dataDir = await createDataDir("bench");
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const databaseUrl = options.embedded ? undefined : await provideDatabase();
  const redisUrl = options.embedded ? undefined : await provideRedis(prefix);
  say(
    `services: database ${databaseUrl ? new URL(databaseUrl).pathname.slice(1) : "embedded"}, redis ${redisUrl ?? "embedded"} (prefix ${prefix})`,
  );

  const bare = await startBareServer();
  say(`bare SDK server at ${bare.url}`);

  say("starting the platform (scripts/start.ts; builds first if the sources changed)…");
  const platformEnv = {
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    // Throughput, not the per-server request limit, is measured: thousands of requests a second
    // come from one URL.
    MCP_RATE_LIMIT_PER_MINUTE: "0",
    NODE_ENV: undefined,
    AUTH_SECRET: undefined,
    ENCRYPTION_KEY: undefined,
  };
  let platform: RunningPlatform;
  try {
    platform = await startPlatform({ env: platformEnv, dataDir, timeoutMs: 240_000 });
  } catch (error) {
    say((error as Error).message);
    throw new Error("the platform did not start");
  }
  cleanups.push(() => platform.stop());
  say(`platform at ${platform.url} (started in ${Math.round((Date.now() - started) / 1000)} s)`);

  // Seed through the library, as `npm run seed:demo` does, with the instance's own settings.
  Object.assign(process.env, { DATA_DIR: dataDir, APP_URL: platform.url, REDIS_PREFIX: prefix });
  if (databaseUrl) process.env.DATABASE_URL = databaseUrl;
  if (redisUrl) process.env.REDIS_URL = redisUrl;
  resetEnvCache();
  await adoptLocalInstanceSettings();
  const demo = await seedDemo("bench@toolgate.local");
  const unlimited = 1_000_000_000;
  await setLimitOverrides(demo.userId, { hour: unlimited, day: unlimited, month: unlimited });
  cleanups.push(() => Promise.allSettled([disconnectDb(), disconnectRedis()]));
  say("seeded the demo server; limits raised so no call is refused");

  const scenarios: Record<string, { bare: Scenario; platform: Scenario }> = {
    "tools/list": {
      bare: { method: "tools/list", params: {}, check: expectTools(1) },
      platform: { method: "tools/list", params: {}, check: expectTools(8) },
    },
    "tools/call": {
      bare: {
        method: "tools/call",
        params: { name: "echo", arguments: { text: "Hello, bench" } },
        check: expectText("Hello, bench"),
      },
      platform: {
        method: "tools/call",
        params: {
          name: "formatter_transform_text",
          arguments: { text: "Hello, bench", operation: "uppercase" },
        },
        check: expectText("HELLO, BENCH"),
      },
    },
  };
  const bareTarget: Target = { name: "bare", url: bare.url };
  const platformTarget: Target = { name: "platform", url: demo.mcpUrl };

  const rows: Row[] = [];
  for (const [method, scenario] of Object.entries(scenarios)) {
    if (options.only && !method.endsWith(options.only)) continue;
    for (const connections of levels) {
      // The two targets take turns in short rounds (bare, platform, platform, bare, ...), so a
      // burst of load from elsewhere on the machine hits both alike.
      const bareClients = await openClients(bareTarget, scenario.bare, connections);
      const platformClients = await openClients(platformTarget, scenario.platform, connections);
      await bareClients.run(warmupMs);
      await platformClients.run(warmupMs);
      const barePhases: Phase[] = [];
      const platformPhases: Phase[] = [];
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? ["bare", "platform"] : ["platform", "bare"];
        for (const which of order) {
          if (which === "bare") barePhases.push(await bareClients.run(durationMs / rounds));
          else platformPhases.push(await platformClients.run(durationMs / rounds));
        }
      }
      bareClients.close();
      platformClients.close();
      const bareResult = summarize(connections, barePhases);
      const platformResult = summarize(connections, platformPhases);
      rows.push({ method, connections, bare: bareResult, platform: platformResult });
      say(
        `${method} @${connections}: bare ${bareResult.requestsPerSecond.toFixed(0)} req/s, platform ${platformResult.requestsPerSecond.toFixed(0)} req/s` +
          (bareResult.firstError ? `; bare error: ${bareResult.firstError}` : "") +
          (platformResult.firstError ? `; platform error: ${platformResult.firstError}` : ""),
      );
    }
  }

  const table = formatTable(rows);
  console.log(
    `\nToolgate MCP benchmark, ${new Date().toISOString()}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), node ${process.version}`,
  );
  console.log(
    `Each level: ${warmupMs} ms warm-up, then ${durationMs} ms measured per target in ${rounds} alternating rounds; keep-alive connections, one session each.\n`,
  );
  console.log(table);
  const errors = rows.reduce((sum, row) => sum + row.bare.errors + row.platform.errors, 0);
  console.log(`\nerrors: ${errors}; whole run ${Math.round((Date.now() - started) / 1000)} s`);
  if (options.json)
    await writeFile(options.json, `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`);
}

let exitCode = 0;
const interrupted = () => {
  say("interrupted; cleaning up");
  void cleanUp().then(() => process.exit(130));
};
process.once("SIGINT", interrupted);
process.once("SIGTERM", interrupted);
main()
  .catch((error: Error) => {
    say(`failed: ${error.message}`);
    exitCode = 1;
  })
  .then(cleanUp)
  .then(() => process.exit(exitCode));
