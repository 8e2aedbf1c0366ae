// An added app's action definition as stored: capped texts, refused oversized schemas, MCP's
// default annotations, and a canonical hash that changes with any part of the definition.
import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  DefinitionTooLargeError,
  definitionLimits,
  hashDefinition,
  normalizeDefinition,
} from "./action-definition";

describe("normalizeDefinition", () => {
  it("cuts the title and description to their caps, by characters, with an ellipsis", () => {
    const definition = normalizeDefinition({
      upstreamName: "long",
      title: "🚀".repeat(500),
      description: "d".repeat(10_000),
    });
    expect([...definition.title]).toHaveLength(definitionLimits.title);
    expect(definition.title.endsWith("…")).toBe(true);
    expect(definition.description).toHaveLength(definitionLimits.description);
  });

  it("titles an action after its upstream name when it has none, and gives MCP's default annotations", () => {
    const definition = normalizeDefinition({ upstreamName: "get_me", annotations: { readOnly: true } });
    expect(definition).toEqual({
      title: "get_me",
      description: "",
      inputSchema: { type: "object", properties: {} },
      annotations: { readOnly: true, destructive: true, idempotent: false, openWorld: true },
    });
  });

  it("refuses a schema over its cap or one that is not an object schema, naming the action", () => {
    const huge = { type: "object", properties: { a: { type: "string", description: "x".repeat(70_000) } } };
    expect(() => normalizeDefinition({ upstreamName: "huge", inputSchema: huge })).toThrow(
      DefinitionTooLargeError,
    );
    expect(() => normalizeDefinition({ upstreamName: "huge", inputSchema: huge })).toThrow(
      /huge: the input schema/,
    );
    expect(() => normalizeDefinition({ upstreamName: "arr", inputSchema: { type: "array" } })).toThrow(
      /arr: the input schema is not an object schema/,
    );
    expect(() => normalizeDefinition({ upstreamName: "inv", invoke: { path: "x".repeat(40_000) } })).toThrow(
      /request description/,
    );
  });
});

describe("hashDefinition", () => {
  const base = normalizeDefinition({
    upstreamName: "create_issue",
    description: "Open an issue.",
    inputSchema: { type: "object", properties: { title: { type: "string" }, body: { type: "string" } } },
    invoke: { method: "POST", path: "/repos/{owner}/{repo}/issues" },
  });

  it("is the same for the same definition whatever the order of its keys", () => {
    const reordered = {
      ...base,
      inputSchema: { properties: { body: { type: "string" }, title: { type: "string" } }, type: "object" },
    };
    expect(hashDefinition("create_issue", reordered)).toBe(hashDefinition("create_issue", base));
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: undefined }] })).toBe('{"a":[2,{"d":3}],"b":1}');
  });

  it.each([
    ["a word of the description", { ...base, description: "Open an issue!" }],
    ["a schema field", { ...base, inputSchema: { ...base.inputSchema, required: ["title"] } }],
    ["an annotation", { ...base, annotations: { ...base.annotations, readOnly: true } }],
    ["where the request goes", { ...base, invoke: { method: "POST", path: "/evil" } }],
  ])("changes with %s", (_, changed) => {
    expect(hashDefinition("create_issue", changed)).not.toBe(hashDefinition("create_issue", base));
  });

  it("changes with the upstream's name, and is 64 hexadecimal digits", () => {
    expect(hashDefinition("open_issue", base)).not.toBe(hashDefinition("create_issue", base));
    expect(hashDefinition("create_issue", base)).toMatch(/^[0-9a-f]{64}$/);
  });
});
