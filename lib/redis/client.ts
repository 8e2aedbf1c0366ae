// Redis connections. Every key the platform writes goes through redisKey() so that one Redis can
// hold several installations (or test runs) side by side under different REDIS_PREFIX values.
import { Redis } from "ioredis";
import { getEnv, requireEnv } from "@/env";
import { AppError } from "@/lib/errors/app-error";
import { createLogger } from "@/lib/log/logger";

export function redisKey(...parts: string[]): string {
  return [getEnv().REDIS_PREFIX, ...parts].join(":");
}

/**
 * A connection for request paths: commands fail at once while Redis is unreachable (no offline
 * queue, one retry), and the client keeps reconnecting in the background so the platform
 * recovers by itself when Redis returns.
 */
export function createRedis(): Redis {
  return quietErrors(
    new Redis(requireEnv("REDIS_URL"), {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      commandTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
      lazyConnect: false,
    }),
  );
}

// Connection errors surface through the commands that fail; the event itself would only repeat
// them on every reconnect attempt, so it is logged once per outage.
function quietErrors(redis: Redis): Redis {
  let reported = false;
  redis.on("error", (error: Error) => {
    if (!reported) createLogger({ module: "redis" }).warn({ err: error.message }, "redis connection error");
    reported = true;
  });
  redis.on("ready", () => {
    reported = false;
  });
  return redis;
}

/** A connection for BullMQ workers, which block on Redis and must never give up on a command. */
export function createWorkerRedis(): Redis {
  return quietErrors(
    new Redis(requireEnv("REDIS_URL"), {
      maxRetriesPerRequest: null,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    }),
  );
}

const globalForRedis = globalThis as unknown as { redis?: Redis };

function getSharedRedis(): Redis {
  globalForRedis.redis ??= createRedis();
  return globalForRedis.redis;
}

/** The shared connection, once it is ready; a 503 AppError if Redis cannot be reached quickly. */
export async function getRedis(waitMs = 1_000): Promise<Redis> {
  const redis = getSharedRedis();
  if (redis.status === "ready") return redis;
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => finish(false), waitMs);
    const onReady = () => finish(true);
    function finish(value: boolean) {
      clearTimeout(timer);
      redis.off("ready", onReady);
      resolve(value);
    }
    redis.on("ready", onReady);
  });
  if (!ready)
    throw new AppError("service_unavailable", "The queue service (Redis) is unavailable. Try again shortly.");
  return redis;
}

const connectionFailure =
  /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Command timed out|Reached the max retries/i;
// Replies of a Redis that is up but cannot take the command for now: full under noeviction (OOM),
// still loading its data (LOADING), a replica or a failed save refusing writes (READONLY, MISCONF).
const refusedForNow = /^(OOM|LOADING|READONLY|MISCONF|BUSY|TRYAGAIN|CLUSTERDOWN)\b/;

/**
 * Whether an error means Redis could not serve: an AppError("service_unavailable") from getRedis,
 * a command that failed because the connection dropped under it (Redis went away between the
 * readiness check and the command), or Redis refusing commands for now (full, loading).
 */
export function isRedisUnavailable(error: unknown): boolean {
  if (error instanceof AppError) return error.code === "service_unavailable";
  if (!(error instanceof Error)) return false;
  return (
    error.name === "MaxRetriesPerRequestError" ||
    connectionFailure.test(error.message) ||
    refusedForNow.test(error.message)
  );
}

export async function disconnectRedis(): Promise<void> {
  globalForRedis.redis?.disconnect();
  globalForRedis.redis = undefined;
}
