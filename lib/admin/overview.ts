// The admin overview's numbers: calls per hour over the last 7 days by outcome, error rate, p95
// duration and active users, all read from the UsageHourly rollup (index on "hour"), never the
// Call ledger. Two queries, run side by side; bench/dashboard.ts times them at 1M calls.
import { durationBucketBoundsMs, durationBucketColumns } from "@/lib/calls/ledger";
import { getDb } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client.ts";

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
/** Hours in the overview: the current (partial) hour and the 167 before it. */
export const overviewHours = 7 * 24;

export type HourlyUsage = {
  /** Start of the hour (UTC), ISO 8601. */
  hour: string;
  success: number;
  error: number;
  refused: number;
  /** Executed calls (success and error) per duration bucket (durationBucketBoundsMs). */
  buckets: number[];
};

export type HourPoint = {
  hour: string;
  success: number;
  error: number;
  refused: number;
  /** Failed share of the calls that ran (refusals did not run); null when none ran. */
  errorRate: number | null;
  /** The bucket holding the 95th percentile duration; null when no call ran. */
  p95Bucket: number | null;
};

export type OverviewTotals = {
  calls: number;
  success: number;
  error: number;
  refused: number;
  errorRate: number | null;
  p95Bucket: number | null;
  activeUsers: number;
};

export type AdminOverview = {
  generatedAt: string;
  hours: HourPoint[];
  /** UTC days, oldest first, today last (partial). */
  days: { day: string; activeUsers: number }[];
  last24h: OverviewTotals;
  last7d: OverviewTotals;
};

/** `byDay`: active users on each of the 7 days, oldest first. */
export type ActiveUsers = { byDay: number[]; last24h: number; total: number };

const bucketCount = durationBucketBoundsMs.length + 1;

/** The upper bound of a duration bucket in ms; null for the last one ("30 s or more"). */
export function bucketUpperBoundMs(bucket: number): number | null {
  return durationBucketBoundsMs[bucket] ?? null;
}

/**
 * The bucket holding the q-th quantile (nearest rank) of the counted durations, or null when
 * nothing was counted. Only its bound is known: "p95 under 500 ms".
 */
export function quantileBucket(buckets: readonly number[], q: number): number | null {
  const total = buckets.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let bucket = 0; bucket < buckets.length; bucket++) {
    seen += buckets[bucket] ?? 0;
    if (seen >= rank) return bucket;
  }
  return buckets.length - 1;
}

function errorRate(success: number, error: number): number | null {
  return success + error === 0 ? null : error / (success + error);
}

function addBuckets(into: number[], from: readonly number[]): void {
  for (let bucket = 0; bucket < bucketCount; bucket++)
    into[bucket] = (into[bucket] ?? 0) + (from[bucket] ?? 0);
}

const bucketSums = Prisma.raw(
  durationBucketColumns.map((column) => `coalesce(sum("${column}"), 0)::int`).join(", "),
);

// The bounds go in as text cast to `timestamp`: the column holds UTC wall time without a zone.
const asTimestamp = (date: Date) => date.toISOString();

/** Calls per hour in [from, to), summed over users; hours without calls are absent. */
export async function queryHourlyUsage(from: Date, to: Date): Promise<HourlyUsage[]> {
  const rows = await getDb().$queryRaw<
    { hour: Date; success: number; error: number; refused: number; buckets: number[] }[]
  >`
    SELECT "hour",
           sum("successCount")::int AS "success",
           sum("errorCount")::int AS "error",
           sum("refusedCount")::int AS "refused",
           ARRAY[${bucketSums}] AS "buckets"
      FROM "UsageHourly"
     WHERE "hour" >= ${asTimestamp(from)}::timestamp AND "hour" < ${asTimestamp(to)}::timestamp
     GROUP BY "hour"
     ORDER BY "hour"`;
  return rows.map((row) => ({ ...row, hour: row.hour.toISOString() }));
}

const dayBits = Prisma.raw(
  Array.from({ length: 7 }, (_, day) => `count(*) FILTER (WHERE "days" & ${1 << (day + 1)} <> 0)::int`).join(
    ", ",
  ),
);

