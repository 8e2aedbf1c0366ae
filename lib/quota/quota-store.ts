// Quota counters in Redis. Admission checks and increments all three windows in one Lua script,
// so concurrent calls can never overshoot a limit and a call refused by one window consumes
// nothing in the others. Keys share a hash tag per user, so this also works on Redis Cluster.
import { getRedis, type RedisClient, redisKey } from "@/lib/redis/client";
import type { Limits } from "./effective-limits";
import { byWindow, getWindows, type QuotaWindow, type WindowName, windowNames } from "./windows";

/** The admission script (exported for the bench's design-limit server, which runs it as is). */
export const reserveScript = `
for i = 1, 3 do
  local used = tonumber(redis.call('GET', KEYS[i]) or '0')
  if used >= tonumber(ARGV[i]) then return {i, used} end
end
local counts = {0}
for i = 1, 3 do
  counts[i + 1] = redis.call('INCR', KEYS[i])
  redis.call('EXPIREAT', KEYS[i], ARGV[i + 3])
end
return counts
`;

const refundScript = `
for i = 1, #KEYS do
  local used = tonumber(redis.call('GET', KEYS[i]) or '0')
  if used > 0 then redis.call('DECR', KEYS[i]) end
end
return 1
`;

type QuotaRedis = RedisClient & {
  /** The three keys, then the three limits and the three expiry times, in `windowNames`' order. */
  reserveQuota(...keysAndArgs: (string | number)[]): Promise<number[]>;
  refundQuota(...keys: string[]): Promise<number>;
};

function withScripts(redis: RedisClient): QuotaRedis {
  if (!("reserveQuota" in redis)) {
    redis.defineCommand("reserveQuota", { numberOfKeys: 3, lua: reserveScript });
    redis.defineCommand("refundQuota", { numberOfKeys: 3, lua: refundScript });
  }
  return redis as QuotaRedis;
}

export function quotaKey(userId: string, window: QuotaWindow): string {
  return redisKey("quota", `{${userId}}`, window.name, window.id);
}

// Counters outlive their window by a day, so a refund that arrives just after a boundary still
// finds the counter it must decrement.
const expiryOf = (window: QuotaWindow) => Math.floor(window.resetsAt.getTime() / 1000) + 86_400;

/** A user's counter keys for these windows, in `windowNames`' order (as the scripts take them). */
export function quotaKeys(userId: string, windows: Record<WindowName, QuotaWindow>): string[] {
  return windowNames.map((name) => quotaKey(userId, windows[name]));
}

export type Reservation =
  /** `used`: each window's count including this call. */
  { admitted: true; used: Limits } | { admitted: false; window: QuotaWindow; limit: number; used: number };

export async function reserveQuota(userId: string, limits: Limits, now: Date): Promise<Reservation> {
  const redis = withScripts(await getRedis());
  const windows = getWindows(now);
  const [refusedBy = 0, ...counts] = await redis.reserveQuota(
    ...quotaKeys(userId, windows),
    ...windowNames.map((name) => limits[name]),
    ...windowNames.map((name) => expiryOf(windows[name])),
  );
  if (refusedBy === 0) return { admitted: true, used: byWindow((_, index) => counts[index] ?? 0) };
  const refusing = windowNames[refusedBy - 1]!;
  return { admitted: false, window: windows[refusing], limit: limits[refusing], used: counts[0] ?? 0 };
}

/** Gives back one unit in each window of the moment the call was admitted. */
export async function refundQuota(userId: string, admittedAt: Date): Promise<void> {
  const redis = withScripts(await getRedis());
  await redis.refundQuota(...quotaKeys(userId, getWindows(admittedAt)));
}

export async function readQuotaCounters(userId: string, now: Date): Promise<Record<WindowName, number>> {
  const redis = await getRedis();
  const values = await redis.mget(...quotaKeys(userId, getWindows(now)));
  return byWindow((_, index) => Number(values[index] ?? 0));
}

export async function writeQuotaCounters(
  userId: string,
  now: Date,
  counts: Record<WindowName, number>,
): Promise<void> {
  const redis = await getRedis();
  const multi = redis.multi();
  for (const window of Object.values(getWindows(now))) {
    multi.set(quotaKey(userId, window), counts[window.name], "EXAT", expiryOf(window));
  }
  await multi.exec();
}
