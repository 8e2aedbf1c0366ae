// The organizations view of the admin dashboard: every organization with its plan, members and
// calls this month, and one organization's plan and limits for the form that changes them
// (lib/orgs/org-limits.ts setOrgPlan).
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { getWindows, systemClock } from "@/lib/quota/windows";

export type OrganizationRow = {
  id: string;
  name: string;
  planName: string | null;
  memberCount: number;
  callsThisMonth: number;
  createdAt: Date;
};

/** Every organization, newest first, with the calls that counted against its quota this month. */
export async function listOrganizations(now = systemClock()): Promise<OrganizationRow[]> {
  const db = getDb();
  const { month } = getWindows(now);
  const [orgs, calls] = await Promise.all([
    db.organization.findMany({
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 500,
      select: {
        id: true,
        name: true,
        createdAt: true,
        plan: { select: { name: true } },
        _count: { select: { memberships: true } },
      },
    }),
    db.call.groupBy({
      by: ["orgId"],
      where: { orgId: { not: null }, counted: true, startedAt: { gte: month.startsAt, lt: month.resetsAt } },
      _count: { _all: true },
    }),
  ]);
  const callsByOrg = new Map(calls.map((row) => [row.orgId, row._count._all]));
  return orgs.map((org) => ({
    id: org.id,
    name: org.name,
    planName: org.plan?.name ?? null,
    memberCount: org._count.memberships,
    callsThisMonth: callsByOrg.get(org.id) ?? 0,
    createdAt: org.createdAt,
  }));
}

/** One organization for its admin page: its plan, overrides, owners and the default plan's limits. */
export async function getOrganizationForAdmin(orgId: string, now = systemClock()) {
  const db = getDb();
  const org = await db.organization.findUnique({
    where: { id: orgId },
    select: {
      id: true,
      name: true,
      createdAt: true,
      planId: true,
      hourlyLimitOverride: true,
      dailyLimitOverride: true,
      monthlyLimitOverride: true,
      plan: { select: { name: true, hourlyLimit: true, dailyLimit: true, monthlyLimit: true } },
      memberships: {
        orderBy: { createdAt: "asc" },
        take: 200,
        select: { role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } },
      },
      _count: { select: { memberships: true } },
    },
  });
  if (!org) throw new AppError("not_found", "No such organization.");
  const { month } = getWindows(now);
  const [defaultPlan, callsThisMonth] = await Promise.all([
    db.plan.findFirst({
      where: { isDefault: true },
      select: { name: true, hourlyLimit: true, dailyLimit: true, monthlyLimit: true },
    }),
    db.call.count({
      where: { orgId, counted: true, startedAt: { gte: month.startsAt, lt: month.resetsAt } },
    }),
  ]);
  const plan = org.plan ?? defaultPlan ?? { name: "none", hourlyLimit: 0, dailyLimit: 0, monthlyLimit: 0 };
  return {
    ...org,
    memberCount: org._count.memberships,
    callsThisMonth,
    planLimits: { hour: plan.hourlyLimit, day: plan.dailyLimit, month: plan.monthlyLimit },
    effectivePlanName: plan.name,
    overrides: {
      hour: org.hourlyLimitOverride,
      day: org.dailyLimitOverride,
      month: org.monthlyLimitOverride,
    },
  };
}
