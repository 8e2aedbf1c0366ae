// A new person's home page in Chromium follows their first hour: the checklist advances as they
// create a server, add a tool (through the pages) and their AI app makes a call (through the MCP
// endpoint), each next step's button leading where it is done; it folds into "You're set up";
// a tool whose app needs an account brings the "Connect" step back; and at a limit the page says
// calls are refused until when and what to do. Axe at 1280 and 375 px, light and dark.
// Screenshots go to test-results/screenshots/home-*.png.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getEffectiveLimits } from "@/lib/quota/effective-limits";
import { getWindows } from "@/lib/quota/windows";
import { addTool, addToolSchema } from "@/lib/tools/manage-tools";
import { createUser } from "@/lib/users/create-user";
import { setLimitOverrides } from "@/lib/users/set-limit-overrides";
import { expectNoSeriousAxeViolations, launchChromium, signedInContext } from "../helpers/browser";
import { connectClient, secretOfUrl, uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 90_000 });

const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const password = "correct horse battery";

let platform: RunningPlatform;
let browser: Browser;
let page: Page;
let userId: string;
let serverId = "";
let mcpUrl = "";
let client: Client | undefined;

async function snap(name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshots, `home-${name}.png`), fullPage: true });
}

async function goHome(): Promise<void> {
  await page.goto(`${platform.url}/`);
  await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Welcome, Grace");
}

/** Each step of the checklist as it reads: "Create a server: Done". */
async function stepStates(): Promise<string[]> {
  const titles = await page
    .getByRole("region", { name: "Get set up" })
    .getByRole("heading", { level: 3 })
    .allTextContents();
  return titles.map((title) => title.replace(/\s+/g, " ").trim());
}

/** The checklist's one button, on the step to do next (the current step). */
const nextButton = () => page.locator('li[aria-current="step"]').getByRole("link");

async function callTransform(text: string) {
  client ??= await connectClient(platform.url, secretOfUrl(mcpUrl));
  return client.callTool({ name: "formatter_transform_text", arguments: { text, operation: "uppercase" } });
}

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  [platform, browser] = await Promise.all([startPlatform(), launchChromium()]);
  // An administrator exists, so that Grace is an ordinary person (the first account administers).
  await createUser({ email: uniqueEmail("home-admin"), password, admin: true });
  const email = uniqueEmail("home");
  userId = (await createUser({ email, password, name: "Grace" })).id;
  const context = await signedInContext(
    browser,
    platform.url,
    { email, password },
    { viewport: { width: 1280, height: 900 } },
  );
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await client?.close();
  await browser?.close();
  await stopStartedPlatforms();
  await closeTestConnections();
});

