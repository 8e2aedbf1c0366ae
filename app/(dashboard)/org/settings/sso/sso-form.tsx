"use client";
// "Require single sign-on" and "Auto-join domain", each with its error by the field.
import { useActionState } from "react";
import { Button } from "@/components/kit/button";
import { HintAndError, TextField } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import { type OrgSsoState, setOrgSsoAction } from "./actions";

export function OrgSsoForm({
  orgId,
  ssoRequired,
  autoJoinDomain,
  providerName,
}: {
  orgId: string;
  ssoRequired: boolean;
  autoJoinDomain: string | null;
  /** The name on the sign-in button, or null while the platform has no provider. */
  providerName: string | null;
}) {
  const [state, action, pending] = useActionState<OrgSsoState, FormData>(setOrgSsoAction, null);
  const values = state?.values ?? { ssoRequired, autoJoinDomain: autoJoinDomain ?? "" };
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  const requiredError = fieldErrors?.ssoRequired;
  const requiredHint = providerName
    ? `Members, owners included, can then sign in only with "Continue with ${providerName}": not with a password, GitHub or Google, so check that you can sign in with it yourself first. API tokens and MCP URLs keep working, and sessions already signed in are not ended.`
    : "Not available yet: this Toolgate has no single sign-on provider. Its administrator sets one up with AUTH_OIDC_ISSUER, AUTH_OIDC_ID and AUTH_OIDC_SECRET.";
  return (
    // The key shows what was saved (or sent) after each answer, not the browser's reset form.
    <form key={JSON.stringify(state)} action={action} className="space-y-5" noValidate>
      <input type="hidden" name="orgId" value={orgId} />
      {state && !state.ok && <Notice tone="danger">{state.message}</Notice>}
      {state?.ok && <Notice tone="success">Single sign-on settings saved.</Notice>}
      <div className="space-y-1">
        <div className="flex items-start gap-3">
          <input
            type="checkbox"
            id="ssoRequired"
            name="ssoRequired"
            defaultChecked={values.ssoRequired}
            aria-invalid={requiredError ? true : undefined}
            aria-describedby={`${requiredError ? "ssoRequired-error " : ""}ssoRequired-hint`}
            className="mt-1 size-4 accent-brand-600"
          />
          <div className="space-y-1">
            <label htmlFor="ssoRequired" className="text-sm font-semibold">
              Require single sign-on
            </label>
            <HintAndError id="ssoRequired" hint={requiredHint} error={requiredError} />
          </div>
        </div>
      </div>
      <TextField
        id="autoJoinDomain"
        name="autoJoinDomain"
        label="Auto-join domain"
        placeholder="example.com"
        autoComplete="off"
        spellCheck={false}
        defaultValue={values.autoJoinDomain}
        hint="People who sign in with single sign-on and whose address at this domain the provider has verified join as members. You can claim your own address's domain once you have signed in with single sign-on (a platform administrator can set any). One organization per domain; leave empty for none."
        error={fieldErrors?.autoJoinDomain}
      />
      <Button type="submit" variant="primary" pending={pending}>
        {pending ? "Saving…" : "Save"}
      </Button>
    </form>
  );
}
