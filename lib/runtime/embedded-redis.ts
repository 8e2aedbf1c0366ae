// Starts redis-server from PATH with its data in DATA_DIR/redis: AOF on (calls and quotas survive
// a restart) and `noeviction`, which BullMQ requires.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { Redis } from "ioredis";
import { type Child, spawnChild, waitUntil } from "./children";
import { findFreePort } from "./free-port";

export const redisInstallHint =
  "redis-server was not found on PATH. Install it (Debian/Ubuntu: `sudo apt-get install redis-server`; " +
  "macOS: `brew install redis`) or set REDIS_URL to an existing Redis.";

export async function canPing(url: string): Promise<boolean> {
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

export async function startEmbeddedRedis(
  dataDir: string,
  port?: number,
): Promise<{ child: Child; url: string }> {
  const dir = path.join(dataDir, "redis");
  await mkdir(dir, { recursive: true });
  const chosenPort = port ?? (await findFreePort());
  const child = spawnChild(
    "redis",
    "redis-server",
    [
      "--port",
      String(chosenPort),
      "--bind",
      "127.0.0.1",
      "--dir",
      dir,
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
    { stdio: ["ignore", "ignore", "inherit"] },
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
