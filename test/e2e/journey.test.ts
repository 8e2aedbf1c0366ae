// The first hour of a person who has never seen the product, in Chromium, clicked as they would
// (roles and visible text only): sign up; follow the home checklist to create a server named
// "Cursor" (its set-up opens on Cursor's tab, and what is copied is the URL shown); add GitHub's
// "Create issue" starting from the app grid; connect GitHub from the tool form with a token (checked
// before it is saved, against GitHub's emulator) and come back to the form; fix the repository from
// the account's own list; add the tool; find the same account with the same badge on the server
// page, in the tool form and on Connections; call the tool from an MCP client with the copied URL;
// and see that first call on the home page and in History. No page contradicts another, nothing
// copyable is a placeholder, and axe finds no serious problem on any page at 1280 and 375 px, light
// and dark. Screenshots: test-results/screenshots/journey-*.png.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createUser } from "@/lib/users/create-user";
import { type GitHubEmulator, githubToken, startGitHubEmulator } from "../emulators/github";
import { expectAccessibleInEveryView, launchChromium } from "../helpers/browser";
import { connectClient, secretOfUrl, uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 120_000 });

const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const email = uniqueEmail("journey");

let github: GitHubEmulator;
let platform: RunningPlatform;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let mcpUrl = "";
let serverPath = "";
/** The connected account's name, as Connections shows it. */
let accountLabel = "";

async function snap(name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshots, `journey-${name}.png`), fullPage: true });
}

const heading = () => page.getByRole("heading", { level: 1 }).textContent();
const main = () => page.getByRole("main");
const mainText = async () => ((await main().textContent()) ?? "").replace(/\s+/g, " ");
const navigateTo = (name: string) =>
  page.getByRole("navigation", { name: "Main" }).getByRole("link", { name }).click();
const fieldGroup = (label: string) => page.getByRole("group", { name: new RegExp(`^${label}`) });

/** Each step of the home checklist as it reads: "Create a server: Done". */
async function checklist(): Promise<string[]> {
  const titles = await page
    .getByRole("region", { name: "Get set up" })
    .getByRole("heading", { level: 3 })
    .allTextContents();
  return titles.map((title) => title.replace(/\s+/g, " ").trim());
}

/** What every copy button on the page puts on the clipboard: never a placeholder. */
async function copiedValues(): Promise<string[]> {
  const values: string[] = [];
  const buttons = main().getByRole("button", { name: /^Copy/ });
  for (let index = 0; index < (await buttons.count()); index++) {
    const button = buttons.nth(index);
    if (!(await button.isVisible())) continue;
    await button.click();
    values.push(await page.evaluate(() => navigator.clipboard.readText()));
  }
  for (const value of values) expect(value).not.toMatch(/<your|your MCP URL|<token>/i);
  return values;
}

async function goHome(): Promise<void> {
  await navigateTo("Toolgate");
  await expect.poll(heading).toBe("Welcome, Ada");
}

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  github = await startGitHubEmulator();
  [platform, browser] = await Promise.all([
    startPlatform({ env: { GITHUB_API_URL: github.url } }),
    launchChromium(),
  ]);
  // Someone administers the platform already: Ada is an ordinary person, as most people are.
  await createUser({
    email: uniqueEmail("journey-admin"),
    password: "an administrator's password",
    admin: true,
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: platform.url });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stopStartedPlatforms();
  await github?.stop();
  await closeTestConnections();
});

