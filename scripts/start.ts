// `npm start`: everything the platform needs, from one command. Uses DATABASE_URL and REDIS_URL
// when set and embedded services in DATA_DIR otherwise; applies migrations; builds if the sources
// changed; runs the web server (scripts/web.ts: Next.js plus the MCP endpoint) and the worker;
// stops every child on SIGINT/SIGTERM, and all of them when one of them exits.
// `npm run dev` (--dev) does the same with `next dev` and a watching worker.
//
// No child outlives this process, however it ends: each has an IPC channel to it and stops when
// the channel closes (lib/runtime/parent-watch.ts; programs that cannot watch one run under
// scripts/service-host.mjs), and this process stops everything when its own parent (npm) is gone.
import { mkdir } from "node:fs/promises";
import http from "node:http";
import { isIP } from "node:net";
import path from "node:path";
import { getAppUrl, getChildEnvironment, getEnv, getListenHost, hasRedisSetting, setEnv } from "@/env";
import { buildIfNeeded } from "@/lib/runtime/build";
import { type Child, spawnChild, spawnHosted, stopChild, waitUntil } from "@/lib/runtime/children";
import { assertDataDirFree } from "@/lib/runtime/data-dir-guard";
import { startEmbeddedPostgres } from "@/lib/runtime/embedded-postgres";
import { startEmbeddedRedis } from "@/lib/runtime/embedded-redis";
import { leanNodeEnvironment } from "@/lib/runtime/lean-node";
import { applyMigrationsInChild } from "@/lib/runtime/migrate-in-child";
import { orphanGraceMs, whenParentGone } from "@/lib/runtime/parent-watch";
import { migratePgliteDatabase, needsPgliteMigration } from "@/lib/runtime/pglite-migration";
import { findProjectRoot } from "@/lib/runtime/project-root";
import { claimRuntimeInfo, removeRuntimeInfo, writeRuntimeInfo } from "@/lib/runtime/runtime-file";
import { loadOrCreateSecrets } from "@/lib/runtime/secrets";

const projectRoot = findProjectRoot(import.meta.dirname);
const dev = process.argv.includes("--dev");
const say = (message: string) => process.stdout.write(`[start] ${message}\n`);

const services: Child[] = []; // stopped last, in reverse order
const apps: Child[] = []; // web and worker, stopped first
/** Set once this process has claimed the data directory (and must release it when it stops). */
let ownedDataDir: string | undefined;
const stops: Promise<unknown>[] = [];
let exitCodeOnStop: number | undefined;
let announced = false;
let finished: Promise<void> | undefined;

/**
 * Stops the web server and the worker (letting active jobs finish), then the services. In a
 * hurry (the parent is gone, or a second Ctrl-C), all stop at once within seconds; a hurried stop
 * also speeds up one already under way.
 */
async function shutdown(exitCode: number, hurry = false): Promise<never> {
  exitCodeOnStop ??= exitCode;
  if (stops.length === 0 && (ownedDataDir || apps.length + services.length > 0)) {
    announced = true;
    say("stopping…");
  }
  if (stops.length === 0 || hurry) {
    const everything = [...apps, ...[...services].reverse()];
    const grace = (apps.length ? getEnv().SHUTDOWN_GRACE_MS : 0) + 5_000;
    stops.push(
      hurry
        ? Promise.all(everything.map((child) => stopChild(child, orphanGraceMs)))
        : Promise.all(apps.map((child) => stopChild(child, grace))).then(async () => {
            for (const child of [...services].reverse()) await stopChild(child, 10_000);
          }),
    );
  }
  // Until every stop begun, including one begun while waiting, is over.
  for (let count = 0; count !== stops.length; ) {
    count = stops.length;
    await Promise.all(stops);
  }
  finished ??= (async () => {
    if (ownedDataDir) await removeRuntimeInfo(ownedDataDir).catch(() => {});
    if (announced) say("stopped");
  })();
  await finished;
  process.exit(exitCodeOnStop);
}

function superviseChild(child: Child): Child {
  void child.exited.then((code) => {
    if (stops.length) return;
    say(`${child.name} exited unexpectedly (code ${code}); stopping the platform`);
    void shutdown(1);
  });
  return child;
}

/**
 * The status of a GET, or undefined when nothing answers. node:http rather than fetch: fetch
 * loads Node's bundled undici, which would stay resident in the supervisor for its whole life.
 */
function getStatus(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const request = http.get(url, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.setTimeout(5_000, () => request.destroy());
    request.on("error", () => resolve(undefined));
  });
}

