// BullMQ loses jobs if Redis evicts keys under memory pressure, so the worker refuses to run
// unless the eviction policy is `noeviction`. INFO is used rather than CONFIG GET because
// managed Redis services often disable CONFIG.
import type { Redis } from "ioredis";

export async function readEvictionPolicy(redis: Redis): Promise<string | undefined> {
  const info = await redis.info("memory");
  return /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
}

export async function assertNoEviction(redis: Redis): Promise<void> {
  const policy = await readEvictionPolicy(redis);
  if (policy !== "noeviction") {
    throw new Error(
      `Redis maxmemory-policy is "${policy ?? "unknown"}", but queued jobs would be lost under eviction. ` +
        'Set it to "noeviction" (redis.conf: `maxmemory-policy noeviction`, or `CONFIG SET maxmemory-policy noeviction`).',
    );
  }
}
