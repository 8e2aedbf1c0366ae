// The admin's list of users with their quota usage: one SQL statement ranks every user by the
// share of quota used (from the UsageHourly rollup) and returns one page of 50; the numbers shown
// on that page are then read from the same Redis counters the users' own meters read.
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client.ts";
import { storableString } from "@/lib/db/storable-text";
import { combineLimits, type Limits } from "@/lib/quota/effective-limits";
import { quotaKeys } from "@/lib/quota/quota-store";
import { countLedgerUsage } from "@/lib/quota/usage";
import {
  byWindow,
  getWindows,
  type QuotaWindow,
  systemClock,
  type WindowName,
  windowNames,
} from "@/lib/quota/windows";
import { getRedis } from "@/lib/redis/client";

export const usersPageSize = 50;
/** From this share of a window's limit, a user is "near limit". */
export const nearLimitShare = 0.8;

export const userSorts = ["share", "email", "created"] as const;
export type UserSort = (typeof userSorts)[number];
export type SortDirection = "asc" | "desc";
/** The direction a column sorts in when first chosen: the most used, A to Z, the newest. */
export const defaultDirection: Record<UserSort, SortDirection> = {
  share: "desc",
  email: "asc",
  created: "desc",
};

export const listUsersQuerySchema = z.object({
  search: storableString().trim().max(200).optional(),
  sort: z.enum(userSorts).default("share"),
  dir: z.enum(["asc", "desc"]).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});
export type ListUsersQuery = z.input<typeof listUsersQuerySchema>;

export type WindowUse = { used: number; limit: number; ratio: number };

export type UserUsageRow = {
  id: string;
  email: string;
  name: string | null;
  role: "USER" | "ADMIN";
  planName: string | null;
  suspended: boolean;
  createdAt: Date;
  usage: Record<WindowName, WindowUse>;
  /** The largest of the three windows' used/limit ratios (1 = at the limit). */
  share: number;
  nearLimit: boolean;
  atLimit: boolean;
  /** Calls this month at the pace so far: this month's calls / the elapsed fraction of the month. */
  monthForecast: number;
};

export type UsersPage = {
  rows: UserUsageRow[];
  total: number;
  page: number;
  pageCount: number;
  sort: UserSort;
  dir: SortDirection;
  search: string | undefined;
  /** Among every user matching the search, by the rollup (finished successful calls). */
  nearLimitCount: number;
  atLimitCount: number;
  /** Where the exact numbers of the rows came from: the quota counters, or the ledger when Redis is down. */
  source: "counters" | "ledger";
};

type RankedRow = {
  id: string;
  email: string;
  name: string | null;
  role: "USER" | "ADMIN";
  suspendedAt: Date | null;
  createdAt: Date;
  hourlyLimitOverride: number | null;
  dailyLimitOverride: number | null;
  monthlyLimitOverride: number | null;
  planName: string | null;
  hourlyLimit: number | null;
  dailyLimit: number | null;
  monthlyLimit: number | null;
  total: bigint;
  nearCount: bigint;
  atCount: bigint;
};

function ratioOf(used: number, limit: number): number {
  // A limit of 0 is used up from the start (the meters show it as 100 %).
  return limit <= 0 ? 1 : used / limit;
}

/** Used, limit, ratio per window, the share and the flags, for one user's counts and limits. */
export function describeUsage(counts: Record<WindowName, number>, limits: Limits) {
  const usage = byWindow((name) => ({
    used: counts[name],
    limit: limits[name],
    ratio: ratioOf(counts[name], limits[name]),
  }));
  const share = Math.max(...windowNames.map((name) => usage[name].ratio));
  const atLimit = windowNames.some((name) => usage[name].used >= usage[name].limit);
  return { usage, share, atLimit, nearLimit: !atLimit && share >= nearLimitShare };
}

