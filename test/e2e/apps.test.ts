// A person in Chromium browsing the app catalog: categories, searching (live and without
// JavaScript), an app's page with its actions and how to connect it, an OAuth app whose client
// the administrator has not set up, an unknown app, at phone width and in dark mode.
// Screenshots go to test-results/screenshots/apps-*.png; every page is checked with axe-core.
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createConnection } from "@/lib/connections/manage-connections";
import { describeIntegrations } from "@/lib/integrations/catalog";
import { createUser } from "@/lib/users/create-user";
import { CookieJar, signInOverHttp } from "../helpers/auth-http";
import { launchChromium, waitForStreamedTitle } from "../helpers/browser";
import { uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 60_000 });

const require = createRequire(import.meta.url);
const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const password = "a good long password";

let platform: RunningPlatform;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let jar: CookieJar;

async function snap(target: Page, name: string): Promise<void> {
  await target.screenshot({ path: path.join(screenshots, `apps-${name}.png`), fullPage: true });
}

async function expectNoSeriousAxeViolations(target: Page, exclude: string[] = []): Promise<void> {
  await waitForStreamedTitle(target);
  await target.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const { violations } = await target.evaluate(
    (excluded) =>
      // biome-ignore lint/suspicious/noExplicitAny: axe is injected as a global script
      (window as any).axe.run({ exclude: excluded.map((selector) => [selector]) }) as Promise<{
        violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: unknown }> }>;
      }>,
    exclude,
  );
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (serious.length > 0) console.log(JSON.stringify(serious, null, 2));
  expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
}

async function newSignedInContext(options: Parameters<Browser["newContext"]>[0] = {}) {
  const signedIn = await browser.newContext(options);
  await signedIn.addCookies(
    [...jar.cookies].map(([name, value]) => ({ name, value, url: platform.url, httpOnly: true })),
  );
  return signedIn;
}

const cardSlugs = (target: Page) =>
  target
    .getByTestId("app-card")
    .evaluateAll((cards) => cards.map((card) => card.getAttribute("data-slug")).sort());
const categoryHeadings = (target: Page) => target.getByRole("heading", { level: 2 }).allTextContents();
const card = (slug: string) => page.locator(`[data-testid="app-card"][data-slug="${slug}"]`);

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  [platform, browser] = await Promise.all([
    // Google's client is set up and Slack's is not, whatever the machine's environment says.
    startPlatform({
      env: {
        GOOGLE_CLIENT_ID: "google-client.apps.googleusercontent.com",
        GOOGLE_CLIENT_SECRET: "google-client-secret",
        SLACK_CLIENT_ID: undefined,
        SLACK_CLIENT_SECRET: undefined,
      },
    }),
    launchChromium(),
  ]);
  const email = uniqueEmail("apps");
  // An administrator exists, so this person is not made the first one (the pages differ for them).
  await createUser({ email: uniqueEmail("apps-admin"), password, admin: true });
  const user = await createUser({ email, password });
  for (const label of ["Work", "Home"])
    await createConnection(user.id, { integration: "todoist", label, credentials: { api_token: "t0ken" } });
  ({ jar } = await signInOverHttp(platform.url, email, password, new CookieJar()));
  expect(jar.cookies.size).toBeGreaterThan(0);
  context = await newSignedInContext();
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stopStartedPlatforms();
  await closeTestConnections();
});

