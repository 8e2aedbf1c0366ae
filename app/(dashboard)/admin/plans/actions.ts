"use server";
// The Plans pages' mutations, for administrators only (runAdminAction refuses anyone else): the
// lib/plans functions, with the admin as the audit actor. Their changes reach users' next calls.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { storableString } from "@/lib/db/storable-text";
import {
  assignPlanByEmails,
  createPlan,
  deletePlan,
  setDefaultPlan,
  updatePlan,
} from "@/lib/plans/manage-plans";
import { planInputSchema } from "@/lib/plans/plan-limits";
import { type ActionResult, formText, runAdminAction } from "@/lib/web/server-action";

const planIdSchema = storableString().min(1).max(100);

export type PlanFormValues = { name: string; hourlyLimit: string; dailyLimit: string; monthlyLimit: string };
export type PlanFormState = (ActionResult<{ id: string; name: string }> & { values?: PlanFormValues }) | null;

function valuesOf(form: FormData): PlanFormValues {
  const text = (key: string) => formText(form, key);
  return {
    name: text("name"),
    hourlyLimit: text("hourlyLimit"),
    dailyLimit: text("dailyLimit"),
    monthlyLimit: text("monthlyLimit"),
  };
}

// An empty limit is "missing", not zero (z.coerce would read "" as 0).
function parsePlanForm(values: PlanFormValues) {
  const blankToUndefined = (value: string) => (value.trim() === "" ? undefined : value.trim());
  return planInputSchema.parse({
    name: values.name,
    hourlyLimit: blankToUndefined(values.hourlyLimit),
    dailyLimit: blankToUndefined(values.dailyLimit),
    monthlyLimit: blankToUndefined(values.monthlyLimit),
  });
}

function revalidatePlans(planId?: string): void {
  revalidatePath("/admin/plans");
  if (planId) revalidatePath(`/admin/plans/${planId}`);
  // Other admin pages show users' plans and limits.
  revalidatePath("/admin", "layout");
}

export async function createPlanAction(_previous: PlanFormState, form: FormData): Promise<PlanFormState> {
  const values = valuesOf(form);
  const result = await runAdminAction("plans.create", async ({ audit }) => {
    const plan = await createPlan(parsePlanForm(values), audit);
    return { id: plan.id, name: plan.name };
  });
  if (result.ok) revalidatePlans();
  // A created plan empties the form for the next one.
  return { ...result, values: result.ok ? undefined : values };
}

export async function updatePlanAction(
  planId: string,
  _previous: PlanFormState,
  form: FormData,
): Promise<PlanFormState> {
  const values = valuesOf(form);
  const result = await runAdminAction("plans.update", async ({ audit }) => {
    const plan = await updatePlan(planIdSchema.parse(planId), parsePlanForm(values), audit);
    return { id: plan.id, name: plan.name };
  });
  if (result.ok) revalidatePlans(planId);
  return { ...result, values };
}

export async function setDefaultPlanAction(planId: string): Promise<ActionResult<{ name: string }>> {
  const result = await runAdminAction("plans.set-default", async ({ audit }) => {
    const plan = await setDefaultPlan(planIdSchema.parse(planId), audit);
    return { name: plan.name };
  });
  if (result.ok) revalidatePlans(planId);
  return result;
}

export async function deletePlanAction(
  planId: string,
  { redirectTo }: { redirectTo?: "/admin/plans" } = {},
): Promise<ActionResult> {
  const result = await runAdminAction("plans.delete", async ({ audit }) => {
    await deletePlan(planIdSchema.parse(planId), audit);
    return undefined;
  });
  if (!result.ok) return result;
  revalidatePlans();
  // Outside runAdminAction: redirect() works by throwing, which the wrapper would catch.
  if (redirectTo) redirect(redirectTo);
  return result;
}

export type AssignPlanState =
  | (ActionResult<{ planName: string; changed: number; unchanged: number }> & {
      values?: { emails: string; planId: string };
    })
  | null;

const assignSchema = z.object({
  planId: storableString({ error: "Choose a plan." }).min(1, "Choose a plan.").max(100),
  emails: storableString()
    .max(50_000, "That is too many addresses for one go.")
    .transform((text) => text.split(/[\s,;]+/).filter(Boolean))
    .pipe(z.array(z.string()).min(1, "Enter at least one email address.")),
});

export async function assignPlanAction(_previous: AssignPlanState, form: FormData): Promise<AssignPlanState> {
  const values = { emails: formText(form, "emails"), planId: formText(form, "planId") };
  const result = await runAdminAction("plans.assign", async ({ user, audit }) => {
    const input = assignSchema.parse(values);
    const outcome = await assignPlanByEmails(user.id, input.emails, input.planId, audit);
    return { planName: outcome.plan.name, changed: outcome.changed, unchanged: outcome.unchanged };
  });
  if (result.ok) revalidatePlans(values.planId);
  return { ...result, values: result.ok ? { emails: "", planId: values.planId } : values };
}
