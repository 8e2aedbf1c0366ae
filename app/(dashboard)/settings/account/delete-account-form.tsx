"use client";
// "Delete account": the person types the account's email address (and its password, when it has
// one); what goes is listed first.
import { useActionState } from "react";
import { Button } from "@/components/kit/button";
import { Card } from "@/components/kit/card";
import { TextField } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import { type AccountFormState, deleteAccountAction } from "./actions";

export function DeleteAccountForm({ email, hasPassword }: { email: string; hasPassword: boolean }) {
  const [state, action, pending] = useActionState<AccountFormState, FormData>(deleteAccountAction, null);
  const failure = state && !state.ok ? state : undefined;
  const errors = failure?.fieldErrors ?? {};
  return (
    <Card>
      <h2 id="delete-account" className="font-semibold text-red-700 dark:text-red-400">
        Delete account
      </h2>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        This deletes your connected accounts (and the keys Toolgate keeps for them), your servers and their
        tools (their URLs stop working at once), your API tokens and your call history. It cannot be undone.
      </p>
      <form action={action} noValidate className="mt-3 max-w-md space-y-3" aria-labelledby="delete-account">
        {failure && !errors.confirmEmail && !errors.password && (
          <Notice tone="danger">{failure.message}</Notice>
        )}
        <TextField
          id="confirmEmail"
          label={`Type ${email} to confirm`}
          name="confirmEmail"
          autoComplete="off"
          required
          defaultValue={failure?.values?.confirmEmail}
          error={errors.confirmEmail}
        />
        {hasPassword && (
          <TextField
            id="password"
            label="Your password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            error={errors.password}
          />
        )}
        <Button type="submit" variant="danger" pending={pending}>
          {pending ? "Deleting…" : "Delete my account"}
        </Button>
      </form>
    </Card>
  );
}
