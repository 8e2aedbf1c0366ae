// Usage in the current windows: a user's own, an organization's, and one member's share of an
// organization's. From the Redis counters, or, when Redis is unreachable or the counters were
// lost, from the call ledger, which is the record. Personal usage counts only calls on personal
// servers (orgId null): a member's calls on an organization's servers use the organization's quota.
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client.ts";
import { AppError } from "@/lib/errors/app-error";
import { combineMemberLimits, combineOrgLimits } from "@/lib/orgs/org-limits";
import type { Workspace } from "@/lib/orgs/workspace";
import { getEffectiveLimits, type Limits, planOrDefault } from "./effective-limits";
import {
  readMemberQuotaCounters,
  readOrgQuotaCounters,
  readQuotaCounters,
  writeMemberQuotaCounters,
  writeOrgQuotaCounters,
  writeQuotaCounters,
} from "./quota-store";
import { byWindow, getWindows, systemClock, type WindowName, windowNames } from "./windows";

export type WindowUsage = { used: number; limit: number; resetsAt: string };
export type Usage = Record<WindowName, WindowUsage>;
/** A member's usage inside an organization: a window without a member limit has limit null. */
export type MemberWindowUsage = { used: number; limit: number | null; resetsAt: string };
export type MemberUsage = Record<WindowName, MemberWindowUsage>;

async function countCalls(where: Prisma.CallWhereInput, now: Date): Promise<Record<WindowName, number>> {
  const windows = getWindows(now);
  const counts = await Promise.all(
    windowNames.map((name) =>
      getDb().call.count({
        where: {
          ...where,
          counted: true,
          startedAt: { gte: windows[name].startsAt, lt: windows[name].resetsAt },
        },
      }),
    ),
  );
  return byWindow((_, index) => counts[index] ?? 0);
}

/** Personal calls that hold quota (admitted and not refunded) in each current window, from the ledger. */
export async function countLedgerUsage(userId: string, now: Date): Promise<Record<WindowName, number>> {
  return countCalls({ userId, orgId: null }, now);
}