/** Where this machine reaches the web server, whatever address it listens on. */
function localUrl(port: number): string {
  const host = getListenHost();
  if (host === undefined || host === "0.0.0.0" || host === "::") return `http://127.0.0.1:${port}`;
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

async function main(): Promise<void> {
  // A second signal (Ctrl-C again) hurries the stop along.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
    process.on(signal, () => void shutdown(0, stops.length > 0));
  // A closed terminal sends SIGHUP and leaves output that can no longer be written. Neither may
  // end this process before it has stopped its children, which run in process groups of their own.
  process.stdout.on("error", () => {});
  process.stderr.on("error", () => {});
  // npm (or a shell) killed outright sends nothing: this process only finds itself reparented.
  whenParentGone(() => {
    say("the process that started this one is gone");
    void shutdown(1, true);
  });

  const env = getEnv();
  const dataDir = path.resolve(projectRoot, env.DATA_DIR);
  await mkdir(dataDir, { recursive: true });
  await assertDataDirFree(dataDir, {
    embeddedPostgres: !env.DATABASE_URL,
    embeddedRedis: !hasRedisSetting(),
  });
  await claimRuntimeInfo(dataDir, { pid: process.pid });
  ownedDataDir = dataDir;
  const secrets = await loadOrCreateSecrets(dataDir);
  setEnv({
    AUTH_SECRET: env.AUTH_SECRET ?? secrets.AUTH_SECRET,
    ENCRYPTION_KEY: env.ENCRYPTION_KEY ?? secrets.ENCRYPTION_KEY,
    NEXT_TELEMETRY_DISABLED: "1",
  });

  if (!env.DATABASE_URL) {
    if (await needsPgliteMigration(dataDir)) {
      say("moving the database of the earlier version (PGlite) to PostgreSQL (once)");
      const backup = await migratePgliteDatabase(dataDir, secrets.POSTGRES_PASSWORD, getChildEnvironment());
      if (backup) say(`moved; the old database directory is kept as ${backup}`);
    }
    const directory = path.join(dataDir, "postgres");
    say(`starting the embedded PostgreSQL in ${directory}`);
    const postgres = await startEmbeddedPostgres({ directory, password: secrets.POSTGRES_PASSWORD });
    services.push(superviseChild(postgres.child));
    setEnv({ DATABASE_URL: postgres.url });
  }
  if (!hasRedisSetting()) {
    say(`starting redis-server in ${path.join(dataDir, "redis")}`);
    const redis = await startEmbeddedRedis(dataDir);
    services.push(superviseChild(redis.child));
    setEnv({ REDIS_URL: redis.url });
  }
  const current = getEnv();
  await writeRuntimeInfo(dataDir, {
    pid: process.pid,
    DATABASE_URL: current.DATABASE_URL,
    REDIS_URL: current.REDIS_URL,
  });

  const applied = await applyMigrationsInChild(current.DATABASE_URL!);
  say(applied.length ? `applied migrations: ${applied.join(", ")}` : "database schema is up to date");

  const childEnv = getChildEnvironment({ NODE_ENV: dev ? "development" : "production" });
  if (dev) {
    // `next dev` and `tsx watch` restart their own children, so they run under the service host.
    const host = getListenHost();
    apps.push(
      superviseChild(
        spawnHosted(
          "web",
          process.execPath,
          [
            path.join(projectRoot, "node_modules/next/dist/bin/next"),
            "dev",
            "--port",
            String(current.PORT),
            ...(host ? ["--hostname", host] : []),
          ],
          { env: childEnv },
        ),
      ),
      superviseChild(
        spawnHosted(
          "worker",
          process.execPath,
          [
            path.join(projectRoot, "node_modules/tsx/dist/cli.mjs"),
            "watch",
            path.join(projectRoot, "workers/index.ts"),
          ],
          { env: childEnv },
        ),
      ),
    );
  } else {
    say("checking the production build");
    if (await buildIfNeeded(childEnv)) say("built");
    // One node process each, running its entry bundled into plain JavaScript
    // (scripts/run-bundled.mjs): tsx's loader alone held 45-50 MB in each. Not under the tsx CLI
    // either: its wrapper SIGKILLs its child when the child does not acknowledge a signal within
    // ~60 ms, which on a busy machine cut graceful shutdown short, and it does not pass on the IPC
    // channel they watch.
    for (const [name, script] of [
      ["web", "scripts/web.ts"],
      ["worker", "workers/index.ts"],
    ] as const) {
      apps.push(
        superviseChild(
          spawnChild(
            name,
            process.execPath,
            [path.join(projectRoot, "scripts/run-bundled.mjs"), path.join(projectRoot, script)],
            { env: leanNodeEnvironment(childEnv) },
          ),
        ),
      );
    }
  }

  const health = `${localUrl(current.PORT)}/api/health`;
  await waitUntil(async () => (await getStatus(health)) === 200, 120_000, "The platform");
  say(`ready: ${getAppUrl()}  (sign up at ${getAppUrl()}/signup)`);
}

main().catch(async (error: Error) => {
  process.stderr.write(`[start] ${error.message}\n`);
  await shutdown(1);
});
