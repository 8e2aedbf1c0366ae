import { describe, expect, it } from "vitest";
import { z } from "zod";
import { requestSchemaOf, SchemaTooLargeError } from "./json-schema";

describe("requestSchemaOf", () => {
  it("cuts a cycle where it would repeat, so the result is plain JSON", () => {
    const node: Record<string, unknown> = { type: "object", properties: { name: { type: "string" } } };
    (node.properties as Record<string, unknown>).children = { type: "array", items: node };
    const schema = requestSchemaOf(node);
    expect(JSON.parse(JSON.stringify(schema))).toEqual({
      type: "object",
      properties: {
        name: { type: "string" },
        children: { type: "array", items: { description: "(the same structure as an enclosing value)" } },
      },
    });
  });

  it("keeps a schema shared by two properties (not a cycle) whole in both", () => {
    const address = { type: "object", properties: { city: { type: "string" } } };
    const schema = requestSchemaOf({ type: "object", properties: { billing: address, shipping: address } });
    expect((schema.properties as Record<string, unknown>).shipping).toEqual(address);
  });

  it("turns OpenAPI 3.0 keywords into JSON Schema's and drops the ones only OpenAPI knows", () => {
    const schema = requestSchemaOf({
      type: "object",
      required: ["id", "count"],
      discriminator: { propertyName: "kind" },
      "x-internal": true,
      example: { count: 1 },
      properties: {
        id: { type: "integer", readOnly: true },
        count: { type: "integer", minimum: 0, exclusiveMinimum: true, maximum: 9, exclusiveMaximum: false },
        note: { type: "string", nullable: true },
        kind: { oneOf: [{ type: "string" }], nullable: true },
        upload: { type: "file" },
      },
    });
    expect(schema).toEqual({
      type: "object",
      required: ["count"],
      properties: {
        count: { type: "integer", exclusiveMinimum: 0, maximum: 9 },
        note: { type: ["string", "null"] },
        kind: { anyOf: [{ oneOf: [{ type: "string" }] }, { type: "null" }] },
        upload: {},
      },
    });
    const parsed = z.fromJSONSchema(schema as never);
    expect(parsed.safeParse({ count: 0 }).success).toBe(false);
    expect(parsed.safeParse({ count: 1, note: null }).success).toBe(true);
  });
});

describe("requestSchemaOf's limit", () => {
  it("refuses sharing that multiplies past the limit instead of building it", () => {
    // Six levels of ten properties naming the level below: a million copies once expanded.
    let level: Record<string, unknown> = { type: "string" };
    for (let depth = 0; depth < 6; depth++) {
      const below = level;
      level = {
        type: "object",
        properties: Object.fromEntries(Array.from({ length: 10 }, (_, index) => [`p${index}`, below])),
      };
    }
    expect(() => requestSchemaOf(level)).toThrow(SchemaTooLargeError);
  });
});
