import { describe, expect, it } from "vitest";
import { checkAgainstJsonSchema, inputObjectOfJsonSchema } from "./json-schema-checks";

const trip = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  properties: {
    traveller: { $ref: "#/$defs/traveller" },
    date: { type: "string", format: "date" },
    stops: { type: "array", prefixItems: [{ type: "string" }, { type: "integer" }], items: false },
  },
  required: ["traveller"],
  $defs: {
    traveller: {
      type: "object",
      properties: { name: { type: "string", minLength: 1 }, email: { type: "string", format: "email" } },
      required: ["name", "email"],
    },
  },
};

function issuesOf(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) {
  return result.error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`) ?? [];
}

describe("inputObjectOfJsonSchema", () => {
  const input = inputObjectOfJsonSchema(trip);
  const ada = { name: "Ada", email: "ada@example.com" };

  it("accepts what the schema accepts, and keeps the values as given", () => {
    const value = { traveller: ada, date: "2026-12-05", stops: ["Lyon", 2] };
    expect(input.parse(value)).toEqual(value);
    expect(input.parse({ traveller: ada })).toEqual({ traveller: ada });
  });

  it("follows $ref into $defs and checks formats, naming the field and what is wrong", () => {
    expect(issuesOf(input.safeParse({ traveller: { name: "Ada", email: "not an address" } }))).toEqual([
      'traveller: email must match format "email"',
    ]);
    expect(issuesOf(input.safeParse({ traveller: { name: "Ada" } }))).toEqual([
      "traveller: must have required property 'email'",
    ]);
    expect(issuesOf(input.safeParse({ traveller: ada, date: "5 December" }))).toEqual([
      'date: must match format "date"',
    ]);
  });

  it("reads a 2020-12 schema as 2020-12 (prefixItems)", () => {
    expect(input.safeParse({ traveller: ada, stops: ["Lyon", "two"] }).success).toBe(false);
    expect(input.safeParse({ traveller: ada, stops: ["Lyon", 2, "more"] }).success).toBe(false);
  });

  it("resolves draft-07 definitions", () => {
    const draft7 = inputObjectOfJsonSchema({
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      properties: { size: { $ref: "#/definitions/size" } },
      definitions: { size: { enum: ["S", "M", "L"] } },
    });
    expect(draft7.safeParse({ size: "M" }).success).toBe(true);
    expect(issuesOf(draft7.safeParse({ size: "XL" }))).toEqual([
      "size: must be equal to one of the allowed values",
    ]);
  });

  it("makes required fields required and the others optional, as the field modes need", () => {
    expect(issuesOf(input.safeParse({}))).toEqual(["traveller: Required"]);
    expect(input.shape.traveller?.safeParse(undefined).success).toBe(false);
    expect(input.shape.date?.safeParse(undefined).success).toBe(true);
  });

  it("refuses every value of a field whose schema cannot be compiled, saying so", () => {
    const broken = inputObjectOfJsonSchema({
      type: "object",
      properties: { x: { $ref: "https://elsewhere.example/schema.json" } },
    });
    const result = broken.safeParse({ x: 1 });
    expect(result.success).toBe(false);
    expect(issuesOf(result)[0]).toMatch(/^x: the app's schema for it cannot be checked/);
  });

  it("keeps the schemas of two upstreams that use the same $id apart", () => {
    const first = inputObjectOfJsonSchema({
      $id: "https://same.example/input",
      type: "object",
      properties: { n: { type: "integer", $id: "https://same.example/n" } },
    });
    const second = inputObjectOfJsonSchema({
      $id: "https://same.example/input",
      type: "object",
      properties: { n: { type: "string", $id: "https://same.example/n" } },
    });
    expect(first.safeParse({ n: 1 }).success).toBe(true);
    expect(second.safeParse({ n: "one" }).success).toBe(true);
    expect(second.safeParse({ n: 1 }).success).toBe(false);
  });
});

describe("checkAgainstJsonSchema", () => {
  const output = {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    properties: { booking: { $ref: "#/$defs/booking" } },
    required: ["booking"],
    $defs: { booking: { type: "object", properties: { seats: { type: "integer" } }, required: ["seats"] } },
  };

  it("checks the whole value, references included, saying where it fails", () => {
    expect(checkAgainstJsonSchema(output, { booking: { seats: 2 } })).toBeUndefined();
    expect(checkAgainstJsonSchema(output, { booking: { seats: "two" } })).toBe(
      "booking/seats must be integer",
    );
    expect(checkAgainstJsonSchema(output, {})).toBe("must have required property 'booking'");
  });
});
