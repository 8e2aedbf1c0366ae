"use client";
// The "Change password" form: the current password, then the new one.
import { useActionState } from "react";
import { type AccountFormState, changePasswordAction } from "@/app/(dashboard)/settings/account/actions";
import { ActionButton, Card } from "@/components/kit";
import { Alert, Field } from "@/components/ui";

export function ChangePasswordForm() {
  const [state, action, pending] = useActionState<AccountFormState, FormData>(changePasswordAction, null);
  const failure = state && !state.ok ? state : undefined;
  const errors = failure?.fieldErrors ?? {};
  return (
    <Card>
      <h2 id="change-password" className="font-semibold">
        Change password
      </h2>
      <form action={action} noValidate className="mt-3 max-w-md space-y-3" aria-labelledby="change-password">
        {failure && !errors.currentPassword && !errors.newPassword && <Alert>{failure.message}</Alert>}
        <Field
          label="Current password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          error={errors.currentPassword}
        />
        <Field
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          hint="At least 8 characters. Every device signed in to this account is signed out, this one too."
          error={errors.newPassword}
        />
        <ActionButton type="submit" variant="primary" pending={pending}>
          {pending ? "Changing…" : "Change password"}
        </ActionButton>
      </form>
    </Card>
  );
}
