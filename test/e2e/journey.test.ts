// The whole journey of a person who has never seen the product, in Chromium, through the pages
// only: sign up; connect GitHub with a token (against its emulator) and Gmail through OAuth
// (against the local OAuth server); create a server; add GitHub's "Create issue" with the
// repository picked from the account and fixed, and Formatter's "Transform text" with its
// operation fixed; check the preview; try the action from the page; copy the URL; call the tool
// from an MCP client; and find the call in the history. Screenshots of every page; axe on each.
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type GitHubEmulator, githubToken, startGitHubEmulator } from "../emulators/github";
import { startOAuthServer } from "../emulators/oauth-server";
import { expectNoSeriousAxeViolations, launchChromium } from "../helpers/browser";
import { connectClient, secretOfUrl } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 90_000 });

const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const email = `journey-${randomBytes(4).toString("hex")}@example.com`;

let github: GitHubEmulator;
let oauth: Awaited<ReturnType<typeof startOAuthServer>>;
let platform: RunningPlatform;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let mcpUrl = "";
let serverPath = "";

async function snap(name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshots, `journey-${name}.png`), fullPage: true });
}

const heading = () => page.getByRole("heading", { level: 1 }).textContent();
const fieldRow = (name: string) => page.locator(`fieldset[data-field="${name}"]`);

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  github = await startGitHubEmulator();
  oauth = await startOAuthServer({
    clientId: "journey-google-client",
    clientSecret: "journey-google-secret",
    redirectUri: "set below",
    profile: { emailAddress: "ada@example.com" },
  });
  [platform, browser] = await Promise.all([
    startPlatform({
      env: {
        GITHUB_API_URL: github.url,
        GOOGLE_CLIENT_ID: "journey-google-client",
        GOOGLE_CLIENT_SECRET: "journey-google-secret",
        GOOGLE_AUTHORIZE_URL: `${oauth.url}/authorize`,
        GOOGLE_TOKEN_URL: `${oauth.url}/token`,
        GMAIL_API_URL: oauth.url,
      },
    }),
    launchChromium(),
  ]);
  oauth.registerRedirectUri(`${platform.url}/api/oauth/gmail/callback`);
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: platform.url });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stopStartedPlatforms();
  await github?.stop();
  await oauth?.stop();
  await closeTestConnections();
});

