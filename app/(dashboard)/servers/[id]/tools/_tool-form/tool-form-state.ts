// What the tool form holds while a person edits it, and what it means: the field settings sent
// to the server, the problems found before asking it, and the tool as the AI will get it. Pure
// functions and one reducer, so that each change to the form is one named step.
import type { FieldOption } from "@/integrations/sdk/define";
import type { CatalogAction } from "@/lib/integrations/catalog";
import { type FieldSettings, isSealedSetting, narrowToolInputSchema } from "@/lib/tools/field-settings";
import { toolAnnotations } from "@/lib/tools/tool-annotations";
import { toolNamePattern } from "@/lib/tools/tool-name";
import {
  describeValue,
  fieldKindOf,
  type PropertySchema,
  rawFromValue,
  valueFromRaw,
} from "../schema-fields";

export type FieldMode = "ai" | "fixed" | "omit";
/**
 * `stored`: whether a secret value is saved for the field; "kept" uses it (the page never has
 * it), "replacing" means `raw` is its replacement.
 */
export type FieldState = {
  mode: FieldMode;
  raw: string;
  secret: boolean;
  stored: "none" | "kept" | "replacing";
};
export type ChoicesState = { loading: boolean; options?: FieldOption[]; error?: string };
/** Messages by control: "name", "description", "connectionId", "fields.<name>", or others. */
export type Errors = Record<string, string>;

export type ToolFormState = {
  connectionId: string;
  name: string;
  description: string;
  fields: Record<string, FieldState>;
  choices: Record<string, ChoicesState>;
  errors: Errors;
  /** The summary at the top of the form, while there are errors. */
  message?: string;
  saved: boolean;
  /** Set when the person came back from connecting an account, which the tool now uses. */
  connectedNotice?: string;
};

/** What is kept in the tab while the person connects an account (tool-form-draft.ts). */
export type ToolFormDraft = Pick<ToolFormState, "name" | "description" | "connectionId" | "fields">;

export type ToolFormAction =
  | { type: "renamed"; name: string }
  | { type: "described"; description: string }
  | { type: "connection-chosen"; connectionId: string }
  | { type: "field-changed"; field: string; state: FieldState; dependents: string[] }
  | { type: "choices-changed"; field: string; choices: ChoicesState }
  | { type: "reopened"; draft?: ToolFormDraft; connected?: { id: string; label: string } }
  | { type: "refused"; errors: Errors; message: string }
  | { type: "saved" };

export function propertiesOf(action: CatalogAction): Record<string, PropertySchema> {
  return (action.inputSchema.properties ?? {}) as Record<string, PropertySchema>;
}

/** Whether the action declares the field secret (JSON Schema's writeOnly, see secretField). */
export function isDeclaredSecret(schema: PropertySchema): boolean {
  return schema.writeOnly === true;
}

