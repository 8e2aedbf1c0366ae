"use server";
// The admin users pages' mutations: each one runs through runAdminAction (administrators only),
// validates what the browser sent with zod, and calls the lib/admin function, which audits the
// change with the admin as actor and drops the user's cached MCP snapshots.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import {
  overridesSchema,
  resumeUser,
  setUserOverrides,
  setUserPlan,
  suspendUser,
} from "@/lib/admin/user-admin";
import { revokeGrant } from "@/lib/authorization-server/grants";
import { storableString } from "@/lib/db/storable-text";
import { windowNames } from "@/lib/quota/windows";
import { type ActionResult, formText, runAdminAction } from "@/lib/web/server-action";

const userIdSchema = storableString().min(1).max(100);

function revalidateUser(userId: string): void {
  revalidatePath("/admin/users");
  revalidatePath(`/admin/users/${userId}`);
}

export type PlanFormState = ActionResult<{ planName: string }> | null;

export async function setUserPlanAction(
  userId: string,
  _previous: PlanFormState,
  form: FormData,
): Promise<PlanFormState> {
  const result = await runAdminAction("admin.users.set_plan", async ({ user, audit }) => {
    const { planId } = z.object({ planId: storableString().min(1, "Choose a plan.").max(100) }).parse({
      planId: formText(form, "planId"),
    });
    const plan = await setUserPlan(user.id, userIdSchema.parse(userId), planId, audit);
    return { planName: plan.name };
  });
  if (result.ok) revalidateUser(userId);
  return result;
}

const limitText = z
  .string()
  .trim()
  .regex(/^\d+$/, "Enter a whole number of calls (0 or more).")
  .transform(Number)
  .pipe(z.number().max(1_000_000_000, "Enter at most 1,000,000,000."));

export type OverridesFormState = ActionResult<{ saved: true }> | null;

/** Each window: `<window>Mode` is "plan" (use the plan's limit) or "custom" (the number in `<window>`). */
export async function setUserOverridesAction(
  userId: string,
  _previous: OverridesFormState,
  form: FormData,
): Promise<OverridesFormState> {
  const result = await runAdminAction("admin.users.set_overrides", async ({ user, audit }) => {
    const values: Record<string, number | null> = {};
    const errors: z.core.$ZodIssue[] = [];
    for (const window of windowNames) {
      const mode = formText(form, `${window}Mode`);
      if (mode !== "custom") {
        values[window] = null;
        continue;
      }
      const parsed = limitText.safeParse(formText(form, window));
      if (parsed.success) values[window] = parsed.data;
      else errors.push(...parsed.error.issues.map((issue) => ({ ...issue, path: [window] })));
    }
    if (errors.length > 0) throw new z.ZodError(errors);
    const overrides = overridesSchema.parse(values);
    await setUserOverrides(user.id, userIdSchema.parse(userId), overrides, audit);
    return { saved: true as const };
  });
  if (result.ok) revalidateUser(userId);
  return result;
}

export async function suspendUserAction(userId: string): Promise<ActionResult> {
  const result = await runAdminAction("admin.users.suspend", async ({ user, audit }) => {
    await suspendUser(user.id, userIdSchema.parse(userId), audit);
    return undefined;
  });
  if (result.ok) revalidateUser(userId);
  return result;
}

export async function resumeUserAction(userId: string): Promise<ActionResult> {
  const result = await runAdminAction("admin.users.resume", async ({ user, audit }) => {
    await resumeUser(user.id, userIdSchema.parse(userId), audit);
    return undefined;
  });
  if (result.ok) revalidateUser(userId);
  return result;
}

/** Ends one of the user's AI apps' access (and its tokens), audited with the administrator as actor. */
export async function revokeUserGrantAction(userId: string, grantId: string): Promise<ActionResult> {
  const result = await runAdminAction("admin.users.revoke_grant", async ({ user, audit }) => {
    await revokeGrant(user.id, userIdSchema.parse(grantId), audit);
    return undefined;
  });
  if (result.ok) revalidateUser(userId);
  return result;
}
