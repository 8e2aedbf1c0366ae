"use client";
// The "Change password" form: the current password, then the new one.
import { useActionState } from "react";
import { Button } from "@/components/kit/button";
import { Card } from "@/components/kit/card";
import { TextField } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import { type AccountFormState, changePasswordAction } from "./actions";

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
        {failure && !errors.currentPassword && !errors.newPassword && (
          <Notice tone="danger">{failure.message}</Notice>
        )}
        <TextField
          id="currentPassword"
          label="Current password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          error={errors.currentPassword}
        />
        <TextField
          id="newPassword"
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          hint="At least 8 characters. Every device signed in to this account is signed out, this one too."
          error={errors.newPassword}
        />
        <Button type="submit" variant="primary" pending={pending}>
          {pending ? "Changing…" : "Change password"}
        </Button>
      </form>
    </Card>
  );
}
