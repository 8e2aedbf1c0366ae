// Sign-in attempt counters in the run's Redis.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { clearRateLimit, hitRateLimit, signInLimits } from "@/lib/auth/rate-limit";
import { disconnectRedis, getRedis, redisKey } from "@/lib/redis/client";

afterAll(async () => {
  await disconnectRedis();
});

const accountKey = () => `user-${randomBytes(4).toString("hex")}@example.com|203.0.113.7`;

describe("sign-in rate limit", () => {
  it("allows 10 failed attempts per account and address and refuses the 11th", async () => {
    const key = accountKey();
    const results = [];
    for (let attempt = 1; attempt <= 11; attempt++)
      results.push(await hitRateLimit(signInLimits.perAccount, key));
    expect(results.slice(0, 10).every((result) => result.allowed)).toBe(true);
    expect(results[10]).toMatchObject({ allowed: false });
    expect(results[10]!.retryAfterSeconds).toBeGreaterThan(0);
    expect(results[10]!.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
  });

  it("counts concurrent attempts exactly", async () => {
    const key = accountKey();
    const results = await Promise.all(
      Array.from({ length: 25 }, () => hitRateLimit(signInLimits.perAccount, key)),
    );
    expect(results.filter((result) => result.allowed)).toHaveLength(10);
  });

  it("expires the window after 15 minutes", async () => {
    const key = accountKey();
    await hitRateLimit(signInLimits.perAccount, key);
    const ttl = await (await getRedis()).ttl(redisKey("ratelimit", signInLimits.perAccount.name, key));
    expect(ttl).toBeGreaterThan(15 * 60 - 5);
    expect(ttl).toBeLessThanOrEqual(15 * 60);
  });

  it("keeps accounts apart and starts afresh once cleared", async () => {
    const key = accountKey();
    for (let attempt = 1; attempt <= 11; attempt++) await hitRateLimit(signInLimits.perAccount, key);
    expect((await hitRateLimit(signInLimits.perAccount, accountKey())).allowed).toBe(true);
    await clearRateLimit(signInLimits.perAccount, key);
    expect((await hitRateLimit(signInLimits.perAccount, key)).allowed).toBe(true);
  });

  it("writes its keys under REDIS_PREFIX", async () => {
    const key = accountKey();
    await hitRateLimit(signInLimits.perAccount, key);
    const prefix = process.env.REDIS_PREFIX!;
    const redis = await getRedis();
    expect(await redis.exists(`${prefix}:ratelimit:signin-account:${key}`)).toBe(1);
  });
});
