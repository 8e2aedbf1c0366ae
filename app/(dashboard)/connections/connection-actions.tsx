"use client";
// What a person can do with one connected account: test it (the outcome is shown and announced
// in place), rename it, reconnect it (OAuth: through the app again; keys: type new ones) and
// delete it after confirming.
import { type FormEvent, type ReactNode, useRef, useState, useTransition } from "react";
import { Button, buttonClasses } from "@/components/kit/button";
import { ConfirmButton } from "@/components/kit/confirm-button";
import { TextField } from "@/components/kit/fields";
import type { CredentialField } from "@/integrations/sdk/define";
import { describeConnectionStatus } from "@/lib/connections/status-words";
import type { ConnectionTestOutcome } from "@/lib/connections/test-connection";
import {
  deleteConnectionAction,
  renameConnectionAction,
  replaceCredentialsAction,
  testConnectionAction,
} from "./actions";
import { CredentialFields } from "./credential-fields";

type Message = { tone: "success" | "error"; text: string };

/** The outcome in one line; the card above says why a failed one failed. */
function describeOutcome(outcome: ConnectionTestOutcome, appName: string, prefix = ""): Message {
  if (outcome.ok)
    return {
      tone: "success",
      text: `${prefix}Works${outcome.account ? ` — connected as ${outcome.account}` : ""}`,
    };
  // A failure that did not change the status (a rate limit) is explained here, not on the card.
  const unchanged = outcome.status === "OK" || outcome.status === "UNCHECKED";
  const text = unchanged ? outcome.message : describeConnectionStatus(outcome.status, appName).label;
  return { tone: "error", text: `${prefix}${text}` };
}

function OutcomeText({ message }: { message: Message }) {
  return (
    <p
      className={
        message.tone === "success"
          ? "text-sm font-medium text-green-800 dark:text-green-300"
          : "text-sm font-medium text-red-700 dark:text-red-400"
      }
    >
      <span aria-hidden="true">{message.tone === "success" ? "✓ " : "! "}</span>
      {message.text}
    </p>
  );
}

