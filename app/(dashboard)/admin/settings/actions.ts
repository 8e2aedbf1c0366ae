"use server";
// The platform settings page's mutations, for administrators only (runAdminAction refuses anyone
// else): the sign-up setting and invitations. A new invitation's link goes back only in the create
// action's result, which the form shows once, with whether it was emailed.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { storableString } from "@/lib/db/storable-text";
import { setSignUpMode, signUpModeSchema } from "@/lib/settings/sign-up-mode";
import type { InvitationMailOutcome } from "@/lib/users/invitation-mail";
import { createInvitation, revokeInvitation } from "@/lib/users/invitations";
import { type ActionResult, formText, runAdminAction } from "@/lib/web/server-action";

const settingsPath = "/admin/settings";

export type SignUpModeState = ActionResult<{ mode: "OPEN" | "INVITATION_ONLY" }> | null;

export async function setSignUpModeAction(
  _previous: SignUpModeState,
  form: FormData,
): Promise<SignUpModeState> {
  const result = await runAdminAction("settings.sign_up", async ({ audit }) => ({
    mode: await setSignUpMode(signUpModeSchema.parse(formText(form, "signUpMode")), audit),
  }));
  if (result.ok) revalidatePath(settingsPath);
  return result;
}

export type NewInvitation = {
  email: string | null;
  url: string;
  expiresAt: string;
  mail: InvitationMailOutcome;
};
export type CreateInvitationState =
  | (ActionResult<NewInvitation> & { values?: { email: string; expiresInDays: string } })
  | null;

const lifetimeSchema = z
  .enum(["1", "7", "30"], { error: "Choose 1, 7 or 30 days." })
  .transform((days) => Number(days) as 1 | 7 | 30);

export async function createInvitationAction(
  _previous: CreateInvitationState,
  form: FormData,
): Promise<CreateInvitationState> {
  const values = { email: formText(form, "email"), expiresInDays: formText(form, "expiresInDays") };
  const result = await runAdminAction("invitations.create", async ({ audit }) => {
    const input = z.object({ email: z.string(), expiresInDays: lifetimeSchema }).parse(values);
    const created = await createInvitation(input, audit);
    return {
      email: created.email,
      url: created.url,
      expiresAt: created.expiresAt.toISOString(),
      mail: created.mail,
    };
  });
  if (result.ok) revalidatePath(settingsPath);
  return { ...result, values: result.ok ? { email: "", expiresInDays: values.expiresInDays } : values };
}

export async function revokeInvitationAction(id: string): Promise<ActionResult> {
  const result = await runAdminAction("invitations.revoke", async ({ audit }) => {
    await revokeInvitation(storableString().min(1).max(100).parse(id), audit);
    return undefined;
  });
  if (result.ok) revalidatePath(settingsPath);
  return result;
}
