"use client";
// "Try it": one real call with the fields the AI would fill (the tool's inputSchema, as the
// preview shows it), run through the same path as an AI app's call (quota, history, worker), with
// its result or error. What runs (the saved tool, or the editor's settings) is the caller's `run`.
// A field whose choices come from the account offers them as a list once loaded.
import Link from "next/link";
import { useRef, useState, useTransition } from "react";
import { Button } from "@/components/kit/button";
import { describedBy, HintAndError, inputClasses } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import type { FieldOption } from "@/integrations/sdk/define";
import type { ActionResult } from "@/lib/web/server-action";
import type { TryResult } from "../actions";
import { fieldKindOf, fieldLabel, type PropertySchema, valueFromRaw } from "../schema-fields";
import { ChoiceList } from "./choice-list";
import { LoadChoices } from "./load-choices";
import type { ChoicesState } from "./tool-form-state";

export type TryChoices = {
  /** The fields whose choices can be loaded from the account. */
  fields: string[];
  /** Loads a field's choices; the try form's own values go along, for lists that depend on them. */
  load: (field: string, tryValues: Record<string, string>) => Promise<ChoicesState>;
  /** Changes when loaded choices no longer apply (another account was chosen). */
  source: string;
};

export function TryTool({
  inputSchema,
  waitSeconds,
  note,
  run,
  choices,
}: {
  inputSchema: { properties?: Record<string, object>; required?: string[] };
  waitSeconds: number;
  /** What a try runs: the saved tool, or the settings as they stand. */
  note: string;
  run: (args: Record<string, unknown>) => Promise<ActionResult<TryResult>>;
  choices?: TryChoices;
}) {
  const properties = (inputSchema.properties ?? {}) as Record<string, PropertySchema>;
  const required = new Set(inputSchema.required ?? []);
  const [raws, setRaws] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [loaded, setLoaded] = useState<{ source?: string; byField: Record<string, ChoicesState> }>({
    byField: {},
  });
  const [outcome, setOutcome] = useState<TryResult | { failed: string }>();
  const [pending, startTransition] = useTransition();
  const formRef = useRef<HTMLFormElement>(null);
  const choicesOf = (field: string) =>
    loaded.source === choices?.source ? loaded.byField[field] : undefined;

  function refuse(problems: Record<string, string>) {
    setErrors(problems);
    const first = Object.keys(properties).find((name) => problems[name]);
    if (first)
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>(`#try-${first}`)?.focus());
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const args: Record<string, unknown> = {};
    const problems: Record<string, string> = {};
    for (const [name, schema] of Object.entries(properties)) {
      const raw = raws[name] ?? "";
      if (raw.trim() === "") {
        // A required field left empty is refused here, as the server would; an optional one is
        // not sent, as an AI would leave it out.
        if (required.has(name)) problems[name] = `Fill in ${fieldLabel(name, schema)}: the tool needs it.`;
        continue;
      }
      const parsed = valueFromRaw(fieldKindOf(schema), raw);
      if (!parsed.ok) problems[name] = parsed.message;
      else if (parsed.value !== undefined) args[name] = parsed.value;
    }
    refuse(problems);
    if (Object.keys(problems).length > 0) return;
    setOutcome(undefined);
    startTransition(async () => {
      const result = await run(args);
      if (result.ok) {
        setOutcome(result.data);
        return;
      }
      const fieldProblems = Object.fromEntries(
        Object.entries(result.fieldErrors ?? {}).flatMap(([key, text]) =>
          key.startsWith("args.") ? [[key.slice("args.".length), text]] : [],
        ),
      );
      refuse(fieldProblems);
      setOutcome({ failed: result.message });
    });
  }

  async function loadChoices(field: string) {
    if (!choices) return;
    const source = choices.source;
    const update = (state: ChoicesState) =>
      setLoaded((current) => ({
        source,
        byField: { ...(current.source === source ? current.byField : {}), [field]: state },
      }));
    update({ loading: true });
    update(await choices.load(field, raws));
  }

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="space-y-4" aria-label="Try the tool">
      {Object.keys(properties).length === 0 && (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          The AI fills no field of this tool: it runs with its fixed values only.
        </p>
      )}
      {Object.entries(properties).map(([name, schema]) => (
        <TryInput
          key={name}
          name={name}
          schema={schema}
          required={required.has(name)}
          raw={raws[name] ?? ""}
          error={errors[name]}
          choices={choicesOf(name)}
          canLoadChoices={choices?.fields.includes(name) ?? false}
          onRaw={(raw) => {
            setRaws((current) => ({ ...current, [name]: raw }));
            setErrors(({ [name]: _edited, ...rest }) => rest);
          }}
          onLoadChoices={() => void loadChoices(name)}
        />
      ))}
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {note} A try is a real call: it counts against your plan's limits, and appears in your{" "}
        <Link href="/history" className="font-medium text-brand-700 underline dark:text-blue-300">
          history
        </Link>
        .
      </p>
      <Button type="submit" variant="primary" pending={pending}>
        {pending ? "Running…" : "Run it once"}
      </Button>
      <div aria-live="polite" className="space-y-2">
        {pending && (
          <p className="text-sm text-zinc-700 dark:text-zinc-300" data-testid="try-pending">
            Running… this can take up to {waitSeconds} s.
          </p>
        )}
        {outcome && "failed" in outcome && <Notice tone="danger">{outcome.failed}</Notice>}
        {outcome && "text" in outcome && (
          <div data-testid="try-result">
            <p
              className={`text-sm font-semibold ${outcome.isError ? "text-red-700 dark:text-red-400" : "text-green-800 dark:text-green-300"}`}
            >
              {outcome.isError ? "The tool answered with an error" : "Result"}
            </p>
            <pre
              // biome-ignore lint/a11y/noNoninteractiveTabindex: scrollable regions must be reachable by keyboard
              tabIndex={0}
              className={`mt-1 max-h-80 overflow-auto rounded-md p-3 text-xs whitespace-pre-wrap break-words ${
                outcome.isError
                  ? "border border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
                  : "bg-zinc-100 dark:bg-zinc-950"
              }`}
            >
              {outcome.text}
            </pre>
          </div>
        )}
      </div>
    </form>
  );
}

