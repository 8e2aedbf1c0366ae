"use client";
// Connecting an app that takes an API key (or a username and password): an optional name and the
// app's credential fields. Saving checks the account first: when the check passes it is saved and
// the person goes back to the Connections page (or the tool form they came from); when it fails,
// the form says why and asks "Save anyway?". The form is submitted by hand, not as a form action,
// so what was typed (the secret too) stays in place for that second, explicit submit.
import { type FormEvent, useState, useTransition } from "react";
import { Button } from "@/components/kit/button";
import { TextField } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import type { CredentialField } from "@/integrations/sdk/define";
import { describeConnectionStatus } from "@/lib/connections/status-words";
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
  const [state, setState] = useState<ConnectState>({});
  const [pending, startTransition] = useTransition();
  const [savingAnyway, setSavingAnyway] = useState(false);
  const fieldErrors = state.fieldErrors ?? {};
  // A message that no field shows is shown above the form.
  const unplaced =
    state.message &&
    !Object.keys(fieldErrors).some((key) => key === "label" || key.startsWith("credentials."));
  const failed = state.checkFailed;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const form = new FormData(event.currentTarget, submitter);
    setSavingAnyway(form.get("intent") === "save-anyway");
    startTransition(async () => setState(await connectAccountAction(slug, form)));
  };

  return (
    <form
      onSubmit={submit}
      // Changed values have not been checked: the offer to save the old ones without a check goes.
      onChange={() => failed && setState({})}
      noValidate
      className="space-y-4"
    >
      {returnTo && <input type="hidden" name="returnTo" value={returnTo} />}
      {unplaced && <Notice tone="danger">{state.message}</Notice>}
      <TextField
        label="Name (optional)"
        name="label"
        maxLength={100}
        autoComplete="off"
        placeholder={appName}
        hint={`Tells your ${appName} accounts apart, like “Work” or “Personal”. Leave it empty to name it after the account.`}
        error={fieldErrors.label}
      />
      <CredentialFields fields={fields} errors={fieldErrors} />
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        Toolgate stores these encrypted, uses them only when your tools call {appName}, and never shows them
        again.
      </p>
      {failed && (
        <Notice tone="warning">
          <p className="font-semibold">{describeConnectionStatus(failed.status, appName).label}</p>
          <p className="mt-1">{failed.message}</p>
          <p className="mt-2 font-semibold">Save anyway?</p>
          <p>
            It is saved marked as not working; its tools fail until it works. Or change the values and connect
            again.
          </p>
        </Notice>
      )}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="primary" pending={pending && !savingAnyway}>
          {pending && !savingAnyway ? "Connecting and checking…" : `Connect ${appName}`}
        </Button>
        {failed && (
          <Button type="submit" name="intent" value="save-anyway" pending={pending && savingAnyway}>
            {pending && savingAnyway ? "Saving…" : "Save anyway"}
          </Button>
        )}
      </div>
    </form>
  );
}
