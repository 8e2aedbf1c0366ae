// One user as an administrator sees and manages them: plan, overrides, effective limits, usage
// (now, per hour for two days, per day for a month) and recent calls; changing the plan or the
// overrides, suspending and resuming. Every change applies from the user's next call (the MCP
// snapshots follow the writes by themselves, lib/servers) and is audited.
import { z } from "zod";
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { listCalls } from "@/lib/calls/list-calls";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { getEffectiveLimits } from "@/lib/quota/effective-limits";
import { getUsage } from "@/lib/quota/usage";
import { systemClock } from "@/lib/quota/windows";
import { type LimitOverrides, setLimitOverrides } from "@/lib/users/set-limit-overrides";

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
export const hourlySeriesLength = 48;
export const dailySeriesLength = 30;

export type UsagePoint = { at: string; success: number; error: number; refused: number };

/** The plans an administrator can choose from, smallest first. */
export async function listPlanChoices() {
  return getDb().plan.findMany({
    orderBy: [{ monthlyLimit: "asc" }, { name: "asc" }],
    select: {
      id: true,
      name: true,
      hourlyLimit: true,
      dailyLimit: true,
      monthlyLimit: true,
      isDefault: true,
    },
  });
}

export type PlanChoice = Awaited<ReturnType<typeof listPlanChoices>>[number];

/** Consecutive periods (hours or days) ending with the one `now` falls in, each with its counts. */
function fillSeries(
  rows: { at: Date; success: number; error: number; refused: number }[],
  now: Date,
  stepMs: number,
  length: number,
): UsagePoint[] {
  const byTime = new Map(rows.map((row) => [row.at.getTime(), row]));
  const last = Math.floor(now.getTime() / stepMs) * stepMs;
  return Array.from({ length }, (_, index) => {
    const at = last - (length - 1 - index) * stepMs;
    const row = byTime.get(at);
    return {
      at: new Date(at).toISOString(),
      success: row?.success ?? 0,
      error: row?.error ?? 0,
      refused: row?.refused ?? 0,
    };
  });
}

/**
 * Calls per hour for the last 48 hours and per day for the last 30 days, from the rollup (read
 * through its primary key [userId, hour]: at most 720 rows). Days are UTC days, like the quotas.
 */
export async function getUsageSeries(userId: string, now = systemClock()) {
  const firstDay = Math.floor(now.getTime() / dayMs) * dayMs - (dailySeriesLength - 1) * dayMs;
  const firstHour = Math.floor(now.getTime() / hourMs) * hourMs - (hourlySeriesLength - 1) * hourMs;
  const rows = await getDb().usageHourly.findMany({
    where: { userId, hour: { gte: new Date(Math.min(firstDay, firstHour)) } },
    select: { hour: true, successCount: true, errorCount: true, refusedCount: true },
  });
  const hours = rows
    .filter((row) => row.hour.getTime() >= firstHour)
    .map((row) => ({
      at: row.hour,
      success: row.successCount,
      error: row.errorCount,
      refused: row.refusedCount,
    }));
  const days = new Map<number, { at: Date; success: number; error: number; refused: number }>();
  for (const row of rows) {
    const day = Math.floor(row.hour.getTime() / dayMs) * dayMs;
    if (day < firstDay) continue;
    const total = days.get(day) ?? { at: new Date(day), success: 0, error: 0, refused: 0 };
    total.success += row.successCount;
    total.error += row.errorCount;
    total.refused += row.refusedCount;
    days.set(day, total);
  }
  return {
    hourly: fillSeries(hours, now, hourMs, hourlySeriesLength),
    daily: fillSeries([...days.values()], now, dayMs, dailySeriesLength),
  };
}

export async function getUserDetail(userId: string, now = systemClock()) {
  const user = await getDb().user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      isDemo: true,
      suspendedAt: true,
      createdAt: true,
      plan: { select: { id: true, name: true, hourlyLimit: true, dailyLimit: true, monthlyLimit: true } },
      hourlyLimitOverride: true,
      dailyLimitOverride: true,
      monthlyLimitOverride: true,
    },
  });
  if (!user) throw new AppError("not_found", "No such user.");
  const [limits, usage, series, recentCalls] = await Promise.all([
    getEffectiveLimits(userId),
    getUsage(userId, now),
    getUsageSeries(userId, now),
    listCalls(userId, { limit: 20 }),
  ]);
  const { hourlyLimitOverride, dailyLimitOverride, monthlyLimitOverride, ...rest } = user;
  return {
    ...rest,
    overrides: { hour: hourlyLimitOverride, day: dailyLimitOverride, month: monthlyLimitOverride },
    limits,
    usage,
    series,
    recentCalls,
  };
}

export type UserDetail = Awaited<ReturnType<typeof getUserDetail>>;

const auditAs = (adminId: string, context: AuditContext): AuditContext => ({ ...context, actorId: adminId });

async function findUserOrThrow(userId: string) {
  const user = await getDb().user.findUnique({
    where: { id: userId },
    select: { id: true, suspendedAt: true, planId: true, plan: { select: { name: true } } },
  });
  if (!user) throw new AppError("not_found", "No such user.");
  return user;
}

export async function setUserPlan(
  adminId: string,
  userId: string,
  planId: string,
  context: AuditContext = {},
) {
  const [user, plan] = await Promise.all([
    findUserOrThrow(userId),
    getDb().plan.findUnique({ where: { id: planId }, select: { id: true, name: true } }),
  ]);
  if (!plan) throw new AppError("validation_failed", "That plan no longer exists.", { field: "planId" });
  if (user.planId === plan.id) return plan;
  await getDb().user.update({ where: { id: userId }, data: { planId: plan.id } });
  await recordAuditEvent(
    auditAs(adminId, context),
    "user.plan_changed",
    { type: "user", id: userId },
    { from: user.plan?.name ?? null, to: plan.name },
  );
  return plan;
}

const overrideSchema = z.number().int().min(0).max(1_000_000_000).nullable();
export const overridesSchema = z.object({ hour: overrideSchema, day: overrideSchema, month: overrideSchema });

/** Overrides per window; null means "use the plan's". Audited as "user.limits_changed". */
export async function setUserOverrides(
  adminId: string,
  userId: string,
  overrides: LimitOverrides,
  context: AuditContext = {},
) {
  await findUserOrThrow(userId);
  await setLimitOverrides(userId, overrides, auditAs(adminId, context));
}

export async function suspendUser(adminId: string, userId: string, context: AuditContext = {}) {
  if (adminId === userId)
    throw new AppError("bad_request", "You cannot suspend your own account: another administrator must.");
  const user = await findUserOrThrow(userId);
  if (user.suspendedAt) return;
  await getDb().user.update({ where: { id: userId }, data: { suspendedAt: new Date() } });
  await recordAuditEvent(auditAs(adminId, context), "user.suspended", { type: "user", id: userId });
}

export async function resumeUser(adminId: string, userId: string, context: AuditContext = {}) {
  const user = await findUserOrThrow(userId);
  if (!user.suspendedAt) return;
  await getDb().user.update({ where: { id: userId }, data: { suspendedAt: null } });
  await recordAuditEvent(auditAs(adminId, context), "user.resumed", { type: "user", id: userId });
}
