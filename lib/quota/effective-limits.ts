// A user's limits: each per-user override wins over the plan's value; a user without a plan
// (one whose plan was deleted) falls back to the default plan.
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";

export type Limits = { hourly: number; daily: number; monthly: number };

/** The user's limits, plan name and whether the account is suspended (one query on the hot path). */
export async function getEffectiveLimits(
  userId: string,
): Promise<Limits & { planName: string; suspended: boolean }> {
  const db = getDb();
  const user = await db.user.findUnique({ where: { id: userId }, include: { plan: true } });
  if (!user) throw new AppError("not_found", "No such user.");
  const plan = user.plan ?? (await db.plan.findFirst({ where: { isDefault: true } }));
  if (!plan) throw new AppError("internal_error", "No default plan exists; run the migrations.");
  return {
    planName: plan.name,
    suspended: user.suspendedAt !== null,
    hourly: user.hourlyLimitOverride ?? plan.hourlyLimit,
    daily: user.dailyLimitOverride ?? plan.dailyLimit,
    monthly: user.monthlyLimitOverride ?? plan.monthlyLimit,
  };
}
