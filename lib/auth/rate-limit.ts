// Fixed-window attempt counters in Redis, used to slow down password guessing.
import { getRedis, redisKey } from "@/lib/redis/client";

export type Limit = { name: string; max: number; windowSeconds: number };

export type RateLimitResult = { allowed: boolean; retryAfterSeconds: number };

/** Counts one attempt against `key` and says whether it is within the limit. */
export async function hitRateLimit(limit: Limit, key: string): Promise<RateLimitResult> {
  const redis = await getRedis();
  const fullKey = redisKey("ratelimit", limit.name, key);
  const [[, count], [, ttl]] = (await redis.multi().incr(fullKey).ttl(fullKey).exec()) as [
    [null, number],
    [null, number],
  ];
  if (ttl < 0) await redis.expire(fullKey, limit.windowSeconds);
  return { allowed: count <= limit.max, retryAfterSeconds: ttl < 0 ? limit.windowSeconds : ttl };
}

export async function clearRateLimit(limit: Limit, key: string): Promise<void> {
  const redis = await getRedis();
  await redis.del(redisKey("ratelimit", limit.name, key));
}

export const signInLimits = {
  perAccount: { name: "signin-account", max: 10, windowSeconds: 15 * 60 },
  // Behind proxies that TRUST_PROXY does not count, every client shares the proxy's address; this
  // cap on an account's attempts from all addresses together keeps guessing bounded regardless.
  perAccountAnyAddress: { name: "signin-account-total", max: 50, windowSeconds: 15 * 60 },
  perAddress: { name: "signin-ip", max: 50, windowSeconds: 15 * 60 },
} satisfies Record<string, Limit>;

export const signUpLimit: Limit = { name: "signup-ip", max: 20, windowSeconds: 60 * 60 };
