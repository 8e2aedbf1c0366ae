// A user's usage in the current windows: from the Redis counters, or, when Redis is unreachable
// or the counters were lost, from the call ledger, which is the record.
import { getDb } from "@/lib/db/client";
import { getEffectiveLimits } from "./effective-limits";
import { readQuotaCounters, writeQuotaCounters } from "./quota-store";
import { byWindow, getWindows, systemClock, type WindowName, windowNames } from "./windows";

export type WindowUsage = { used: number; limit: number; resetsAt: string };
export type Usage = Record<WindowName, WindowUsage>;

/** Calls that hold quota (admitted and not refunded) in each current window, from the ledger. */
export async function countLedgerUsage(userId: string, now: Date): Promise<Record<WindowName, number>> {
  const windows = getWindows(now);
  const counts = await Promise.all(
    windowNames.map((name) =>
      getDb().call.count({
        where: {
          userId,
          counted: true,
          startedAt: { gte: windows[name].startsAt, lt: windows[name].resetsAt },
        },
      }),
    ),
  );
  return byWindow((_, index) => counts[index] ?? 0);
}

export async function getUsage(userId: string, now = systemClock()): Promise<Usage> {
  const limits = await getEffectiveLimits(userId);
  const counts = await readQuotaCounters(userId, now).catch(() => countLedgerUsage(userId, now));
  const windows = getWindows(now);
  return byWindow((name) => ({
    used: counts[name],
    limit: limits[name],
    resetsAt: windows[name].resetsAt.toISOString(),
  }));
}

/** Rewrites a user's Redis counters from the ledger (after Redis lost data, say). */
export async function rebuildQuotaCounters(
  userId: string,
  now = systemClock(),
): Promise<Record<WindowName, number>> {
  const counts = await countLedgerUsage(userId, now);
  await writeQuotaCounters(userId, now, counts);
  return counts;
}

/** Users whose counters a rebuild must cover: those with a counted call this month. */
export async function listUsersWithCallsThisMonth(now = systemClock()): Promise<string[]> {
  const { month } = getWindows(now);
  const rows = await getDb().call.findMany({
    where: { counted: true, startedAt: { gte: month.startsAt, lt: month.resetsAt } },
    distinct: ["userId"],
    select: { userId: true },
  });
  return rows.map((row) => row.userId);
}
