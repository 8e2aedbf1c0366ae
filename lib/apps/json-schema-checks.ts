// Checks against an upstream's own JSON Schemas, with Ajv. An input schema becomes the zod object
// the platform checks arguments and fixed values with: one field per property, each checked against
// that property's own schema (with the root's `$defs` and `definitions`, so references resolve),
// required as the schema's `required` says. zod's own conversion of JSON Schema drops `$ref`,
// formats and more, so clients are served the upstream's schema itself and the checking follows the
// same schema, not a translation of it. An output schema checks structured content as a whole.
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { z } from "zod";

type JsonObject = Record<string, unknown>;

/** One Ajv per schema: `$id`s of different upstreams' schemas must not meet in one registry. */
function createAjv(root: JsonObject): Ajv {
  const options = { strict: false, allErrors: false, validateSchema: false, logger: false } as const;
  // Draft 2020-12 when the schema says so; else draft-07, which reads the schemas MCP servers send.
  const ajv =
    typeof root.$schema === "string" && root.$schema.includes("2020-12")
      ? new Ajv2020(options)
      : new Ajv(options);
  addFormats(ajv);
  return ajv;
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  if (!first) return "it does not match the app's schema";
  return first.instancePath ? `${first.instancePath.slice(1)} ${first.message}` : (first.message ?? "");
}

/** The property's schema standing alone: the root's definitions travel with it. */
function standaloneSchema(root: JsonObject, property: unknown): JsonObject {
  const own: JsonObject =
    property === false ? { not: {} } : property && typeof property === "object" ? { ...property } : {};
  if (typeof root.$schema === "string") own.$schema = root.$schema;
  for (const key of ["$defs", "definitions"] as const) {
    const shared = root[key];
    if (shared && typeof shared === "object")
      own[key] = { ...(shared as JsonObject), ...((own[key] as JsonObject | undefined) ?? {}) };
  }
  return own;
}

/** A check compiled on first use, so that listing tools never compiles a schema. */
function lazyCheck(ajv: () => Ajv, schema: JsonObject): (value: unknown) => string | undefined {
  let validate: ValidateFunction | undefined;
  let unusable: string | undefined;
  return (value) => {
    if (!validate && unusable === undefined) {
      try {
        validate = ajv().compile(schema);
      } catch (error) {
        unusable = (error as Error).message.slice(0, 200);
      }
    }
    // Fail closed: arguments that cannot be checked are not sent.
    if (!validate) return `the app's schema for it cannot be checked (${unusable})`;
    return validate(value) ? undefined : describeErrors(validate.errors);
  };
}

/** The zod object checking what `inputSchema` (an object schema) describes, property by property. */
export function inputObjectOfJsonSchema(inputSchema: JsonObject): z.ZodObject {
  let ajv: Ajv | undefined;
  const sharedAjv = () => {
    ajv ??= createAjv(inputSchema);
    return ajv;
  };
  const properties =
    inputSchema.properties && typeof inputSchema.properties === "object"
      ? (inputSchema.properties as JsonObject)
      : {};
  const required = new Set(
    Array.isArray(inputSchema.required)
      ? inputSchema.required.filter((name) => typeof name === "string")
      : [],
  );
  // fromEntries, so that a property named "__proto__" is a field like any other.
  const shape: Record<string, z.ZodType> = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => [
      name,
      fieldOf(sharedAjv, inputSchema, property, required.has(name)),
    ]),
  );
  return z.object(shape);
}

function fieldOf(
  sharedAjv: () => Ajv,
  inputSchema: JsonObject,
  property: unknown,
  isRequired: boolean,
): z.ZodType {
  const check = lazyCheck(sharedAjv, standaloneSchema(inputSchema, property));
  const field = z.unknown().superRefine((value, context) => {
    if (value === undefined) {
      if (isRequired) context.addIssue({ code: "custom", message: "Required" });
      return;
    }
    const problem = check(value);
    if (problem) context.addIssue({ code: "custom", message: problem });
  });
  return isRequired ? field : field.optional();
}

// A worker checks each call's structured content; a definition's schema never changes under its
// hash, so one compiled check is kept per schema.
const outputChecks = new Map<string, (value: unknown) => string | undefined>();

/** Why `value` does not fit the JSON Schema `schema` (the whole of it), or undefined when it does. */
export function checkAgainstJsonSchema(schema: JsonObject, value: unknown): string | undefined {
  const key = JSON.stringify(schema);
  let check = outputChecks.get(key);
  if (!check) {
    check = lazyCheck(() => createAjv(schema), schema);
    if (outputChecks.size > 2_000) outputChecks.clear();
    outputChecks.set(key, check);
  }
  return check(value);
}