/** This month's calls extrapolated to the month's end at the pace so far. */
export function forecastMonth(usedThisMonth: number, month: QuotaWindow, now: Date): number {
  const length = month.resetsAt.getTime() - month.startsAt.getTime();
  // At least one hour elapsed, so a handful of calls in the first minutes does not forecast millions.
  const elapsed = Math.max(now.getTime() - month.startsAt.getTime(), 3_600_000);
  return Math.round(usedThisMonth / Math.min(1, elapsed / length));
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

function orderBy(sort: UserSort, dir: SortDirection): Prisma.Sql {
  const direction = dir === "asc" ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  // Ties are broken by id so that pages never repeat or skip a user.
  if (sort === "email") return Prisma.sql`ORDER BY u."email" ${direction}, u."id"`;
  if (sort === "created") return Prisma.sql`ORDER BY u."createdAt" ${direction}, u."id"`;
  return Prisma.sql`ORDER BY "share" ${direction}, u."email" ASC, u."id"`;
}

/**
 * One page of users, ranked across all of them in a single statement.
 *
 * Two sources, on purpose. Ranking, the near/at-limit counts and the page's order come from the
 * UsageHourly rollup, because it is the only source that can be aggregated for 10k users in one
 * query (it is indexed on [hour]: the month's rows are a range scan). The numbers shown for the 50
 * rows come from the Redis quota counters, which are what admission checks and what the users'
 * own meters (`getUsage`) read, so the admin sees exactly what the user sees. They differ
 * slightly: the counters count calls holding quota, pending ones included (a call reserves when
 * admitted and is refunded if it fails), while the rollup counts successes once they finish. So a
 * row may show a call or two more than its rank implies, for as long as those calls run.
 */
export async function listUsersWithUsage(
  query: ListUsersQuery = {},
  now = systemClock(),
): Promise<UsersPage> {
  const { search, sort, page, ...rest } = listUsersQuerySchema.parse(query);
  const dir = rest.dir ?? defaultDirection[sort];
  const { hour, day, month } = getWindows(now);
  const term = search ? `%${escapeLike(search)}%` : undefined;
  const where = term ? Prisma.sql`WHERE (u."email" ILIKE ${term} OR u."name" ILIKE ${term})` : Prisma.empty;
  const ranked = await getDb().$queryRaw<RankedRow[]>`
    WITH usage AS (
      SELECT "userId",
             COALESCE(SUM("successCount") FILTER (WHERE "hour" >= ${hour.startsAt}), 0)::int AS "hourUsed",
             COALESCE(SUM("successCount") FILTER (WHERE "hour" >= ${day.startsAt}), 0)::int AS "dayUsed",
             COALESCE(SUM("successCount"), 0)::int AS "monthUsed"
      FROM "UsageHourly"
      WHERE "hour" >= ${month.startsAt} AND "hour" < ${month.resetsAt}
      GROUP BY "userId"
    ), fallback AS (
      SELECT "name", "hourlyLimit", "dailyLimit", "monthlyLimit" FROM "Plan" WHERE "isDefault" LIMIT 1
    ), limited AS (
      SELECT u.*, p."name" AS "planName", p."hourlyLimit", p."dailyLimit", p."monthlyLimit",
             COALESCE(us."hourUsed", 0) AS "hourUsed", COALESCE(us."dayUsed", 0) AS "dayUsed",
             COALESCE(us."monthUsed", 0) AS "monthUsed",
             COALESCE(u."hourlyLimitOverride", p."hourlyLimit") AS "hourLimit",
             COALESCE(u."dailyLimitOverride", p."dailyLimit") AS "dayLimit",
             COALESCE(u."monthlyLimitOverride", p."monthlyLimit") AS "monthLimit"
      FROM "User" u
      LEFT JOIN LATERAL (
        -- The user's plan, or the default plan for a user without one (as getEffectiveLimits).
        SELECT "name", "hourlyLimit", "dailyLimit", "monthlyLimit" FROM "Plan" WHERE "id" = u."planId"
        UNION ALL SELECT * FROM fallback WHERE u."planId" IS NULL
        LIMIT 1
      ) p ON true
      LEFT JOIN usage us ON us."userId" = u."id"
      ${where}
    ), scored AS (
      SELECT *,
        GREATEST(
          CASE WHEN "hourLimit" <= 0 THEN 1 ELSE "hourUsed"::float8 / "hourLimit" END,
          CASE WHEN "dayLimit" <= 0 THEN 1 ELSE "dayUsed"::float8 / "dayLimit" END,
          CASE WHEN "monthLimit" <= 0 THEN 1 ELSE "monthUsed"::float8 / "monthLimit" END
        ) AS "share",
        ("hourUsed" >= "hourLimit" OR "dayUsed" >= "dayLimit" OR "monthUsed" >= "monthLimit") AS "atLimit"
      FROM limited
    )
    SELECT u."id", u."email", u."name", u."role"::text AS "role", u."suspendedAt", u."createdAt",
           u."hourlyLimitOverride", u."dailyLimitOverride", u."monthlyLimitOverride",
           u."planName", u."hourlyLimit", u."dailyLimit", u."monthlyLimit",
           COUNT(*) OVER () AS "total",
           COUNT(*) FILTER (WHERE NOT "atLimit" AND "share" >= ${nearLimitShare}) OVER () AS "nearCount",
           COUNT(*) FILTER (WHERE "atLimit") OVER () AS "atCount"
    FROM scored u
    ${orderBy(sort, dir)}
    LIMIT ${usersPageSize} OFFSET ${(page - 1) * usersPageSize}`;

  const { counts, source } = await readExactCounts(
    ranked.map((row) => row.id),
    now,
  );
  const rows = ranked.map((row, index): UserUsageRow => {
    const plan =
      row.hourlyLimit === null || row.dailyLimit === null || row.monthlyLimit === null
        ? // No plan and no default plan (a broken installation): nothing is admitted.
          { name: "", hourlyLimit: 0, dailyLimit: 0, monthlyLimit: 0 }
        : {
            name: row.planName ?? "",
            hourlyLimit: row.hourlyLimit,
            dailyLimit: row.dailyLimit,
            monthlyLimit: row.monthlyLimit,
          };
    const limits = combineLimits(row, plan);
    const used = counts[index]!;
    return {
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role,
      planName: row.planName,
      suspended: row.suspendedAt !== null,
      createdAt: row.createdAt,
      ...describeUsage(used, limits),
      monthForecast: forecastMonth(used.month, month, now),
    };
  });
  const first = ranked[0];
  const total = first ? Number(first.total) : await countMatching(where);
  return {
    rows,
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / usersPageSize)),
    sort,
    dir,
    search: search || undefined,
    nearLimitCount: first ? Number(first.nearCount) : 0,
    atLimitCount: first ? Number(first.atCount) : 0,
    source,
  };
}

