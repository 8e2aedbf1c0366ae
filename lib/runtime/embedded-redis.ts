// Starts redis-server from PATH with its data in DATA_DIR/redis: AOF on (calls and quotas survive
// a restart) and `noeviction`, which BullMQ requires. Redis has no lock on its directory, so its pid
// file is the lock: while the process it names runs, no second Redis starts on that directory.
import { mkdir, readFile, readlink } from "node:fs/promises";
import path from "node:path";
import { type Child, spawnHosted, waitUntil } from "./children";
import { findFreePort } from "./free-port";
import { describeProcess, listProcesses, type ProcessInfo } from "./process-info";

export const redisInstallHint =
  "redis-server was not found on PATH. Install it (Debian/Ubuntu: `sudo apt-get install redis-server`; " +
  "macOS: `brew install redis`) or set REDIS_URL to an existing Redis.";

export async function canPing(url: string): Promise<boolean> {
  // Loaded here only: the supervisor, which lives as long as the platform, needs no Redis client
  // once it has found or started its Redis.
  const { Redis } = await import("ioredis");
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1_000,
  });
  redis.on("error", () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

const pidFileIn = (directory: string) => path.join(directory, "redis-server.pid");

const isRedisServer = (entry: ProcessInfo | undefined) => entry?.command.includes("redis-server") === true;

/**
 * The redis-server that still runs on DATA_DIR/redis, if any: the one its pid file names, or on
 * Linux one working in that directory (redis-server runs in its --dir), which also finds one left
 * by an earlier version that kept no pid file.
 */
export async function findRedisHolder(dataDir: string): Promise<ProcessInfo | undefined> {
  const directory = path.join(dataDir, "redis");
  const pid = Number(await readFile(pidFileIn(directory), "utf8").catch(() => ""));
  const named = await describeProcess(pid);
  if (isRedisServer(named)) return named;
  if (process.platform !== "linux") return undefined;
  for (const entry of (await listProcesses()).filter(isRedisServer)) {
    if ((await readlink(`/proc/${entry.pid}/cwd`).catch(() => "")) === directory) return entry;
  }
  return undefined;
}

export async function startEmbeddedRedis(
  dataDir: string,
  port?: number,
): Promise<{ child: Child; url: string }> {
  const dir = path.join(dataDir, "redis");
  await mkdir(dir, { recursive: true });
  const chosenPort = port ?? (await findFreePort());
  const holder = await findRedisHolder(dataDir);
  if (holder) throw new Error(`Redis already runs on ${dir}: process ${holder.pid}.`);
  const child = spawnHosted(
    "redis",
    "redis-server",
    [
      "--port",
      String(chosenPort),
      "--bind",
      "127.0.0.1",
      "--dir",
      dir,
      "--pidfile",
      pidFileIn(dir),
      "--appendonly",
      "yes",
      "--save",
      "",
      "--maxmemory-policy",
      "noeviction",
      "--daemonize",
      "no",
      "--loglevel",
      "warning",
    ],
    { stdout: "ignore" },
  );
  let exitCode: number | null | undefined;
  void child.exited.then((code) => {
    exitCode = code;
  });
  const url = `redis://127.0.0.1:${chosenPort}`;
  await waitUntil(
    async () => {
      if (exitCode !== undefined) {
        throw new Error(
          exitCode === 127 ? redisInstallHint : `redis-server exited with code ${exitCode} during start-up.`,
        );
      }
      return canPing(url);
    },
    30_000,
    "The embedded Redis",
  );
  return { child, url };
}