/**
 * Distinct users with at least one call (refused ones too: they tried) in [from, to), since
 * `recentFrom`, and on each of the 7 UTC days from `firstDay` (today last). One pass: a hash
 * aggregate per user (a bit per day, the latest hour) over the range, then counts over the users;
 * much cheaper than count(DISTINCT) per group, which sorts.
 */
export async function queryActiveUsers(
  from: Date,
  to: Date,
  recentFrom: Date,
  firstDay: Date,
): Promise<ActiveUsers> {
  // Bit d + 1 is day d from firstDay; bit 0 is the part of the day before it that is in range.
  const [row] = await getDb().$queryRaw<{ total: number; recent: number; byDay: number[] }[]>`
    SELECT count(*)::int AS "total",
           count(*) FILTER (WHERE "last" >= ${asTimestamp(recentFrom)}::timestamp)::int AS "recent",
           ARRAY[${dayBits}] AS "byDay"
      FROM (
        SELECT "userId",
               bit_or(1 << greatest(0, "hour"::date - ${asTimestamp(firstDay)}::timestamp::date + 1)) AS "days",
               max("hour") AS "last"
          FROM "UsageHourly"
         WHERE "hour" >= ${asTimestamp(from)}::timestamp AND "hour" < ${asTimestamp(to)}::timestamp
         GROUP BY "userId"
      ) AS active`;
  return { byDay: row?.byDay ?? [], last24h: row?.recent ?? 0, total: row?.total ?? 0 };
}

function totalsOf(points: readonly HourlyUsage[], activeUsers: number): OverviewTotals {
  const buckets = new Array<number>(bucketCount).fill(0);
  let success = 0;
  let error = 0;
  let refused = 0;
  for (const point of points) {
    success += point.success;
    error += point.error;
    refused += point.refused;
    addBuckets(buckets, point.buckets);
  }
  return {
    calls: success + error + refused,
    success,
    error,
    refused,
    errorRate: errorRate(success, error),
    p95Bucket: quantileBucket(buckets, 0.95),
    activeUsers,
  };
}

/** The overview as of `now`: the last 168 hours (the current one included) and 7 UTC days. */
export async function getAdminOverview(now = new Date()): Promise<AdminOverview> {
  const currentHour = Math.floor(now.getTime() / hourMs) * hourMs;
  const from = new Date(currentHour - (overviewHours - 1) * hourMs);
  const to = new Date(currentHour + hourMs);
  const recentFrom = new Date(currentHour - 23 * hourMs);
  // The 7 UTC days end today; the first of them starts at or after `from`.
  const today = Math.floor(now.getTime() / dayMs) * dayMs;
  const firstDay = new Date(today - 6 * dayMs);

  const [rows, active] = await Promise.all([
    queryHourlyUsage(from, to),
    queryActiveUsers(from, to, recentFrom, firstDay),
  ]);
  const byHour = new Map(rows.map((row) => [row.hour, row]));
  const series: HourlyUsage[] = Array.from({ length: overviewHours }, (_, index) => {
    const hour = new Date(from.getTime() + index * hourMs).toISOString();
    return (
      byHour.get(hour) ?? { hour, success: 0, error: 0, refused: 0, buckets: new Array(bucketCount).fill(0) }
    );
  });
  const hours: HourPoint[] = series.map((point) => ({
    hour: point.hour,
    success: point.success,
    error: point.error,
    refused: point.refused,
    errorRate: errorRate(point.success, point.error),
    p95Bucket: quantileBucket(point.buckets, 0.95),
  }));
  const days = Array.from({ length: 7 }, (_, index) => ({
    day: new Date(firstDay.getTime() + index * dayMs).toISOString(),
    activeUsers: active.byDay[index] ?? 0,
  }));
  return {
    generatedAt: now.toISOString(),
    hours,
    days,
    last24h: totalsOf(
      series.filter((point) => point.hour >= recentFrom.toISOString()),
      active.last24h,
    ),
    last7d: totalsOf(series, active.total),
  };
}
