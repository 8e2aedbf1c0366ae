"use client";
// The "New invitation" form. On success it says whether the invitation was emailed and shows its
// link once, with a copy button (the administrator may pass it on too).
import { useActionState } from "react";
import { formatDate } from "@/components/format-date";
import { Button } from "@/components/kit/button";
import { SelectField, TextField } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import { OneTimeValue } from "@/components/kit/one-time-value";
import { type CreateInvitationState, createInvitationAction, type NewInvitation } from "./actions";

const lifetimes = [
  { value: "1", label: "1 day" },
  { value: "7", label: "7 days" },
  { value: "30", label: "30 days" },
];

function MailOutcome({ created }: { created: NewInvitation }) {
  const expires = formatDate(new Date(created.expiresAt));
  const { mail } = created;
  if (mail.status === "sent")
    return (
      <Notice tone="success">
        <p className="font-semibold">Sent to {mail.to}.</p>
        <p className="mt-1">
          The email holds the invitation link, which works once and expires on {expires} (UTC). You can also
          copy the link below: it is shown only this once.
        </p>
      </Notice>
    );
  if (mail.status === "failed")
    return (
      <Notice tone="warning">
        <p className="font-semibold">
          The invitation for {mail.to} is ready, but the email could not be sent.
        </p>
        <p className="mt-1">{mail.reason}</p>
        <p className="mt-1">
          Copy the link below and send it yourself. It is shown only this once, works once, and expires on{" "}
          {expires} (UTC).
        </p>
      </Notice>
    );
  return (
    <Notice tone="success">
      <p className="font-semibold">
        The invitation{created.email ? ` for ${created.email}` : ""} is ready. Copy its link now.
      </p>
      <p className="mt-1">
        Send it to the person you invite. It is shown only this once (Toolgate keeps just a fingerprint of
        it), works once, and expires on {expires} (UTC).
      </p>
    </Notice>
  );
}

export function NewInvitationForm({ mailConfigured }: { mailConfigured: boolean }) {
  const [state, action, pending] = useActionState<CreateInvitationState, FormData>(
    createInvitationAction,
    null,
  );
  const created = state?.ok ? state.data : undefined;
  const failure = state && !state.ok ? state : undefined;
  return (
    <div className="space-y-4">
      <form action={action} noValidate className="space-y-3" aria-labelledby="new-invitation">
        {failure && !failure.fieldErrors && <Notice tone="danger">{failure.message}</Notice>}
        {!mailConfigured && (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            This Toolgate does not send email, so pass each invitation link on yourself. Setting SMTP_URL (a
            mail server) makes Toolgate email invitations to their address.
          </p>
        )}
        <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
          <div className="flex-1">
            <TextField
              id="invitation-email"
              label="Email address (optional)"
              name="email"
              type="email"
              autoComplete="off"
              hint={
                mailConfigured
                  ? "If you give one, only that address can use the invitation, and Toolgate emails it the link."
                  : "If you give one, only that address can use the invitation."
              }
              defaultValue={state?.values?.email}
              error={failure?.fieldErrors?.email}
            />
          </div>
          <div>
            <SelectField
              id="invitation-expiry"
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
          </div>
          <div className="sm:pt-6">
            <Button type="submit" variant="primary" pending={pending}>
              {pending ? "Creating…" : "Create invitation"}
            </Button>
          </div>
        </div>
      </form>
      {created && (
        <div className="space-y-3" data-testid="one-time-invitation">
          <MailOutcome created={created} />
          <OneTimeValue
            id="new-invitation-link"
            label="Invitation link"
            value={created.url}
            copyLabel="Copy link"
          />
        </div>
      )}
    </div>
  );
}
