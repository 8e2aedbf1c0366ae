"use server";
// The admin organizations page's one mutation, for administrators only (runAdminAction): an
// organization's plan (empty: the default plan) and overrides of its limits (empty: the plan's).
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { storableString } from "@/lib/db/storable-text";
import { setOrgPlan } from "@/lib/orgs/org-limits";
import { type ActionResult, formText, runAdminAction } from "@/lib/web/server-action";

const idSchema = storableString().min(1).max(100);
const limitText = z
  .string()
  .trim()
  .regex(/^\d*$/, "Enter a whole number of calls, or leave it empty for the plan's.")
  .transform((text) => (text === "" ? null : Number(text)));

type OrgPlanValues = { planId: string; hour: string; day: string; month: string };
export type OrgPlanFormState = (ActionResult<{ saved: true }> & { values?: OrgPlanValues }) | null;

export async function setOrgPlanAction(
  orgId: string,
  _previous: OrgPlanFormState,
  form: FormData,
): Promise<OrgPlanFormState> {
  const values: OrgPlanValues = {
    planId: formText(form, "planId"),
    hour: formText(form, "hour"),
    day: formText(form, "day"),
    month: formText(form, "month"),
  };
  const result = await runAdminAction("admin.orgs.set_plan", async ({ audit }) => {
    const id = idSchema.parse(orgId);
    const input = z
      .object({
        planId: z
          .string()
          .max(100)
          .transform((value) => value || null),
        hour: limitText,
        day: limitText,
        month: limitText,
      })
      .parse(values);
    await setOrgPlan(
      id,
      { planId: input.planId, limits: { hour: input.hour, day: input.day, month: input.month } },
      audit,
    );
    return { saved: true as const };
  });
  if (result.ok) {
    revalidatePath("/admin/organizations");
    revalidatePath(`/admin/organizations/${orgId}`);
  }
  return { ...result, values };
}
