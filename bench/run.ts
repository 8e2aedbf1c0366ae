// `npm run bench`: the platform's MCP endpoint through its whole path (node:http, the MCP handler,
// Redis, the queue, the worker, PostgreSQL) measured beside two bare servers started by the same
// run: an official-SDK server with one echo tool (bench/bare-server.ts), and the design's limit
// (bench/design-limit-server.ts: only the work the design makes mandatory for a tools/call, on raw
// drivers, on the platform's own PostgreSQL and Redis). tools/list and tools/call at 1, 10 and 50
// keep-alive connections: req/s, p50/p99 latency, errors, the platform's ratio to each, and the
// platform again at APP_URL/mcp with an OAuth access token (each request looks the token up) over
// its secret URL. Before the
// load, the idle memory of the platform's own processes (supervisor, web, worker). Loopback only,
// bounded in time.
//
// Services: DATABASE_URL / REDIS_URL when set; otherwise the local PostgreSQL and Redis on
// 127.0.0.1 (a scratch database and key prefix, both removed afterwards); otherwise the
// platform's embedded defaults in a temporary DATA_DIR.
//
// Options: --duration MS (measured time per level and target, default 5000, taken in --rounds
// turns, default 4, alternating with the other targets), --warmup MS (default 1500),
// --levels 1,10,50, --only list|call, --json FILE (also write the figures as JSON), --embedded
// (the embedded defaults a zero-config `npm start` uses, even where DATABASE_URL/REDIS_URL or local
// services exist), --idle-ms MS (how long the platform rests before its memory is read, default
// 60000), --no-memory (skip the idle memory reading), --cpu-prof DIR (every process of the platform
// writes a V8 CPU profile into DIR when it stops), --design-ledger platform (an experiment: the
// design-limit server writes the platform's own Call rows and finishes them with the platform's
// statement and rollup, so its figure shows what the ledger's schema costs).
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import pg from "pg";
import { getEnv, resetEnvCache } from "@/env";
import { registerClient } from "@/lib/authorization-server/clients";
import { exchangeAuthorizationCode, issueAuthorizationCode } from "@/lib/authorization-server/codes";
import { mcpResource } from "@/lib/authorization-server/metadata";
import { disconnectDb, getDb } from "@/lib/db/client";
import { seedDemo } from "@/lib/demo/seed-demo";
import { disconnectRedis } from "@/lib/redis/client";
import { canConnect } from "@/lib/runtime/embedded-postgres";
import { canPing } from "@/lib/runtime/embedded-redis";
import { adoptLocalInstanceSettings } from "@/lib/runtime/runtime-file";
import { setLimitOverrides } from "@/lib/users/set-limit-overrides";
import { createDataDir, type RunningPlatform, startPlatform } from "@/test/helpers/platform";
import { type IdleMemory, measureIdleMemory } from "./idle-memory";
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
    memory: { type: "boolean", default: true },
    "idle-ms": { type: "string", default: "60000" },
    "cpu-prof": { type: "string" },
    "design-ledger": { type: "string", default: "minimal" },
  },
  allowNegative: true,
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

