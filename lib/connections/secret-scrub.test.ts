import { describe, expect, it } from "vitest";
import { defineIntegration, noAuth, pureComputation } from "@/integrations/sdk/define";
import { scrubError, scrubValue, secretStringsIn, secretValuesOf } from "./secret-scrub";

const app = defineIntegration({
  slug: "keyed",
  name: "Keyed",
  description: "An app with a secret key and a public account id.",
  category: "Test",
  auth: {
    type: "api_key",
    fields: [
      { name: "key", label: "Key", secret: true },
      { name: "account", label: "Account", secret: false },
    ],
  },
  api: { baseUrl: "https://api.keyed.test", baseUrlSetting: "KEYED_API_URL", headers: () => ({}) },
  test: async () => ({}),
  actions: [
    {
      key: "noop",
      title: "Noop",
      description: "Nothing.",
      input: (await import("zod")).z.object({}),
      annotations: pureComputation,
      run: async () => ({}),
    },
  ],
});

describe("secret scrubbing", () => {
  const secret = 'sk_live_"canary"/+=';

  it("takes only the declared secret fields, and not short values", () => {
    expect(secretValuesOf(app, { key: secret, account: "acct_1234567890" })).toEqual([secret]);
    expect(secretValuesOf(app, { key: "short", account: "x" })).toEqual([]);
    expect(secretValuesOf({ ...app, auth: noAuth }, { key: secret })).toEqual([]);
  });

  it("masks a secret anywhere in a result, also URL-encoded, keeping the shape", () => {
    const result = {
      echo: `token=${secret}`,
      nested: [{ url: `https://x.test/?t=${encodeURIComponent(secret)}` }],
      count: 3,
    };
    expect(scrubValue(result, [secret])).toEqual({
      echo: "token=[redacted]",
      nested: [{ url: "https://x.test/?t=[redacted]" }],
      count: 3,
    });
    const untouched = { a: "nothing secret" };
    expect(scrubValue(untouched, [secret])).toBe(untouched);
  });

  it("masks a secret in an error message and keeps the error's class", () => {
    class AppSaid extends Error {}
    const error = scrubError(new AppSaid(`Invalid key ${secret} for account`), [secret]);
    expect(error).toBeInstanceOf(AppSaid);
    expect((error as Error).message).toBe("Invalid key [redacted] for account");
  });

  it("finds the credentials in a secret field's value, leaving plain headers and short values alone", () => {
    expect(
      secretStringsIn({
        Authorization: "Bearer tok_0123456789",
        "X-Api-Key": "k-1",
        Accept: "application/json",
        "Content-Type": "application/json",
      }),
    ).toEqual(["Bearer tok_0123456789", "tok_0123456789"]);
    expect(secretStringsIn("https://hooks.example.com/T0/B1?token=abc")).toEqual([
      "https://hooks.example.com/T0/B1?token=abc",
    ]);
    expect(secretStringsIn(undefined)).toEqual([]);
  });
});
