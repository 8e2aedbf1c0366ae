// A person managing connected accounts in Chromium, against a real platform: connects Todoist
// with an API key (a local Todoist emulator), tests, renames, gives it a wrong key and deletes
// it; connects Gmail through the OAuth pages (a local OAuth server that approves at once); sees
// what an app without an OAuth client set up, or without accounts, says. Screenshots go to
// test-results/screenshots/connections-*.png; axe-core checks each page.
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import { createUser } from "@/lib/users/create-user";
import { open } from "@/lib/vault/vault";
import { startOAuthServer } from "../emulators/oauth-server";
import { startTodoistEmulator, todoistToken } from "../emulators/todoist";
import { CookieJar, signInOverHttp } from "../helpers/auth-http";
import { launchChromium, waitForStreamedTitle } from "../helpers/browser";
import { uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 60_000 });

const require = createRequire(import.meta.url);
const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const password = "a good long password";

let todoist: Awaited<ReturnType<typeof startTodoistEmulator>>;
let oauth: Awaited<ReturnType<typeof startOAuthServer>>;
let platform: RunningPlatform;
let browser: Browser;
let page: Page;
let userId: string;

async function snap(name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshots, `connections-${name}.png`), fullPage: true });
}

/**
 * axe-core on the page as it is (or on the part `within` selects); fails on any serious or
 * critical violation, listing them.
 */
async function expectNoSeriousA11yViolations(within?: string): Promise<void> {
  await waitForStreamedTitle(page);
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const results = (await page.evaluate(
    (context) =>
      (window as unknown as { axe: { run: (context?: string) => Promise<unknown> } }).axe.run(
        context ?? undefined,
      ),
    within ?? null,
  )) as { violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] };
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (serious.length)
    console.error(
      serious.map(
        (v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
      ),
    );
  expect(serious.map((v) => v.id)).toEqual([]);
}

const card = (label: string): Locator => page.getByRole("article", { name: label, exact: true });
const statusNotice = () => page.locator("main").getByRole("status");
// Next.js adds its own role="alert" route announcer; the page's own alerts are inside <main>.
const mainAlert = () => page.locator("main").getByRole("alert");

async function connectionsOf(integration: string) {
  return getDb().connection.findMany({ where: { userId, integration } });
}

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  [todoist, oauth] = await Promise.all([
    startTodoistEmulator(),
    startOAuthServer({
      clientId: "google-client.apps.googleusercontent.com",
      clientSecret: "google-client-secret",
      redirectUri: "set below",
      profile: { emailAddress: "ada@example.com", messagesTotal: 1 },
    }),
  ]);
  [platform, browser] = await Promise.all([
    startPlatform({
      env: {
        TODOIST_API_URL: todoist.url,
        GOOGLE_CLIENT_ID: "google-client.apps.googleusercontent.com",
        GOOGLE_CLIENT_SECRET: "google-client-secret",
        GOOGLE_AUTHORIZE_URL: `${oauth.url}/authorize`,
        GOOGLE_TOKEN_URL: `${oauth.url}/token`,
        GMAIL_API_URL: oauth.url,
        SLACK_CLIENT_ID: undefined,
        SLACK_CLIENT_SECRET: undefined,
      },
    }),
    launchChromium(),
  ]);
  oauth.registerRedirectUri(`${platform.url}/api/oauth/gmail/callback`);

  const email = uniqueEmail("connections-ui");
  // An administrator exists, so this person is not made the first one (the pages differ for them).
  await createUser({ email: uniqueEmail("connections-admin"), password, admin: true });
  userId = (await createUser({ email, password })).id;
  const { code, jar } = await signInOverHttp(platform.url, email, password, new CookieJar());
  expect(code).toBeNull();
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  await context.addCookies([...jar.cookies].map(([name, value]) => ({ name, value, url: platform.url })));
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stopStartedPlatforms();
  await Promise.all([todoist?.stop(), oauth?.stop()]);
  await closeTestConnections();
});

