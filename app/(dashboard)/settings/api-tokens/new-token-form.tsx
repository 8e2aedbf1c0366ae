"use client";
// The "New API token" form. On success it shows the token once, with a copy button and a first
// request to try it with.
import { useActionState } from "react";
import { formatDate } from "@/components/format-date";
import { Button } from "@/components/kit/button";
import { Card } from "@/components/kit/card";
import { CodeBlock } from "@/components/kit/code-block";
import { inputClasses, TextField } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import { OneTimeValue } from "@/components/kit/one-time-value";
import { type CreateApiTokenState, createApiTokenAction } from "./actions";

const lifetimes = [
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
  { value: "never", label: "Never" },
];

export function NewTokenForm({ appUrl }: { appUrl: string }) {
  const [state, action, pending] = useActionState<CreateApiTokenState, FormData>(createApiTokenAction, null);
  const created = state?.ok ? state.data : undefined;
  const failure = state && !state.ok ? state : undefined;
  const expiryError = failure?.fieldErrors?.expiresInDays;
  return (
    <div className="space-y-4">
      <Card>
        <h2 id="new-token" className="font-semibold">
          New API token
        </h2>
        <form action={action} noValidate className="mt-3 space-y-3" aria-labelledby="new-token">
          {failure && !failure.fieldErrors && <Notice tone="danger">{failure.message}</Notice>}
          <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
            <div className="flex-1">
              <TextField
                id="name"
                label="Name"
                name="name"
                required
                maxLength={100}
                placeholder="Deploy script"
                hint="What will use it, so you know which one to revoke later."
                defaultValue={state?.values?.name}
                error={failure?.fieldErrors?.name}
              />
            </div>
            <div className="space-y-1">
              <label htmlFor="expiresInDays" className="block text-sm font-medium">
                Expires after
              </label>
              <select
                id="expiresInDays"
                name="expiresInDays"
                defaultValue={state?.values?.expiresInDays || "90"}
                aria-invalid={expiryError ? true : undefined}
                aria-describedby={expiryError ? "expiresInDays-error" : undefined}
                className={inputClasses}
              >
                {lifetimes.map((lifetime) => (
                  <option key={lifetime.value} value={lifetime.value}>
                    {lifetime.label}
                  </option>
                ))}
              </select>
              {expiryError && (
                <p id="expiresInDays-error" className="text-sm text-red-600 dark:text-red-400">
                  {expiryError}
                </p>
              )}
            </div>
            <div className="sm:pt-6">
              <Button type="submit" variant="primary" pending={pending}>
                {pending ? "Creating…" : "Create token"}
              </Button>
            </div>
          </div>
        </form>
      </Card>
      {created && (
        <Card className="space-y-3">
          <div data-testid="one-time-token" className="space-y-3">
            <Notice tone="success">
              <p className="font-semibold">“{created.name}” is ready. Copy it now.</p>
              <p className="mt-1">
                It is shown only this once: Toolgate keeps just a fingerprint of it.
                {created.expiresAt
                  ? ` It stops working on ${formatDate(new Date(created.expiresAt))} (UTC).`
                  : " It works until you revoke it."}
              </p>
            </Notice>
            <OneTimeValue
              id="new-api-token"
              label="Your new API token"
              value={created.token}
              copyLabel="Copy token"
            />
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Try it:</p>
            <CodeBlock code={`curl -H "Authorization: Bearer ${created.token}" ${appUrl}/api/v1/usage`} />
          </div>
        </Card>
      )}
    </div>
  );
}