function TryInput({
  name,
  schema,
  required,
  raw,
  error,
  choices,
  canLoadChoices,
  onRaw,
  onLoadChoices,
}: {
  name: string;
  schema: PropertySchema;
  required: boolean;
  raw: string;
  error?: string;
  choices?: ChoicesState;
  canLoadChoices: boolean;
  onRaw: (raw: string) => void;
  onLoadChoices: () => void;
}) {
  const id = `try-${name}`;
  const kind = fieldKindOf(schema);
  const hint = schema.description;
  const props = {
    id,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy(id, { hint, error }),
    className: kind === "json" ? `${inputClasses} font-mono` : inputClasses,
  };
  const loadChoices = (
    <LoadChoices
      fieldLabel={fieldLabel(name, schema)}
      choices={choices}
      canLoad={canLoadChoices}
      onLoad={onLoadChoices}
    />
  );
  // A list (labels, say) with its choices loaded: ticked, not typed as JSON.
  if (kind === "json" && choices?.options)
    return (
      <div className="space-y-1">
        <ChoiceList
          id={id}
          label={`${fieldLabel(name, schema)} (${name}${required ? ", required" : ", optional"})`}
          options={choices.options}
          raw={raw}
          error={error}
          onRaw={onRaw}
        />
        {loadChoices}
      </div>
    );
  let input: React.ReactNode;
  if (choices?.options || kind === "enum" || kind === "boolean") {
    const options: FieldOption[] =
      choices?.options ??
      (kind === "enum"
        ? (schema.enum as string[]).map((value) => ({ value, label: value }))
        : [
            { value: "true", label: "Yes" },
            { value: "false", label: "No" },
          ]);
    const known = options.some((option) => option.value === raw);
    input = (
      <select {...props} value={raw} onChange={(event) => onRaw(event.target.value)}>
        <option value="">{required ? "Choose…" : "Leave empty"}</option>
        {!known && raw !== "" && <option value={raw}>{raw} (typed)</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    );
  } else if (kind === "json") {
    input = (
      <textarea
        {...props}
        rows={3}
        spellCheck={false}
        value={raw}
        onChange={(event) => onRaw(event.target.value)}
      />
    );
  } else {
    input = (
      <input
        {...props}
        type={kind === "text" ? "text" : "number"}
        step={kind === "integer" ? 1 : kind === "number" ? "any" : undefined}
        value={raw}
        onChange={(event) => onRaw(event.target.value)}
      />
    );
  }
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {fieldLabel(name, schema)}{" "}
        <span className="font-normal text-zinc-600 dark:text-zinc-400">
          (<code>{name}</code>
          {required ? ", required" : ", optional"}
          {kind === "json" ? ", JSON" : ""})
        </span>
      </label>
      {input}
      <HintAndError id={id} hint={hint} error={error} />
      {loadChoices}
    </div>
  );
}
