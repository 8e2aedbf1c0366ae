// Redis connections, to one Redis (REDIS_URL) or to a Redis Cluster (REDIS_CLUSTER_NODES). Every
// key the platform writes goes through redisKey() so that one Redis can hold several
// installations (or test runs) side by side under different REDIS_PREFIX values. On a cluster,
// the keys one script, transaction or pipeline touches share a hash tag (`{...}`), so they live
// in one slot.
import { Cluster, Redis, type RedisOptions } from "ioredis";
import { getEnv, requireEnv } from "@/env";
import { AppError } from "@/lib/errors/app-error";
import { createLogger } from "@/lib/log/logger";

/** A connection to one Redis or to a Redis Cluster: the commands the platform uses are the same. */
export type RedisClient = Redis | Cluster;

export function redisKey(...parts: string[]): string {
  return [getEnv().REDIS_PREFIX, ...parts].join(":");
}

const retryStrategy = (attempt: number) => Math.min(attempt * 200, 2_000);

/** Connection options of one cluster node from its URL (credentials, TLS for rediss://). */
function nodeOptions(url: string): { host: string; port: number; options: RedisOptions } {
  const parsed = new URL(url);
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ""),
    port: Number(parsed.port || 6379),
    options: {
      ...(parsed.username && { username: decodeURIComponent(parsed.username) }),
      ...(parsed.password && { password: decodeURIComponent(parsed.password) }),
      // TLS names each node by the host it connects to.
      ...(parsed.protocol === "rediss:" && { tls: {} }),
    },
  };
}

/**
 * A client with these options: a Cluster discovered from REDIS_CLUSTER_NODES (every node is
 * reached with the first URL's credentials and TLS), else one Redis at REDIS_URL.
 */
function connect(options: RedisOptions & { enableOfflineQueue?: boolean }): RedisClient {
  const { REDIS_CLUSTER_NODES } = getEnv();
  if (REDIS_CLUSTER_NODES.length === 0)
    return new Redis(requireEnv("REDIS_URL"), { ...options, retryStrategy });
  const nodes = REDIS_CLUSTER_NODES.map(nodeOptions);
  const { enableOfflineQueue, lazyConnect, ...perNode } = options;
  return new Cluster(
    nodes.map(({ host, port }) => ({ host, port })),
    {
      clusterRetryStrategy: retryStrategy,
      ...(enableOfflineQueue !== undefined && { enableOfflineQueue }),
      ...(lazyConnect !== undefined && { lazyConnect }),
      redisOptions: { ...nodes[0]!.options, ...perNode },
    },
  );
}

/** Whether the platform runs on a Redis Cluster (REDIS_CLUSTER_NODES). */
export function isRedisCluster(redis: RedisClient): redis is Cluster {
  return redis instanceof Cluster;
}

/**
 * A connection for request paths: commands fail at once while Redis is unreachable (no offline
 * queue, one retry), and the client keeps reconnecting in the background so the platform
 * recovers by itself when Redis returns.
 */
export function createRedis(): RedisClient {
  return quietErrors(
    connect({
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      commandTimeout: 2_000,
      lazyConnect: false,
    }),
  );
}

// Connection errors surface through the commands that fail; the event itself would only repeat
// them on every reconnect attempt, so it is logged once per outage.
function quietErrors<Client extends RedisClient>(redis: Client): Client {
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
export function createWorkerRedis(): RedisClient {
  return quietErrors(connect({ maxRetriesPerRequest: null }));
}

const globalForRedis = globalThis as unknown as { redis?: RedisClient };

function getSharedRedis(): RedisClient {
  globalForRedis.redis ??= createRedis();
  return globalForRedis.redis;
}

/** The shared connection, once it is ready; a 503 AppError if Redis cannot be reached quickly. */
export async function getRedis(waitMs = 1_000): Promise<RedisClient> {
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
  /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Command timed out|Reached the max retries|Failed to refresh slots cache|None of startup nodes is available|Cluster isn't ready/i;
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
    error.name === "ClusterAllFailedError" ||
    connectionFailure.test(error.message) ||
    refusedForNow.test(error.message)
  );
}

export async function disconnectRedis(): Promise<void> {
  globalForRedis.redis?.disconnect();
  globalForRedis.redis = undefined;
}
