// Apps that cannot be connected until an administrator sets up their OAuth client, in Chromium
// against a real platform on a database of its own (so that the clients set here stay this
// file's): someone who is not an administrator is told to ask one wherever Slack is offered (the
// apps grid, the connect grid, the action picker, the tool form, the server page), and the AI is
// told the same by the MCP error; an administrator follows "set it up" to /admin/integrations,
// sets up Google's client there (refused first with an error naming the field), and a person then
// connects Gmail through the local OAuth server, with no restart; the secret is never on the page
// again, nor in the audit trail or the platform's logs. The new page passes axe at 1280 and 375 px,
// light and dark.
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import { createUser } from "@/lib/users/create-user";
import { startOAuthServer } from "../emulators/oauth-server";
import { expectAccessibleInEveryView, launchChromium, signedInContext } from "../helpers/browser";
import { type ScratchDatabase, switchToScratchDatabase } from "../helpers/database";
import { connectClient, createTenant, type Tenant, textOf, uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 90_000 });

const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const password = "correct horse battery";
const googleClientId = `toolgate-${randomBytes(4).toString("hex")}.apps.googleusercontent.com`;
const googleClientSecret = `GOCSPX-${randomBytes(16).toString("base64url")}`;
const askAdmin = "Not available yet: ask your administrator to set up Slack";

let database: ScratchDatabase;
let oauth: Awaited<ReturnType<typeof startOAuthServer>>;
let platform: RunningPlatform;
let browser: Browser;
let adminEmail: string;
let member: Tenant;
let memberContext: BrowserContext;
let adminContext: BrowserContext;

async function snap(target: Page, name: string): Promise<void> {
  await target.screenshot({ path: path.join(screenshots, `admin-integrations-${name}.png`), fullPage: true });
}

