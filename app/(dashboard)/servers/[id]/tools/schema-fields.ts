// How the configuration and "Try it" forms read a field's JSON Schema: which input fits it, its
// label, and the conversion between what a person types and the JSON value sent.
export type PropertySchema = {
  type?: string | string[];
  enum?: unknown[];
  description?: string;
  default?: unknown;
  title?: string;
  [key: string]: unknown;
};

export type FieldKind = "text" | "number" | "integer" | "boolean" | "enum" | "json";

export function fieldKindOf(schema: PropertySchema): FieldKind {
  if (Array.isArray(schema.enum) && schema.enum.every((value) => typeof value === "string")) return "enum";
  const types = Array.isArray(schema.type) ? schema.type.filter((type) => type !== "null") : [schema.type];
  if (types.length !== 1) return "json";
  switch (types[0]) {
    case "string":
      return "text";
    case "integer":
      return "integer";
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    default:
      return "json";
  }
}

/** "project_id" → "Project id", "assigneeId" → "Assignee id". */
export function fieldLabel(name: string, schema?: PropertySchema): string {
  if (schema?.title) return schema.title;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** What an input shows for a stored value. */
export function rawFromValue(kind: FieldKind, value: unknown): string {
  if (value === undefined) return "";
  if (kind === "json") return JSON.stringify(value, null, 2);
  if (kind === "boolean") return value === true ? "true" : "false";
  if (value === null) return "";
  return String(value);
}

export type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

/** The JSON value of what was typed; `undefined` when nothing was. */
export function valueFromRaw(kind: FieldKind, raw: string): Parsed {
  switch (kind) {
    case "text":
      return { ok: true, value: raw };
    case "enum":
      return { ok: true, value: raw === "" ? undefined : raw };
    case "boolean":
      return { ok: true, value: raw === "" ? undefined : raw === "true" };
    case "number":
    case "integer": {
      if (raw.trim() === "") return { ok: true, value: undefined };
      const number = Number(raw);
      if (!Number.isFinite(number)) return { ok: false, message: "Enter a number, like 42 or 3.5." };
      if (kind === "integer" && !Number.isInteger(number))
        return { ok: false, message: "Enter a whole number, like 42." };
      return { ok: true, value: number };
    }
    case "json": {
      if (raw.trim() === "") return { ok: true, value: undefined };
      try {
        return { ok: true, value: JSON.parse(raw) };
      } catch {
        return {
          ok: false,
          message: 'This is not valid JSON. Check quotes and brackets, like {"key": "value"} or ["a", "b"].',
        };
      }
    }
  }
}

/** A short reading of a fixed value, for the preview. */
export function describeValue(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? "(nothing)" : text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
