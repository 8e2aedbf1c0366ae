"use client";
// Connecting an app that takes an API key (or a username and password): an optional name and the
// app's credential fields. Saving tests the account once and goes back to the Connections page,
// or to the tool form the person came from when the test passed.
import { useActionState } from "react";
import { Button } from "@/components/kit/button";
import { TextField } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import type { CredentialField } from "@/integrations/sdk/define";
import { type ConnectState, connectAccountAction } from "../actions";
import { CredentialFields } from "../credential-fields";

export function ConnectKeyForm({
  slug,
  appName,
  fields,
  returnTo,
}: {
  slug: string;
  appName: string;
  fields: CredentialField[];
  /** A tool form to go back to once connected (checked again by the action). */
  returnTo?: string;
}) {
  const [state, action, pending] = useActionState(connectAccountAction.bind(null, slug), {} as ConnectState);
  const fieldErrors = state.fieldErrors ?? {};
  // A message that no field shows is shown above the form.
  const unplaced =
    state.message &&
    !Object.keys(fieldErrors).some((key) => key === "label" || key.startsWith("credentials."));
  return (
    <form action={action} noValidate className="space-y-4">
      {returnTo && <input type="hidden" name="returnTo" value={returnTo} />}
      {unplaced && <Notice tone="danger">{state.message}</Notice>}
      <TextField
        label="Name (optional)"
        name="label"
        maxLength={100}
        autoComplete="off"
        placeholder={appName}
        defaultValue={state.values?.label}
        hint={`Tells your ${appName} accounts apart, like “Work” or “Personal”. Leave it empty to call it “${appName}”.`}
        error={fieldErrors.label}
      />
      <CredentialFields fields={fields} errors={fieldErrors} values={state.values} />
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        Toolgate stores these encrypted, uses them only when your tools call {appName}, and never shows them
        again.
      </p>
      <Button type="submit" variant="primary" pending={pending}>
        {pending ? `Connecting and testing…` : `Connect ${appName}`}
      </Button>
    </form>
  );
}
