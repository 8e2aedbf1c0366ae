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

function convert(value: unknown, ancestors: Set<object>, forRequest: boolean): Schema | boolean {
  if (typeof value === "boolean") return value;
  if (!isObject(value)) return {};
  // A schema that contains itself: repeating it would never end.
  if (ancestors.has(value)) return { description: "(the same structure as an enclosing value)" };
  ancestors.add(value);
  try {
    const out: Schema = {};
    for (const [keyword, item] of Object.entries(value)) {
      if (droppedKeywords.has(keyword) || keyword.startsWith("x-")) continue;
      if (schemaKeywords.has(keyword)) out[keyword] = convert(item, ancestors, forRequest);
      else if (schemaListKeywords.has(keyword) && Array.isArray(item))
        out[keyword] = item.map((entry) => convert(entry, ancestors, forRequest));
      else if (schemaMapKeywords.has(keyword) && isObject(item)) {
        const map: Schema = {};
        for (const [name, entry] of Object.entries(item)) {
          if (forRequest && keyword === "properties" && isObject(entry) && entry.readOnly === true) continue;
          map[name] = convert(entry, ancestors, forRequest);
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

/** The JSON Schema of a request value (a parameter, a body) from its OpenAPI schema. */
export function requestSchemaOf(schema: unknown): Schema {
  const converted = convert(schema, new Set(), true);
  return typeof converted === "boolean" ? {} : converted;
}
