// A user's limits: each per-user override wins over the plan's value; a user without a plan
// (one whose plan was deleted) falls back to the default plan.
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { WindowName } from "./windows";

export type Limits = Record<WindowName, number>;

type PlanLimits = { name: string; hourlyLimit: number; dailyLimit: number; monthlyLimit: number };
type UserOverrides = {
  hourlyLimitOverride: number | null;
  dailyLimitOverride: number | null;
  monthlyLimitOverride: number | null;
};

/** The limits of a user with these overrides on this plan (the user's, or the default plan). */
export function combineLimits(user: UserOverrides, plan: PlanLimits): Limits & { planName: string } {
  return {
    planName: plan.name,
    hour: user.hourlyLimitOverride ?? plan.hourlyLimit,
    day: user.dailyLimitOverride ?? plan.dailyLimit,
    month: user.monthlyLimitOverride ?? plan.monthlyLimit,
  };
}

/** The plan that applies to a user whose own plan is `plan` (null: the default plan), if any. */
export async function planOrDefault<Plan extends PlanLimits>(plan: Plan | null): Promise<PlanLimits | null> {
  return plan ?? (await getDb().plan.findFirst({ where: { isDefault: true } }));
}

/** The user's limits, plan name and whether the account is suspended (one query on the hot path). */
export async function getEffectiveLimits(
  userId: string,
): Promise<Limits & { planName: string; suspended: boolean }> {
  const db = getDb();
  const user = await db.user.findUnique({ where: { id: userId }, include: { plan: true } });
  if (!user) throw new AppError("not_found", "No such user.");
  const plan = await planOrDefault(user.plan);
  if (!plan) throw new AppError("internal_error", "No default plan exists; run the migrations.");
  return { ...combineLimits(user, plan), suspended: user.suspendedAt !== null };
}
