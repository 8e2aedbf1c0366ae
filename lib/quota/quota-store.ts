// Quota counters in Redis. Admission checks and increments every window of the call in one Lua
// script, so concurrent calls can never overshoot a limit and a call refused by one window
// consumes nothing in the others. A personal call has the user's three windows; a call on an
// organization's server has the organization's three and the member's three inside it. Keys of
// one user, or of one organization with its members, share a hash tag, so this also works on
// Redis Cluster.
import { getRedis, type RedisClient, redisKey } from "@/lib/redis/client";
import type { Limits } from "./effective-limits";
import { byWindow, getWindows, type QuotaWindow, type WindowName, windowNames } from "./windows";

/**
 * The admission script (exported for the bench's design-limit server, which runs it as is): KEYS
 * are the counters, ARGV their limits (a negative one is not checked: the counter only counts)
 * then their expiry times. Returns {0, count...} when admitted, else {index, used} of the first
 * counter at its limit.
 */
export const reserveScript = `
local n = #KEYS
for i = 1, n do
  local limit = tonumber(ARGV[i])
  if limit >= 0 then
    local used = tonumber(redis.call('GET', KEYS[i]) or '0')
    if used >= limit then return {i, used} end
  end
end
local counts = {0}
for i = 1, n do
  counts[i + 1] = redis.call('INCR', KEYS[i])
  redis.call('EXPIREAT', KEYS[i], ARGV[n + i])
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
  /** The number of keys, the keys, then their limits and their expiry times. */
  reserveCounters(...keysAndArgs: (string | number)[]): Promise<number[]>;
  refundCounters(...keys: (string | number)[]): Promise<number>;
};

function withScripts(redis: RedisClient): QuotaRedis {
  if (!("reserveCounters" in redis)) {
    redis.defineCommand("reserveCounters", { lua: reserveScript });
    redis.defineCommand("refundCounters", { lua: refundScript });
  }
  return redis as QuotaRedis;
}

export function quotaKey(userId: string, window: QuotaWindow): string {
  return redisKey("quota", `{${userId}}`, window.name, window.id);
}

/** The hash tag of an organization's keys: its own counters and its members' share of them. */
const orgTag = (orgId: string) => `{org:${orgId}}`;

export function orgQuotaKey(orgId: string, window: QuotaWindow): string {
  return redisKey("quota", orgTag(orgId), window.name, window.id);
}

export function memberQuotaKey(orgId: string, userId: string, window: QuotaWindow): string {
  return redisKey("quota", orgTag(orgId), "member", userId, window.name, window.id);
}

// Counters outlive their window by a day, so a refund that arrives just after a boundary still
// finds the counter it must decrement.
const expiryOf = (window: QuotaWindow) => Math.floor(window.resetsAt.getTime() / 1000) + 86_400;

/** A user's counter keys for these windows, in `windowNames`' order (as the scripts take them). */
export function quotaKeys(userId: string, windows: Record<WindowName, QuotaWindow>): string[] {
  return windowNames.map((name) => quotaKey(userId, windows[name]));
}

export function orgQuotaKeys(orgId: string, windows: Record<WindowName, QuotaWindow>): string[] {
  return windowNames.map((name) => orgQuotaKey(orgId, windows[name]));
}

export function memberQuotaKeys(
  orgId: string,
  userId: string,
  windows: Record<WindowName, QuotaWindow>,
): string[] {
  return windowNames.map((name) => memberQuotaKey(orgId, userId, windows[name]));
}

/** Whose limit refused a call: the user's own (personal), the organization's, or the member's in it. */
export type QuotaScope = "personal" | "org" | "member";

export type Reservation =
  /** `used`: each window's count including this call (the organization's, for an org call). */
  | { admitted: true; used: Limits; memberUsed?: Record<WindowName, number> }
  | { admitted: false; scope: QuotaScope; window: QuotaWindow; limit: number; used: number };

type Counter = { key: string; limit: number | null; window: QuotaWindow; scope: QuotaScope };

async function reserveCounters(
  counters: Counter[],
): Promise<{ counts: number[] } | { refused: Counter; used: number }> {
  const redis = withScripts(await getRedis());
  const [refusedBy = 0, ...counts] = await redis.reserveCounters(
    counters.length,
    ...counters.map((counter) => counter.key),
    ...counters.map((counter) => counter.limit ?? -1),
    ...counters.map((counter) => expiryOf(counter.window)),
  );
  if (refusedBy === 0) return { counts };
  return { refused: counters[refusedBy - 1]!, used: counts[0] ?? 0 };
}

export async function reserveQuota(userId: string, limits: Limits, now: Date): Promise<Reservation> {
  const windows = getWindows(now);
  const result = await reserveCounters(
    windowNames.map((name) => ({
      key: quotaKey(userId, windows[name]),
      limit: limits[name],
      window: windows[name],
      scope: "personal" as const,
    })),
  );
  if ("counts" in result) return { admitted: true, used: byWindow((_, index) => result.counts[index] ?? 0) };
  const { refused, used } = result;
  return { admitted: false, scope: "personal", window: refused.window, limit: refused.limit ?? 0, used };
}

/**
 * A call on an organization's server: the organization's three windows and the member's three
 * (a window with no member limit only counts), all or nothing, in one script.
 */
export async function reserveOrgQuota(
  orgId: string,
  userId: string,
  limits: Limits,
  memberLimits: Record<WindowName, number | null>,
  now: Date,
): Promise<Reservation> {
  const windows = getWindows(now);
  const result = await reserveCounters([
    ...windowNames.map((name) => ({
      key: orgQuotaKey(orgId, windows[name]),
      limit: limits[name],
      window: windows[name],
      scope: "org" as const,
    })),
    ...windowNames.map((name) => ({
      key: memberQuotaKey(orgId, userId, windows[name]),
      limit: memberLimits[name],
      window: windows[name],
      scope: "member" as const,
    })),
  ]);
  if ("counts" in result)
    return {
      admitted: true,
      used: byWindow((_, index) => result.counts[index] ?? 0),
      memberUsed: byWindow((_, index) => result.counts[index + 3] ?? 0),
    };
  const { refused, used } = result;
  return { admitted: false, scope: refused.scope, window: refused.window, limit: refused.limit ?? 0, used };
}

/** Whose quota a call used: the user's own, or (orgId set) the organization's and the member's. */
export type QuotaHolder = { userId: string; orgId: string | null };

/** The counters a call of this holder reserved at `admittedAt`, exactly those its admission took. */
export function reservedKeys(holder: QuotaHolder, admittedAt: Date): string[] {
  const windows = getWindows(admittedAt);
  return holder.orgId
    ? [...orgQuotaKeys(holder.orgId, windows), ...memberQuotaKeys(holder.orgId, holder.userId, windows)]
    : quotaKeys(holder.userId, windows);
}

/**
 * Gives back one unit in each window of the moment the call was admitted. `holder` is a user id
 * (a personal call) or the call's user and organization.
 */
export async function refundQuota(holder: string | QuotaHolder, admittedAt: Date): Promise<void> {
  const redis = withScripts(await getRedis());
  const keys = reservedKeys(
    typeof holder === "string" ? { userId: holder, orgId: null } : holder,
    admittedAt,
  );
  await redis.refundCounters(keys.length, ...keys);
}

async function readCounters(keys: string[]): Promise<Record<WindowName, number>> {
  const values = await (await getRedis()).mget(...keys);
  return byWindow((_, index) => Number(values[index] ?? 0));
}

export async function readQuotaCounters(userId: string, now: Date): Promise<Record<WindowName, number>> {
  return readCounters(quotaKeys(userId, getWindows(now)));
}

export async function readOrgQuotaCounters(orgId: string, now: Date): Promise<Record<WindowName, number>> {
  return readCounters(orgQuotaKeys(orgId, getWindows(now)));
}

export async function readMemberQuotaCounters(
  orgId: string,
  userId: string,
  now: Date,
): Promise<Record<WindowName, number>> {
  return readCounters(memberQuotaKeys(orgId, userId, getWindows(now)));
}

async function writeCounters(keys: string[], now: Date, counts: Record<WindowName, number>): Promise<void> {
  const windows = getWindows(now);
  const multi = (await getRedis()).multi();
  windowNames.forEach((name, index) => {
    multi.set(keys[index]!, counts[name], "EXAT", expiryOf(windows[name]));
  });
  await multi.exec();
}

export async function writeQuotaCounters(
  userId: string,
  now: Date,
  counts: Record<WindowName, number>,
): Promise<void> {
  await writeCounters(quotaKeys(userId, getWindows(now)), now, counts);
}

export async function writeOrgQuotaCounters(
  orgId: string,
  now: Date,
  counts: Record<WindowName, number>,
): Promise<void> {
  await writeCounters(orgQuotaKeys(orgId, getWindows(now)), now, counts);
}

export async function writeMemberQuotaCounters(
  orgId: string,
  userId: string,
  now: Date,
  counts: Record<WindowName, number>,
): Promise<void> {
  await writeCounters(memberQuotaKeys(orgId, userId, getWindows(now)), now, counts);
}
