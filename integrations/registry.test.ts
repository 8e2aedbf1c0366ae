// The registry as a whole: unique slugs and settings, every app documented in the README with
// the settings an operator may set for it, and every app with accounts testable.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hasAppLogo } from "@/components/app-logo";
import { oauthClientSettings } from "@/lib/oauth/client-config";
import { integrations } from "./registry";

const readme = readFileSync(path.resolve(import.meta.dirname, "../README.md"), "utf8");

describe("the integration registry", () => {
  it("has unique slugs and base URL settings", () => {
    const slugs = integrations.map((integration) => integration.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    const settings = integrations.flatMap((integration) =>
      integration.api ? [integration.api.baseUrlSetting] : [],
    );
    expect(new Set(settings).size).toBe(settings.length);
  });

  it("is documented in the README: each app, its base URL setting and its OAuth client settings", () => {
    for (const integration of integrations) {
      expect(readme, integration.name).toContain(`**${integration.name}**`);
      if (integration.api)
        expect(readme, integration.slug).toContain(`\`${integration.api.baseUrlSetting}\``);
      if (integration.auth.type === "oauth2")
        for (const setting of oauthClientSettings(integration.auth))
          expect(readme, integration.slug).toContain(setting);
    }
  });

  it("gives every app with accounts a connection test and an API definition", () => {
    for (const integration of integrations.filter((candidate) => candidate.auth.type !== "none")) {
      expect(integration.test, integration.slug).toBeTypeOf("function");
      expect(integration.api?.baseUrl, integration.slug).toMatch(/^https:\/\//);
    }
  });

  it("has a logo in public/logos for every app, known to AppLogo", () => {
    for (const integration of integrations) {
      expect(
        existsSync(path.resolve(import.meta.dirname, `../public/logos/${integration.slug}.svg`)),
        integration.slug,
      ).toBe(true);
      expect(hasAppLogo(integration.slug), integration.slug).toBe(true);
    }
  });
});
