// BullMQ loses jobs if Redis evicts keys under memory pressure, so the worker refuses to run
// unless the eviction policy is `noeviction` (on a cluster, on every master). INFO is used rather
// than CONFIG GET because managed Redis services often disable CONFIG.
import type { Redis } from "ioredis";
import { isRedisCluster, type RedisClient } from "@/lib/redis/client";

export async function readEvictionPolicy(redis: Redis): Promise<string | undefined> {
  const info = await redis.info("memory");
  return /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
}

export async function assertNoEviction(redis: RedisClient): Promise<void> {
  // A cluster's masters are known once it has read the slot map.
  if (isRedisCluster(redis) && redis.status !== "ready")
    await new Promise((resolve) => redis.once("ready", resolve));
  const nodes = isRedisCluster(redis) ? redis.nodes("master") : [redis];
  for (const node of nodes) {
    const policy = await readEvictionPolicy(node);
    if (policy === "noeviction") continue;
    const where = isRedisCluster(redis) ? ` on ${node.options.host}:${node.options.port}` : "";
    throw new Error(
      `Redis maxmemory-policy is "${policy ?? "unknown"}"${where}, but queued jobs would be lost under eviction. ` +
        'Set it to "noeviction" (redis.conf: `maxmemory-policy noeviction`, or `CONFIG SET maxmemory-policy noeviction`).',
    );
  }
}
