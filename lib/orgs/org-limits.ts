// An organization's quota: limits for the whole organization (its plan's, which a platform
// administrator chooses, or overrides of them) and, inside them, each member's (the organization's
// default member limits, or the member's own). A call on an organization's server must fit both.
import { z } from "zod";
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { maxPlanLimit } from "@/lib/plans/plan-limits";
import type { Limits } from "@/lib/quota/effective-limits";
import { type WindowName, windowAdjectives, windowNames } from "@/lib/quota/windows";
import { requirePermission, type Workspace } from "./workspace";

/** Per window: a whole number of calls, or null for "none of its own" (the plan's, or no limit). */
export type LimitSettings = Partial<Record<WindowName, number | null>>;
/** A member's limits; a window without one is limited by the organization's only. */
export type MemberLimits = Record<WindowName, number | null>;

const limitValue = (window: string) =>
  z
    .number({ error: `Give the ${window} limit as a whole number, or null for none.` })
    .int(`The ${window} limit must be a whole number.`)
    .min(0, `The ${window} limit cannot be negative.`)
    .max(maxPlanLimit, `The ${window} limit can be at most ${maxPlanLimit.toLocaleString("en")}.`)
    .nullable()
    .optional();

export const limitSettingsSchema = z
  .object({ hour: limitValue("hourly"), day: limitValue("daily"), month: limitValue("monthly") })
  .refine((value) => windowNames.some((name) => value[name] !== undefined), {
    message: "Give at least one of hour, day or month.",
  });

type OrgLimitColumns = {
  hourlyLimitOverride: number | null;
  dailyLimitOverride: number | null;
  monthlyLimitOverride: number | null;
  memberHourlyLimit: number | null;
  memberDailyLimit: number | null;
  memberMonthlyLimit: number | null;
};
type PlanLimits = { hourlyLimit: number; dailyLimit: number; monthlyLimit: number };
type MembershipLimitColumns = {
  hourlyLimit: number | null;
  dailyLimit: number | null;
  monthlyLimit: number | null;
};

/** The whole organization's limits: its overrides, else its plan's (the default plan when it has none). */
export function combineOrgLimits(org: OrgLimitColumns, plan: PlanLimits): Limits {
  return {
    hour: org.hourlyLimitOverride ?? plan.hourlyLimit,
    day: org.dailyLimitOverride ?? plan.dailyLimit,
    month: org.monthlyLimitOverride ?? plan.monthlyLimit,
  };
}

/** One member's limits inside the organization: their own, else the organization's member limits. */
export function combineMemberLimits(org: OrgLimitColumns, membership: MembershipLimitColumns): MemberLimits {
  return {
    hour: membership.hourlyLimit ?? org.memberHourlyLimit,
    day: membership.dailyLimit ?? org.memberDailyLimit,
    month: membership.monthlyLimit ?? org.memberMonthlyLimit,
  };
}

const orgOverrideColumns = {
  hour: "hourlyLimitOverride",
  day: "dailyLimitOverride",
  month: "monthlyLimitOverride",
} as const satisfies Record<WindowName, keyof OrgLimitColumns>;
const memberDefaultColumns = {
  hour: "memberHourlyLimit",
  day: "memberDailyLimit",
  month: "memberMonthlyLimit",
} as const satisfies Record<WindowName, keyof OrgLimitColumns>;
const membershipColumns = {
  hour: "hourlyLimit",
  day: "dailyLimit",
  month: "monthlyLimit",
} as const satisfies Record<WindowName, keyof MembershipLimitColumns>;

function columnsOf(settings: LimitSettings, columns: Record<WindowName, string>) {
  const parsed = limitSettingsSchema.parse(settings);
  const given = windowNames.filter((name) => parsed[name] !== undefined);
  return {
    data: Object.fromEntries(given.map((name) => [columns[name], parsed[name]])),
    recorded: Object.fromEntries(given.map((name) => [windowAdjectives[name], parsed[name]])),
  };
}

/** A platform administrator's choice of an organization's plan (null: the default plan) and overrides. */
export async function setOrgPlan(
  orgId: string,
  change: { planId?: string | null; limits?: LimitSettings },
  context: AuditContext,
) {
  const overrides = change.limits ? columnsOf(change.limits, orgOverrideColumns) : { data: {}, recorded: {} };
  const db = getDb();
  if (change.planId && !(await db.plan.count({ where: { id: change.planId } })))
    throw new AppError("not_found", "No such plan.");
  const updated = await db.organization.updateMany({
    where: { id: orgId },
    data: { ...(change.planId !== undefined && { planId: change.planId }), ...overrides.data },
  });
  if (updated.count === 0) throw new AppError("not_found", "No such organization.");
  await recordAuditEvent(
    { ...context, orgId },
    "org.plan_changed",
    { type: "org", id: orgId },
    {
      ...(change.planId !== undefined && { planId: change.planId }),
      ...overrides.recorded,
    },
  );
}

/** The limits every member gets inside the organization unless their own are set. */
export async function setDefaultMemberLimits(
  workspace: Workspace,
  limits: LimitSettings,
  context: AuditContext = {},
) {
  requirePermission(workspace, "manage_members");
  const orgId = workspace.orgId ?? "";
  const { data, recorded } = columnsOf(limits, memberDefaultColumns);
  await getDb().organization.update({ where: { id: orgId }, data });
  await recordAuditEvent(
    { ...context, actorId: context.actorId ?? workspace.userId, orgId },
    "org.member_limits_changed",
    { type: "org", id: orgId },
    recorded,
  );
}

/** One member's own limits inside the organization (null: the organization's member limits). */
export async function setMemberLimits(
  workspace: Workspace,
  memberId: string,
  limits: LimitSettings,
  context: AuditContext = {},
) {
  requirePermission(workspace, "manage_members");
  const orgId = workspace.orgId ?? "";
  const { data, recorded } = columnsOf(limits, membershipColumns);
  const { count } = await getDb().membership.updateMany({ where: { orgId, userId: memberId }, data });
  if (count === 0) throw new AppError("not_found", "No such member in this organization.");
  await recordAuditEvent(
    { ...context, actorId: context.actorId ?? workspace.userId, orgId },
    "org.member_limits_changed",
    { type: "user", id: memberId },
    recorded,
  );
}
