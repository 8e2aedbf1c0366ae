"use client";
// The OAuth client of an added app whose connections sign in with OAuth: the redirect URI to
// register at the provider (to copy), and for owners and admins the client ID and secret they got
// there. The secret never comes back to the browser: once stored, the field stays empty and only
// a new value replaces it.
import { useActionState } from "react";
import { Button } from "@/components/kit/button";
import { Card } from "@/components/kit/card";
import { CodeBlock } from "@/components/kit/code-block";
import { ConfirmActionButton } from "@/components/kit/confirm-action-button";
import { TextField } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import type { AppView } from "@/lib/apps/manage-apps";
import { type AppClientFormState, removeAppOAuthClientAction, setAppOAuthClientAction } from "./actions";

const registeredByWords: Record<string, string> = {
  owner: "set here",
  registration: "registered by Toolgate at the provider",
  metadata_document: "Toolgate's client metadata document",
};

export function OAuthClientSection({
  app,
  redirectUri,
  canChange,
}: {
  app: Pick<AppView, "slug" | "name" | "oauthClient">;
  redirectUri: string;
  canChange: boolean;
}) {
  const [state, formAction, pending] = useActionState<AppClientFormState, FormData>(
    setAppOAuthClientAction.bind(null, app.slug),
    null,
  );
  const client = app.oauthClient;
  const failure = state && !state.ok ? state : undefined;
  const formError =
    failure && (!failure.fieldErrors || failure.fieldErrors.form) ? failure.message : undefined;
  return (
    <Card>
      <div className="space-y-4 text-sm">
        <p className="max-w-2xl">
          People connect their {app.name} accounts by signing in at {app.name}. Register an OAuth client there
          with this redirect URI, then enter its client ID and secret here.
        </p>
        <div>
          <p className="mb-1 font-medium">Redirect URI</p>
          <CodeBlock code={redirectUri} />
        </div>
        <p data-testid="oauth-client-status">
          {client
            ? `Client ${client.clientId} (${registeredByWords[client.registeredBy] ?? client.registeredBy}), ${client.secretSet ? "with a secret (kept secret)" : "public: no secret"}.`
            : "No client yet: nobody can connect an account until one is set."}
        </p>
        {canChange && (
          <form action={formAction} noValidate aria-label="OAuth client" className="max-w-xl space-y-3">
            {formError && <Notice tone="danger">{formError}</Notice>}
            <TextField
              label="Client ID"
              name="clientId"
              required
              autoComplete="off"
              spellCheck={false}
              maxLength={500}
              key={state ? `typed-${String(state.ok)}-${state.clientId}` : "stored"}
              defaultValue={failure ? failure.clientId : (client?.clientId ?? "")}
              error={failure?.fieldErrors?.clientId}
            />
            <TextField
              label="Client secret"
              name="clientSecret"
              type="password"
              autoComplete="new-password"
              spellCheck={false}
              maxLength={2_000}
              key={state ? `secret-${String(state.ok)}` : "secret"}
              hint={
                client?.secretSet
                  ? "•••• stored. Leave empty to keep it (for the same client ID), or paste a new one to replace it."
                  : "Leave empty for a public client. It is stored encrypted and never shown again."
              }
              error={failure?.fieldErrors?.clientSecret}
            />
            <div aria-live="polite">
              {state?.ok && <Notice tone="success">Saved. People can connect {app.name} now.</Notice>}
            </div>
            <Button type="submit" variant="primary" pending={pending}>
              {pending ? "Saving…" : "Save client"}
            </Button>
          </form>
        )}
        {canChange && client && (
          <ConfirmActionButton
            label="Remove client"
            size="md"
            title={`Remove ${app.name}'s OAuth client?`}
            description="Nobody can connect an account, and connected accounts cannot renew their access, until a client is set again."
            confirmLabel="Remove client"
            run={() => removeAppOAuthClientAction(app.slug)}
          />
        )}
      </div>
    </Card>
  );
}
