"use client";
// The client id and secret of one OAuth app, as set on this page. The secret is never sent back
// to the browser: once set, the field is empty, says since when one is stored, and only a new
// value replaces it.
import { useActionState } from "react";
import { formatDate } from "@/components/format-date";
import { Button } from "@/components/kit/button";
import { TextField } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import { maxClientIdLength, maxClientSecretLength } from "@/lib/oauth/client-setting-input";
import { type ClientFormState, saveClientAction } from "./actions";
import { RemoveClientButton } from "./remove-client-button";

export function ClientForm({
  prefix,
  name,
  clientId,
  secretSetAt,
}: {
  prefix: string;
  name: string;
  clientId?: string;
  /** When the stored secret was set; none stored yet when undefined. */
  secretSetAt?: Date;
}) {
  const [state, formAction, pending] = useActionState<ClientFormState, FormData>(
    saveClientAction.bind(null, prefix),
    null,
  );
  const failure = state && !state.ok ? state : undefined;
  const formError =
    failure && (!failure.fieldErrors || failure.fieldErrors.form) ? failure.message : undefined;
  return (
    <div className="space-y-3">
      <form action={formAction} noValidate aria-label={`${name} client`} className="space-y-3">
        {formError && <Notice tone="danger">{formError}</Notice>}
        <TextField
          label="Client ID"
          name="clientId"
          required
          autoComplete="off"
          spellCheck={false}
          maxLength={maxClientIdLength}
          // A refused save keeps what was typed; a saved one shows what is stored.
          key={state ? `typed-${String(state.ok)}-${state.clientId}` : "stored"}
          defaultValue={failure ? failure.clientId : (clientId ?? "")}
          error={failure?.fieldErrors?.clientId}
        />
        <TextField
          label="Client secret"
          name="clientSecret"
          type="password"
          required={!secretSetAt}
          autoComplete="new-password"
          spellCheck={false}
          maxLength={maxClientSecretLength}
          key={state ? `secret-${String(state.ok)}` : "secret"}
          hint={
            secretSetAt
              ? `•••• set on ${formatDate(secretSetAt)}. Leave empty to keep it, or paste a new one to replace it.`
              : "From the app's console. It is stored encrypted and never shown again."
          }
          error={failure?.fieldErrors?.clientSecret}
        />
        <div aria-live="polite">
          {state?.ok && <Notice tone="success">Saved. People can connect {name} now.</Notice>}
        </div>
        <Button type="submit" variant="primary" pending={pending}>
          {pending ? "Saving…" : "Save"}
        </Button>
      </form>
      {secretSetAt && <RemoveClientButton prefix={prefix} name={name} />}
    </div>
  );
}