describe("the app catalog", () => {
  it("shows every app under its category, with its actions, how it connects and the accounts connected", async () => {
    await page.goto(`${platform.url}/apps`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Apps");
    const catalog = describeIntegrations();
    expect(await cardSlugs(page)).toEqual(catalog.map((app) => app.slug).sort());
    const categories = [...new Set(catalog.map((app) => app.category))];
    const headings = await categoryHeadings(page);
    expect([...headings].sort()).toEqual([...categories].sort());
    expect(headings.at(-1)).toBe("Built-in tools");
    // Each app sits under its own category's heading.
    const github = page.getByRole("region", { name: "Developer tools" });
    expect(await github.getByRole("link", { name: "GitHub" }).count()).toBe(1);

    await expect.poll(() => card("github").textContent()).toContain("14 actions");
    expect(await card("github").textContent()).toContain("API key");
    expect(await card("formatter").textContent()).toContain("No account needed");
    expect(await card("gmail").textContent()).toContain("Sign in with OAuth");
    expect(await card("slack").textContent()).toContain(
      "Not available yet: ask your administrator to set up Slack",
    );
    expect(await card("todoist").textContent()).toContain("2 accounts connected");
    expect(await card("github").textContent()).not.toContain("connected");

    // Every logo loads, and is decorative next to the app's name.
    const logos = page.getByTestId("app-card").locator("img");
    expect(await logos.count()).toBe(catalog.length);
    await expect
      .poll(() =>
        logos.evaluateAll(
          (images) =>
            (images as HTMLImageElement[]).filter((image) => !image.complete || image.naturalWidth === 0)
              .length,
        ),
      )
      .toBe(0);
    expect(await logos.evaluateAll((images) => images.map((image) => image.getAttribute("alt")))).toEqual(
      catalog.map(() => ""),
    );

    await snap(page, "catalog");
    await expectNoSeriousAxeViolations(page);
  });

  it("narrows the list as they type, keeps the search in the address, and offers a way back", async () => {
    await page.goto(`${platform.url}/apps`);
    await page.getByLabel("Search apps").fill("issue");
    await expect.poll(() => cardSlugs(page)).toEqual(["github", "jira", "linear"]);
    expect(await categoryHeadings(page)).toEqual(["Developer tools"]);
    expect(new URL(page.url()).searchParams.get("q")).toBe("issue");
    expect(await page.getByTestId("apps-count").textContent()).toBe("3 apps match “issue”.");

    // Words can come in any order and from the name, description or action titles.
    await page.getByLabel("Search apps").fill("email send");
    await expect.poll(() => cardSlugs(page)).toEqual(["gmail", "sendgrid", "slack"]);

    await page.getByLabel("Search apps").fill("no such thing");
    await expect.poll(() => page.getByRole("heading", { name: "No apps match your search" }).count()).toBe(1);
    expect(await cardSlugs(page)).toEqual([]);
    await snap(page, "catalog-no-match");
    await page.getByRole("link", { name: "Show all apps" }).click();
    await expect.poll(() => cardSlugs(page).then((slugs) => slugs.length)).toBe(23);
    expect(await page.getByLabel("Search apps").inputValue()).toBe("");
  });

  it("searches without JavaScript through the form and ?q=", async () => {
    const noScript = await newSignedInContext({ javaScriptEnabled: false });
    const plain = await noScript.newPage();
    try {
      await plain.goto(`${platform.url}/apps?q=spreadsheet`);
      expect(await cardSlugs(plain)).toEqual(["google_sheets"]);
      expect(await plain.getByLabel("Search apps").inputValue()).toBe("spreadsheet");
      await plain.getByLabel("Search apps").fill("issue");
      await plain.getByRole("button", { name: "Search" }).click();
      await plain.waitForURL((url) => url.searchParams.get("q") === "issue");
      expect(await cardSlugs(plain)).toEqual(["github", "jira", "linear"]);
    } finally {
      await noScript.close();
    }
  });

  it("fits a 375 px wide phone screen and reads well in dark mode", async () => {
    const phone = await newSignedInContext({ viewport: { width: 375, height: 800 }, colorScheme: "dark" });
    const small = await phone.newPage();
    try {
      await small.goto(`${platform.url}/apps`);
      expect(await cardSlugs(small)).toHaveLength(23);
      expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await snap(small, "catalog-375");
      await expectNoSeriousAxeViolations(small);
      await small.goto(`${platform.url}/apps/slack`);
      expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await expectNoSeriousAxeViolations(small, ["body > div > header"]);
    } finally {
      await phone.close();
    }
  });
});

describe("an app's page", () => {
  it("opens GitHub from the catalog and shows its actions with what each does to the account", async () => {
    await page.goto(`${platform.url}/apps`);
    await page.getByRole("link", { name: "GitHub", exact: true }).click();
    await page.waitForURL(`${platform.url}/apps/github`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("GitHub");
    await expect.poll(() => page.title()).toBe("GitHub · Toolgate");
    const actions = page.getByTestId("app-action");
    expect(await actions.count()).toBe(14);
    const action = (title: string) =>
      actions.filter({ has: page.getByRole("heading", { name: title, exact: true }) });
    expect(await action("Get issue").textContent()).toContain("Read-only");
    expect(await action("Create issue").textContent()).toContain("Changes data");
    expect(await page.locator("dt").allTextContents()).toEqual(["Personal access token (kept secret)"]);
    expect(await page.getByRole("link", { name: "Connect an account" }).getAttribute("href")).toBe(
      "/connections/new?app=github",
    );
    expect(await page.getByRole("link", { name: "Use in a server" }).getAttribute("href")).toBe(
      "/servers?app=github",
    );
    await snap(page, "github");
    await expectNoSeriousAxeViolations(page);
  });

  it("marks actions that can delete or overwrite as destructive", async () => {
    await page.goto(`${platform.url}/apps/airtable`);
    const deleteRecord = page
      .getByTestId("app-action")
      .filter({ has: page.getByRole("heading", { name: "Delete record", exact: true }) });
    expect(await deleteRecord.textContent()).toContain("Destructive");
  });

  it("sends them from an API-key app's page to connect an account, and counts the accounts they have", async () => {
    await page.goto(`${platform.url}/apps/todoist`);
    expect(await page.getByText("2 accounts connected").count()).toBe(1);
    expect(await page.getByRole("link", { name: "Manage your connections" }).getAttribute("href")).toBe(
      "/connections",
    );
    const connect = page.getByRole("link", { name: "Connect an account" });
    expect(await connect.getAttribute("href")).toBe("/connections/new?app=todoist");
    await snap(page, "todoist");
    await connect.click();
    await page.waitForURL((url) => url.pathname === "/connections/new");
    expect(new URL(page.url()).searchParams.get("app")).toBe("todoist");
  });

  it("lets them connect a Google app once the administrator has set up its client", async () => {
    await page.goto(`${platform.url}/apps/gmail`);
    expect(await page.getByRole("link", { name: "Connect an account" }).getAttribute("href")).toBe(
      "/connections/new?app=gmail",
    );
    expect(await page.getByText("cannot be connected on this platform yet").count()).toBe(0);
  });

  it("tells them to ask the administrator when an OAuth app is not set up", async () => {
    await page.goto(`${platform.url}/apps/slack`);
    const text = await page.getByRole("region", { name: "How to connect" }).textContent();
    expect(text).toContain("Slack cannot be connected on this platform yet.");
    expect(text).toContain("Not available yet: ask your administrator to set up Slack.");
    expect(await page.getByRole("link", { name: "Connect an account" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Use in a server" }).getAttribute("href")).toBe(
      "/servers?app=slack",
    );
    await snap(page, "slack-not-set-up");
    await expectNoSeriousAxeViolations(page);
  });

  it("needs no account for a built-in tool", async () => {
    await page.goto(`${platform.url}/apps/formatter`);
    expect(await page.getByText("No account needed. Add its actions to a server").count()).toBe(1);
    expect(await page.getByRole("link", { name: "Connect an account" }).count()).toBe(0);
    expect(await page.getByTestId("app-action").count()).toBe(10);
  });

  it('carries the app through "Use in a server": creating the first server, then straight to its actions', async () => {
    await page.goto(`${platform.url}/apps/github`);
    await page.getByRole("link", { name: "Use in a server" }).click();
    await page.waitForURL(`${platform.url}/servers?app=github`);
    await expect.poll(() => page.getByText("Create a server to use GitHub in.").count()).toBe(1);
    await page.getByLabel("Name").fill("Work agent");
    await page.getByRole("button", { name: "Create server" }).click();
    await page.getByRole("link", { name: "Add a tool to Work agent" }).click();
    await page.waitForURL(/\/tools\/new\?app=github$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Add a tool: GitHub");

    // With one server, the app's page leads into it; with two, it asks which.
    await page.goto(`${platform.url}/apps/github`);
    const serverPath = new URL(page.url()).pathname;
    const useIn = page.getByRole("link", { name: "Use in Work agent" });
    expect(await useIn.getAttribute("href")).toMatch(/^\/servers\/[^/]+\/tools\/new\?app=github$/);
    await page.goto(`${platform.url}/servers`);
    await page.getByLabel("Name").fill("Laptop");
    await page.getByRole("button", { name: "Create server" }).click();
    await page.getByRole("link", { name: "Add a tool to Laptop" }).waitFor();
    await page.goto(`${platform.url}${serverPath}`);
    await page.getByText("Use in a server").click();
    const choices = page.getByRole("list", { name: "Servers to use GitHub in" }).getByRole("link");
    expect((await choices.allTextContents()).sort()).toEqual(["Laptop", "Work agent"]);
    await choices.filter({ hasText: "Laptop" }).click();
    await page.waitForURL(/\/tools\/new\?app=github$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Add a tool: GitHub");
  });

  it("answers 404 with a way back for an app that does not exist", async () => {
    const response = await page.goto(`${platform.url}/apps/no-such-app`);
    expect(response?.status()).toBe(404);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("App not found");
    await page.getByRole("link", { name: "See all apps" }).click();
    await page.waitForURL(`${platform.url}/apps`);
  });
});
