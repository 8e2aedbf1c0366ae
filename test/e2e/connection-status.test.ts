// A person connects GitHub on a platform that cannot reach GitHub (its API URL is a loopback port
// with nothing listening), in Chromium: the check before saving fails and says why, in words about
// the network rather than the token; "Save anyway" saves it marked Not working, which a reload
// still shows; and the server page's tool without a chosen account names the default account with
// the same badge. axe-core checks each state at 1280 px and 375 px, light and dark.
import { mkdir } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import { createServer } from "@/lib/servers/manage-servers";
import { addTool, addToolSchema } from "@/lib/tools/manage-tools";
import { createUser } from "@/lib/users/create-user";
import { githubToken } from "../emulators/github";
import { expectNoSeriousAxeViolations, launchChromium, signedInContext } from "../helpers/browser";
import { uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 60_000 });

const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const password = "a good long password";
const badge = "Not working: can't reach GitHub";

let platform: RunningPlatform;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let userId: string;
let closedPort: number;

async function snap(name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshots, `connection-status-${name}.png`), fullPage: true });
}

/** axe at desktop width in light mode, then at 375 px in dark mode, and back. */
async function expectAccessibleAtBothSizes(name: string): Promise<void> {
  await expectNoSeriousAxeViolations(page);
  await snap(name);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.setViewportSize({ width: 375, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await expectNoSeriousAxeViolations(page);
  await snap(`${name}-dark-narrow`);
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 1280, height: 900 });
}

const card = (label: string): Locator => page.getByRole("article", { name: label, exact: true });

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  [platform, browser] = await Promise.all([
    startPlatform({ env: { GITHUB_API_URL: `http://127.0.0.1:${closedPort}` } }),
    launchChromium(),
  ]);
  const email = uniqueEmail("connection-status");
  userId = (await createUser({ email, password })).id;
  context = await signedInContext(
    browser,
    platform.url,
    { email, password },
    {
      viewport: { width: 1280, height: 900 },
    },
  );
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stopStartedPlatforms();
  await closeTestConnections();
});

describe("a connection whose app cannot be reached", () => {
  it("asks for a missing token by its label, in plain words", async () => {
    await page.goto(`${platform.url}/connections/new?app=github`);
    await page.getByRole("button", { name: "Connect GitHub" }).click();
    const token = page.getByLabel("Personal access token");
    await expect.poll(() => token.getAttribute("aria-invalid")).toBe("true");
    const errorId = ((await token.getAttribute("aria-describedby")) ?? "")
      .split(" ")
      .find((id) => id.endsWith("-error"));
    expect(await page.locator(`[id="${errorId}"]`).textContent()).toBe(
      "Enter your Personal access token: GitHub needs it to act for you.",
    );
  });

  it("checks before saving: the failure says GitHub could not be reached, and asks Save anyway?", async () => {
    await page.getByLabel("Name (optional)").fill("Work GitHub");
    await page.getByLabel("Personal access token").fill(githubToken);
    await page.getByRole("button", { name: "Connect GitHub" }).click();
    const notice = page.locator("main").getByRole("status").filter({ hasText: "Save anyway?" });
    await expect.poll(() => notice.count()).toBe(1);
    const text = (await notice.textContent()) ?? "";
    expect(text).toContain(badge);
    expect(text).toContain(
      `GitHub could not be reached from this server (127.0.0.1:${closedPort} refused the connection): check its network access`,
    );
    expect(text).not.toMatch(/check (your|the) token/i);
    // Nothing is saved yet, and what was typed is still there for the explicit second submit.
    expect(await getDb().connection.count({ where: { userId } })).toBe(0);
    expect(await page.getByLabel("Personal access token").inputValue()).toBe(githubToken);
    await expectAccessibleAtBothSizes("check-failed");
  });

  it("saves it anyway, marked Not working with advice about the network, and a reload still says so", async () => {
    await page.getByRole("button", { name: "Save anyway" }).click();
    await page.waitForURL(/\/connections\?/);
    const expectCardSaysUnreachable = async () => {
      await expect.poll(() => card("Work GitHub").count()).toBe(1);
      expect(await card("Work GitHub").getByText(badge, { exact: true }).isVisible()).toBe(true);
      const text = (await card("Work GitHub").textContent()) ?? "";
      expect(text).toContain("GitHub could not be reached from this server");
      expect(text).toContain("check its network access");
      expect(text).not.toContain("Working");
      expect(text).toContain("Not used yet");
    };
    await expectCardSaysUnreachable();
    const [row] = await getDb().connection.findMany({ where: { userId } });
    expect(row).toMatchObject({ label: "Work GitHub", status: "UNREACHABLE", lastUsedAt: null });
    expect(row?.lastCheckedAt).not.toBeNull();

    await page.goto(`${platform.url}/connections`);
    await expectCardSaysUnreachable();
    await expectAccessibleAtBothSizes("saved-unreachable");

    // Testing again gives the same verdict, said the same way.
    await card("Work GitHub").getByRole("button", { name: "Test Work GitHub" }).click();
    await expect.poll(() => card("Work GitHub").locator("[aria-live] p").textContent()).toContain(badge);
  });

  it("the server page names the default account a tool uses, with the same badge", async () => {
    const server = await createServer(userId, "Status desk");
    const githubTool = await addTool(
      userId,
      server.id,
      addToolSchema.parse({ integration: "github", action: "list_repositories" }),
    );
    const todoistTool = await addTool(
      userId,
      server.id,
      addToolSchema.parse({ integration: "todoist", action: "create_task" }),
    );
    await page.goto(`${platform.url}/servers/${server.id}`);
    const githubRow = page.getByRole("listitem").filter({ hasText: githubTool.name });
    await expect.poll(() => githubRow.count()).toBe(1);
    expect(await githubRow.textContent()).toContain("Uses your default account: Work GitHub");
    expect(await githubRow.getByText(badge, { exact: true }).isVisible()).toBe(true);
    expect(await githubRow.textContent()).not.toContain("No GitHub account");
    // Only a tool whose app needs an account and has none says so.
    const todoistRow = page.getByRole("listitem").filter({ hasText: todoistTool.name });
    expect(await todoistRow.textContent()).toContain("No Todoist account");
    await expectAccessibleAtBothSizes("server-tools");
  });
});