async function open(context: BrowserContext, pathAndQuery: string): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${platform.url}${pathAndQuery}`);
  return page;
}

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  database = await switchToScratchDatabase();
  oauth = await startOAuthServer({
    clientId: googleClientId,
    clientSecret: googleClientSecret,
    redirectUri: "set below",
    profile: { emailAddress: "ada@example.com", messagesTotal: 1 },
  });
  [platform, browser] = await Promise.all([
    startPlatform({
      env: {
        DATABASE_URL: database.url,
        GOOGLE_CLIENT_ID: undefined,
        GOOGLE_CLIENT_SECRET: undefined,
        SLACK_CLIENT_ID: undefined,
        SLACK_CLIENT_SECRET: undefined,
        GOOGLE_AUTHORIZE_URL: `${oauth.url}/authorize`,
        GOOGLE_TOKEN_URL: `${oauth.url}/token`,
        GMAIL_API_URL: oauth.url,
      },
    }),
    launchChromium(),
  ]);
  oauth.registerRedirectUri(`${platform.url}/api/oauth/gmail/callback`);
  adminEmail = uniqueEmail("integrations-admin");
  await createUser({ email: adminEmail, password, admin: true });
  member = await createTenant(platform.url, "integrations-member", [
    { integration: "slack", action: "send_message" },
  ]);
  [memberContext, adminContext] = await Promise.all([
    signedInContext(browser, platform.url, { email: member.email, password }),
    signedInContext(
      browser,
      platform.url,
      { email: adminEmail, password },
      { viewport: { width: 1280, height: 900 } },
    ),
  ]);
});

afterAll(async () => {
  await browser?.close();
  if (platform) expect(await platform.stop()).toBe(0);
  await stopStartedPlatforms();
  await oauth?.stop();
  await closeTestConnections();
  await database?.drop();
});

describe("an app nobody has set up, for someone who is not an administrator", () => {
  it("says to ask the administrator on the apps grid and the app's page", async () => {
    const page = await open(memberContext, "/apps");
    const card = page
      .getByTestId("app-card")
      .filter({ has: page.getByRole("link", { name: "Slack", exact: true }) });
    expect(await card.textContent()).toContain(askAdmin);
    expect(await card.getByRole("link", { name: /set it up/ }).count()).toBe(0);
    await page.goto(`${platform.url}/apps/slack`);
    await expect.poll(() => page.getByRole("main").textContent()).toContain(`${askAdmin}.`);
    expect(await page.getByRole("link", { name: "Connect an account" }).count()).toBe(0);
    await page.close();
  });

  it("shows Slack on the connect grid without a way into a page that fails", async () => {
    const page = await open(memberContext, "/connections/new");
    const card = page.getByRole("listitem").filter({ hasText: "Slack" }).filter({ hasText: askAdmin });
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.getByRole("link").count()).toBe(0);
    // An app that is set up (Todoist takes a key) still leads on.
    expect(await page.getByRole("link", { name: /Todoist/ }).getAttribute("href")).toBe(
      "/connections/new?app=todoist",
    );
    await page.goto(`${platform.url}/connections/new?app=slack`);
    await expect.poll(() => page.getByRole("main").textContent()).toContain(`${askAdmin}.`);
    expect(await page.getByRole("button", { name: /Continue to Slack/ }).count()).toBe(0);
    await snap(page, "connect-slack-member");
    await page.close();
  });

  it("marks Slack in the action picker and the tool form, and its tool on the server page", async () => {
    const page = await open(memberContext, `/servers/${member.serverId}/tools/new`);
    const apps = page.getByRole("list", { name: "Apps" });
    const slack = apps
      .getByRole("listitem")
      .filter({ has: page.getByRole("link", { name: "Slack", exact: true }) });
    expect(await slack.textContent()).toContain(askAdmin);
    await slack.getByRole("link", { name: "Slack", exact: true }).click();
    await page.waitForURL(/\?app=slack$/);
    await expect.poll(() => page.getByRole("main").textContent()).toContain(askAdmin);
    await page.getByRole("link", { name: /^Send message/ }).click();
    await page.waitForURL(/action=send_message/);
    const account = page.getByRole("region", { name: "Account" });
    expect(await account.textContent()).toContain(`${askAdmin}.`);
    expect(await account.getByRole("link", { name: /Connect your Slack account/ }).count()).toBe(0);
    await snap(page, "tool-form-member");

    await page.goto(`${platform.url}/servers/${member.serverId}`);
    const row = page.getByTestId("tool-row").filter({ hasText: "slack_send_message" });
    expect(await row.textContent()).toContain("Slack is not set up on this platform");
    await page.close();
  });

  it("tells the AI that the administrator must set the app up, not to connect an account", async () => {
    const client = await connectClient(platform.url, member.secret);
    try {
      const result = await client.callTool({
        name: "slack_send_message",
        arguments: { channel: "C0123456789", text: "hello" },
      });
      expect(result.isError).toBe(true);
      const text = textOf(result);
      expect(text).toContain("Slack is not set up on this platform, so this tool cannot run.");
      expect(text).toContain("The platform's administrator must set up Slack");
      expect(text).toContain("Tell the user to ask their administrator.");
      expect(text).not.toMatch(/Connect one on the Connections page/);
    } finally {
      await client.close();
    }
  });
});

describe("an administrator sets up an app on /admin/integrations", () => {
  it("follows “set it up” from the apps grid to the app on the Integrations page", async () => {
    const page = await open(adminContext, "/apps");
    const card = page
      .getByTestId("app-card")
      .filter({ has: page.getByRole("link", { name: "Gmail", exact: true }) });
    expect(await card.textContent()).toContain("Not set up yet: set it up");
    await card.getByRole("link", { name: "set it up (Gmail)" }).click();
    await page.waitForURL(`${platform.url}/admin/integrations#gmail`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Integrations");
    expect(await page.getByRole("link", { name: "Integrations" }).getAttribute("aria-current")).toBe("page");

    const slack = page.getByRole("region", { name: "Slack" });
    expect(await slack.textContent()).toContain("Not set up");
    expect(await slack.getByRole("link", { name: /developer console/ }).getAttribute("href")).toBe(
      "https://api.slack.com/apps",
    );
    const google = page.getByRole("region", { name: "Google" });
    const text = await google.textContent();
    expect(text).toContain("One client for Gmail, Google Calendar, Google Drive, Google Sheets.");
    for (const slug of ["gmail", "google_calendar", "google_drive", "google_sheets"])
      expect(text).toContain(`${platform.url}/api/oauth/${slug}/callback`);
    expect(await page.locator("#gmail").textContent()).toContain(`${platform.url}/api/oauth/gmail/callback`);
    await google.getByRole("button", { name: "Copy Gmail callback URL" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      `${platform.url}/api/oauth/gmail/callback`,
    );
    await snap(page, "not-set-up");
    await page.close();
  });

  it("refuses a client ID with a space, naming the field, then saves the client", async () => {
    const page = await open(adminContext, "/admin/integrations");
    const form = page.getByRole("form", { name: "Google client" });
    await form.getByLabel("Client ID").fill("two words");
    await form.getByLabel("Client secret").fill(googleClientSecret);
    await form.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => form.getByText(/^The client ID has a space/).count()).toBe(1);
    expect(await form.getByLabel("Client ID").getAttribute("aria-invalid")).toBe("true");
    expect(await form.getByLabel("Client ID").inputValue()).toBe("two words");
    expect(await getDb().integrationClient.count()).toBe(0);
    // The refused secret is not sent back to the page.
    expect(await page.content()).not.toContain(googleClientSecret);

    await page.reload();
    await form.getByLabel("Client ID").fill(` ${googleClientId} `);
    await form.getByLabel("Client secret").fill(googleClientSecret);
    await form.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => form.getByText("Saved. People can connect Google now.").count()).toBe(1);
    const google = page.getByRole("region", { name: "Google" });
    await expect.poll(() => google.textContent()).toContain("Set here by");
    expect(await google.textContent()).toContain(adminEmail);
    expect(await form.getByLabel("Client ID").inputValue()).toBe(googleClientId);
    expect(await form.getByLabel("Client secret").inputValue()).toBe("");
    expect(await form.textContent()).toMatch(/•••• set on \w{3} \d{1,2}, \d{4}\. Leave empty to keep it/);
    await page.reload();
    expect(await page.content()).not.toContain(googleClientSecret);
    await snap(page, "set-here");

    const row = await getDb().integrationClient.findUniqueOrThrow({ where: { prefix: "GOOGLE" } });
    expect(row).toMatchObject({ clientId: googleClientId, updatedByEmail: adminEmail });
    expect(Buffer.from(row.secretCiphertext).toString("latin1")).not.toContain(googleClientSecret);
    const events = await getDb().auditEvent.findMany({ where: { action: "integration_client.saved" } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ targetType: "oauth_client", targetId: "GOOGLE" });
    expect(events[0]?.userAgent).toMatch(/Chrome/);
    expect(JSON.stringify(events)).not.toContain(googleClientSecret);
    await page.close();
  });

  it("passes axe at 1280 and 375 px, light and dark, and fits a phone", async () => {
    const page = await open(adminContext, "/admin/integrations");
    await page.getByRole("heading", { level: 1, name: "Integrations" }).waitFor();
    await expectAccessibleInEveryView(page);
    await page.setViewportSize({ width: 375, height: 812 });
    await page.emulateMedia({ colorScheme: "dark" });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await snap(page, "375-dark");
    await page.close();
  });
});

