import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineAction, defineIntegration, noAuth, oauth2, pureComputation } from "@/integrations/sdk/define";
import { AppError } from "@/lib/errors/app-error";
import { checkCredentials } from "./check-credentials";

const ping = defineAction({
  key: "ping",
  title: "Ping",
  description: "Ping.",
  input: z.object({}),
  annotations: pureComputation,
  run: async () => ({}),
});

const keyApp = defineIntegration({
  slug: "keyed",
  name: "Keyed",
  description: "An app with an API key and a workspace.",
  category: "Test",
  auth: {
    type: "api_key",
    fields: [
      { name: "api_key", label: "API key", secret: true },
      { name: "workspace", label: "Workspace", secret: false },
    ],
  },
  api: { baseUrl: "https://api.keyed.test", baseUrlSetting: "KEYED_API_URL", headers: () => ({}) },
  test: async () => ({}),
  actions: [ping],
});

function expectRefusal(run: () => unknown, field: string, message: RegExp) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(422);
    expect((error as AppError).details).toEqual({ field });
    expect((error as AppError).message).toMatch(message);
    return;
  }
  throw new Error("expected a refusal");
}

describe("checkCredentials", () => {
  it("accepts exactly the declared fields, trimmed", () => {
    expect(checkCredentials(keyApp, { api_key: " k-123 ", workspace: "acme" })).toEqual({
      api_key: "k-123",
      workspace: "acme",
    });
  });

  it("asks for a missing or blank credential by its label, in plain words", () => {
    expectRefusal(
      () => checkCredentials(keyApp, { api_key: "k" }),
      "credentials.workspace",
      /^Enter your Workspace: Keyed needs it to act for you\.$/,
    );
    expectRefusal(
      () => checkCredentials(keyApp, { api_key: "  ", workspace: "acme" }),
      "credentials.api_key",
      /^Enter your API key: Keyed needs it to act for you\.$/,
    );
  });

  it("names an unknown credential", () => {
    expectRefusal(
      () => checkCredentials(keyApp, { api_key: "k", workspace: "w", password: "p" }),
      "credentials.password",
      /api_key, workspace/,
    );
  });

  it("refuses apps without auth and OAuth apps", () => {
    const open = defineIntegration({ ...keyApp, slug: "open", name: "Open", auth: noAuth });
    expectRefusal(() => checkCredentials(open, {}), "integration", /needs no connection/);
    const oauth = defineIntegration({
      ...keyApp,
      slug: "oauth",
      name: "OAuthApp",
      auth: oauth2({
        settingsPrefix: "OAUTHAPP",
        authorizeUrl: "https://x/a",
        tokenUrl: "https://x/t",
        scopes: [],
        pkce: true,
      }),
    });
    expectRefusal(() => checkCredentials(oauth, {}), "integration", /connect it in the browser/);
  });
});
