// An OpenAPI schema object (resolved, possibly cyclic) as plain JSON Schema an MCP client and zod
// can read: a cycle becomes an open schema where it would repeat, OpenAPI 3.0's `nullable` and
// boolean exclusive bounds become JSON Schema's, keywords only OpenAPI knows are dropped, and
// properties the server sets itself (`readOnly`) are left out of what a request sends.

type Schema = Record<string, unknown>;

/** Keywords that describe documents rather than constrain values, or that only OpenAPI knows. */
const droppedKeywords = new Set([
  "nullable",
  "discriminator",
  "xml",
  "externalDocs",
  "example",
  "examples",
  "$schema",
  "$id",
  "$anchor",
  "$defs",
  "definitions",
  "$ref",
]);

/** Schema-valued keywords, by how they hold their schemas. */
const schemaKeywords = new Set([
  "items",
  "not",
  "additionalProperties",
  "contains",
  "if",
  "then",
  "else",
  "propertyNames",
]);
const schemaListKeywords = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
const schemaMapKeywords = new Set(["properties", "patternProperties", "dependentSchemas"]);

const jsonTypes = new Set(["string", "number", "integer", "boolean", "object", "array", "null"]);

function isObject(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function withNull(schema: Schema): Schema {
  const type = schema.type;
  if (typeof type === "string") return { ...schema, type: [type, "null"] };
  if (Array.isArray(type)) return type.includes("null") ? schema : { ...schema, type: [...type, "null"] };
  return { anyOf: [schema, { type: "null" }] };
}

/**
 * Schemas shared without a cycle are copied where each is used, and a document can nest sharing so
 * that copies multiply (ten properties naming one schema that has ten naming another...): past
 * this many schema objects, the operation is refused instead of built.
 */
export const maxSchemaObjects = 20_000;

export class SchemaTooLargeError extends Error {}

type Walk = { ancestors: Set<object>; forRequest: boolean; objects: number };

function convert(value: unknown, walk: Walk): Schema | boolean {
  if (typeof value === "boolean") return value;
  if (!isObject(value)) return {};
  if (++walk.objects > maxSchemaObjects)
    throw new SchemaTooLargeError(`its input schema expands to more than ${maxSchemaObjects} schemas`);
  const { ancestors, forRequest } = walk;
  // A schema that contains itself: repeating it would never end.
  if (ancestors.has(value)) return { description: "(the same structure as an enclosing value)" };
  ancestors.add(value);
  try {
    const out: Schema = {};
    for (const [keyword, item] of Object.entries(value)) {
      if (droppedKeywords.has(keyword) || keyword.startsWith("x-")) continue;
      if (schemaKeywords.has(keyword)) out[keyword] = convert(item, walk);
      else if (schemaListKeywords.has(keyword) && Array.isArray(item))
        out[keyword] = item.map((entry) => convert(entry, walk));
      else if (schemaMapKeywords.has(keyword) && isObject(item)) {
        const map: Schema = {};
        for (const [name, entry] of Object.entries(item)) {
          if (forRequest && keyword === "properties" && isObject(entry) && entry.readOnly === true) continue;
          map[name] = convert(entry, walk);
        }
        out[keyword] = map;
      } else out[keyword] = structuredClone(item);
    }
    // Swagger's "file" and other types JSON Schema does not know: any value, described.
    if (typeof out.type === "string" && !jsonTypes.has(out.type)) delete out.type;
    if (Array.isArray(out.required) && isObject(out.properties)) {
      const properties = out.properties;
      out.required = out.required.filter((name) => typeof name === "string" && name in properties);
      if ((out.required as string[]).length === 0) delete out.required;
    }
    // OpenAPI 3.0's boolean bounds (JSON Schema draft 4), as numbers (draft 2020-12).
    for (const [exclusive, bound] of [
      ["exclusiveMinimum", "minimum"],
      ["exclusiveMaximum", "maximum"],
    ] as const) {
      if (typeof out[exclusive] !== "boolean") continue;
      if (out[exclusive] === true && typeof out[bound] === "number") {
        out[exclusive] = out[bound];
        delete out[bound];
      } else delete out[exclusive];
    }
    return value.nullable === true ? withNull(out) : out;
  } finally {
    ancestors.delete(value);
  }
}

/** Counts the schema objects one operation's input is built from (see maxSchemaObjects). */
export type SchemaBudget = { objects: number };

/** The JSON Schema of a request value (a parameter, a body) from its OpenAPI schema. */
export function requestSchemaOf(schema: unknown, budget: SchemaBudget = { objects: 0 }): Schema {
  const walk: Walk = { ancestors: new Set(), forRequest: true, objects: budget.objects };
  const converted = convert(schema, walk);
  budget.objects = walk.objects;
  return typeof converted === "boolean" ? {} : converted;
}
