// A person manages personal API tokens in Chromium: creates one (a name is required, the token is
// shown once and copied), uses it against the REST API, sees it listed with its expiry and last
// use, and revokes it behind a confirmation, after which the API refuses it at once. Another
// person's page never shows it. Screenshots go to test-results/screenshots/api-tokens-*.png.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import { createUser } from "@/lib/users/create-user";
import { expectNoSeriousAxeViolations, launchChromium, signedInContext } from "../helpers/browser";
import { uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 60_000 });

const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const password = "correct horse battery";
const dayMs = 86_400_000;

let platform: RunningPlatform;
let browser: Browser;
let page: Page;
let userId: string;
let token = "";

async function openAs(email: string): Promise<Page> {
  const context = await signedInContext(browser, platform.url, { email, password });
  const opened = await context.newPage();
  opened.setDefaultTimeout(15_000);
  return opened;
}

function usageWith(bearer: string): Promise<Response> {
  return fetch(`${platform.url}/api/v1/usage`, { headers: { Authorization: `Bearer ${bearer}` } });
}

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  [platform, browser] = await Promise.all([startPlatform(), launchChromium()]);
  const email = uniqueEmail("tokens");
  userId = (await createUser({ email, password })).id;
  page = await openAs(email);
});

afterAll(async () => {
  await browser?.close();
  if (platform) expect(await platform.stop()).toBe(0);
  await stopStartedPlatforms();
  await closeTestConnections();
});

describe("API tokens in Chromium", () => {
  it("is reached from the header's settings and explains what a token is for", async () => {
    await page.goto(`${platform.url}/servers`);
    await page.getByRole("link", { name: "Settings" }).click();
    await page.waitForURL(`${platform.url}/settings/account`);
    await page
      .getByRole("navigation", { name: "Settings" })
      .getByRole("link", { name: "API tokens" })
      .click();
    await expect.poll(() => page.url()).toBe(`${platform.url}/settings/api-tokens`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("API tokens");
    await expect.poll(() => page.getByText("No API tokens").isVisible()).toBe(true);
    await page.screenshot({ path: path.join(screenshots, "api-tokens-empty.png"), fullPage: true });
    await expectNoSeriousAxeViolations(page);
  });

  it("asks for a name, then shows the new token once, and the REST API accepts it", async () => {
    await page.getByRole("button", { name: "Create token" }).click();
    await expect.poll(() => page.locator("#name-error").textContent()).toBe("Give the token a name.");
    expect(await getDb().apiToken.count({ where: { userId } })).toBe(0);

    await page.getByLabel("Name").fill("Nightly report");
    await page.getByLabel("Expires after").selectOption("30");
    await page.getByRole("button", { name: "Create token" }).click();
    const shown = page.getByTestId("one-time-token").getByLabel("Your new API token");
    await expect.poll(() => shown.count()).toBe(1);
    token = await shown.inputValue();
    expect(token).toMatch(/^tgp_[A-Za-z0-9_-]{43}$/);
    await page.getByTestId("one-time-token").getByRole("button", { name: "Copy token" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    // The example to try carries the new token itself, ready to paste.
    await page.getByTestId("one-time-token").getByRole("button", { name: "Copy", exact: true }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      `curl -H "Authorization: Bearer ${token}" ${platform.url}/api/v1/usage`,
    );

    const stored = await getDb().apiToken.findFirstOrThrow({ where: { userId } });
    expect(stored.name).toBe("Nightly report");
    expect(Math.abs(stored.expiresAt!.getTime() - stored.createdAt.getTime() - 30 * dayMs)).toBeLessThan(
      60_000,
    );
    expect(JSON.stringify(stored)).not.toContain(token.slice(4));
    expect((await page.context().cookies()).some((cookie) => cookie.value.includes(token.slice(4)))).toBe(
      false,
    );

    expect((await usageWith(token)).status).toBe(200);
    await page.screenshot({ path: path.join(screenshots, "api-tokens-created.png"), fullPage: true });
    await expectNoSeriousAxeViolations(page);
  });

  it("lists the token with its last use and expiry, never its value, and not to anyone else", async () => {
    await page.reload();
    const row = page.getByTestId("token-row").filter({ hasText: "Nightly report" });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toMatch(/last used .*expires /);
    expect(await page.content()).not.toContain(token.slice(4));

    const other = await openAs((await createUser({ email: uniqueEmail("tokens-other"), password })).email);
    await other.goto(`${platform.url}/settings/api-tokens`);
    await expect.poll(() => other.getByText("No API tokens").isVisible()).toBe(true);
    await other.context().close();
  });

  it("revokes the token after confirming, and the REST API refuses it from then on", async () => {
    const row = page.getByTestId("token-row").filter({ hasText: "Nightly report" });
    await row.getByRole("button", { name: "Revoke Nightly report" }).click();
    const dialog = page.getByRole("alertdialog");
    expect(await dialog.getByRole("heading").textContent()).toBe("Revoke “Nightly report”?");
    await page.screenshot({ path: path.join(screenshots, "api-tokens-revoke.png"), fullPage: true });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect((await usageWith(token)).status).toBe(200);

    await row.getByRole("button", { name: "Revoke Nightly report" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Revoke token" }).click();
    await expect.poll(() => page.getByText("No API tokens").isVisible()).toBe(true);
    expect((await usageWith(token)).status).toBe(401);
    const audit = await getDb().auditEvent.findMany({
      where: { actorId: userId, targetType: "api_token" },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((event) => event.action)).toEqual(["api_token.created", "api_token.revoked"]);
  });
});