/** A bench process (node with tsx's loader), stopped at clean-up; resolves with its ready line's match. */
function startBenchProcess(
  script: string,
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ match: RegExpExecArray; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(projectRoot, script)], {
    cwd: projectRoot,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, NODE_ENV: "production", ...env },
  });
  cleanups.push(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  });
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`${script} did not start in 30 s`)), 30_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ match, child });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with code ${code}`));
    });
  });
}

/**
 * The design-limit server and its worker on the platform's own PostgreSQL and Redis (a scratch
 * table and key prefix, removed when the server stops). The worker is stopped first (clean-ups
 * run in reverse), then the server, which removes what it made.
 */
async function startDesignLimitServer(
  databaseUrl: string,
  redisUrl: string,
  prefix: string,
  ledger: Record<string, string> = {},
) {
  const env = {
    DESIGN_DATABASE_URL: databaseUrl,
    DESIGN_REDIS_URL: redisUrl,
    DESIGN_PREFIX: prefix,
    ...ledger,
  };
  const server = await startBenchProcess("bench/design-limit-server.ts", env, /listening (\S+)/);
  await startBenchProcess("bench/design-limit-worker.ts", env, /ready/);
  return { url: server.match[1]! };
}

/** What the design-limit server needs to write its calls into the platform's own ledger. */
async function platformLedgerOf(demo: { userId: string; serverId: string }): Promise<Record<string, string>> {
  const tool = await getDb().tool.findFirstOrThrow({
    where: { serverId: demo.serverId, name: "formatter_transform_text" },
    select: { id: true },
  });
  return {
    DESIGN_LEDGER_USER_ID: demo.userId,
    DESIGN_LEDGER_SERVER_ID: demo.serverId,
    DESIGN_LEDGER_TOOL_ID: tool.id,
  };
}

/**
 * An access token for the demo server, as an AI app gets one after the person's consent: a
 * registered client, a grant, and a code exchanged with its PKCE verifier (lib functions, no browser).
 */
async function signInAsAnApp(demo: { userId: string; serverId: string }): Promise<string> {
  const redirectUri = "http://127.0.0.1/callback";
  const client = await registerClient({ client_name: "bench", redirect_uris: [redirectUri] }, "bench");
  const stored = await getDb().mcpClient.findUniqueOrThrow({ where: { clientId: client.client_id } });
  const grant = await getDb().mcpGrant.create({
    data: { clientId: stored.id, userId: demo.userId, serverId: demo.serverId },
  });
  const verifier = randomBytes(32).toString("base64url");
  const code = await issueAuthorizationCode({
    grantId: grant.id,
    redirectUri,
    codeChallenge: createHash("sha256").update(verifier).digest("base64url"),
    resource: mcpResource(),
  });
  const tokens = await exchangeAuthorizationCode({
    code,
    clientId: client.client_id,
    redirectUri,
    codeVerifier: verifier,
  });
  return tokens.access_token;
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

/** `oauth` is the platform at APP_URL/mcp with an OAuth access token instead of the secret URL. */
type TargetName = "echo" | "design" | "platform" | "oauth";

type Row = {
  method: string;
  connections: number;
  results: Partial<Record<TargetName, LevelResult>>;
  /**
   * The platform's req/s over the bare echo's, and over the design-limit server's (tools/call);
   * the platform's with an OAuth access token over its own with the secret URL.
   */
  ratios: { vsEcho?: number; vsDesign?: number; oauthVsSecret?: number };
  /** The ratio the issue sets a target for, if any at this level, and whether it is met. */
  target?: { against: "echo" | "design"; minimum: number; met: boolean };
};

/** tools/list against the bare echo at 1 and 10 connections; tools/call against the design's limit. */
function targetFor(
  method: string,
  connections: number,
): { against: "echo" | "design"; minimum: number } | undefined {
  if (method === "tools/call") return { against: "design", minimum: 0.8 };
  if (method === "tools/list" && connections <= 10) return { against: "echo", minimum: 0.8 };
  return undefined;
}

function buildRow(method: string, connections: number, results: Row["results"]): Row {
  const ratio = (against?: LevelResult) =>
    against && results.platform ? results.platform.requestsPerSecond / against.requestsPerSecond : undefined;
  const ratios = {
    vsEcho: ratio(results.echo),
    vsDesign: ratio(results.design),
    oauthVsSecret:
      results.oauth && results.platform
        ? results.oauth.requestsPerSecond / results.platform.requestsPerSecond
        : undefined,
  };
  const target = targetFor(method, connections);
  const errors = Object.values(results).reduce((sum, result) => sum + result.errors, 0);
  const value = target && (target.against === "echo" ? ratios.vsEcho : ratios.vsDesign);
  return {
    method,
    connections,
    results,
    ratios,
    target:
      target && value !== undefined ? { ...target, met: value >= target.minimum && errors === 0 } : undefined,
  };
}

function formatTable(rows: Row[]): string {
  const number = (value: number | undefined, digits = 0) =>
    value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : "-";
  const cell = (result?: LevelResult) =>
    result
      ? `${number(result.requestsPerSecond)} (${number(result.p50Ms, 2)} / ${number(result.p99Ms, 2)})`
      : "-";
  const header =
    "| method | conns | bare echo req/s (p50 / p99 ms) | design limit req/s (p50 / p99 ms) | platform req/s (p50 / p99 ms) | platform, OAuth token req/s (p50 / p99 ms) | errors | platform / echo | platform / design limit | OAuth / secret URL | target |";
  const divider = `|${header
    .split("|")
    .slice(1, -1)
    .map(() => "---")
    .join("|")}|`;
  const lines = rows.map((row) => {
    const { echo, design, platform, oauth } = row.results;
    const errors = [echo, design, platform, oauth]
      .map((result) => (result ? result.errors : "-"))
      .join(" / ");
    const ratio = (value?: number) => (value === undefined ? "-" : `${number(value, 2)}x`);
    const target = row.target
      ? `>= ${row.target.minimum}x of ${row.target.against === "echo" ? "echo" : "design"} ${row.target.met ? "met" : "NOT met"}`
      : "-";
    return `| ${row.method} | ${row.connections} | ${cell(echo)} | ${cell(design)} | ${cell(platform)} | ${cell(oauth)} | ${errors} | ${ratio(row.ratios.vsEcho)} | ${ratio(row.ratios.vsDesign)} | ${ratio(row.ratios.oauthVsSecret)} | ${target} |`;
  });
  return [header, divider, ...lines].join("\n");
}

function formatMemory(memory: IdleMemory): string {
  const mb = (value: number) => `${Math.round(value)} MB`;
  const { own } = memory;
  return `Idle memory (RSS after ${Math.round(memory.idleForMs / 1000)} s without load): supervisor ${mb(own.supervisor)}, web ${mb(own.web)}, worker ${mb(own.worker)}; total ${mb(memory.total)} (target <= ${idleMemoryTargetMb} MB: ${memory.total <= idleMemoryTargetMb ? "met" : "NOT met"})${memory.services > 0 ? `; embedded services and their hosts ${mb(memory.services)} more` : ""}`;
}

const idleMemoryTargetMb = 400;

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

  const bare = await startBenchProcess("bench/bare-server.ts", {}, /listening (\S+)/);
  const bareUrl = bare.match[1]!;
  say(`bare SDK server at ${bareUrl}`);

  say("starting the platform (scripts/start.ts; builds first if the sources changed)…");
  const platformEnv = {
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    // Throughput, not the per-server request limit, is measured: thousands of requests a second
    // come from one URL.
    MCP_RATE_LIMIT_PER_MINUTE: "0",
    ...(options["cpu-prof"] && {
      NODE_OPTIONS: `--require ${path.join(projectRoot, "bench/cpu-profile-hook.cjs")}`,
      TOOLGATE_CPU_PROFILE_DIR: path.resolve(options["cpu-prof"]),
    }),
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

  // Before any load, so that it is the memory of a platform that has served nothing yet.
  let memory: IdleMemory | undefined;
  if (options.memory) {
    memory = await measureIdleMemory(platform.supervisorPid, Math.max(0, Number(options["idle-ms"])));
    say(formatMemory(memory));
  }

  const services = getEnv();
  const design = await startDesignLimitServer(
    services.DATABASE_URL!,
    services.REDIS_URL!,
    `${prefix}-design`,
    options["design-ledger"] === "platform" ? await platformLedgerOf(demo) : {},
  );
  say(`design-limit server at ${design.url.replace(/\/mcp\/.*/, "/mcp/…")} (and its worker)`);

  const callParams = {
    name: "formatter_transform_text",
    arguments: { text: "Hello, bench", operation: "uppercase" },
  };
  const scenarios: Record<string, Partial<Record<TargetName, Scenario>>> = {
    "tools/list": {
      echo: { method: "tools/list", params: {}, check: expectTools(1) },
      platform: { method: "tools/list", params: {}, check: expectTools(8) },
      oauth: { method: "tools/list", params: {}, check: expectTools(8) },
    },
    "tools/call": {
      echo: {
        method: "tools/call",
        params: { name: "echo", arguments: { text: "Hello, bench" } },
        check: expectText("Hello, bench"),
      },
      design: { method: "tools/call", params: callParams, check: expectText("HELLO, BENCH") },
      platform: { method: "tools/call", params: callParams, check: expectText("HELLO, BENCH") },
      oauth: { method: "tools/call", params: callParams, check: expectText("HELLO, BENCH") },
    },
  };
  const accessToken = await signInAsAnApp(demo);
  const targets: Record<TargetName, Target> = {
    echo: { name: "echo", url: bareUrl },
    design: { name: "design", url: design.url },
    platform: { name: "platform", url: demo.mcpUrl },
    oauth: { name: "oauth", url: `${platform.url}/mcp`, headers: { Authorization: `Bearer ${accessToken}` } },
  };

  const rows: Row[] = [];
  for (const [method, byTarget] of Object.entries(scenarios)) {
    if (options.only && !method.endsWith(options.only)) continue;
    const names = Object.keys(byTarget) as TargetName[];
    for (const connections of levels) {
      // The targets take turns in short rounds, each round in another order (echo, design,
      // platform, then platform, design, echo, ...), so a burst of load from elsewhere on the
      // machine hits them alike.
      const clients = new Map<TargetName, Awaited<ReturnType<typeof openClients>>>();
      for (const name of names) {
        clients.set(name, await openClients(targets[name], byTarget[name]!, connections));
      }
      for (const name of names) await clients.get(name)!.run(warmupMs);
      const phases = new Map<TargetName, Phase[]>(names.map((name) => [name, []]));
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? names : [...names].reverse();
        for (const name of order) phases.get(name)!.push(await clients.get(name)!.run(durationMs / rounds));
      }
      for (const client of clients.values()) client.close();
      const results: Row["results"] = {};
      for (const name of names) results[name] = summarize(connections, phases.get(name)!);
      const row = buildRow(method, connections, results);
      rows.push(row);
      say(
        `${method} @${connections}: ${names.map((name) => `${name} ${results[name]!.requestsPerSecond.toFixed(0)} req/s`).join(", ")}` +
          names
            .filter((name) => results[name]!.firstError)
            .map((name) => `; ${name} error: ${results[name]!.firstError}`)
            .join(""),
      );
    }
  }

  const table = formatTable(rows);
  console.log(
    `\nToolgate MCP benchmark, ${new Date().toISOString()}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), node ${process.version}, load average ${os
      .loadavg()
      .map((load) => load.toFixed(1))
      .join(" ")}`,
  );
  console.log(
    `Services: ${options.embedded || !databaseUrl ? "embedded (PostgreSQL and redis-server in DATA_DIR)" : "the machine's PostgreSQL and Redis"}. Each level: ${warmupMs} ms warm-up, then ${durationMs} ms measured per target in ${rounds} alternating rounds; keep-alive connections, one session each.\n`,
  );
  console.log(table);
  if (memory) console.log(`\n${formatMemory(memory)}`);
  const errors = rows.reduce(
    (sum, row) => sum + Object.values(row.results).reduce((count, result) => count + result.errors, 0),
    0,
  );
  console.log(`\nerrors: ${errors}; whole run ${Math.round((Date.now() - started) / 1000)} s`);
  if (options.json)
    await writeFile(
      options.json,
      `${JSON.stringify({ date: new Date().toISOString(), embedded: options.embedded || !databaseUrl, loadAverage: os.loadavg(), memory, rows }, null, 2)}\n`,
    );
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
