import { describe, expect, it } from "vitest";
import { createConnectionSchema, renameConnectionSchema } from "@/lib/connections/manage-connections";
import { planNameSchema } from "@/lib/plans/plan-limits";
import { createServerSchema } from "@/lib/servers/manage-servers";
import { createApiTokenSchema } from "@/lib/tokens/api-tokens";
import { fieldSettingsSchema } from "@/lib/tools/field-settings";
import { addToolSchema, updateToolSchema } from "@/lib/tools/manage-tools";
import { signUpSchema } from "@/lib/users/schemas";
import { findUnstorableText, isStorableText, unstorableTextMessage } from "./storable-text";

describe("isStorableText", () => {
  it("accepts any well-formed text, emoji and control characters other than NUL included", () => {
    for (const text of ["", "Work account", "😀 ok", "e\u0301", "tab\tand\u0001", "\uffff"])
      expect(isStorableText(text), JSON.stringify(text)).toBe(true);
  });

  it("refuses a NUL character and an unpaired surrogate anywhere", () => {
    for (const text of ["a\u0000b", "\u0000", "\ud800", "x\udfffy", "😀\ud83d", "\ude00end"])
      expect(isStorableText(text), JSON.stringify(text)).toBe(false);
  });
});

describe("findUnstorableText", () => {
  it("gives the path to the first bad string or key, or null", () => {
    expect(findUnstorableText({ a: [1, "ok", { b: null }] })).toBeNull();
    expect(findUnstorableText({ a: [1, "ok", { b: "x\u0000" }] })).toEqual(["a", 2, "b"]);
    expect(findUnstorableText({ ok: 1, "bad\ud800key": 2 })).toEqual(["bad\ud800key"]);
    expect(findUnstorableText("\u0000")).toEqual([]);
  });

  it("walks a value nested far deeper than the stack would allow recursion", () => {
    let value: unknown = "bottom\u0000";
    for (let level = 0; level < 200_000; level++) value = [value];
    expect(findUnstorableText(value)).toHaveLength(200_000);
  });
});

describe("the schemas of names that forms and the REST API take", () => {
  const cases: [string, { safeParse: (value: unknown) => { success: boolean; error?: unknown } }, unknown][] =
    [
      ["server name", createServerSchema, { name: "a\u0000b" }],
      ["connection label", createConnectionSchema, { integration: "todoist", label: "Work\u0000" }],
      ["connection rename", renameConnectionSchema, { label: "\ud800" }],
      [
        "tool description",
        addToolSchema,
        { integration: "formatter", action: "count_text", description: "x\u0000" },
      ],
      ["tool connection id", updateToolSchema, { connectionId: "c\u0000" }],
      ["fixed field value", fieldSettingsSchema, { text: { mode: "fixed", value: { deep: ["\u0000"] } } }],
      ["field name", fieldSettingsSchema, { "te\u0000xt": { mode: "ai" } }],
      ["plan name", planNameSchema, "Pro\u0000"],
      ["API token name", createApiTokenSchema, { name: "laptop\udc00" }],
      [
        "person's name",
        signUpSchema,
        { email: "ada@example.com", password: "long enough", name: "Ada\u0000" },
      ],
    ];
  for (const [what, schema, input] of cases) {
    it(`refuses a ${what} holding a NUL or an unpaired surrogate, saying why`, () => {
      const result = schema.safeParse(input);
      expect(result.success).toBe(false);
      expect(JSON.stringify(result.error)).toContain(unstorableTextMessage);
    });
  }

  it("names the path inside a fixed value", () => {
    const result = fieldSettingsSchema.safeParse({
      text: { mode: "fixed", value: { deep: ["ok", "\u0000"] } },
    });
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([["text", "value", "deep", 1]]);
  });
});
