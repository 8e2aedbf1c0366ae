"use client";
// One input field of an action: who fills it (the AI, a fixed value, or nobody) and, for a fixed
// value, an input that fits its type, with the field's choices loaded from the account on request.
// A fixed value can be kept secret (always so for a field the action declares secret): once saved
// it is never sent back to the page, which shows it masked and offers to replace it.
import { Button } from "@/components/kit/button";
import { describedBy, HintAndError, inputClasses } from "@/components/kit/fields";
import type { FieldOption } from "@/integrations/sdk/define";
import { type FieldKind, fieldKindOf, fieldLabel, type PropertySchema } from "../schema-fields";
import { ChoiceList } from "./choice-list";
import { LoadChoices } from "./load-choices";
import { type ChoicesState, type FieldMode, type FieldState, isDeclaredSecret } from "./tool-form-state";

const maskedValue = "•••••• (set)";

const modeLabels: Record<FieldMode, string> = {
  ai: "The AI fills it",
  fixed: "Always use this value",
  omit: "Leave it out",
};

export function FieldRow({
  name,
  schema,
  required,
  state,
  error,
  choices,
  canLoadChoices,
  onChange,
  onLoadChoices,
}: {
  name: string;
  schema: PropertySchema;
  required: boolean;
  state: FieldState;
  error?: string;
  choices?: ChoicesState;
  canLoadChoices: boolean;
  onChange: (next: FieldState) => void;
  onLoadChoices: () => void;
}) {
  const id = `field-${name}`;
  const label = fieldLabel(name, schema);
  const kind = fieldKindOf(schema);
  const hasDefault = schema.default !== undefined;
  return (
    <fieldset
      className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
      aria-describedby={describedBy(id, {
        hint: schema.description,
        error: state.mode === "fixed" ? undefined : error,
      })}
      data-field={name}
    >
      <legend className="px-1 text-sm font-semibold">
        {label}{" "}
        <span className="font-normal text-zinc-600 dark:text-zinc-400">
          (<code>{name}</code>
          {required ? ", required" : ", optional"})
        </span>
      </legend>
      {schema.description && (
        <p id={`${id}-hint`} className="text-sm text-zinc-600 dark:text-zinc-400">
          {schema.description}
          {hasDefault && <> Default: {JSON.stringify(schema.default)}.</>}
        </p>
      )}
      <div className="mt-3 flex flex-col gap-2 sm:flex-row sm:flex-wrap sm:gap-x-5">
        {(Object.keys(modeLabels) as FieldMode[]).map((mode) => {
          const disabled = mode === "omit" && required;
          return (
            <label
              key={mode}
              className={`inline-flex items-center gap-2 text-sm ${disabled ? "text-zinc-500 dark:text-zinc-500" : ""}`}
            >
              <input
                type="radio"
                name={`${id}-mode`}
                value={mode}
                checked={state.mode === mode}
                disabled={disabled}
                aria-describedby={disabled ? `${id}-required` : undefined}
                onChange={() => onChange({ ...state, mode })}
                className="size-4 accent-brand-600"
              />
              {modeLabels[mode]}
            </label>
          );
        })}
      </div>
      {required && (
        <p id={`${id}-required`} className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
          This action needs it, so it can't be left out.
        </p>
      )}
      {state.mode === "omit" && !required && (
        <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
          The AI won't see this field{hasDefault ? "; the action uses its default" : ""}.
        </p>
      )}
      {state.mode === "fixed" && (
        <div className="mt-3 space-y-1">
          <SecretChoice id={id} schema={schema} state={state} onChange={onChange} />
          {state.secret && state.stored === "kept" ? (
            <StoredSecret
              id={`${id}-value`}
              label={label}
              error={error}
              onReplace={() => onChange({ ...state, stored: "replacing", raw: "" })}
            />
          ) : (
            <FixedValueInput
              id={`${id}-value`}
              label={`Value of ${label}`}
              kind={kind}
              schema={schema}
              raw={state.raw}
              secret={state.secret}
              options={choices?.options}
              error={error}
              onRaw={(raw) => onChange({ ...state, raw })}
            />
          )}
          {state.secret && state.stored === "replacing" && (
            <Button size="sm" onClick={() => onChange({ ...state, stored: "kept", raw: "" })}>
              Keep the saved value
            </Button>
          )}
          <LoadChoices choices={choices} canLoad={canLoadChoices} onLoad={onLoadChoices} />
        </div>
      )}
      {state.mode !== "fixed" && <HintAndError id={id} error={error} />}
    </fieldset>
  );
}

