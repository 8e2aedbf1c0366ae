// Per-field settings of a configured action: the AI fills a field ("ai", the default), it is
// fixed to a stored value ("fixed"), or it is left out ("omit"). A required field cannot be
// omitted, fixed values must satisfy the field's own schema, and the AI can never set a field
// that is fixed or omitted: the tool's input schema is strict. A fixed value is secret when its
// field is declared secret (secretField) or its owner marks it so: it is then sealed apart
// (sealed-field-values.ts), and the settings say `{mode: "fixed", secret: true}` without it.
import { z } from "zod";
import type { ActionDefinition } from "@/integrations/sdk/define";
import {
  findUnstorableText,
  storableJson,
  storableString,
  unstorableTextMessage,
} from "@/lib/db/storable-text";
import { AppError } from "@/lib/errors/app-error";

export const fieldSettingSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("ai") }),
  z
    .object({
      mode: z.literal("fixed"),
      value: storableJson().optional(),
      secret: z
        .boolean()
        .optional()
        .describe("Kept secret: sealed, and never shown again. Always so for a field declared secret."),
    })
    .refine((setting) => setting.value !== undefined || setting.secret === true, {
      message: "Give a value (without one, secret: true keeps the secret value already stored).",
      path: ["value"],
    }),
  z.object({ mode: z.literal("omit") }),
]);
export const fieldSettingsSchema = z.record(storableString().max(100), fieldSettingSchema);
export type FieldSetting = z.infer<typeof fieldSettingSchema>;
export type FieldSettings = z.infer<typeof fieldSettingsSchema>;

export function isRequiredField(field: z.ZodType): boolean {
  return !field.safeParse(undefined).success;
}

function fieldShape(action: ActionDefinition): Record<string, z.ZodType> {
  return action.input.shape as Record<string, z.ZodType>;
}

const secretFieldsOf = new WeakMap<ActionDefinition, ReadonlySet<string>>();

/** The fields the action declares secret: `writeOnly` in their JSON Schema (see secretField). */
export function listSecretFields(action: ActionDefinition): ReadonlySet<string> {
  let names = secretFieldsOf.get(action);
  if (!names) {
    const properties = buildFullToolInputSchema(action).properties ?? {};
    names = new Set(
      Object.entries(properties)
        .filter(([, schema]) => (schema as { writeOnly?: unknown }).writeOnly === true)
        .map(([name]) => name),
    );
    secretFieldsOf.set(action, names);
  }
  return names;
}

/** Whether the field's value is sealed apart rather than kept in the settings. */
export function isSealedSetting(setting: FieldSetting | undefined): boolean {
  return setting?.mode === "fixed" && setting.secret === true;
}

/**
 * Whether the field's secret value is sealed apart and not at hand: the worker opens it from the
 * tool. A secret typed in the tool editor and tried before saving is at hand, sealed with the call.
 */
export function isKeptSecretSetting(setting: FieldSetting | undefined): boolean {
  return setting?.mode === "fixed" && setting.secret === true && setting.value === undefined;
}

/** The fields whose values are masked wherever they are shown: declared secret, or fixed as secret. */
export function listMaskedFields(action: ActionDefinition, settings: FieldSettings): Set<string> {
  const names = new Set(listSecretFields(action));
  for (const [name, setting] of Object.entries(settings)) if (isSealedSetting(setting)) names.add(name);
  return names;
}

/**
 * Checks settings against the action's fields; returns them with "ai" entries dropped (the
 * default) and every secret fixed value marked `secret: true`. A secret fixed setting without a
 * value keeps the value already sealed, so it needs one: `sealedNow` names those.
 */