/** An organization's calls that hold quota in each current window (one member's, given userId). */
export async function countOrgLedgerUsage(
  orgId: string,
  now: Date,
  userId?: string,
): Promise<Record<WindowName, number>> {
  return countCalls({ orgId, ...(userId && { userId }) }, now);
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

/** An organization's limits and, for one member, their limits inside it. */
export async function getOrgLimits(
  orgId: string,
  memberId?: string,
): Promise<{ org: Limits; member: Record<WindowName, number | null> | null }> {
  const org = await getDb().organization.findUnique({
    where: { id: orgId },
    include: {
      plan: true,
      memberships: memberId ? { where: { userId: memberId } } : false,
    },
  });
  if (!org) throw new AppError("not_found", "No such organization.");
  const plan = await planOrDefault(org.plan);
  if (!plan) throw new AppError("internal_error", "No default plan exists; run the migrations.");
  const membership = org.memberships?.[0];
  return {
    org: combineOrgLimits(org, plan),
    member: membership ? combineMemberLimits(org, membership) : null,
  };
}

/** The organization's usage of its own limits, and (memberId given) that member's of theirs. */
export async function getOrgUsage(
  orgId: string,
  memberId?: string,
  now = systemClock(),
): Promise<Usage & { member?: MemberUsage }> {
  const limits = await getOrgLimits(orgId, memberId);
  const windows = getWindows(now);
  const [orgCounts, memberCounts] = await Promise.all([
    readOrgQuotaCounters(orgId, now).catch(() => countOrgLedgerUsage(orgId, now)),
    memberId
      ? readMemberQuotaCounters(orgId, memberId, now).catch(() => countOrgLedgerUsage(orgId, now, memberId))
      : null,
  ]);
  const usage: Usage = byWindow((name) => ({
    used: orgCounts[name],
    limit: limits.org[name],
    resetsAt: windows[name].resetsAt.toISOString(),
  }));
  if (!memberCounts) return usage;
  return {
    ...usage,
    member: byWindow((name) => ({
      used: memberCounts[name],
      limit: limits.member?.[name] ?? null,
      resetsAt: windows[name].resetsAt.toISOString(),
    })),
  };
}

/** Rewrites a user's personal Redis counters from the ledger (after Redis lost data, say). */
export async function rebuildQuotaCounters(
  userId: string,
  now = systemClock(),
): Promise<Record<WindowName, number>> {
  const counts = await countLedgerUsage(userId, now);
  await writeQuotaCounters(userId, now, counts);
  return counts;
}

/**
 * Rewrites an organization's Redis counters, and each of its members' share, from the ledger. Every
 * member with a counted call this month gets theirs rewritten (others have nothing to rewrite).
 */
export async function rebuildOrgQuotaCounters(
  orgId: string,
  now = systemClock(),
): Promise<{ org: Record<WindowName, number>; members: Record<string, Record<WindowName, number>> }> {
  const org = await countOrgLedgerUsage(orgId, now);
  await writeOrgQuotaCounters(orgId, now, org);
  const { month } = getWindows(now);
  const callers = await getDb().call.findMany({
    where: { orgId, counted: true, startedAt: { gte: month.startsAt, lt: month.resetsAt } },
    distinct: ["userId"],
    select: { userId: true },
  });
  const members: Record<string, Record<WindowName, number>> = {};
  for (const { userId } of callers) {
    members[userId] = await countOrgLedgerUsage(orgId, now, userId);
    await writeMemberQuotaCounters(orgId, userId, now, members[userId]!);
  }
  return { org, members };
}

/** Users whose personal counters a rebuild must cover: those with a counted personal call this month. */
export async function listUsersWithCallsThisMonth(now = systemClock()): Promise<string[]> {
  const { month } = getWindows(now);
  const rows = await getDb().call.findMany({
    where: { orgId: null, counted: true, startedAt: { gte: month.startsAt, lt: month.resetsAt } },
    distinct: ["userId"],
    select: { userId: true },
  });
  return rows.map((row) => row.userId);
}

/** Organizations whose counters a rebuild must cover: those with a counted call this month. */
export async function listOrgsWithCallsThisMonth(now = systemClock()): Promise<string[]> {
  const { month } = getWindows(now);
  const rows = await getDb().call.findMany({
    where: { orgId: { not: null }, counted: true, startedAt: { gte: month.startsAt, lt: month.resetsAt } },
    distinct: ["orgId"],
    select: { orgId: true },
  });
  return rows.flatMap((row) => (row.orgId ? [row.orgId] : []));
}

/** Calls of an organization this month per member (counted ones, as its quota sees them). */
export async function countOrgCallsByMember(
  orgId: string,
  now = systemClock(),
): Promise<{ userId: string; email: string; calls: number }[]> {
  const { month } = getWindows(now);
  const groups = await getDb().call.groupBy({
    by: ["userId"],
    where: { orgId, counted: true, startedAt: { gte: month.startsAt, lt: month.resetsAt } },
    _count: { _all: true },
  });
  const users = await getDb().user.findMany({
    where: { id: { in: groups.map((group) => group.userId) } },
    select: { id: true, email: true },
  });
  const emails = new Map(users.map((user) => [user.id, user.email]));
  return groups
    .map((group) => ({
      userId: group.userId,
      email: emails.get(group.userId) ?? "",
      calls: group._count._all,
    }))
    .sort((a, b) => b.calls - a.calls || a.email.localeCompare(b.email));
}

/** A workspace's usage: personal, or the organization's with the caller's own share of it. */
export async function getWorkspaceUsage(
  workspace: Workspace,
  now = systemClock(),
): Promise<Usage & { member?: MemberUsage }> {
  return workspace.kind === "org"
    ? getOrgUsage(workspace.orgId, workspace.userId, now)
    : getUsage(workspace.userId, now);
}
