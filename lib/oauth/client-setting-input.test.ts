import { describe, expect, it } from "vitest";
import { clientSettingSchema, maxClientIdLength, maxClientSecretLength } from "./client-setting-input";

function errorsOf(input: { clientId: unknown; clientSecret: unknown }): Record<string, string> {
  const parsed = clientSettingSchema.safeParse(input);
  if (parsed.success) return {};
  return Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join("."), issue.message]));
}

describe("an OAuth client's id and secret as typed", () => {
  it("are trimmed, and an empty secret means keep the stored one", () => {
    expect(clientSettingSchema.parse({ clientId: "  123.456 \n", clientSecret: "\tshh-1\n" })).toEqual({
      clientId: "123.456",
      clientSecret: "shh-1",
    });
    expect(clientSettingSchema.parse({ clientId: "abc", clientSecret: "   " })).toEqual({
      clientId: "abc",
      clientSecret: "",
    });
  });

  it("are refused with an error naming the field", () => {
    expect(errorsOf({ clientId: "  ", clientSecret: "x" })).toEqual({ clientId: "Enter the client ID." });
    expect(errorsOf({ clientId: "a".repeat(maxClientIdLength + 1), clientSecret: "x" })).toEqual({
      clientId: `The client ID is too long: at most ${maxClientIdLength} characters.`,
    });
    expect(errorsOf({ clientId: "ok", clientSecret: "s".repeat(maxClientSecretLength + 1) })).toEqual({
      clientSecret: `The client secret is too long: at most ${maxClientSecretLength} characters.`,
    });
    expect(errorsOf({ clientId: "two words", clientSecret: "line\nbreak" })).toEqual({
      clientId: expect.stringMatching(/^The client ID has a space/),
      clientSecret: expect.stringMatching(/^The client secret has a space/),
    });
    expect(errorsOf({ clientId: "nul\u0000", clientSecret: "ok" })).toHaveProperty("clientId");
    expect(errorsOf({ clientId: 42, clientSecret: "ok" })).toEqual({ clientId: "Enter the client ID." });
  });
});
