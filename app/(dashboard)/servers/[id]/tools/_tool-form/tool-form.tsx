"use client";
// The configuration of one tool: which account it uses, its name and description, and for each
// input field whether the AI fills it, it is fixed, or it is left out; with a live preview of
// the tool computed by the same function the MCP endpoint uses (narrowToolInputSchema).
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState, useTransition } from "react";
import { z } from "zod";
import { Button, buttonClasses } from "@/components/kit/button";
import { HintAndError, SelectField, TextareaField, TextField } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import type { CatalogAction } from "@/lib/integrations/catalog";
import { type FieldSettings, isSealedSetting, narrowToolInputSchema } from "@/lib/tools/field-settings";
import { toolNamePattern } from "@/lib/tools/tool-name";
import { addToolAction, loadFieldOptionsAction, updateToolAction } from "../actions";
import {
  describeValue,
  fieldKindOf,
  fieldLabel,
  type PropertySchema,
  rawFromValue,
  valueFromRaw,
} from "../schema-fields";
import { type ChoicesState, FieldRow, type FieldState, isDeclaredSecret } from "./field-row";
import { ToolPreview } from "./tool-preview";

export type ToolFormConnection = { id: string; label: string; status: "OK" | "NEEDS_RECONNECT" };

export type ToolFormProps = {
  serverId: string;
  /** Set when editing an existing tool. */
  toolId?: string;
  app: { slug: string; name: string; authType: string };
  action: CatalogAction;
  connections: ToolFormConnection[];
  initial: { connectionId: string | null; name: string; description: string | null; fields: FieldSettings };
};

type Errors = Record<string, string>;

function initialFieldStates(properties: Record<string, PropertySchema>, fields: FieldSettings) {
  return Object.fromEntries(
    Object.entries(properties).map(([name, schema]) => {
      const setting = fields[name];
      const sealed = isSealedSetting(setting);
      const raw =
        setting?.mode === "fixed" && !sealed ? rawFromValue(fieldKindOf(schema), setting.value) : "";
      const state: FieldState = {
        mode: setting?.mode ?? "ai",
        raw,
        secret: isDeclaredSecret(schema) || sealed,
        stored: sealed ? "kept" : "none",
      };
      return [name, state];
    }),
  );
}

/** After a save: every secret fixed value is now sealed (and kept), every other one is gone. */
function afterSave(fields: Record<string, FieldState>): Record<string, FieldState> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, state]) => [
      name,
      state.mode === "fixed" && state.secret
        ? { ...state, raw: "", stored: "kept" }
        : { ...state, stored: "none" },
    ]),
  );
}

/** Where a server-side error key points: `fields.<name>…` → the field, or a form control. */
function errorTarget(key: string): string {
  const [head, field] = key.split(".");
  return head === "fields" && field ? `fields.${field}` : (head ?? key);
}

// What was filled in, kept in the tab's session storage while the person connects an account.
const draftSchema = z.object({
  name: z.string(),
  description: z.string(),
  connectionId: z.string(),
  fields: z.record(
    z.string(),
    z.object({
      mode: z.enum(["ai", "fixed", "omit"]),
      raw: z.string(),
      secret: z.boolean(),
      stored: z.enum(["none", "kept", "replacing"]),
    }),
  ),
});