/** Only for a page past the end, where the window counts have no row to ride on. */
async function countMatching(where: Prisma.Sql): Promise<number> {
  const [row] = await getDb().$queryRaw<
    { total: bigint }[]
  >`SELECT COUNT(*) AS "total" FROM "User" u ${where}`;
  return Number(row?.total ?? 0);
}

/**
 * The quota counters of these users in the current windows, as `getUsage` reads them: one MGET
 * per user (each user's keys share a hash tag, the users' do not, so on Redis Cluster they go to
 * different nodes), sent together. When Redis is unreachable, the ledger, as `getUsage` falls back.
 */
export async function readExactCounts(
  userIds: string[],
  now: Date,
): Promise<{ counts: Record<WindowName, number>[]; source: "counters" | "ledger" }> {
  if (userIds.length === 0) return { counts: [], source: "counters" };
  const windows = getWindows(now);
  try {
    const redis = await getRedis();
    const results = await Promise.all(userIds.map((userId) => redis.mget(...quotaKeys(userId, windows))));
    const counts = results.map((values) => byWindow((_, at) => Number(values[at] ?? 0)));
    return { counts, source: "counters" };
  } catch {
    return { counts: await Promise.all(userIds.map((id) => countLedgerUsage(id, now))), source: "ledger" };
  }
}
