"use client";
// "Try it": one real call of the saved tool with the fields the AI would fill, run through the
// same path as an AI app's call (quota, history, worker), with its result or error.
import Link from "next/link";
import { useState, useTransition } from "react";
import { Button } from "@/components/kit/button";
import { describedBy, HintAndError, inputClasses } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import { type TryResult, tryToolAction } from "../actions";
import { fieldKindOf, fieldLabel, type PropertySchema, valueFromRaw } from "../schema-fields";

export function TryTool({
  serverId,
  toolId,
  inputSchema,
  waitSeconds,
}: {
  serverId: string;
  toolId: string;
  inputSchema: { properties?: Record<string, object>; required?: string[] };
  waitSeconds: number;
}) {
  const properties = (inputSchema.properties ?? {}) as Record<string, PropertySchema>;
  const required = new Set(inputSchema.required ?? []);
  const [raws, setRaws] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<TryResult | { failed: string }>();
  const [pending, startTransition] = useTransition();

  function run(event: React.FormEvent) {
    event.preventDefault();
    const args: Record<string, unknown> = {};
    const problems: Record<string, string> = {};
    for (const [name, schema] of Object.entries(properties)) {
      const raw = raws[name] ?? "";
      // An empty optional field is not sent, as an AI would leave it out.
      if (raw === "" && !required.has(name)) continue;
      const parsed = valueFromRaw(fieldKindOf(schema), raw);
      if (!parsed.ok) problems[name] = parsed.message;
      else if (parsed.value !== undefined) args[name] = parsed.value;
    }
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setOutcome(undefined);
    startTransition(async () => {
      const result = await tryToolAction(serverId, toolId, args);
      setOutcome(result.ok ? result.data : { failed: result.message });
    });
  }

  return (
    <form onSubmit={run} noValidate className="space-y-4" aria-label="Try the tool">
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
          onRaw={(raw) => setRaws((current) => ({ ...current, [name]: raw }))}
        />
      ))}
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        A try is a real call: it runs the saved tool, counts against your plan's limits, and appears in your{" "}
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
  onRaw,
}: {
  name: string;
  schema: PropertySchema;
  required: boolean;
  raw: string;
  error?: string;
  onRaw: (raw: string) => void;
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
  let input: React.ReactNode;
  if (kind === "enum" || kind === "boolean") {
    const options =
      kind === "enum"
        ? (schema.enum as string[]).map((value) => [value, value])
        : [
            ["true", "Yes"],
            ["false", "No"],
          ];
    input = (
      <select {...props} value={raw} onChange={(event) => onRaw(event.target.value)}>
        <option value="">{required ? "Choose…" : "Leave empty"}</option>
        {options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
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
    </div>
  );
}
