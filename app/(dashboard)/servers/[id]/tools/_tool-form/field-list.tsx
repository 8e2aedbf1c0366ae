// Every input field of the action, each with who fills it (field-row.tsx).
import type { CatalogAction } from "@/lib/integrations/catalog";
import type { PropertySchema } from "../schema-fields";
import { FieldRow } from "./field-row";
import type { ChoicesState, Errors, FieldState } from "./tool-form-state";

export function FieldList({
  action,
  properties,
  fields,
  choices,
  errors,
  onChange,
  onLoadChoices,
}: {
  action: CatalogAction;
  properties: Record<string, PropertySchema>;
  fields: Record<string, FieldState>;
  choices: Record<string, ChoicesState>;
  errors: Errors;
  onChange: (field: string, next: FieldState) => void;
  onLoadChoices: (field: string) => void;
}) {
  const required = new Set(action.inputSchema.required ?? []);
  return (
    <section aria-labelledby="fields-heading" className="space-y-3">
      <h2 id="fields-heading" className="text-lg font-semibold">
        Fields
      </h2>
      {Object.keys(properties).length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">This action has no fields to set.</p>
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          For each field, choose who fills it. A fixed value is sent on every call and the AI cannot change
          it; a field left out is never sent.
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
          onChange={(next) => onChange(field, next)}
          onLoadChoices={() => onLoadChoices(field)}
        />
      ))}
    </section>
  );
}
