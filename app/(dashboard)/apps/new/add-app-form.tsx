"use client";
// The "Add an app" form: an MCP server by URL (with no authentication, a header sent for everyone,
// a header each person fills in with their own key, or each person's sign-in with OAuth) or, for a
// platform administrator, run as a command on the workers' host (its arguments and environment), or
// an OpenAPI description by URL or upload, with the operations or tags to import. Reading the
// upstream happens on submit; the app's page then lists its actions for review.
import Link from "next/link";
import { useActionState, useState } from "react";
import { Button } from "@/components/kit/button";
import { Card } from "@/components/kit/card";
import { HintAndError, inputClasses, TextareaField, TextField } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import { type AddAppState, addAppAction } from "./actions";

type Kind = "mcp" | "openapi";
type Auth = "none" | "shared" | "personal" | "oauth";
type Reach = "url" | "stdio";

function Choice<T extends string>({
  name,
  value,
  current,
  onChange,
  label,
  hint,
}: {
  name: string;
  value: T;
  current: T;
  onChange: (value: T) => void;
  label: string;
  hint: string;
}) {
  const id = `${name}-${value}`;
  return (
    <div className="flex items-start gap-2">
      <input
        type="radio"
        id={id}
        name={name}
        value={value}
        checked={current === value}
        onChange={() => onChange(value)}
        aria-describedby={`${id}-hint`}
        className="mt-1 size-4"
      />
      <div>
        <label htmlFor={id} className="text-sm font-medium">
          {label}
        </label>
        <p id={`${id}-hint`} className="text-xs text-zinc-600 dark:text-zinc-400">
          {hint}
        </p>
      </div>
    </div>
  );
}

/**
 * The command's environment: name and value pairs; a value is never shown back. The names come from
 * the last submission each render, so the form's reset after a refusal shows them again.
 */
function EnvironmentRows({ names }: { names: string[] }) {
  const [added, setAdded] = useState(0);
  const rows = Math.max(names.length, 1) + added;
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">Environment variables (optional)</legend>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        The only environment the command gets (not the platform&apos;s own, not even PATH). Values are stored
        encrypted and never shown again.
      </p>
      {Array.from({ length: rows }, (_, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are only ever added at the end
        <div key={index} className="grid gap-3 sm:grid-cols-2">
          <TextField
            id={`envName-${index}`}
            name="envName"
            label={`Variable ${index + 1} name`}
            placeholder="API_KEY"
            autoComplete="off"
            defaultValue={names[index] ?? ""}
          />
          <TextField
            id={`envValue-${index}`}
            name="envValue"
            label={`Variable ${index + 1} value`}
            type="password"
            autoComplete="off"
          />
        </div>
      ))}
      <Button type="button" size="sm" onClick={() => setAdded((count) => count + 1)}>
        Add a variable
      </Button>
    </fieldset>
  );
}

/** For a platform administrator only: the page leaves this out for anyone else, and the server refuses it. */
function CommandFields({ values }: { values: Record<string, string> }) {
  return (
    <>
      <TextField
        id="command"
        name="command"
        label="Command"
        required
        placeholder="/usr/local/bin/my-mcp-server"
        defaultValue={values.command}
        hint="An absolute path, or a name found in the PATH you give below. It runs on the workers' host with their privileges."
      />
      <TextareaField
        id="args"
        name="args"
        label="Arguments (optional)"
        rows={3}
        defaultValue={values.args}
        hint="One per line, passed as they are (no shell)."
      />
      <EnvironmentRows names={values.envNames ? values.envNames.split("\n") : []} />
    </>
  );
}