describe("connected accounts in Chromium", () => {
  it("shows an empty Connections page that leads to the apps", async () => {
    await page.goto(`${platform.url}/connections`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Connections");
    expect(await page.getByRole("heading", { name: "No accounts connected yet" }).isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: "Browse apps" }).getAttribute("href")).toBe("/apps");
    await snap("empty");
  });

  it("lists the apps that take an account to pick from", async () => {
    await page.goto(`${platform.url}/connections/new`);
    const todoistLink = page.getByRole("link", { name: /^Todoist/ });
    expect(await todoistLink.getAttribute("href")).toBe("/connections/new?app=todoist");
    // Apps without accounts are not offered.
    expect(await page.getByRole("link", { name: /^Formatter/ }).count()).toBe(0);
    await todoistLink.click();
    await page.waitForURL(/\/connections\/new\?app=todoist$/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Connect Todoist");
  });

  it("shows the API token field with where to find it, and says when it is missing", async () => {
    const token = page.getByLabel("API token");
    expect(await token.getAttribute("type")).toBe("password");
    expect(await token.getAttribute("autocomplete")).toBe("off");
    const hint = await token.getAttribute("aria-describedby");
    expect(await page.locator(`[id="${hint}"]`).textContent()).toContain(
      "Settings → Integrations → Developer",
    );
    await snap("new-todoist");
    await expectNoSeriousA11yViolations();

    await page.getByLabel("Name (optional)").fill("Work tasks");
    await page.getByRole("button", { name: "Connect Todoist" }).click();
    await expect.poll(() => token.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await token.getAttribute("aria-describedby")) ?? "";
    const errorId = describedBy.split(" ").find((id) => id.endsWith("-error"));
    expect(await page.locator(`[id="${errorId}"]`).textContent()).toBe(
      "Enter your API token: Todoist needs it to act for you.",
    );
    // The name typed is kept.
    expect(await page.getByLabel("Name (optional)").inputValue()).toBe("Work tasks");
    expect(await connectionsOf("todoist")).toHaveLength(0);
  });

  it("connects Todoist with an API key, checks it first and lands on the list, working", async () => {
    await page.getByLabel("API token").fill(todoistToken);
    await page.getByRole("button", { name: "Connect Todoist" }).click();
    await page.waitForURL(/\/connections\?/);
    const url = new URL(page.url());
    expect(url.searchParams.get("integration")).toBe("todoist");
    await expect.poll(() => statusNotice().first().textContent()).toContain("Connected Work tasks");
    expect(await statusNotice().first().textContent()).toContain("Works — connected as ada@example.com");

    const [row] = await connectionsOf("todoist");
    expect(row).toMatchObject({ id: url.searchParams.get("connected"), label: "Work tasks", status: "OK" });
    expect(await open(row!.ciphertext, { userId, connectionId: row!.id })).toEqual({
      api_token: todoistToken,
    });
    expect(todoist.requestsTo("GET /api/v1/user").length).toBeGreaterThan(0);

    expect(await page.getByRole("heading", { level: 2, name: "Todoist" }).isVisible()).toBe(true);
    expect(await card("Work tasks").getByText("Working", { exact: true }).isVisible()).toBe(true);
    // The key never comes back to the browser.
    expect(await page.content()).not.toContain(todoistToken);
  });

  it("tests the connection and sees who it is connected as", async () => {
    await page.goto(`${platform.url}/connections`);
    const before = todoist.requestsTo("GET /api/v1/user").length;
    await card("Work tasks").getByRole("button", { name: "Test Work tasks" }).click();
    await expect
      .poll(() => card("Work tasks").getByText("Works — connected as ada@example.com").count())
      .toBe(1);
    expect(todoist.requestsTo("GET /api/v1/user").length).toBe(before + 1);
    // A check is not a use: only real calls set "last used".
    await expect.poll(async () => card("Work tasks").textContent()).toContain("Checked just now");
    expect(await card("Work tasks").textContent()).toContain("Not used yet");
  });

  it("renames it in place", async () => {
    await card("Work tasks").getByRole("button", { name: "Rename Work tasks" }).click();
    const name = card("Work tasks").getByRole("textbox", { name: "Name", exact: true });
    expect(await name.inputValue()).toBe("Work tasks");
    await name.fill("  ");
    await card("Work tasks").getByRole("button", { name: "Save name" }).click();
    await expect.poll(() => card("Work tasks").getByText("Enter a name for this account.").count()).toBe(1);
    await name.fill("Personal tasks");
    await card("Work tasks").getByRole("button", { name: "Save name" }).click();
    await expect.poll(() => card("Personal tasks").count()).toBe(1);
    expect(await card("Personal tasks").getByText("Renamed to “Personal tasks”.").isVisible()).toBe(true);
    const [row] = await connectionsOf("todoist");
    expect(row?.label).toBe("Personal tasks");
    const event = await getDb().auditEvent.findFirst({
      where: { targetId: row!.id, action: "connection.renamed" },
    });
    expect(event?.metadata).toMatchObject({ from: "Work tasks", to: "Personal tasks" });
  });

  it("replaces the key with a wrong one: Todoist refuses it and the account needs reconnecting", async () => {
    await card("Personal tasks").getByRole("button", { name: "Reconnect Personal tasks" }).click();
    await card("Personal tasks").getByLabel("New API token").fill("not-the-right-token");
    await card("Personal tasks").getByRole("button", { name: "Save and test" }).click();
    await expect
      .poll(() => card("Personal tasks").textContent())
      .toMatch(/Saved, but it does not work yet\. Needs reconnecting/);
    await expect
      .poll(() => card("Personal tasks").getByText("Needs reconnecting", { exact: true }).count())
      .toBe(1);
    const [row] = await connectionsOf("todoist");
    expect(row?.status).toBe("NEEDS_RECONNECT");
    expect(await open(row!.ciphertext, { userId, connectionId: row!.id })).toEqual({
      api_token: "not-the-right-token",
    });

    await card("Personal tasks").getByRole("button", { name: "Test Personal tasks" }).click();
    await expect
      .poll(() => card("Personal tasks").locator("[aria-live] p").textContent())
      .toContain("Needs reconnecting");
    const refusal = (await card("Personal tasks").locator("[aria-live] p").textContent()) ?? "";
    expect(refusal).not.toContain("Works");
    // The app's refusal is also what the card says about its status.
    expect(await card("Personal tasks").textContent()).toContain(row!.statusMessage ?? "missing");
    expect(todoist.requests.at(-1)?.headers.authorization).toBe("Bearer not-the-right-token");
    await snap("needs-reconnecting");
  });

  it("connects Gmail through Google's sign-in and lands on the list with a notice", async () => {
    await page.goto(`${platform.url}/connections/new?app=gmail`);
    const name = page.getByLabel("Name");
    expect(await name.inputValue()).toBe("Gmail");
    await name.fill("Work mail");
    await page.getByRole("button", { name: "Continue to Gmail" }).click();
    await page.waitForURL(/\/connections\?integration=gmail&connected=/);
    await expect.poll(() => statusNotice().first().textContent()).toContain("Connected Work mail");
    const [row] = await connectionsOf("gmail");
    expect(row).toMatchObject({ label: "Work mail", authType: "oauth2", status: "OK" });
    expect(new URL(page.url()).searchParams.get("connected")).toBe(row!.id);

    const reconnect = card("Work mail").getByRole("link", { name: "Reconnect Work mail" });
    expect(await reconnect.getAttribute("href")).toBe(`/api/oauth/gmail/start?reconnect=${row!.id}`);
    await card("Work mail").getByRole("button", { name: "Test Work mail" }).click();
    await expect
      .poll(() => card("Work mail").getByText("Works — connected as ada@example.com").count())
      .toBe(1);
    await snap("list");
    await expectNoSeriousA11yViolations();
  });

  it("reads well in dark mode and at 375 px wide", async () => {
    await page.emulateMedia({ colorScheme: "dark" });
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${platform.url}/connections`);
    await expect.poll(() => card("Work mail").count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await snap("list-dark-narrow");
    await expectNoSeriousA11yViolations();
    await page.goto(`${platform.url}/connections/new?app=todoist`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await snap("new-todoist-dark-narrow");
    await expectNoSeriousA11yViolations();
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 1200, height: 900 });
  });

  it("shows an error from the OAuth callback as text", async () => {
    const message = "<b>Google</b> did not grant access (access_denied).";
    await page.goto(`${platform.url}/connections?integration=gmail&error=${encodeURIComponent(message)}`);
    await expect.poll(() => mainAlert().textContent()).toContain("Gmail could not be connected.");
    expect(await mainAlert().textContent()).toContain(message);
    expect(await mainAlert().locator("b").count()).toBe(0);
  });

  it("says to ask the administrator for an app without an OAuth client, and offers no button", async () => {
    await page.goto(`${platform.url}/connections/new?app=slack`);
    await expect
      .poll(() => statusNotice().textContent())
      .toContain("Not available yet: ask your administrator to set up Slack.");
    expect(await page.getByRole("button", { name: /Continue to/ }).count()).toBe(0);
  });

  it("says an app without accounts needs none and points to the servers", async () => {
    await page.goto(`${platform.url}/connections/new?app=formatter`);
    await expect
      .poll(() => page.getByRole("heading", { name: "Formatter needs no account" }).count())
      .toBe(1);
    // This person has no server yet: creating one comes first, and the app goes along.
    expect(await page.getByRole("link", { name: "Use in a server" }).getAttribute("href")).toBe(
      "/servers?app=formatter",
    );
  });

  it("deletes the Todoist account only after confirming", async () => {
    await page.goto(`${platform.url}/connections`);
    await card("Personal tasks").getByRole("button", { name: "Delete Personal tasks" }).click();
    const dialog = page.getByRole("alertdialog");
    expect(await dialog.textContent()).toContain("Tools that use it lose their account");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(await connectionsOf("todoist")).toHaveLength(1);

    await card("Personal tasks").getByRole("button", { name: "Delete Personal tasks" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Delete account" }).click();
    await expect.poll(() => card("Personal tasks").count()).toBe(0);
    expect(await connectionsOf("todoist")).toHaveLength(0);
    expect(await page.getByRole("heading", { level: 2, name: "Todoist" }).count()).toBe(0);
    expect(await card("Work mail").count()).toBe(1);
  });
});