function SecretChoice({
  id,
  schema,
  state,
  onChange,
}: {
  id: string;
  schema: PropertySchema;
  state: FieldState;
  onChange: (next: FieldState) => void;
}) {
  const declared = isDeclaredSecret(schema);
  return (
    <div className="space-y-1 pb-1">
      <label className="inline-flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={state.secret}
          disabled={declared}
          aria-describedby={`${id}-secret-hint`}
          // A saved secret is not on the page: making it plain needs its value typed again.
          onChange={(event) =>
            onChange({
              ...state,
              secret: event.target.checked,
              stored: state.stored === "kept" ? "replacing" : state.stored,
            })
          }
          className="size-4 accent-brand-600"
        />
        Keep this value secret
      </label>
      <p id={`${id}-secret-hint`} className="text-xs text-zinc-600 dark:text-zinc-400">
        {declared
          ? "This field holds credentials, so its value is always kept secret: "
          : "For a password, a token or a private URL: "}
        sealed when saved, and never shown again (here, in the API or in the history).
      </p>
    </div>
  );
}

function StoredSecret({
  id,
  label,
  error,
  onReplace,
}: {
  id: string;
  label: string;
  error?: string;
  onReplace: () => void;
}) {
  return (
    <div className="space-y-1">
      <p id={id} className="text-sm">
        <span className="font-medium">Value of {label}:</span>{" "}
        <span data-testid="secret-set" className="font-mono">
          {maskedValue}
        </span>
      </p>
      <Button size="sm" onClick={onReplace}>
        Replace the value<span className="sr-only"> of {label}</span>
      </Button>
      <HintAndError id={id} error={error} />
    </div>
  );
}

function FixedValueInput({
  id,
  label,
  kind,
  schema,
  raw,
  secret,
  options,
  error,
  onRaw,
}: {
  id: string;
  label: string;
  kind: FieldKind;
  schema: PropertySchema;
  raw: string;
  secret: boolean;
  options?: FieldOption[];
  error?: string;
  onRaw: (raw: string) => void;
}) {
  const common = {
    id,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? `${id}-error` : undefined,
  };
  let input: React.ReactNode;
  if (options && kind === "json") {
    return <ChoiceList id={id} label={label} options={options} raw={raw} error={error} onRaw={onRaw} />;
  } else if (options || kind === "enum") {
    const choices: FieldOption[] =
      options ?? (schema.enum as string[]).map((value) => ({ value, label: value }));
    const known = choices.some((choice) => choice.value === raw);
    input = (
      <select
        {...common}
        className={inputClasses}
        value={raw}
        onChange={(event) => onRaw(event.target.value)}
      >
        <option value="">Choose…</option>
        {!known && raw !== "" && <option value={raw}>{raw} (current)</option>}
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    );
  } else if (kind === "boolean") {
    return (
      <div className="space-y-1">
        <label className="inline-flex items-center gap-2 text-sm font-medium">
          <input
            type="checkbox"
            {...common}
            checked={raw === "true"}
            onChange={(event) => onRaw(event.target.checked ? "true" : "false")}
            className="size-4 accent-brand-600"
          />
          {label}: yes
        </label>
        <HintAndError id={id} error={error} />
      </div>
    );
  } else if (kind === "number" || kind === "integer") {
    input = (
      <input
        {...common}
        type="number"
        inputMode={kind === "integer" ? "numeric" : "decimal"}
        step={kind === "integer" ? 1 : "any"}
        min={typeof schema.minimum === "number" ? schema.minimum : undefined}
        max={typeof schema.maximum === "number" ? schema.maximum : undefined}
        className={inputClasses}
        value={raw}
        onChange={(event) => onRaw(event.target.value)}
      />
    );
  } else if (kind === "json") {
    input = (
      <textarea
        {...common}
        rows={4}
        spellCheck={false}
        placeholder={schema.type === "array" ? '["first", "second"]' : '{"key": "value"}'}
        className={`${inputClasses} font-mono`}
        value={raw}
        onChange={(event) => onRaw(event.target.value)}
      />
    );
  } else {
    input = (
      <input
        {...common}
        type={secret ? "password" : "text"}
        autoComplete={secret ? "off" : undefined}
        className={inputClasses}
        value={raw}
        onChange={(event) => onRaw(event.target.value)}
      />
    );
  }
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
        {kind === "json" && <span className="font-normal text-zinc-600 dark:text-zinc-400"> (JSON)</span>}
      </label>
      {input}
      <HintAndError id={id} error={error} />
    </div>
  );
}