function InlineForm({
  title,
  onSubmit,
  pending,
  submitLabel,
  onCancel,
  error,
  children,
}: {
  title: string;
  onSubmit: (form: FormData) => void;
  pending: boolean;
  submitLabel: string;
  onCancel: () => void;
  error?: string;
  children: ReactNode;
}) {
  return (
    <form
      aria-label={title}
      noValidate
      className="mt-3 space-y-3 rounded-lg border border-zinc-200 bg-zinc-50 p-3 dark:border-zinc-800 dark:bg-zinc-950"
      onSubmit={(event: FormEvent<HTMLFormElement>) => {
        event.preventDefault();
        onSubmit(new FormData(event.currentTarget));
      }}
      onKeyDown={(event) => {
        if (event.key === "Escape") onCancel();
      }}
    >
      {children}
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="primary" size="sm" pending={pending}>
          {pending ? "Saving…" : submitLabel}
        </Button>
        <Button size="sm" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

export function ConnectionActions({
  connection,
  appName,
  authType,
  fields,
  needsReconnect,
}: {
  connection: { id: string; label: string; integration: string };
  appName: string;
  authType: string;
  /** Key-style apps: the credentials a reconnection asks for again. */
  fields: CredentialField[];
  needsReconnect: boolean;
}) {
  const [message, setMessage] = useState<Message>();
  const [mode, setMode] = useState<"idle" | "rename" | "reconnect">("idle");
  const [formError, setFormError] = useState<{ message: string; fieldErrors?: Record<string, string> }>();
  const [testing, startTest] = useTransition();
  const [saving, startSave] = useTransition();
  const renameButton = useRef<HTMLButtonElement>(null);
  const reconnectButton = useRef<HTMLButtonElement>(null);

  const closeForm = () => {
    const opener = mode === "rename" ? renameButton.current : reconnectButton.current;
    setMode("idle");
    setFormError(undefined);
    opener?.focus();
  };
  const openForm = (next: "rename" | "reconnect") => {
    setFormError(undefined);
    setMessage(undefined);
    setMode(mode === next ? "idle" : next);
  };

  const test = () => {
    setMessage(undefined);
    startTest(async () => {
      const result = await testConnectionAction(connection.id);
      setMessage(result.ok ? describeOutcome(result.data, appName) : { tone: "error", text: result.message });
    });
  };

  const rename = (form: FormData) =>
    startSave(async () => {
      const result = await renameConnectionAction(connection.id, form);
      if (!result.ok) return setFormError(result);
      setMessage({ tone: "success", text: `Renamed to “${result.data.label}”.` });
      closeForm();
    });

  const replace = (form: FormData) =>
    startSave(async () => {
      const result = await replaceCredentialsAction(connection.id, form);
      if (!result.ok) return setFormError(result);
      setMessage(
        describeOutcome(
          result.data,
          appName,
          result.data.ok ? "Saved. " : "Saved, but it does not work yet. ",
        ),
      );
      closeForm();
    });

  const name = <span className="sr-only"> {connection.label}</span>;
  const isOAuth = authType === "oauth2";

  return (
    <div>
      <div className="flex flex-wrap gap-2">
        <Button size="sm" pending={testing} onClick={test}>
          {testing ? "Testing…" : "Test"}
          {name}
        </Button>
        <Button
          ref={renameButton}
          size="sm"
          aria-expanded={mode === "rename"}
          onClick={() => openForm("rename")}
        >
          Rename{name}
        </Button>
        {isOAuth ? (
          <a
            href={`/api/oauth/${connection.integration}/start?reconnect=${encodeURIComponent(connection.id)}`}
            className={buttonClasses(needsReconnect ? "primary" : "secondary", "sm")}
          >
            Reconnect{name}
          </a>
        ) : (
          <Button
            ref={reconnectButton}
            variant={needsReconnect ? "primary" : "secondary"}
            size="sm"
            aria-expanded={mode === "reconnect"}
            onClick={() => openForm("reconnect")}
          >
            Reconnect{name}
          </Button>
        )}
        <ConfirmButton
          label={<>Delete{name}</>}
          title={`Delete “${connection.label}”?`}
          description={`Toolgate forgets this ${appName} account. Tools that use it lose their account and stop working until you choose another one for them.`}
          confirmLabel="Delete account"
          onConfirm={async () => {
            const result = await deleteConnectionAction(connection.id);
            if (!result.ok) setMessage({ tone: "error", text: result.message });
          }}
        />
      </div>

      <div aria-live="polite" className="mt-2 min-h-0">
        {testing && <p className="text-sm text-zinc-600 dark:text-zinc-400">Testing with {appName}…</p>}
        {message && !testing && <OutcomeText message={message} />}
      </div>

      {mode === "rename" && (
        <InlineForm
          title={`Rename ${connection.label}`}
          onSubmit={rename}
          pending={saving}
          submitLabel="Save name"
          onCancel={closeForm}
          error={formError && !formError.fieldErrors?.label ? formError.message : undefined}
        >
          <TextField
            label="Name"
            name="label"
            defaultValue={connection.label}
            maxLength={100}
            required
            autoFocus
            autoComplete="off"
            hint={`Tells your ${appName} accounts apart, like “Work” or “Personal”.`}
            error={formError?.fieldErrors?.label}
          />
        </InlineForm>
      )}

      {mode === "reconnect" && !isOAuth && (
        <InlineForm
          title={`New credentials for ${connection.label}`}
          onSubmit={replace}
          pending={saving}
          submitLabel="Save and test"
          onCancel={closeForm}
          error={
            formError &&
            !Object.keys(formError.fieldErrors ?? {}).some((key) => key.startsWith("credentials."))
              ? formError.message
              : undefined
          }
        >
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            The new values replace the saved ones; tools that use this account keep it.
          </p>
          <CredentialFields fields={fields} errors={formError?.fieldErrors} labelPrefix="New " autoFocus />
        </InlineForm>
      )}
    </div>
  );
}