export function validateFieldSettings(
  action: ActionDefinition,
  settings: FieldSettings,
  sealedNow: ReadonlySet<string> = new Set(),
): FieldSettings {
  const shape = fieldShape(action);
  const declaredSecret = listSecretFields(action);
  const normalized: FieldSettings = {};
  for (const [name, setting] of Object.entries(settings)) {
    const field = shape[name];
    if (!field) {
      throw new AppError(
        "validation_failed",
        `"${name}" is not a field of ${action.title}. Its fields are: ${Object.keys(shape).join(", ")}.`,
        { field: name },
      );
    }
    if (setting.mode === "omit" && isRequiredField(field)) {
      throw new AppError(
        "validation_failed",
        `"${name}" is required by ${action.title}: let the AI fill it or fix its value.`,
        { field: name },
      );
    }
    if (setting.mode === "fixed") {
      normalized[name] = checkFixedValue(name, field, setting, declaredSecret.has(name), sealedNow);
      continue;
    }
    if (setting.mode !== "ai") normalized[name] = setting;
  }
  return normalized;
}

function checkFixedValue(
  name: string,
  field: z.ZodType,
  setting: Extract<FieldSetting, { mode: "fixed" }>,
  declaredSecret: boolean,
  sealedNow: ReadonlySet<string>,
): FieldSetting {
  const secret = declaredSecret || setting.secret === true;
  if (setting.value === undefined) {
    if (secret && sealedNow.has(name)) return { mode: "fixed", secret: true };
    const reason = secret ? "no secret value is stored yet, so give one" : "a value is needed";
    throw new AppError("validation_failed", `The fixed value of "${name}" is not valid: ${reason}.`, {
      field: name,
    });
  }
  const parsed = field.safeParse(setting.value);
  if (!parsed.success)
    throw new AppError(
      "validation_failed",
      `The fixed value of "${name}" is not valid: ${parsed.error.issues[0]?.message}.`,
      { field: name },
    );
  return secret
    ? { mode: "fixed", value: setting.value, secret: true }
    : { mode: "fixed", value: setting.value };
}

/**
 * Settings as they are stored and shown: secret fixed values taken out (returned apart, to be
 * sealed). A secret setting without a value is one whose sealed value is kept.
 */
export function separateSecretValues(settings: FieldSettings): {
  settings: FieldSettings;
  secretValues: Record<string, z.core.util.JSONType>;
} {
  const kept: FieldSettings = {};
  const secretValues: Record<string, z.core.util.JSONType> = {};
  for (const [name, setting] of Object.entries(settings)) {
    if (!isSealedSetting(setting)) {
      kept[name] = setting;
      continue;
    }
    kept[name] = { mode: "fixed", secret: true };
    if (setting.mode === "fixed" && setting.value !== undefined) secretValues[name] = setting.value;
  }
  return { settings: kept, secretValues };
}

/**
 * Stored settings as they may be shown or cached: a clear fixed value of a field declared secret
 * (stored before such fields were sealed, until the worker seals it at its start) is left out.
 */
export function hideClearSecretValues(action: ActionDefinition, settings: FieldSettings): FieldSettings {
  const declaredSecret = listSecretFields(action);
  let hidden: FieldSettings | undefined;
  for (const [name, setting] of Object.entries(settings)) {
    if (!declaredSecret.has(name) || setting.mode !== "fixed" || setting.value === undefined) continue;
    hidden ??= { ...settings };
    hidden[name] = { mode: "fixed", secret: true };
  }
  return hidden ?? settings;
}

function aiFieldMask(action: ActionDefinition, settings: FieldSettings): Record<string, true> {
  const mask: Record<string, true> = {};
  for (const name of Object.keys(fieldShape(action))) {
    if ((settings[name]?.mode ?? "ai") === "ai") mask[name] = true;
  }
  return mask;
}

/** The zod schema of what the AI may send: the "ai" fields only, and nothing else. */
export function buildAiInputSchema(action: ActionDefinition, settings: FieldSettings): z.ZodObject {
  return action.input.pick(aiFieldMask(action, settings)).strict();
}

export type JsonSchemaObject = {
  type: "object";
  properties?: Record<string, object>;
  required?: string[];
  [key: string]: unknown;
};

/**
 * The inputSchema of the tool with every field left to the AI (what the catalog shows): an added
 * app's own schema as it wrote it, or the one generated from the action's zod input.
 */