describe("a person's first hour, from sign-up to a first call seen on the home page", () => {
  it("signs up and is shown where to start", async () => {
    await page.goto(`${platform.url}/signup`);
    await expectAccessibleInEveryView(page);
    await page.getByLabel("Name").fill("Ada");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("a good long password");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect.poll(heading).toBe("Welcome, Ada");
    expect(await checklist()).toEqual([
      "Create a server: To do",
      "Add a tool: To do",
      "Connect an account: To do",
      "Make a first call: To do",
    ]);
    await snap("1-home");
    await expectAccessibleInEveryView(page);
  });

  it("creates a server named after its AI app, whose set-up opens on that app with the real URL", async () => {
    await page
      .getByRole("region", { name: "Get set up" })
      .getByRole("link", { name: "Create a server" })
      .click();
    await expect.poll(heading).toBe("Servers");
    await page.getByLabel("Name").fill("Cursor");
    await page.getByRole("button", { name: "Create server" }).click();
    const shown = page.getByLabel("Your MCP URL");
    await expect.poll(() => shown.inputValue()).toMatch(new RegExp(`^${platform.url}/mcp/`));
    mcpUrl = await shown.inputValue();
    await page.getByRole("button", { name: "Copy URL" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(mcpUrl);
    // The set-up shown after creation is open, on Cursor's tab, and every copy holds the real URL.
    expect(await page.getByRole("tab", { name: "Cursor", selected: true }).count()).toBe(1);
    const copied = await copiedValues();
    expect(copied.length).toBeGreaterThan(0);
    for (const value of copied) expect(value).toContain(mcpUrl);
    await snap("2-server-created");
    await expectAccessibleInEveryView(page);
    await page.getByRole("link", { name: "Cursor", exact: true }).click();
    await expect.poll(heading).toBe("Cursor");
    serverPath = new URL(page.url()).pathname;
    // Later, the URL is not shown again: the set-up copies nothing that is not the URL.
    await copiedValues();
    await expectAccessibleInEveryView(page);
  });

  it("adds GitHub's Create issue starting from the app, connecting GitHub on the way", async () => {
    await goHome();
    expect(await checklist()).toEqual([
      "Create a server: Done",
      "Add a tool: To do",
      "Connect an account: To do",
      "Make a first call: To do",
    ]);
    await page.getByRole("region", { name: "Get set up" }).getByRole("link", { name: "Add a tool" }).click();
    await expect.poll(heading).toBe("Add a tool");
    await expectAccessibleInEveryView(page);
    await page.getByRole("list", { name: "Apps" }).getByRole("link", { name: "GitHub", exact: true }).click();
    await page.getByRole("link", { name: /^Create issue/ }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Account" }).count()).toBe(1);
    expect(await mainText()).toContain("You have no GitHub account connected yet.");

    await page.getByRole("link", { name: "Connect your GitHub account" }).click();
    await expect.poll(heading).toBe("Connect GitHub");
    await expectAccessibleInEveryView(page);
    await page.getByLabel(/token/i).first().fill(githubToken);
    await snap("3-connect-github");
    await page.getByRole("button", { name: "Connect GitHub" }).click();
    // The check passed, so it is saved and Ada is back in the tool form, the account chosen.
    await expect.poll(() => page.getByRole("heading", { name: "Account" }).count()).toBe(1);
    expect(github.requestsTo("GET /user").at(-1)?.headers.authorization).toBe(`token ${githubToken}`);
    const account = page.getByLabel("GitHub account");
    const chosen = await account.locator("option:checked").textContent();
    expect(chosen).toMatch(/\(Working\)$/);

    await fieldGroup("Repository").getByRole("radio", { name: "Always use this value" }).check();
    await fieldGroup("Repository").getByRole("button", { name: "Load choices from your account" }).click();
    const choices = page.getByLabel("Value of Repository");
    await expect.poll(() => choices.locator("option").allTextContents()).toContain("octocat/hello-world");
    await choices.selectOption({ label: "octocat/hello-world" });
    const preview = page.getByRole("region", { name: "What the AI sees" });
    // In plain words as well as in JSON.
    await expect.poll(() => preview.textContent()).toContain('Always: repository = "octocat/hello-world".');
    const asJson = JSON.parse(
      (await preview.getByRole("region", { name: "The tool as JSON" }).textContent()) ?? "",
    );
    expect(asJson.name).toBe("github_create_issue");
    expect(Object.keys(asJson.inputSchema.properties)).toContain("title");
    expect(Object.keys(asJson.inputSchema.properties)).not.toContain("repository");
    await snap("4-configure-tool");
    await expectAccessibleInEveryView(page);
    await page.getByRole("button", { name: "Add tool" }).click();
    await expect.poll(heading).toBe("github_create_issue");
  });

  it("shows the same account, with the same badge, on Connections, the server page and the tool form", async () => {
    await navigateTo("Connections");
    await expect.poll(heading).toBe("Connections");
    const card = main().getByRole("article").filter({ hasText: "Working" });
    expect(await card.count()).toBe(1);
    accountLabel = ((await card.getByRole("heading").first().textContent()) ?? "").trim();
    expect(accountLabel).not.toBe("");
    expect(await card.textContent()).toContain("Not used yet");
    await snap("5-connections");
    await expectAccessibleInEveryView(page);

    await page.goto(`${platform.url}${serverPath}`);
    await expect.poll(heading).toBe("Cursor");
    const tool = main().getByRole("listitem").filter({ hasText: "github_create_issue" });
    const toolText = ((await tool.textContent()) ?? "").replace(/\s+/g, " ");
    // Connected from the tool form, the account was chosen there: the tool names it.
    expect(toolText).toContain(`Uses ${accountLabel}Working`);
    expect(toolText).not.toMatch(/No GitHub account|not set up/);
    expect(toolText).toContain("· 1 fixed ·");
    await snap("6-server");
    await expectAccessibleInEveryView(page);

    await tool.getByRole("link", { name: "Edit github_create_issue" }).click();
    await expect.poll(heading).toBe("github_create_issue");
    expect(await page.getByLabel("GitHub account").locator("option:checked").textContent()).toBe(
      `${accountLabel} (Working)`,
    );
    await expectAccessibleInEveryView(page);
  });

  it("points at the AI app's set-up next, and the AI app's call files the issue on GitHub", async () => {
    await goHome();
    expect(await checklist()).toEqual([
      "Create a server: Done",
      "Add a tool: Done",
      "Connect an account: Done",
      "Make a first call: To do",
    ]);
    await page
      .getByRole("region", { name: "Get set up" })
      .getByRole("link", { name: "Set up your AI app" })
      .click();
    await expect.poll(() => page.getByRole("heading", { name: "Set up your AI app" }).count()).toBe(1);
    expect(await page.getByRole("tab", { name: "Cursor", selected: true }).count()).toBe(1);

    const client = await connectClient(platform.url, secretOfUrl(mcpUrl));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((listed) => listed.name)).toEqual(["github_create_issue"]);
      const before = github.requestsTo("POST /repos/:owner/:repo/issues").length;
      const filed = await client.callTool({
        name: "github_create_issue",
        arguments: { title: "Filed by the AI" },
      });
      expect(filed.isError, JSON.stringify(filed.content)).toBeFalsy();
      const sent = github.requestsTo("POST /repos/:owner/:repo/issues");
      expect(sent.length).toBe(before + 1);
      expect(sent.at(-1)?.path).toBe("/repos/octocat/hello-world/issues");
      expect(sent.at(-1)?.headers.authorization).toBe(`token ${githubToken}`);
    } finally {
      await client.close();
    }
  });

  it("sees the first call on the home page, with the usage it cost, and in History and Connections", async () => {
    await goHome();
    expect(await page.getByRole("region", { name: "Get set up" }).count()).toBe(0);
    const setUp = page.getByRole("region", { name: "You're set up" });
    expect(await setUp.getByText(/^First call: github_create_issue, just now\./).count()).toBe(1);
    expect(await mainText()).toMatch(/This hour\s*\d+%\s*1 \/ \d+ calls/);
    await snap("7-home-set-up");
    await expectAccessibleInEveryView(page);

    await setUp.getByRole("link", { name: "See it in your history" }).click();
    await expect.poll(heading).toBe("History");
    const row = main().getByRole("row").filter({ hasText: "github_create_issue" }).first();
    expect(await row.textContent()).toContain("Success");
    await snap("8-history");
    await expectAccessibleInEveryView(page);

    // "Last used" is the real call's, and the badge is still the one every page showed.
    await navigateTo("Connections");
    await expect.poll(heading).toBe("Connections");
    const card = main().getByRole("article").filter({ hasText: accountLabel });
    expect(await card.textContent()).toContain("Last used just now");
    expect(await card.textContent()).toContain("Working");
  });
});
