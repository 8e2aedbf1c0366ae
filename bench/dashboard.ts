// `npm run bench:dashboard`: the admin dashboards' queries at scale. Creates a scratch database on
// the run's PostgreSQL (DATABASE_URL's server, else the local one on 127.0.0.1:5432), migrates it,
// seeds 10k users with 1M calls over 35 days and the UsageHourly rollup the ledger would have
// written for them, then times each dashboard query (30 runs after 3 warm-ups) and prints p50/p95
// against the 200 ms p95 target. The scratch database is dropped at the end (--keep keeps it).
//
// Options: --users N (10000), --calls N (1000000), --days N (35), --runs N (30),
// --keep (leave the database, print its URL), --json FILE (also write the figures as JSON).
// A dashboard adds its queries to `dashboardQueries` below, one line each.
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import os from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { resetEnvCache } from "@/env";
import { getAdminOverview, overviewHours, queryActiveUsers, queryHourlyUsage } from "@/lib/admin/overview";
import { listUsersWithUsage } from "@/lib/admin/users";
import { durationBucketBoundsMs, durationBucketColumns } from "@/lib/calls/ledger";
import { disconnectDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrations";
import { disconnectRedis } from "@/lib/redis/client";
import { canConnect } from "@/lib/runtime/embedded-postgres";

const say = (message: string) => process.stderr.write(`[bench:dashboard] ${message}\n`);

const { values: options } = parseArgs({
  options: {
    users: { type: "string", default: "10000" },
    calls: { type: "string", default: "1000000" },
    days: { type: "string", default: "35" },
    runs: { type: "string", default: "30" },
    keep: { type: "boolean", default: false },
    json: { type: "string" },
  },
});
const userCount = Math.max(1, Math.round(Number(options.users)));
const callCount = Math.max(1, Math.round(Number(options.calls)));
const days = Math.max(8, Math.round(Number(options.days)));
const runs = Math.max(1, Math.round(Number(options.runs)));
const warmups = 3;
const targetP95Ms = 200;

const hourMs = 3_600_000;

type DashboardQuery = { name: string; run: () => Promise<unknown> };

/**
 * Every dashboard query, timed one after another. Add a dashboard's query with one line:
 * `{ name: "users: first page", run: () => listUsers({ page: 1 }) },`.
 */
function dashboardQueries(now: Date): DashboardQuery[] {
  const currentHour = Math.floor(now.getTime() / hourMs) * hourMs;
  const from = new Date(currentHour - (overviewHours - 1) * hourMs);
  const to = new Date(currentHour + hourMs);
  const recentFrom = new Date(currentHour - 23 * hourMs);
  const firstDay = new Date(Math.floor(now.getTime() / (24 * hourMs)) * 24 * hourMs - 6 * 24 * hourMs);
  return [
    { name: "overview: calls per hour, 7 days", run: () => queryHourlyUsage(from, to) },
    {
      name: "overview: active users (days, 24 h, 7 d)",
      run: () => queryActiveUsers(from, to, recentFrom, firstDay),
    },
    { name: "overview: getAdminOverview (both)", run: () => getAdminOverview(now) },
    { name: "users: by share of quota, page 1", run: () => listUsersWithUsage({ sort: "share" }, now) },
    {
      name: "users: by share of quota, page 100",
      run: () => listUsersWithUsage({ sort: "share", page: 100 }, now),
    },
    { name: "users: by email, page 1", run: () => listUsersWithUsage({ sort: "email" }, now) },
    { name: "users: search", run: () => listUsersWithUsage({ search: "user42" }, now) },
  ];
}

async function findServer(): Promise<string> {
  const candidates = [
    process.env.DATABASE_URL,
    "postgres://postgres@127.0.0.1:5432/postgres",
    `postgres://${os.userInfo().username}@127.0.0.1:5432/postgres`,
  ].filter((url): url is string => Boolean(url));
  for (const url of candidates) if (await canConnect(url)) return url;
  throw new Error("No PostgreSQL to use: set DATABASE_URL or run one on 127.0.0.1:5432.");
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function timed(label: string, work: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  await work();
  say(`${label} (${((performance.now() - started) / 1_000).toFixed(1)} s)`);
}

/**
 * Users (with a server each), calls spread over `days` (a few heavy users make most calls, as in
 * life: user = N * r^2), durations roughly log-normal around 150 ms with a tail past 30 s,
 * outcomes 90% success, 5% error, 1% timeout, 4% refused, then the rollup derived from them
 * exactly as the ledger's statements would have built it.
 */
async function seed(client: pg.Client, now: Date): Promise<void> {
  await client.query("SET synchronous_commit = off");
  const planId = (await client.query<{ id: string }>(`SELECT "id" FROM "Plan" WHERE "isDefault" LIMIT 1`))
    .rows[0]?.id;
  await timed(`${userCount.toLocaleString("en")} users and servers`, async () => {
    await client.query(
      `INSERT INTO "User" ("id", "email", "role", "planId", "createdAt", "updatedAt")
       SELECT 'user' || i, 'user' || i || '@bench.test', 'USER', $1, $2::timestamp - (i || ' minutes')::interval, $2::timestamp
         FROM generate_series(1, $3::int) AS i`,
      [planId ?? null, now.toISOString(), userCount],
    );
    await client.query(
      `INSERT INTO "McpServer" ("id", "userId", "name", "secretHash", "updatedAt")
       SELECT 'server' || i, 'user' || i, 'Bench server', md5('bench' || i), $1::timestamp
         FROM generate_series(1, $2::int) AS i`,
      [now.toISOString(), userCount],
    );
  });
  await timed(`${callCount.toLocaleString("en")} calls over ${days} days`, async () => {
    await client.query(
      `INSERT INTO "Call" ("id", "userId", "serverId", "toolName", "integration", "action", "status", "counted",
                           "durationMs", "errorCode", "errorMessage", "input", "output", "startedAt", "finishedAt")
       SELECT 'call' || i, 'user' || u, 'server' || u, 'github_create_issue', 'github', 'create_issue', s::"CallStatus",
              s = 'SUCCESS', d, e, CASE WHEN e IS NULL THEN NULL ELSE 'The action failed.' END,
              jsonb_build_object('repo', 'acme/app', 'title', 'Issue ' || i),
              CASE WHEN s = 'SUCCESS' THEN jsonb_build_object('number', i) END,
              t, t + d * interval '1 millisecond'
         FROM (
           SELECT i, u, t, s,
                  CASE s WHEN 'REFUSED' THEN 0 WHEN 'TIMEOUT' THEN 30000 + (random() * 500)::int ELSE d END AS d,
                  CASE s WHEN 'ERROR' THEN 'action_failed' WHEN 'TIMEOUT' THEN 'timeout'
                         WHEN 'REFUSED' THEN 'quota_exceeded' END AS e
             FROM (
               SELECT i,
                      1 + floor($1::int * random() ^ 2)::int AS u,
                      date_trunc('milliseconds', $2::timestamp - random() * ($3::int * interval '1 day')) AS t,
                      CASE WHEN r < 0.90 THEN 'SUCCESS' WHEN r < 0.95 THEN 'ERROR' WHEN r < 0.96 THEN 'TIMEOUT'
                           ELSE 'REFUSED' END AS s,
                      least(45000, greatest(5, exp(5.0 + 1.1 * (random() + random() + random() - 1.5) * 2)))::int AS d
                 FROM (SELECT i, random() AS r FROM generate_series(1, $4::int) AS i) AS g
             ) AS raw
         ) AS c`,
      [userCount, now.toISOString(), days, callCount],
    );
  });
  await timed("UsageHourly rollup from the calls", async () => {
    const buckets = durationBucketColumns.map((_, index) => `count(*) FILTER (WHERE "b" = ${index})::int`);
    await client.query(
      `INSERT INTO "UsageHourly" ("userId", "hour", "successCount", "errorCount", "refusedCount", "totalDurationMs",
                                  ${durationBucketColumns.map((column) => `"${column}"`).join(", ")})
       SELECT "userId", date_trunc('hour', "startedAt"),
              count(*) FILTER (WHERE "status" = 'SUCCESS')::int,
              count(*) FILTER (WHERE "status" IN ('ERROR', 'TIMEOUT'))::int,
              count(*) FILTER (WHERE "status" = 'REFUSED')::int,
              coalesce(sum("durationMs"), 0),
              ${buckets.join(", ")}
         FROM (SELECT *, CASE WHEN "status" = 'REFUSED' THEN NULL
                              ELSE width_bucket("durationMs", ARRAY[${durationBucketBoundsMs.join(", ")}]) END AS "b"
                 FROM "Call") AS c
        GROUP BY 1, 2
        -- In time order, as the ledger appends them: an hour's rows sit together on disk.
        ORDER BY 2, 1`,
    );
  });
  await timed("VACUUM ANALYZE", () => client.query("VACUUM ANALYZE"));
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

type Result = { name: string; runs: number; p50Ms: number; p95Ms: number; maxMs: number; met: boolean };

async function measure(query: DashboardQuery): Promise<Result> {
  for (let index = 0; index < warmups; index++) await query.run();
  const times: number[] = [];
  for (let index = 0; index < runs; index++) {
    const started = performance.now();
    await query.run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const p95Ms = percentile(times, 0.95);
  return {
    name: query.name,
    runs,
    p50Ms: percentile(times, 0.5),
    p95Ms,
    maxMs: times.at(-1) ?? Number.NaN,
    met: p95Ms <= targetP95Ms,
  };
}

function printTable(results: Result[]): void {
  const rows = [
    ["query", "runs", "p50 ms", "p95 ms", "max ms", `target p95 <= ${targetP95Ms} ms`],
    ...results.map((result) => [
      result.name,
      String(result.runs),
      result.p50Ms.toFixed(1),
      result.p95Ms.toFixed(1),
      result.maxMs.toFixed(1),
      result.met ? "met" : "NOT met",
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")} |`;
  console.log(line(rows[0]!));
  console.log(`| ${widths.map((width) => "-".repeat(width)).join(" | ")} |`);
  for (const row of rows.slice(1)) console.log(line(row));
}

async function main(): Promise<void> {
  const serverUrl = await findServer();
  const name = `toolgate_bench_dashboard_${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const drop = async () => {
    await disconnectDb();
    await disconnectRedis();
    if (options.keep) return say(`kept the database: ${databaseUrl}`);
    await withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    say(`dropped ${name}`);
  };
  const interrupted = () => void drop().finally(() => process.exit(130));
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  try {
    say(`scratch database ${name}`);
    await timed("migrations", () => applyMigrations(databaseUrl));
    const now = new Date();
    await withClient(databaseUrl, (client) => seed(client, now));
    const sizes = await withClient(databaseUrl, async (client) => {
      const { rows } = await client.query<{ calls: string; rollup: string; week: string; size: string }>(
        `SELECT (SELECT count(*) FROM "Call") AS calls, (SELECT count(*) FROM "UsageHourly") AS rollup,
                (SELECT count(*) FROM "UsageHourly" WHERE "hour" >= $1::timestamp) AS week,
                pg_size_pretty(pg_database_size(current_database())) AS size`,
        [new Date(now.getTime() - overviewHours * hourMs).toISOString()],
      );
      return rows[0]!;
    });
    say(
      `seeded: ${Number(sizes.calls).toLocaleString("en")} calls, ${Number(sizes.rollup).toLocaleString("en")} UsageHourly rows (${Number(sizes.week).toLocaleString("en")} in the last 7 days), database ${sizes.size}`,
    );

    process.env.DATABASE_URL = databaseUrl;
    // The users list reads the shown rows' exact counts from Redis, as the page does.
    process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
    process.env.REDIS_PREFIX = `bench-dashboard-${randomBytes(3).toString("hex")}`;
    resetEnvCache();
    const results: Result[] = [];
    for (const query of dashboardQueries(now)) {
      results.push(await measure(query));
      say(`timed ${query.name}`);
    }
    printTable(results);
    if (options.json) {
      await writeFile(
        options.json,
        JSON.stringify({ users: userCount, calls: callCount, days, targetP95Ms, sizes, results }, null, 2),
      );
    }
  } finally {
    await drop();
  }
}

main().then(
  () => process.exit(),
  (error: Error) => {
    console.error(`bench:dashboard failed: ${error.message}`);
    process.exit(1);
  },
);