describe("once set up", () => {
  it("lets a person connect Gmail through the OAuth server with the stored client, with no restart", async () => {
    const page = await open(memberContext, "/apps");
    const card = page
      .getByTestId("app-card")
      .filter({ has: page.getByRole("link", { name: "Gmail", exact: true }) });
    expect(await card.textContent()).not.toContain("Not available yet");
    await page.goto(`${platform.url}/connections/new?app=gmail`);
    await page.getByLabel("Name").fill("Work mail");
    await page.getByRole("button", { name: "Continue to Gmail" }).click();
    await page.waitForURL(/\/connections\?/);
    expect(new URL(page.url()).searchParams.get("error")).toBeNull();
    const connection = await getDb().connection.findFirstOrThrow({
      where: { userId: member.userId, integration: "gmail" },
    });
    expect(connection).toMatchObject({ label: "Work mail", status: "OK" });
    // The code was exchanged with the stored id and secret: the OAuth server checks both.
    expect(oauth.stats.codeExchanges).toBe(1);
    await page.close();
  });

  it("is removed with a confirmation, and Gmail is not offered again", async () => {
    const page = await open(adminContext, "/admin/integrations");
    await page.getByRole("button", { name: "Remove Google client" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Remove" }).click();
    const google = page.getByRole("region", { name: "Google" });
    await expect.poll(() => google.textContent()).toContain("Not set up");
    expect(await getDb().integrationClient.count()).toBe(0);
    const member_ = await open(memberContext, "/connections/new?app=gmail");
    await expect
      .poll(() => member_.getByRole("main").textContent())
      .toContain("Not available yet: ask your administrator to set up Gmail.");
    await Promise.all([page.close(), member_.close()]);
  });

  it("never shows the secret in the audit trail or the platform's logs", async () => {
    const events = await getDb().auditEvent.findMany({ where: { targetType: "oauth_client" } });
    expect(events.map((event) => event.action).sort()).toEqual([
      "integration_client.removed",
      "integration_client.saved",
    ]);
    expect(JSON.stringify(events)).not.toContain(googleClientSecret);
    expect(platform.output()).not.toContain(googleClientSecret);
  });
});