function buildFullToolInputSchema(action: ActionDefinition): JsonSchemaObject {
  if (action.inputJsonSchema) return action.inputJsonSchema as JsonSchemaObject;
  const { $schema: _dialect, ...schema } = z.toJSONSchema(action.input.strict(), {
    io: "input",
    unrepresentable: "any",
  }) as JsonSchemaObject & { $schema?: string };
  return schema;
}

/**
 * The inputSchema for some settings, from the one with every field left to the AI: keeps the
 * "ai" fields only. Pure and free of action definitions, so that the web form's live preview
 * computes exactly what MCP clients get from a catalog entry.
 */
export function narrowToolInputSchema(full: JsonSchemaObject, settings: FieldSettings): JsonSchemaObject {
  const isAi = (name: string) => (settings[name]?.mode ?? "ai") === "ai";
  const narrowed: JsonSchemaObject = { type: "object" };
  // Rebuilt key by key so that the order of keys stays the one JSON Schema generation gave.
  for (const [key, value] of Object.entries(full)) {
    if (key === "properties" && value) {
      narrowed.properties = Object.fromEntries(
        Object.entries(value as Record<string, object>).filter(([name]) => isAi(name)),
      );
    } else if (key === "required" && Array.isArray(value)) {
      const required = (value as string[]).filter(isAi);
      if (required.length > 0) narrowed.required = required;
    } else {
      narrowed[key] = value;
    }
  }
  return narrowed;
}

/** The MCP inputSchema: JSON Schema of the "ai" fields, with their descriptions, enums and defaults. */
export function buildToolInputSchema(action: ActionDefinition, settings: FieldSettings): JsonSchemaObject {
  return narrowToolInputSchema(buildFullToolInputSchema(action), settings);
}

type CallInputSchemas = {
  /** What the AI may send. */
  fromAi: z.ZodObject;
  /** The action's input without the kept secret fields, which the worker adds. */
  withoutSealed: z.ZodObject;
  fixed: Record<string, unknown>;
};

// Zod compiles a schema on its first parse, which costs more than checking a call's arguments, so
// a tool's schemas are kept for as long as its settings object lives: the cached server snapshot
// hands every call the same one until the tool changes.
const callInputSchemas = new WeakMap<FieldSettings, WeakMap<ActionDefinition, CallInputSchemas>>();

function callInputSchemasFor(action: ActionDefinition, settings: FieldSettings): CallInputSchemas {
  let byAction = callInputSchemas.get(settings);
  if (!byAction) {
    byAction = new WeakMap();
    callInputSchemas.set(settings, byAction);
  }
  let schemas = byAction.get(action);
  if (!schemas) {
    const fixed: Record<string, unknown> = {};
    const sealed: Record<string, true> = {};
    for (const [name, setting] of Object.entries(settings)) {
      if (isKeptSecretSetting(setting)) sealed[name] = true;
      else if (setting.mode === "fixed") fixed[name] = setting.value;
    }
    schemas = {
      fromAi: buildAiInputSchema(action, settings),
      withoutSealed: action.input.omit(sealed),
      fixed,
    };
    byAction.set(action, schemas);
  }
  return schemas;
}

/**
 * The action's input from the AI's arguments plus the fixed values at hand; the kept secret ones
 * are added by the worker, which alone opens them. Throws ZodError on bad arguments.
 */
export function buildActionInput(
  action: ActionDefinition,
  settings: FieldSettings,
  aiArguments: unknown,
): Record<string, unknown> {
  const { fromAi: aiSchema, withoutSealed, fixed } = callInputSchemasFor(action, settings);
  const fromAi = aiSchema.parse(aiArguments ?? {});
  // The call's input is recorded in the ledger, which cannot store such text.
  const unstorable = findUnstorableText(fromAi);
  if (unstorable)
    throw new z.ZodError([
      { code: "custom", path: unstorable, message: unstorableTextMessage, input: undefined },
    ]);
  return withoutSealed.parse({ ...fromAi, ...fixed }) as Record<string, unknown>;
}
