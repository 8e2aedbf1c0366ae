// A person changes their password in Chromium: the current one is required and checked, the new
// one must differ, and the change signs out every session of the account (this browser and
// another one) until the person signs in with the new password; the old one no longer works.
// Screenshots go to test-results/screenshots/account-*.png.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import { changePassword } from "@/lib/users/change-password";
import { createUser } from "@/lib/users/create-user";
import { CookieJar, signInOverHttp } from "../helpers/auth-http";
import { expectNoSeriousAxeViolations, launchChromium, signedInContext } from "../helpers/browser";
import { uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 60_000 });

const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const oldPassword = "correct horse battery";
const newPassword = "staple battery horse correct";

let platform: RunningPlatform;
let browser: Browser;
let page: Page;
let otherDevice: Page;
let email: string;
let userId: string;

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  [platform, browser] = await Promise.all([startPlatform(), launchChromium()]);
  email = uniqueEmail("account");
  userId = (await createUser({ email, password: oldPassword })).id;
  page = await (await signedInContext(browser, platform.url, { email, password: oldPassword })).newPage();
  otherDevice = await (
    await signedInContext(browser, platform.url, { email, password: oldPassword })
  ).newPage();
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await browser?.close();
  if (platform) expect(await platform.stop()).toBe(0);
  await stopStartedPlatforms();
  await closeTestConnections();
});

describe("changing one's password", () => {
  it("is under Settings, and checks the current password and the new one", async () => {
    await page.goto(`${platform.url}/servers`);
    await page.getByRole("link", { name: "Settings" }).click();
    await page.waitForURL(`${platform.url}/settings/account`);
    expect(await page.getByTestId("account-email").textContent()).toBe(email);

    await page.getByLabel("Current password").fill("not my password");
    await page.getByLabel("New password").fill(newPassword);
    await page.getByRole("button", { name: "Change password" }).click();
    await expect
      .poll(() => page.locator("#currentPassword-error").textContent())
      .toBe("That is not your current password.");
    await page.getByLabel("Current password").fill(oldPassword);
    await page.getByLabel("New password").fill(oldPassword);
    await page.getByRole("button", { name: "Change password" }).click();
    await expect
      .poll(() => page.locator("#newPassword-error").textContent())
      .toBe("Choose a password that differs from the current one.");
    await page.screenshot({ path: path.join(screenshots, "account-errors.png"), fullPage: true });
    await expectNoSeriousAxeViolations(page);
    expect((await signInOverHttp(platform.url, email, oldPassword, new CookieJar())).code).toBeNull();
  });

  it("changes it and signs out every session, until the person signs in with the new one", async () => {
    await page.getByLabel("Current password").fill(oldPassword);
    await page.getByLabel("New password").fill(newPassword);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.waitForURL(`${platform.url}/signin?changed=password`);
    await expect.poll(() => page.getByText("Your password is changed.", { exact: false }).count()).toBe(1);
    await page.screenshot({ path: path.join(screenshots, "account-changed.png"), fullPage: true });

    // This browser and the other device are both signed out.
    await page.goto(`${platform.url}/servers`);
    await page.waitForURL(/\/signin/);
    await otherDevice.goto(`${platform.url}/servers`);
    await otherDevice.waitForURL(/\/signin/);

    expect((await signInOverHttp(platform.url, email, oldPassword, new CookieJar())).code).toBe(
      "invalid_credentials",
    );
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(newPassword);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
    await page.goto(`${platform.url}/servers`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Servers");

    const events = await getDb().auditEvent.findMany({
      where: { actorId: userId, action: "user.password_changed" },
    });
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain(newPassword);
  });

  it("refuses an account without a password, and a wrong guess more than ten times", async () => {
    const passwordless = await createUser({ email: uniqueEmail("account-oauth") });
    await expect(
      changePassword(passwordless.id, { currentPassword: "x", newPassword }),
    ).rejects.toMatchObject({
      code: "conflict",
    });
    const guessed = await createUser({ email: uniqueEmail("account-guess"), password: oldPassword });
    for (let attempt = 0; attempt < 10; attempt++)
      await expect(
        changePassword(guessed.id, { currentPassword: `guess ${attempt}`, newPassword }),
      ).rejects.toMatchObject({ code: "validation_failed" });
    await expect(
      changePassword(guessed.id, { currentPassword: oldPassword, newPassword }),
    ).rejects.toMatchObject({
      code: "rate_limited",
    });
  });
});
