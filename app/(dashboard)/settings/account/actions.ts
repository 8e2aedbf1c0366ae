"use server";
// Changing one's password. Success signs every session out, this one too, so the person signs in
// again with the new password.
import { redirect } from "next/navigation";
import { changePassword } from "@/lib/users/change-password";
import { type ActionResult, formText, runServerAction } from "@/lib/web/server-action";

export type ChangePasswordState = ActionResult | null;

export async function changePasswordAction(
  _previous: ChangePasswordState,
  form: FormData,
): Promise<ChangePasswordState> {
  const result = await runServerAction("account.change-password", async ({ user, audit }) => {
    await changePassword(
      user.id,
      { currentPassword: formText(form, "currentPassword"), newPassword: formText(form, "newPassword") },
      audit,
    );
    return undefined;
  });
  if (!result.ok) return result;
  // Outside runServerAction: redirect() works by throwing, which the wrapper would catch.
  redirect("/signin?changed=password");
}
