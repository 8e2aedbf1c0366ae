// A person changes their password in Chromium: the current one is required and checked, the new
// one must differ, and the change signs out every session of the account (this browser and
// another one) until the person signs in with the new password; the old one no longer works.
// Signing out ends that one session on the server: a copy of its cookie is refused everywhere,
// while the person's other devices stay signed in.
// Screenshots go to test-results/screenshots/account-*.png.
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { changePassword } from "@/lib/users/change-password";
import { createUser } from "@/lib/users/create-user";
import { CookieJar, signInOverHttp, signOutOverHttp } from "../helpers/auth-http";
import { expectNoSeriousAxeViolations, launchChromium, signedInContext } from "../helpers/browser";
import { connectClient, createTenant, uniqueEmail } from "../helpers/mcp";
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

describe("deleting one's account", () => {
  it("asks for the address and the password, then removes everything and refuses its URLs and tokens", async () => {
    const tenant = await createTenant(platform.url, "account-delete");
    const { token } = await createApiToken(tenant.userId, { name: "script" });
    const client = await connectClient(platform.url, tenant.secret);
    const called = await client.callTool({
      name: "formatter_calculate",
      arguments: { operation: "add", numbers: [1, 2] },
    });
    expect(called.isError).toBeFalsy();
    await client.close();
    expect(await getDb().call.count({ where: { userId: tenant.userId } })).toBe(1);

    const leaving = await (
      await signedInContext(browser, platform.url, { email: tenant.email, password: oldPassword })
    ).newPage();
    await leaving.goto(`${platform.url}/settings/account`);
    await leaving.getByLabel(`Type ${tenant.email} to confirm`).fill("someone@else.example");
    await leaving.getByLabel("Your password").fill(oldPassword);
    await leaving.getByRole("button", { name: "Delete my account" }).click();
    await expect
      .poll(() => leaving.locator("#confirmEmail-error").textContent())
      .toBe("Type this account's email address exactly.");
    await leaving.getByLabel(`Type ${tenant.email} to confirm`).fill(tenant.email);
    await leaving.getByLabel("Your password").fill("not it");
    await leaving.getByRole("button", { name: "Delete my account" }).click();
    await expect
      .poll(() => leaving.locator("#password-error").textContent())
      .toBe("That is not your password.");
    // What was typed stays, except the password.
    expect(await leaving.getByLabel(`Type ${tenant.email} to confirm`).inputValue()).toBe(tenant.email);
    expect(await getDb().user.count({ where: { id: tenant.userId } })).toBe(1);
    await leaving.screenshot({ path: path.join(screenshots, "account-delete.png"), fullPage: true });

    await leaving.getByLabel("Your password").fill(oldPassword);
    await leaving.getByRole("button", { name: "Delete my account" }).click();
    await leaving.waitForURL(`${platform.url}/signin?changed=deleted`);
    await expect
      .poll(() => leaving.getByText("Your account and everything in it are deleted.").count())
      .toBe(1);

    const db = getDb();
    const left = await Promise.all([
      db.user.count({ where: { id: tenant.userId } }),
      db.mcpServer.count({ where: { userId: tenant.userId } }),
      db.apiToken.count({ where: { userId: tenant.userId } }),
      db.call.count({ where: { userId: tenant.userId } }),
      db.usageHourly.count({ where: { userId: tenant.userId } }),
    ]);
    expect(left).toEqual([0, 0, 0, 0, 0]);
    const mcp = await fetch(tenant.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(mcp.status).toBe(401);
    const rest = await fetch(`${platform.url}/api/v1/usage`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(rest.status).toBe(401);
    const deleted = await db.auditEvent.findMany({
      where: { action: "user.deleted", targetId: tenant.userId },
    });
    expect(deleted).toHaveLength(1);
    expect(deleted[0]).toMatchObject({ actorId: null, targetType: "user" });
    expect(JSON.stringify(deleted)).not.toContain(tenant.email);
  });
});

describe("signing out", () => {
  async function actionId(filename: string, exportedName: string): Promise<string> {
    const manifest = JSON.parse(
      await readFile(
        path.resolve(import.meta.dirname, "../../.next/server/server-reference-manifest.json"),
        "utf8",
      ),
    ) as { node: Record<string, { filename: string; exportedName: string }> };
    const found = Object.entries(manifest.node).find(
      ([, entry]) => entry.filename === filename && entry.exportedName === exportedName,
    );
    if (!found) throw new Error(`no server action ${exportedName} in ${filename}`);
    return found[0];
  }

  /** What each place that reads a session makes of a Cookie header. */
  async function probe(cookie: string, revokeTokenId: string) {
    const page = await fetch(`${platform.url}/servers`, { headers: { cookie }, redirect: "manual" });
    const route = await fetch(`${platform.url}/api/oauth/gmail/start`, {
      headers: { cookie },
      redirect: "manual",
    });
    const action = await fetch(`${platform.url}/settings/api-tokens`, {
      method: "POST",
      headers: {
        "next-action": await actionId(
          "app/(dashboard)/settings/api-tokens/actions.ts",
          "revokeApiTokenAction",
        ),
        "content-type": "text/plain;charset=UTF-8",
        accept: "text/x-component",
        origin: platform.url,
        cookie,
      },
      body: JSON.stringify([revokeTokenId]),
    });
    const session = await fetch(`${platform.url}/api/auth/session`, { headers: { cookie } });
    return {
      page:
        page.status === 200
          ? "signed in"
          : new URL(page.headers.get("location") ?? "", platform.url).pathname,
      route: new URL(route.headers.get("location") ?? "", platform.url).pathname,
      action: (await action.text()).includes("Your session has ended. Sign in again.") ? "refused" : "ran",
      session: (await session.json()) as { userId?: string } | null,
      renewed: session.headers.getSetCookie().some((line) => /authjs\.session-token=[^;]/.test(line)),
    };
  }

  it("refuses a copy of the signed-out session's cookie on pages, routes and actions; other devices stay", async () => {
    const person = await createUser({ email: uniqueEmail("sign-out"), password: oldPassword });
    const laptop = (await signInOverHttp(platform.url, person.email, oldPassword, new CookieJar())).jar;
    const phone = (await signInOverHttp(platform.url, person.email, oldPassword, new CookieJar())).jar;
    const copied = laptop.header();
    const [first, second] = await Promise.all([
      createApiToken(person.id, { name: "first", expiresInDays: 30 }),
      createApiToken(person.id, { name: "second", expiresInDays: 30 }),
    ]);
    const revokedAt = async (id: string) =>
      (await getDb().apiToken.findUniqueOrThrow({ where: { id } })).revokedAt;

    expect(await probe(copied, first.id)).toMatchObject({
      page: "signed in",
      route: "/connections",
      action: "ran",
    });
    expect(await revokedAt(first.id)).not.toBeNull();

    await signOutOverHttp(platform.url, laptop);
    expect(laptop.header()).not.toContain("authjs.session-token");
    expect(await probe(copied, second.id)).toEqual({
      page: "/signin",
      route: "/signin",
      action: "refused",
      session: null,
      renewed: false,
    });
    expect(await revokedAt(second.id)).toBeNull();

    expect(await probe(phone.header(), second.id)).toMatchObject({
      page: "signed in",
      route: "/connections",
      action: "ran",
      session: { userId: person.id },
    });
    expect(await revokedAt(second.id)).not.toBeNull();
  });
});
