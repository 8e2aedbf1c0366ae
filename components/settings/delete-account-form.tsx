"use client";
// "Delete account": the person types the account's email address (and its password, when it has
// one); what goes is listed first.
import { useActionState } from "react";
import { type AccountFormState, deleteAccountAction } from "@/app/(dashboard)/settings/account/actions";
import { ActionButton, Card } from "@/components/kit";
import { Alert, Field } from "@/components/ui";

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
        {failure && !errors.confirmEmail && !errors.password && <Alert>{failure.message}</Alert>}
        <Field
          label={`Type ${email} to confirm`}
          name="confirmEmail"
          autoComplete="off"
          required
          defaultValue={failure?.values?.confirmEmail}
          error={errors.confirmEmail}
        />
        {hasPassword && (
          <Field
            label="Your password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            error={errors.password}
          />
        )}
        <ActionButton type="submit" variant="danger" pending={pending}>
          {pending ? "Deleting…" : "Delete my account"}
        </ActionButton>
      </form>
    </Card>
  );
}