export function ToolForm({ serverId, toolId, app, action, connections, initial }: ToolFormProps) {
  const router = useRouter();
  const formPath = toolId
    ? `/servers/${serverId}/tools/${toolId}`
    : `/servers/${serverId}/tools/new?app=${app.slug}&action=${action.key}`;
  const draftKey = `toolgate:tool-draft:${formPath}`;
  const properties = (action.inputSchema.properties ?? {}) as Record<string, PropertySchema>;
  const required = new Set(action.inputSchema.required ?? []);
  const needsAccount = app.authType !== "none";

  const [connectionId, setConnectionId] = useState(initial.connectionId ?? "");
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description || action.description);
  const [fields, setFields] = useState<Record<string, FieldState>>(() =>
    initialFieldStates(properties, initial.fields),
  );
  const [choices, setChoices] = useState<Record<string, ChoicesState>>({});
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState<string>();
  const [saved, setSaved] = useState(false);
  const [pending, startTransition] = useTransition();
  const alertRef = useRef<HTMLDivElement>(null);
  const [connectedNotice, setConnectedNotice] = useState<string>();

  // Back from connecting an account: what was filled in, and the new account chosen.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the form opens
  useEffect(() => {
    const saved = window.sessionStorage.getItem(draftKey);
    window.sessionStorage.removeItem(draftKey);
    const draft = saved ? draftSchema.safeParse(JSON.parse(saved)) : undefined;
    if (draft?.success) {
      setName(draft.data.name);
      setDescription(draft.data.description);
      setConnectionId(draft.data.connectionId);
      setFields((current) => {
        const restored = { ...current };
        for (const [field, state] of Object.entries(draft.data.fields))
          if (field in current) restored[field] = state;
        return restored;
      });
    }
    const connected = new URLSearchParams(window.location.search).get("connected");
    const connection = connections.find((candidate) => candidate.id === connected);
    if (connection) {
      setConnectionId(connection.id);
      setConnectedNotice(`Connected “${connection.label}”. This tool uses it.`);
    }
  }, []);

  function saveDraft() {
    // A secret being typed stays out of the tab's storage: it is typed again after connecting.
    const withoutSecrets = Object.fromEntries(
      Object.entries(fields).map(([field, state]) => [field, state.secret ? { ...state, raw: "" } : state]),
    );
    window.sessionStorage.setItem(
      draftKey,
      JSON.stringify({ name, description, connectionId, fields: withoutSecrets }),
    );
  }

  // What the form means right now: the settings (from what is typed) and the problems found
  // before asking the server.
  const { settings, localErrors } = useMemo(() => {
    const settings: FieldSettings = {};
    const localErrors: Errors = {};
    for (const [field, state] of Object.entries(fields)) {
      if (state.mode === "omit") settings[field] = { mode: "omit" };
      if (state.mode !== "fixed") continue;
      if (state.secret && state.stored === "kept") {
        settings[field] = { mode: "fixed", secret: true };
        continue;
      }
      const parsed = valueFromRaw(fieldKindOf(properties[field] ?? {}), state.raw);
      if (!parsed.ok) localErrors[`fields.${field}`] = parsed.message;
      else if (parsed.value === undefined)
        localErrors[`fields.${field}`] = "Enter a value, or let the AI fill it.";
      else
        settings[field] = {
          mode: "fixed",
          value: parsed.value as never,
          ...(state.secret && { secret: true }),
        };
    }
    if (!toolNamePattern.test(name))
      localErrors.name =
        name === ""
          ? "Give the tool a name."
          : "Use at most 64 letters, digits, '_' or '-' (no spaces or accents).";
    return { settings, localErrors };
  }, [fields, name, properties]);

  const preview = useMemo(
    () => ({
      name,
      title: action.title,
      description: description.trim() || action.description,
      inputSchema: narrowToolInputSchema(action.inputSchema, settings),
      annotations: { title: action.title, ...action.annotations },
    }),
    [name, description, settings, action],
  );
  const fixedValues = Object.entries(settings).flatMap(([field, setting]) =>
    setting.mode === "fixed"
      ? [{ name: field, shown: setting.secret ? "•••••• (secret)" : describeValue(setting.value) }]
      : [],
  );

  function showErrors(next: Errors, summary: string) {
    setErrors(next);
    setMessage(summary);
    setSaved(false);
    requestAnimationFrame(() => alertRef.current?.focus());
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (Object.keys(localErrors).length > 0) {
      showErrors(localErrors, "Some fields need attention: see the messages below.");
      return;
    }
    const trimmed = description.trim();
    // A description equal to the action's (or empty) follows the action's own.
    const ownDescription = trimmed === "" || trimmed === action.description ? null : trimmed;
    startTransition(async () => {
      const result = toolId
        ? await updateToolAction(serverId, toolId, {
            name,
            description: ownDescription,
            fields: settings,
            ...(needsAccount && { connectionId: connectionId || null }),
          })
        : await addToolAction(serverId, {
            integration: app.slug,
            action: action.key,
            name,
            ...(ownDescription !== null && { description: ownDescription }),
            fields: settings,
            ...(needsAccount && connectionId && { connectionId }),
          });
      if (!result.ok) {
        const fieldErrors: Errors = {};
        for (const [key, text] of Object.entries(result.fieldErrors ?? {}))
          fieldErrors[errorTarget(key)] ??= text;
        showErrors(fieldErrors, result.message);
        return;
      }
      setErrors({});
      setMessage(undefined);
      setSaved(true);
      setFields(afterSave);
      router.refresh();
    });
  }

  /** An edited control's error goes away; the summary too once no error is left. */
  function edited(target: string) {
    setSaved(false);
    if (!(target in errors)) return;
    const { [target]: _fixed, ...rest } = errors;
    setErrors(rest);
    if (Object.keys(rest).length === 0) setMessage(undefined);
  }

  function updateField(field: string, next: FieldState) {
    setFields((current) => ({ ...current, [field]: next }));
    edited(`fields.${field}`);
    // Lists read for another value of this field (the tables of the previous base) are stale.
    const dependents = Object.keys(action.optionsDependOn).filter((other) =>
      action.optionsDependOn[other]?.includes(field),
    );
    if (dependents.length > 0)
      setChoices((current) => {
        const kept = { ...current };
        for (const dependent of dependents) delete kept[dependent];
        return kept;
      });
  }

  async function loadChoices(field: string) {
    const dependsOn = action.optionsDependOn[field] ?? [];
    const values = Object.fromEntries(
      dependsOn.map((dependency) => {
        const state = fields[dependency];
        return [dependency, state?.mode === "fixed" ? state.raw.trim() : ""];
      }),
    );
    const missing = dependsOn.filter((dependency) => !values[dependency]);
    if (missing.length > 0) {
      const labels = missing.map((dependency) => fieldLabel(dependency, properties[dependency] ?? {}));
      setChoices((current) => ({
        ...current,
        [field]: {
          loading: false,
          error: `These choices depend on ${labels.join(" and ")}: give ${missing.length === 1 ? "it" : "them"} a fixed value first (“Always use this value”).`,
        },
      }));
      return;
    }
    setChoices((current) => ({ ...current, [field]: { loading: true } }));
    const result = await loadFieldOptionsAction({
      integration: app.slug,
      action: action.key,
      field,
      connectionId: connectionId || null,
      values,
    });
    setChoices((current) => ({
      ...current,
      [field]: result.ok
        ? { loading: false, options: result.data }
        : { loading: false, error: result.message },
    }));
  }

  // Errors not tied to a control are listed in the summary at the top.
  const knownTargets = new Set([
    "name",
    "description",
    "connectionId",
    ...Object.keys(properties).map((f) => `fields.${f}`),
  ]);
  const looseErrors = Object.entries(errors).filter(([key]) => !knownTargets.has(key));

  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <form onSubmit={submit} noValidate className="min-w-0 space-y-6" aria-label="Tool settings">
        {message && (
          <div ref={alertRef} tabIndex={-1} className="outline-none">
            <Notice tone="danger">
              {message}
              {looseErrors.length > 0 && (
                <ul className="mt-1 list-inside list-disc">
                  {looseErrors.map(([key, text]) => (
                    <li key={key}>{text}</li>
                  ))}
                </ul>
              )}
            </Notice>
          </div>
        )}
        {saved && toolId && (
          <Notice tone="success">Saved. AI apps get the new version on their next request.</Notice>
        )}

        {needsAccount && (
          <section aria-labelledby="account-heading" className="space-y-3">
            <h2 id="account-heading" className="text-lg font-semibold">
              Account
            </h2>
            {connectedNotice && <Notice tone="success">{connectedNotice}</Notice>}
            {connections.length === 0 ? (
              <div className="space-y-2">
                <Notice tone="warning">
                  You have no {app.name} account connected yet. The tool can be added now, but it will only
                  work once you connect one.
                </Notice>
                <Link
                  href={`/connections/new?app=${app.slug}&returnTo=${encodeURIComponent(formPath)}`}
                  onClick={saveDraft}
                  className={buttonClasses("secondary", "sm")}
                >
                  Connect your {app.name} account
                </Link>
                <HintAndError id="connectionId" error={errors.connectionId} />
              </div>
            ) : (
              <SelectField
                id="connectionId"
                label={`${app.name} account`}
                hint={`The tool acts as this account. Your default is the first ${app.name} account you connected that works.`}
                error={errors.connectionId}
                value={connectionId}
                onChange={(event) => {
                  setConnectionId(event.target.value);
                  setChoices({}); // choices come from the account, so they are loaded again
                  edited("connectionId");
                }}
              >
                <option value="">Use my default account</option>
                {connections.map((connection) => (
                  <option key={connection.id} value={connection.id}>
                    {connection.label}
                    {connection.status === "NEEDS_RECONNECT" ? " (needs reconnecting)" : ""}
                  </option>
                ))}
              </SelectField>
            )}
          </section>
        )}

        <section aria-labelledby="about-heading" className="space-y-4">
          <h2 id="about-heading" className="text-lg font-semibold">
            Name and description
          </h2>
          <TextField
            id="tool-name"
            label="Tool name"
            name="tool-name"
            value={name}
            maxLength={64}
            autoComplete="off"
            spellCheck={false}
            hint="What the AI calls the tool: up to 64 letters, digits, '_' or '-'."
            error={errors.name}
            onChange={(event) => {
              setName(event.target.value);
              edited("name");
            }}
          />
          <TextareaField
            id="tool-description"
            label="Description"
            rows={3}
            maxLength={2000}
            hint="Tells the AI when to use the tool. Leave it as it is to keep the app's own."
            error={errors.description}
            value={description}
            onChange={(event) => {
              setDescription(event.target.value);
              edited("description");
            }}
          />
        </section>

        <section aria-labelledby="fields-heading" className="space-y-3">
          <h2 id="fields-heading" className="text-lg font-semibold">
            Fields
          </h2>
          {Object.keys(properties).length === 0 ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">This action has no fields to set.</p>
          ) : (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              For each field, choose who fills it. A fixed value is sent on every call and the AI cannot
              change it; a field left out is never sent.
            </p>
          )}
          {Object.entries(properties).map(([field, schema]) => (
            <FieldRow
              key={field}
              name={field}
              schema={schema}
              required={required.has(field)}
              state={fields[field] ?? { mode: "ai", raw: "", secret: false, stored: "none" }}
              error={errors[`fields.${field}`]}
              choices={choices[field]}
              canLoadChoices={action.optionsFields.includes(field)}
              onChange={(next) => updateField(field, next)}
              onLoadChoices={() => void loadChoices(field)}
            />
          ))}
        </section>

        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" variant="primary" pending={pending}>
            {pending ? (toolId ? "Saving…" : "Adding…") : toolId ? "Save changes" : "Add tool"}
          </Button>
          <Link href={`/servers/${serverId}`} className={buttonClasses("ghost")}>
            {toolId ? "Back to the server" : "Cancel"}
          </Link>
        </div>
      </form>
      <div className="min-w-0 lg:sticky lg:top-4 lg:self-start">
        <ToolPreview tool={preview} fixed={fixedValues} />
      </div>
    </div>
  );
}
