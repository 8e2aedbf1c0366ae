"use server";
// Changing one's password (success signs every session out, this one too, so the person signs in
// again with the new password) and deleting one's account.
import { redirect } from "next/navigation";
import { changePassword } from "@/lib/users/change-password";
import { deleteAccount } from "@/lib/users/delete-account";
import { type ActionResult, formText, runServerAction } from "@/lib/web/server-action";

/** `values`: what to fill the form with again after a refusal (never a password). */
export type AccountFormState = (ActionResult & { values?: Record<string, string> }) | null;

export async function changePasswordAction(
  _previous: AccountFormState,
  form: FormData,
): Promise<AccountFormState> {
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

export async function deleteAccountAction(
  _previous: AccountFormState,
  form: FormData,
): Promise<AccountFormState> {
  const confirmEmail = formText(form, "confirmEmail");
  const result = await runServerAction("account.delete", async ({ user, audit }) => {
    await deleteAccount(user.id, { confirmEmail, password: formText(form, "password") || undefined }, audit);
    return undefined;
  });
  if (!result.ok) return { ...result, values: { confirmEmail } };
  redirect("/signin?changed=deleted");
}