export function AddAppForm({ canRunCommands }: { canRunCommands: boolean }) {
  const [state, action, pending] = useActionState<AddAppState, FormData>(addAppAction, null);
  const values = state?.values ?? {};
  const [kind, setKind] = useState<Kind>((values.kind as Kind) || "mcp");
  const [reach, setReach] = useState<Reach>(canRunCommands && values.transport === "stdio" ? "stdio" : "url");
  const [auth, setAuth] = useState<Auth>((values.auth as Auth) || "none");
  const [source, setSource] = useState<"url" | "upload">(values.source === "upload" ? "upload" : "url");
  const failure = state && !state.ok ? state : undefined;
  const errors = failure?.fieldErrors ?? {};
  const added = state?.ok ? state.data : undefined;

  return (
    <Card>
      <form action={action} noValidate className="space-y-5" aria-label="Add an app">
        {failure && <Notice tone="danger">{failure.message}</Notice>}
        {added?.connectionError && (
          <Notice tone="warning">
            {added.connectionError}{" "}
            <Link href={`/apps/${added.slug}`} className="font-medium underline">
              Open the app
            </Link>
          </Notice>
        )}
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">What kind of app</legend>
          <Choice
            name="kind"
            value="mcp"
            current={kind}
            onChange={setKind}
            label="An MCP server"
            hint="Its tools become actions. Streamable HTTP or the older SSE transport."
          />
          <Choice
            name="kind"
            value="openapi"
            current={kind}
            onChange={setKind}
            label="An API with an OpenAPI description"
            hint="Each operation becomes an action. OpenAPI 3.0, 3.1 or Swagger 2.0."
          />
        </fieldset>

        <TextField
          id="name"
          name="name"
          label="Name"
          required
          maxLength={100}
          defaultValue={values.name}
          error={errors.name}
          hint="What people will see, like “Issue tracker”."
        />

        {kind === "mcp" && canRunCommands && (
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium">How it is reached</legend>
            <Choice
              name="transport"
              value="url"
              current={reach}
              onChange={setReach}
              label="By URL"
              hint="A server on the network."
            />
            <Choice
              name="transport"
              value="stdio"
              current={reach}
              onChange={setReach}
              label="Run as a command (stdio)"
              hint="Started on the workers' host for each use. Only administrators can add one."
            />
          </fieldset>
        )}

        {kind === "mcp" && reach === "stdio" ? (
          <CommandFields values={values} />
        ) : kind === "mcp" ? (
          <>
            <TextField
              id="url"
              name="url"
              label="Server URL"
              type="url"
              required
              placeholder="https://mcp.example.com/mcp"
              defaultValue={values.url}
              error={errors.url}
            />
            <fieldset className="space-y-2">
              <legend className="text-sm font-medium">Authentication</legend>
              <Choice
                name="auth"
                value="none"
                current={auth}
                onChange={setAuth}
                label="None"
                hint="The server needs no key."
              />
              <Choice
                name="auth"
                value="shared"
                current={auth}
                onChange={setAuth}
                label="A header sent for everyone"
                hint="One key for every call, stored encrypted with the app."
              />
              <Choice
                name="auth"
                value="personal"
                current={auth}
                onChange={setAuth}
                label="Each person's own key in a header"
                hint="Everyone connects their own account; yours is saved now."
              />
              <Choice
                name="auth"
                value="oauth"
                current={auth}
                onChange={setAuth}
                label="Each person signs in with OAuth"
                hint="The server's own sign-in page. Its tools appear once the first account is connected."
              />
            </fieldset>
            {(auth === "shared" || auth === "personal") && (
              <div className="grid gap-3 sm:grid-cols-2">
                <TextField
                  id="headerName"
                  name="headerName"
                  label="Header"
                  placeholder="Authorization"
                  defaultValue={values.headerName}
                  error={errors.headers ?? errors["auth.header"]}
                />
                {auth === "personal" && (
                  <TextField
                    id="scheme"
                    name="scheme"
                    label="Scheme (optional)"
                    placeholder="Bearer"
                    defaultValue={values.scheme}
                  />
                )}
                <TextField
                  id="headerValue"
                  name="headerValue"
                  label={auth === "personal" ? "Your key" : "Value"}
                  type="password"
                  autoComplete="off"
                  error={errors.credentials ?? errors["credentials.value"]}
                  hint="Stored encrypted; never shown again."
                />
              </div>
            )}
          </>
        ) : (
          <>
            <fieldset className="space-y-2">
              <legend className="text-sm font-medium">The description</legend>
              <Choice
                name="source"
                value="url"
                current={source}
                onChange={setSource}
                label="From a URL"
                hint="Read again on every refresh."
              />
              <Choice
                name="source"
                value="upload"
                current={source}
                onChange={setSource}
                label="Upload a file"
                hint="JSON or YAML, up to 1 MB (a larger one by URL)."
              />
            </fieldset>
            {source === "url" ? (
              <TextField
                id="specUrl"
                name="specUrl"
                label="Description URL"
                type="url"
                placeholder="https://api.example.com/openapi.json"
                defaultValue={values.specUrl}
                error={errors.specUrl}
              />
            ) : (
              <div className="space-y-1">
                <label htmlFor="specFile" className="block text-sm font-medium">
                  Description file
                </label>
                <input
                  id="specFile"
                  name="specFile"
                  type="file"
                  accept=".json,.yaml,.yml,application/json,application/yaml"
                  aria-describedby={errors.spec ? "specFile-error" : undefined}
                  className={inputClasses}
                />
                <HintAndError id="specFile" error={errors.spec} />
              </div>
            )}
            <TextField
              id="baseUrl"
              name="baseUrl"
              label="Base URL (optional)"
              type="url"
              placeholder="https://api.example.com/v1"
              defaultValue={values.baseUrl}
              error={errors.baseUrl}
              hint="When the API is not at the description's first server."
            />
            <TextareaField
              id="operations"
              name="operations"
              label="Operations to import (optional)"
              rows={4}
              defaultValue={values.operations}
              error={errors.operations}
              hint="One per line: an operationId or “GET /pets/{id}”. Needed, or tags, for a description with more than 100 operations. You can stop offering any action later."
            />
            <TextField
              id="tags"
              name="tags"
              label="Tags to import (optional)"
              placeholder="issues, pulls"
              defaultValue={values.tags}
              error={errors.tags}
              hint="Every operation with one of these tags, separated by commas."
            />
          </>
        )}

        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          Toolgate reads the upstream now, from this server. What it says about its actions is checked for
          hidden instructions; anything flagged waits for your review.
        </p>
        <Button type="submit" variant="primary" pending={pending}>
          {pending ? "Reading the upstream…" : "Add app"}
        </Button>
      </form>
    </Card>
  );
}