describe("the home page's checklist", () => {
  it("starts with creating a server, its button leading to the servers page", async () => {
    await goHome();
    expect(await page.getByText("0 of 4 steps done").count()).toBe(1);
    expect(await stepStates()).toEqual([
      "Create a server: To do",
      "Add a tool: To do",
      "Connect an account: To do",
      "Make a first call: To do",
    ]);
    await snap("start");
    await expectNoSeriousAxeViolations(page);
    expect(await nextButton().textContent()).toBe("Create a server");
    await nextButton().click();
    await page.waitForURL(`${platform.url}/servers`);
    await page.getByLabel("Name").fill("Claude Desktop");
    await page.getByRole("button", { name: "Create server" }).click();
    const shown = page.getByTestId("one-time-url").getByLabel("Your MCP URL");
    await expect.poll(() => shown.inputValue()).toMatch(new RegExp(`^${platform.url}/mcp/`));
    mcpUrl = await shown.inputValue();
  });

  it("then asks for a tool, with the button to add one to that server", async () => {
    await goHome();
    expect(await stepStates()).toEqual([
      "Create a server: Done",
      "Add a tool: To do",
      "Connect an account: To do",
      "Make a first call: To do",
    ]);
    expect(await page.getByText("“Claude Desktop” is ready.").count()).toBe(1);
    expect(await nextButton().textContent()).toBe("Add a tool");
    await nextButton().click();
    await page.waitForURL(/\/servers\/[^/]+\/tools\/new$/);
    serverId = new URL(page.url()).pathname.split("/")[2] ?? "";
    await page.getByLabel("Search apps and actions").fill("transform");
    await page.getByRole("link", { name: /Transform text/ }).click();
    await page.waitForURL(/app=formatter&action=transform_text/);
    await page.getByRole("button", { name: "Add tool" }).click();
    await page.waitForURL(new RegExp(`/servers/${serverId}/tools/[^/]+\\?added=1$`));
  });

  it("marks the account step not needed for an app without accounts and points at the set-up", async () => {
    await goHome();
    expect(await stepStates()).toEqual([
      "Create a server: Done",
      "Add a tool: Done",
      "Connect an account: Not needed",
      "Make a first call: To do",
    ]);
    expect(await page.getByText("formatter_transform_text on “Claude Desktop”.").count()).toBe(1);
    expect(await nextButton().textContent()).toBe("Set up your AI app");
    await nextButton().click();
    await page.waitForURL(`${platform.url}/servers/${serverId}#setup`);
    expect(await page.getByRole("heading", { name: "Set up your AI app" }).count()).toBe(1);
  });

  it("folds into “You're set up” once the AI app has made a call", async () => {
    const called = await callTransform("hello");
    expect(called.isError).toBeFalsy();
    await goHome();
    expect(await page.getByRole("region", { name: "Get set up" }).count()).toBe(0);
    const setUp = page.getByRole("region", { name: "You're set up" });
    // The first call stays in sight once the checklist has folded.
    expect(await setUp.getByText(/^First call: formatter_transform_text, just now\./).count()).toBe(1);
    expect(await setUp.getByRole("link").allTextContents()).toEqual([
      "See it in your history",
      "Your servers",
      "Apps",
      "History",
    ]);
    await snap("set-up");
    await expectNoSeriousAxeViolations(page);
  });

  it("brings back the account step, with the connect page for the app, when a tool needs an account", async () => {
    const tool = await addTool(
      userId,
      serverId,
      addToolSchema.parse({ integration: "todoist", action: "create_task" }),
    );
    await goHome();
    expect(await stepStates()).toEqual([
      "Create a server: Done",
      "Add a tool: Done",
      "Connect an account: To do",
      "Make a first call: Done",
    ]);
    expect(await page.getByText(/formatter_transform_text, just now/).count()).toBe(1);
    expect(await nextButton().textContent()).toBe("Connect Todoist");
    await nextButton().click();
    await page.waitForURL(
      `${platform.url}/connections/new?app=todoist&returnTo=${encodeURIComponent(`/servers/${serverId}/tools/${tool.id}`)}`,
    );
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Connect Todoist");
    expect(await page.getByRole("link", { name: "Back to your tool" }).count()).toBe(1);
  });
});

describe("the home page's usage", () => {
  it("shows the calls used against the limits and says plainly when a limit is used up", async () => {
    const limits = await getEffectiveLimits(userId);
    await goHome();
    expect(await page.getByTestId("usage-hour-count").textContent()).toBe(`1 / ${limits.hour} calls`);
    expect(await page.getByRole("heading", { name: `Your usage (plan: ${limits.planName})` }).count()).toBe(
      1,
    );
    expect(await page.getByRole("alert").filter({ hasText: "calls are refused" }).count()).toBe(0);

    expect((await callTransform("again")).isError).toBeFalsy();
    await setLimitOverrides(userId, { hour: 2 });
    await goHome();
    const until = getWindows(new Date()).hour.resetsAt.toISOString().slice(11, 16);
    expect(await page.getByTestId("usage-hour-count").textContent()).toBe("2 / 2 calls");
    const alert = page.getByRole("alert").filter({ hasText: "calls are refused" });
    expect(await alert.textContent()).toContain(
      `You have used all 2 calls allowed this hour; calls are refused until ${until} UTC.`,
    );
    expect(await alert.textContent()).toContain("ask your administrator to raise your limits");
    // The warning is true: the next call is refused.
    const refused = await callTransform("one more");
    expect(refused.isError).toBe(true);
    await snap("limit");

    for (const colorScheme of ["light", "dark"] as const)
      for (const width of [1280, 375]) {
        await page.emulateMedia({ colorScheme });
        await page.setViewportSize({ width, height: 900 });
        await goHome();
        await expectNoSeriousAxeViolations(page);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      }
    await snap("limit-phone-dark");
  });
});
