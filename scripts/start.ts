// `npm start`: everything the platform needs, from one command. Uses DATABASE_URL and REDIS_URL
// when set and embedded services in DATA_DIR otherwise; applies migrations; builds if the sources
// changed; runs the web server (scripts/web.ts: Next.js plus the MCP endpoint) and the worker;
// stops every child on SIGINT/SIGTERM.
// `npm run dev` (--dev) does the same with `next dev` and a watching worker.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { getAppUrl, getChildEnvironment, getEnv, setEnv } from "@/env";
import { applyMigrations } from "@/lib/db/migrations";
import { buildIfNeeded } from "@/lib/runtime/build";
import { type Child, spawnChild, stopChild, waitUntil } from "@/lib/runtime/children";
import { startEmbeddedPostgres } from "@/lib/runtime/embedded-postgres";
import { startEmbeddedRedis } from "@/lib/runtime/embedded-redis";
import { readRuntimeInfo, removeRuntimeInfo, writeRuntimeInfo } from "@/lib/runtime/runtime-file";
import { loadOrCreateSecrets } from "@/lib/runtime/secrets";

const projectRoot = path.resolve(import.meta.dirname, "..");
const dev = process.argv.includes("--dev");
const say = (message: string) => process.stdout.write(`[start] ${message}\n`);

const services: Child[] = []; // stopped last, in reverse order
const apps: Child[] = []; // web and worker, stopped first
let shuttingDown = false;
let ownsDataDir = false;

async function shutdown(exitCode: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    say("stopping…");
    const grace = getEnv().SHUTDOWN_GRACE_MS + 5_000;
    await Promise.all(apps.map((child) => stopChild(child, grace)));
    for (const child of services.reverse()) await stopChild(child, 10_000);
    if (ownsDataDir) await removeRuntimeInfo(path.resolve(projectRoot, getEnv().DATA_DIR)).catch(() => {});
    say("stopped");
  }
  process.exit(exitCode);
}

function superviseChild(child: Child): Child {
  void child.exited.then((code) => {
    if (shuttingDown) return;
    say(`${child.name} exited unexpectedly (code ${code}); stopping the platform`);
    void shutdown(1);
  });
  return child;
}

async function main(): Promise<void> {
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
  // A closed terminal: SIGHUP, and output that can no longer be written. Neither may end this
  // process before it has stopped its children, which run in process groups of their own.
  process.on("SIGHUP", () => void shutdown(0));
  process.stdout.on("error", () => {});
  process.stderr.on("error", () => {});

  const env = getEnv();
  const dataDir = path.resolve(projectRoot, env.DATA_DIR);
  await mkdir(dataDir, { recursive: true });
  const running = await readRuntimeInfo(dataDir);
  if (running) throw new Error(`Another instance (pid ${running.pid}) is already using ${dataDir}.`);

  ownsDataDir = true;
  await writeRuntimeInfo(dataDir, { pid: process.pid });
  const secrets = await loadOrCreateSecrets(dataDir);
  setEnv({
    AUTH_SECRET: env.AUTH_SECRET ?? secrets.AUTH_SECRET,
    ENCRYPTION_KEY: env.ENCRYPTION_KEY ?? secrets.ENCRYPTION_KEY,
    NEXT_TELEMETRY_DISABLED: "1",
  });

  if (!env.DATABASE_URL) {
    say(`starting the embedded PostgreSQL (PGlite) in ${path.join(dataDir, "postgres")}`);
    const postgres = await startEmbeddedPostgres(dataDir);
    services.push(superviseChild(postgres.child));
    setEnv({ DATABASE_URL: postgres.url });
  }
  if (!env.REDIS_URL) {
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

  const applied = await applyMigrations(current.DATABASE_URL!);
  say(applied.length ? `applied migrations: ${applied.join(", ")}` : "database schema is up to date");

  const childEnv = getChildEnvironment({ NODE_ENV: dev ? "development" : "production" });
  const next = path.join(projectRoot, "node_modules/next/dist/bin/next");
  // The worker runs as one node process with tsx's loader, not under the tsx CLI: the CLI's
  // wrapper SIGKILLs its child when the child does not acknowledge a signal within ~60 ms, which
  // on a busy machine cut graceful shutdown short and orphaned processes.
  const tsx = path.join(projectRoot, "node_modules/tsx/dist/cli.mjs");
  const workerArgs = dev
    ? [tsx, "watch", path.join(projectRoot, "workers/index.ts")]
    : ["--import", "tsx", path.join(projectRoot, "workers/index.ts")];
  if (!dev) {
    say("checking the production build");
    if (await buildIfNeeded(childEnv)) say("built");
  }
  apps.push(
    superviseChild(
      spawnChild(
        "web",
        process.execPath,
        dev ? [next, "dev", "--port", String(current.PORT)] : [tsx, path.join(projectRoot, "scripts/web.ts")],
        { cwd: projectRoot, env: childEnv },
      ),
    ),
    superviseChild(
      spawnChild("worker", process.execPath, workerArgs, {
        cwd: projectRoot,
        env: childEnv,
      }),
    ),
  );

  const local = `http://127.0.0.1:${current.PORT}/api/health`;
  await waitUntil(
    async () => (await fetch(local).catch(() => undefined))?.status === 200,
    120_000,
    "The platform",
  );
  say(`ready: ${getAppUrl()}  (sign up at ${getAppUrl()}/signup)`);
}

main().catch(async (error: Error) => {
  process.stderr.write(`[start] ${error.message}\n`);
  await shutdown(1);
});