export function initialToolFormState(
  action: CatalogAction,
  initial: { connectionId: string | null; name: string; description: string | null; fields: FieldSettings },
): ToolFormState {
  const fields = Object.fromEntries(
    Object.entries(propertiesOf(action)).map(([name, schema]) => {
      const setting = initial.fields[name];
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
  return {
    connectionId: initial.connectionId ?? "",
    name: initial.name,
    description: initial.description || action.description,
    fields,
    choices: {},
    errors: {},
    saved: false,
  };
}

/** The fields whose choices are read for a value of `field` (the tables of a base, say). */
export function dependentsOf(action: CatalogAction, field: string): string[] {
  return Object.keys(action.optionsDependOn).filter((other) =>
    action.optionsDependOn[other]?.includes(field),
  );
}

/**
 * The values a field's choices depend on (the base of a table list), each read with `readValue`;
 * `missing` names those without one.
 */
export function readChoiceDependencies(
  action: CatalogAction,
  field: string,
  readValue: (dependency: string) => string,
): { values: Record<string, string>; missing: string[] } {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const dependency of action.optionsDependOn[field] ?? []) {
    const value = readValue(dependency).trim();
    if (value) values[dependency] = value;
    else missing.push(dependency);
  }
  return { values, missing };
}

/** The fixed value typed for a field, or "" when it is not fixed. */
export function fixedRawOf(fields: Record<string, FieldState>, field: string): string {
  const state = fields[field];
  return state?.mode === "fixed" ? state.raw : "";
}

/** The tool's own description: null when it is empty or the action's (it then follows the action's). */
export function ownDescriptionOf(action: CatalogAction, description: string): string | null {
  const trimmed = description.trim();
  return trimmed === "" || trimmed === action.description ? null : trimmed;
}

/** An edited control's error goes away; the summary too once no error is left. */
function edited(state: ToolFormState, target: string): ToolFormState {
  if (!(target in state.errors)) return { ...state, saved: false };
  const { [target]: _fixed, ...errors } = state.errors;
  return {
    ...state,
    saved: false,
    errors,
    message: Object.keys(errors).length === 0 ? undefined : state.message,
  };
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

export function toolFormReducer(state: ToolFormState, action: ToolFormAction): ToolFormState {
  switch (action.type) {
    case "renamed":
      return edited({ ...state, name: action.name }, "name");
    case "described":
      return edited({ ...state, description: action.description }, "description");
    case "connection-chosen":
      // Choices come from the account, so they are loaded again.
      return edited({ ...state, connectionId: action.connectionId, choices: {} }, "connectionId");
    case "field-changed": {
      const choices = { ...state.choices };
      // Lists read for another value of this field are stale.
      for (const dependent of action.dependents) delete choices[dependent];
      const fields = { ...state.fields, [action.field]: action.state };
      return edited({ ...state, fields, choices }, `fields.${action.field}`);
    }
    case "choices-changed":
      return { ...state, choices: { ...state.choices, [action.field]: action.choices } };
    case "reopened": {
      const { draft, connected } = action;
      const next = { ...state };
      if (draft) {
        next.name = draft.name;
        next.description = draft.description;
        next.connectionId = draft.connectionId;
        next.fields = { ...state.fields };
        for (const [field, fieldState] of Object.entries(draft.fields))
          if (field in state.fields) next.fields[field] = fieldState;
      }
      if (connected) {
        next.connectionId = connected.id;
        next.connectedNotice = `Connected “${connected.label}”. This tool uses it.`;
      }
      return next;
    }
    case "refused":
      return { ...state, errors: action.errors, message: action.message, saved: false };
    case "saved":
      return { ...state, errors: {}, message: undefined, saved: true, fields: afterSave(state.fields) };
  }
}

/**
 * What the form means right now: the settings (from what is typed) and the problems found
 * before asking the server.
 */
export function readSettings(
  properties: Record<string, PropertySchema>,
  fields: Record<string, FieldState>,
  name: string,
): { settings: FieldSettings; localErrors: Errors } {
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
}

/** The tool as tools/list will show it, computed by the same function the MCP endpoint uses. */
export function previewTool(
  action: CatalogAction,
  name: string,
  description: string,
  settings: FieldSettings,
) {
  return {
    name,
    title: action.title,
    description: description.trim() || action.description,
    inputSchema: narrowToolInputSchema(action.inputSchema, settings),
    annotations: { title: action.title, ...toolAnnotations(action, settings) },
  };
}

/** The values the platform adds on every call, a secret one masked. */
export function fixedValuesOf(
  settings: FieldSettings,
): Array<{ name: string; shown: string; secret: boolean }> {
  return Object.entries(settings).flatMap(([field, setting]) =>
    setting.mode === "fixed"
      ? [
          {
            name: field,
            shown: setting.secret ? "•••••• (secret)" : describeValue(setting.value),
            secret: setting.secret === true,
          },
        ]
      : [],
  );
}

/** Where a server-side error key points: `fields.<name>…` → the field, or a form control. */
export function errorTarget(key: string): string {
  const [head, field] = key.split(".");
  return head === "fields" && field ? `fields.${field}` : (head ?? key);
}

/** Errors not tied to a control of the form, which the summary at the top lists. */
export function looseErrorsOf(
  errors: Errors,
  properties: Record<string, PropertySchema>,
): [string, string][] {
  const controls = new Set([
    "name",
    "description",
    "connectionId",
    ...Object.keys(properties).map((field) => `fields.${field}`),
  ]);
  return Object.entries(errors).filter(([key]) => !controls.has(key));
}
