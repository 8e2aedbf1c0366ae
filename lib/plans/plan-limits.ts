// What a plan is made of, checked the same way by the admin forms (live, in the browser) and by
// lib/plans/manage-plans.ts: a name and three limits, each a whole number of calls >= 0. Limits
// out of order (an hourly limit above the daily one) are allowed but worth a warning, since the
// smaller window then decides alone.
import { z } from "zod";
import { storableString } from "@/lib/db/storable-text";

export const maxPlanLimit = 1_000_000_000;

const limitSchema = (window: string) =>
  z.coerce
    .number({ error: `Enter the ${window} limit as a whole number.` })
    .int(`The ${window} limit must be a whole number.`)
    .min(0, `The ${window} limit cannot be negative.`)
    .max(maxPlanLimit, `The ${window} limit can be at most ${maxPlanLimit.toLocaleString("en")}.`);

export const planNameSchema = storableString()
  .trim()
  .min(1, "Give the plan a name.")
  .max(60, "Use at most 60 characters for the name.");

export const planInputSchema = z.object({
  name: planNameSchema,
  hourlyLimit: limitSchema("hourly"),
  dailyLimit: limitSchema("daily"),
  monthlyLimit: limitSchema("monthly"),
});
export type PlanInput = z.output<typeof planInputSchema>;

export const planUpdateSchema = planInputSchema
  .partial()
  .refine((value) => Object.values(value).some((field) => field !== undefined), {
    message: "Change at least one of the name or the limits.",
  });
export type PlanUpdate = z.output<typeof planUpdateSchema>;

type Limits = { hourlyLimit?: number; dailyLimit?: number; monthlyLimit?: number };

const above = (larger: number | undefined, smaller: number | undefined) =>
  larger !== undefined && smaller !== undefined && larger > smaller;

/**
 * Sentences about limits that are out of order; empty when hourly <= daily <= monthly. A limit
 * not (yet) known is left out of the comparison, so a form can warn while it is being filled in.
 */
export function limitOrderWarnings({ hourlyLimit, dailyLimit, monthlyLimit }: Limits): string[] {
  const warnings: string[] = [];
  if (above(hourlyLimit, dailyLimit))
    warnings.push(
      `The hourly limit (${hourlyLimit}) is above the daily limit (${dailyLimit}): no hour can use more than the day allows.`,
    );
  if (above(dailyLimit, monthlyLimit))
    warnings.push(
      `The daily limit (${dailyLimit}) is above the monthly limit (${monthlyLimit}): no day can use more than the month allows.`,
    );
  else if (above(hourlyLimit, monthlyLimit))
    warnings.push(
      `The hourly limit (${hourlyLimit}) is above the monthly limit (${monthlyLimit}): no hour can use more than the month allows.`,
    );
  return warnings;
}
