// Per-field settings of a configured action: the AI fills a field ("ai", the default), it is
// fixed to a stored value ("fixed"), or it is left out ("omit"). A required field cannot be
// omitted, fixed values must satisfy the field's own schema, and the AI can never set a field
// that is fixed or omitted: the tool's input schema is strict.
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
  z.object({ mode: z.literal("fixed"), value: storableJson() }),
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

/** Checks settings against the action's fields; returns them with "ai" entries dropped (the default). */
export function validateFieldSettings(action: ActionDefinition, settings: FieldSettings): FieldSettings {
  const shape = fieldShape(action);
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
      const parsed = field.safeParse(setting.value);
      if (!parsed.success || setting.value === undefined) {
        const reason = parsed.success ? "a value is needed" : parsed.error.issues[0]?.message;
        throw new AppError("validation_failed", `The fixed value of "${name}" is not valid: ${reason}.`, {
          field: name,
        });
      }
    }
    if (setting.mode !== "ai") normalized[name] = setting;
  }
  return normalized;
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

/** The inputSchema of the tool with every field left to the AI (what the catalog shows). */
function buildFullToolInputSchema(action: ActionDefinition): JsonSchemaObject {
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

/** The action's input from the AI's arguments plus the fixed values. Throws ZodError on bad arguments. */
export function buildActionInput(
  action: ActionDefinition,
  settings: FieldSettings,
  aiArguments: unknown,
): Record<string, unknown> {
  const fromAi = buildAiInputSchema(action, settings).parse(aiArguments ?? {});
  // The call's input is recorded in the ledger, which cannot store such text.
  const unstorable = findUnstorableText(fromAi);
  if (unstorable)
    throw new z.ZodError([
      { code: "custom", path: unstorable, message: unstorableTextMessage, input: undefined },
    ]);
  const fixed = Object.fromEntries(
    Object.entries(settings).flatMap(([name, setting]) =>
      setting.mode === "fixed" ? [[name, setting.value]] : [],
    ),
  );
  return action.input.parse({ ...fromAi, ...fixed }) as Record<string, unknown>;
}