describe("from sign-up to a working MCP URL with a GitHub action", () => {
  it("signs up and lands on the home page", async () => {
    await page.goto(`${platform.url}/signup`);
    await page.getByLabel("Name").fill("Ada");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("a good long password");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect.poll(heading).toBe("Welcome, Ada");
    await snap("1-home");
    await expectNoSeriousAxeViolations(page);
  });

  it("finds GitHub in the apps and connects it with a token", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Apps" }).click();
    await expect.poll(heading).toBe("Apps");
    await page.getByRole("searchbox").fill("github");
    await page
      .getByRole("link", { name: /GitHub/ })
      .first()
      .click();
    await expect.poll(heading).toBe("GitHub");
    await snap("2-app-github");
    await page.getByRole("link", { name: "Connect an account" }).click();
    await expect.poll(heading).toBe("Connect GitHub");
    await page.getByLabel("Name (optional)").fill("My GitHub");
    await page.getByLabel(/token/i).first().fill(githubToken);
    await snap("3-connect-github");
    await expectNoSeriousAxeViolations(page);
    await page.getByRole("button", { name: "Connect GitHub" }).click();
    await expect.poll(heading).toBe("Connections");
    await expect.poll(() => page.locator("main").textContent()).toContain("octocat");
    expect(github.requestsTo("GET /user").at(-1)?.headers.authorization).toBe(`token ${githubToken}`);
  });

  it("connects Gmail through OAuth in the browser", async () => {
    await page.goto(`${platform.url}/connections/new?app=gmail`);
    await page.getByRole("button", { name: "Continue to Gmail" }).click();
    await expect.poll(heading).toBe("Connections");
    await expect
      .poll(() => page.locator("main").getByRole("status").first().textContent())
      .toContain("Connected");
    await snap("4-connections");
    await expectNoSeriousAxeViolations(page);
  });

  it("creates a server and sees its URL once", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Servers" }).click();
    await expect.poll(heading).toBe("Servers");
    await page.getByLabel("Name").fill("Claude Desktop");
    await page.getByRole("button", { name: "Create server" }).click();
    const shown = page.getByTestId("one-time-url").getByLabel("Your MCP URL");
    await expect.poll(() => shown.inputValue()).toMatch(new RegExp(`^${platform.url}/mcp/`));
    await page.getByTestId("one-time-url").getByRole("button", { name: "Copy URL" }).click();
    mcpUrl = await page.evaluate(() => navigator.clipboard.readText());
    expect(mcpUrl).toBe(await shown.inputValue());
    await snap("5-server-created");
    await expectNoSeriousAxeViolations(page);
    await page.getByRole("link", { name: "Claude Desktop", exact: true }).click();
    await expect.poll(heading).toBe("Claude Desktop");
    serverPath = new URL(page.url()).pathname;
  });

  it("adds GitHub's Create issue with the repository picked from the account and fixed", async () => {
    await page.getByRole("link", { name: "Add a tool" }).first().click();
    await page.getByLabel("Search apps and actions").fill("create issue");
    await page
      .locator('section[data-app="github"]')
      .getByRole("link", { name: /Create issue/ })
      .click();
    await fieldRow("repository").getByRole("radio", { name: "Always use this value" }).check();
    await fieldRow("repository").getByRole("button", { name: "Load choices from your account" }).click();
    const choices = page.getByLabel("Value of Repository");
    await expect.poll(() => choices.locator("option").allTextContents()).toContain("octocat/hello-world");
    await choices.selectOption({ label: "octocat/hello-world" });
    await expect.poll(() => page.getByTestId("preview-fixed").textContent()).toContain("octocat/hello-world");
    const preview = JSON.parse((await page.getByTestId("preview-json").textContent()) ?? "{}");
    expect(preview.name).toBe("github_create_issue");
    expect(Object.keys(preview.inputSchema.properties)).toContain("title");
    expect(Object.keys(preview.inputSchema.properties)).not.toContain("repository");
    await snap("6-configure-github-tool");
    await expectNoSeriousAxeViolations(page);
    await page.getByRole("button", { name: "Add tool" }).click();
    await expect.poll(heading).toBe("github_create_issue");
  });

  it("tries the action from the page, which files the issue on GitHub", async () => {
    const before = github.requestsTo("POST /repos/:owner/:repo/issues").length;
    await page.getByLabel(/title/i).first().fill("Tried from the page");
    await page.getByRole("button", { name: "Run it once" }).click();
    await expect
      .poll(() => page.getByTestId("try-result").textContent(), { timeout: 45_000 })
      .toContain("Tried from the page");
    expect(github.requestsTo("POST /repos/:owner/:repo/issues").length).toBe(before + 1);
    await snap("7-try-it");
  });

  it("adds Formatter's Transform text with its operation fixed and the text left to the AI", async () => {
    await page.goto(`${platform.url}${serverPath}/tools/new?q=transform`);
    await page.getByRole("link", { name: /Transform text/ }).click();
    await fieldRow("operation").getByRole("radio", { name: "Always use this value" }).check();
    await page.getByLabel("Value of Operation").selectOption("uppercase");
    await page.getByRole("button", { name: "Add tool" }).click();
    await expect.poll(heading).toBe("formatter_transform_text");
    await page.goto(`${platform.url}${serverPath}`);
    await expect.poll(() => page.locator("main").textContent()).toContain("formatter_transform_text");
    await snap("8-server");
    await expectNoSeriousAxeViolations(page);
  });

  it("calls the tools from an MCP client with the copied URL", async () => {
    const client = await connectClient(platform.url, secretOfUrl(mcpUrl));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual([
        "formatter_transform_text",
        "github_create_issue",
      ]);
      const before = github.requestsTo("POST /repos/:owner/:repo/issues").length;
      const filed = await client.callTool({
        name: "github_create_issue",
        arguments: { title: "Filed by the AI" },
      });
      expect(filed.isError, JSON.stringify(filed.content)).toBeFalsy();
      const sent = github.requestsTo("POST /repos/:owner/:repo/issues");
      expect(sent.length).toBe(before + 1);
      expect(sent.at(-1)?.path).toBe("/repos/octocat/hello-world/issues");
      expect(JSON.parse(sent.at(-1)?.rawBody ?? "{}")).toEqual({ title: "Filed by the AI" });
      const shouted = await client.callTool({
        name: "formatter_transform_text",
        arguments: { text: "hello" },
      });
      expect(JSON.stringify(shouted.content)).toContain("HELLO");
    } finally {
      await client.close();
    }
  });

  it("finds the calls in the history, with usage", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "History" }).click();
    await expect.poll(heading).toBe("History");
    const main = page.locator("main");
    await expect.poll(() => main.textContent()).toContain("github_create_issue");
    expect(await main.textContent()).toContain("formatter_transform_text");
    expect(await main.getByText("Success").count()).toBeGreaterThanOrEqual(3);
    await snap("9-history");
    await expectNoSeriousAxeViolations(page);
  });
});
