// What a plan is made of, checked the same way by the admin forms (live, in the browser) and by
// lib/plans/manage-plans.ts: a name and three limits, each a whole number of calls >= 0, in order
// (hourly <= daily <= monthly): a limit above a longer window's could never be reached, so a plan
// saying "1,000 an hour, 10 a day" says something it does not do. Plans saved out of order before
// this rule are flagged where they are listed.
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

const planFieldsSchema = z.object({
  name: planNameSchema,
  hourlyLimit: limitSchema("hourly"),
  dailyLimit: limitSchema("daily"),
  monthlyLimit: limitSchema("monthly"),
});

export const planInputSchema = planFieldsSchema.superRefine((plan, context) => {
  for (const problem of limitOrderProblems(plan))
    context.addIssue({ code: "custom", path: [problem.field], message: problem.message });
});
export type PlanInput = z.output<typeof planInputSchema>;

/** Changes to a plan; whether the limits it ends up with are in order is checked against the plan. */
export const planUpdateSchema = planFieldsSchema
  .partial()
  .refine((value) => Object.values(value).some((field) => field !== undefined), {
    message: "Change at least one of the name or the limits.",
  });
export type PlanUpdate = z.output<typeof planUpdateSchema>;

type LimitField = "hourlyLimit" | "dailyLimit" | "monthlyLimit";
type Limits = Partial<Record<LimitField, number>>;

const above = (larger: number | undefined, smaller: number | undefined) =>
  larger !== undefined && smaller !== undefined && larger > smaller;

/**
 * The limits that are out of order, each on the field to lower; empty when hourly <= daily <=
 * monthly. A limit not (yet) known is left out of the comparison, so a form can say it while it is
 * being filled in.
 */
export function limitOrderProblems({ hourlyLimit, dailyLimit, monthlyLimit }: Limits) {
  const problems: { field: LimitField; message: string }[] = [];
  if (above(hourlyLimit, dailyLimit))
    problems.push({
      field: "hourlyLimit",
      message: `The hourly limit (${hourlyLimit}) is above the daily limit (${dailyLimit}): no hour can use more than the day allows.`,
    });
  if (above(dailyLimit, monthlyLimit))
    problems.push({
      field: "dailyLimit",
      message: `The daily limit (${dailyLimit}) is above the monthly limit (${monthlyLimit}): no day can use more than the month allows.`,
    });
  else if (!above(hourlyLimit, dailyLimit) && above(hourlyLimit, monthlyLimit))
    problems.push({
      field: "hourlyLimit",
      message: `The hourly limit (${hourlyLimit}) is above the monthly limit (${monthlyLimit}): no hour can use more than the month allows.`,
    });
  return problems;
}

/** The sentences of limitOrderProblems, for showing a plan's limits. */
export function limitOrderWarnings(limits: Limits): string[] {
  return limitOrderProblems(limits).map((problem) => problem.message);
}
