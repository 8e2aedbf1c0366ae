import { describe, expect, it } from "vitest";
import { describeFieldSettings, suggestDescription } from "./plain-words";

const fields = ["text", "operation", "suffix"];

describe("the field settings in plain words", () => {
  it("says what the AI fills, what is always sent and what is left out, in field order", () => {
    expect(
      describeFieldSettings(
        fields,
        { operation: { mode: "fixed", value: "uppercase" }, suffix: { mode: "omit" } },
        [{ name: "operation", shown: '"uppercase"', secret: false }],
      ),
    ).toEqual(["The AI fills: text.", 'Always: operation = "uppercase".', "Left out: suffix."]);
  });

  it("names a secret fixed value without showing it, and says when the AI fills nothing", () => {
    expect(
      describeFieldSettings(["token"], { token: { mode: "fixed", secret: true } }, [
        { name: "token", shown: "•••••• (secret)", secret: true },
      ]),
    ).toEqual(["The AI fills nothing: every field is set here.", "Always: token (a secret value)."]);
    expect(describeFieldSettings(fields, {}, [])).toEqual(["The AI fills: text, operation, suffix."]);
  });
});

describe("the suggested description", () => {
  const fixed = [{ name: "operation", shown: '"uppercase"', secret: false }];

  it("adds the fixed values to the action's own description, while the tool uses that one", () => {
    const suggested = 'Change the case of text. Always uses operation = "uppercase".';
    expect(suggestDescription("Change the case of text.", "", fixed)).toBe(suggested);
    expect(suggestDescription("Change the case of text.", "Change the case of text. ", fixed)).toBe(
      suggested,
    );
  });

  it("is not offered once a description is typed, or with nothing fixed", () => {
    expect(suggestDescription("Change the case of text.", "Shout it.", fixed)).toBeUndefined();
    expect(suggestDescription("Change the case of text.", "  ", [])).toBeUndefined();
  });
});
