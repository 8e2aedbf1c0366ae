"use client";
// Inviting someone to the organization by email with a role. On success it says whether the
// invitation was emailed (or why not) and shows its link once, with a copy button, to pass on.
import { useActionState } from "react";
import { formatDate } from "@/components/format-date";
import { Button } from "@/components/kit/button";
import { SelectField, TextField } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import { OneTimeValue } from "@/components/kit/one-time-value";
import { type InviteFormState, inviteAction, type NewOrgInvitation } from "./actions";

const lifetimes = [
  { value: "1", label: "1 day" },
  { value: "7", label: "7 days" },
  { value: "30", label: "30 days" },
];

function MailOutcome({ created }: { created: NewOrgInvitation }) {
  const expires = formatDate(new Date(created.expiresAt));
  const { mail } = created;
  if (mail.status === "sent")
    return (
      <Notice tone="success">
        <p className="font-semibold">Sent to {mail.to}.</p>
        <p className="mt-1">
          The email holds the invitation link, which works once, only for {created.email}, and expires on{" "}
          {expires} (UTC). You can also copy the link below: it is shown only this once.
        </p>
      </Notice>
    );
  return (
    <Notice tone="warning">
      <p className="font-semibold">
        {mail.status === "failed"
          ? `The invitation for ${created.email} is ready, but the email could not be sent.`
          : `The invitation for ${created.email} is ready. Copy its link now and send it to them.`}
      </p>
      <p className="mt-1">
        {mail.status === "failed"
          ? mail.reason
          : "This Toolgate does not send email (SMTP_URL is not set), so pass the link on yourself."}
      </p>
      <p className="mt-1">
        It is shown only this once, works once, only for {created.email}, and expires on {expires} (UTC).
      </p>
    </Notice>
  );
}

export function InviteForm({
  orgId,
  roles,
  mailConfigured,
}: {
  orgId: string;
  roles: { value: string; label: string }[];
  mailConfigured: boolean;
}) {
  const [state, action, pending] = useActionState<InviteFormState, FormData>(
    inviteAction.bind(null, orgId),
    null,
  );
  const created = state?.ok ? state.data : undefined;
  const failure = state && !state.ok ? state : undefined;
  return (
    <div className="space-y-4">
      <form action={action} noValidate className="space-y-3" aria-labelledby="invite-heading">
        {failure && !failure.fieldErrors && <Notice tone="danger">{failure.message}</Notice>}
        {!mailConfigured && (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            This Toolgate does not send email, so pass each invitation link on yourself.
          </p>
        )}
        <div className="grid gap-3 sm:grid-cols-[1fr_auto_auto_auto] sm:items-start">
          <TextField
            id="org-invitation-email"
            label="Email address"
            name="email"
            type="email"
            autoComplete="off"
            hint="Only this address can accept the invitation."
            defaultValue={state?.values?.email}
            error={failure?.fieldErrors?.email}
          />
          <SelectField
            key={`role-${state?.values?.role}`}
            id="org-invitation-role"
            label="Role"
            name="role"
            defaultValue={state?.values?.role || "MEMBER"}
            error={failure?.fieldErrors?.role}
          >
            {roles.map((role) => (
              <option key={role.value} value={role.value}>
                {role.label}
              </option>
            ))}
          </SelectField>
          <SelectField
            key={`expiry-${state?.values?.expiresInDays}`}
            id="org-invitation-expiry"
            label="Works for"
            name="expiresInDays"
            defaultValue={state?.values?.expiresInDays || "7"}
            error={failure?.fieldErrors?.expiresInDays}
          >
            {lifetimes.map((lifetime) => (
              <option key={lifetime.value} value={lifetime.value}>
                {lifetime.label}
              </option>
            ))}
          </SelectField>
          <div className="sm:pt-6">
            <Button type="submit" variant="primary" pending={pending}>
              {pending ? "Inviting…" : "Invite"}
            </Button>
          </div>
        </div>
      </form>
      {created && (
        <div className="space-y-3" data-testid="one-time-org-invitation">
          <MailOutcome created={created} />
          <OneTimeValue
            id="new-org-invitation-link"
            label="Invitation link"
            value={created.url}
            copyLabel="Copy link"
          />
        </div>
      )}
    </div>
  );
}
