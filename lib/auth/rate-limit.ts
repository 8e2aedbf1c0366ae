// Fixed-window attempt counters in Redis: sign-in guessing, and requests per MCP server.
import { getRedis, type RedisClient, redisKey } from "@/lib/redis/client";

export type Limit = { name: string; max: number; windowSeconds: number };

export type RateLimitResult = { allowed: boolean; retryAfterSeconds: number };

// One atomic step: count the attempt, start the window's expiry with its first attempt (or if a
// key somehow lost it), and answer the count and the seconds left.
const hitScript = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

type RateLimitRedis = RedisClient & {
  hitRateLimit(key: string, windowSeconds: number): Promise<[number, number]>;
};

function withScript(redis: RedisClient): RateLimitRedis {
  if (!("hitRateLimit" in redis)) redis.defineCommand("hitRateLimit", { numberOfKeys: 1, lua: hitScript });
  return redis as RateLimitRedis;
}

/** Counts one attempt against `key` and says whether it is within the limit. */
export async function hitRateLimit(limit: Limit, key: string): Promise<RateLimitResult> {
  const redis = withScript(await getRedis());
  const [count, ttl] = await redis.hitRateLimit(redisKey("ratelimit", limit.name, key), limit.windowSeconds);
  return { allowed: count <= limit.max, retryAfterSeconds: ttl };
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
