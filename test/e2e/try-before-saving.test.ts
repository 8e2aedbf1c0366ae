// A person configures a new tool and tries it before adding it, in Chromium against the real
// platform: the try form asks for exactly the fields the preview shows, an empty required text is
// refused by name, settings that would not save are refused on their field, the result comes
// back through the worker, nothing is saved, and History shows the call as a try of unsaved
// settings. Axe runs on the editor at 1280 and 375 px, light and dark.
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createConnection } from "@/lib/connections/manage-connections";
import { getDb } from "@/lib/db/client";
import { createServer } from "@/lib/servers/manage-servers";
import { addTool, addToolSchema, listTools } from "@/lib/tools/manage-tools";
import { createUser } from "@/lib/users/create-user";
import type { Emulator } from "../emulators/emulator";
import { startTodoistEmulator, todoistToken } from "../emulators/todoist";
import { CookieJar, signInOverHttp } from "../helpers/auth-http";
import { expectNoSeriousAxeViolations, launchChromium } from "../helpers/browser";
import { uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 60_000 });

const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const password = "correct horse battery";

let platform: RunningPlatform;
let todoist: Emulator;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let userId: string;
let serverId: string;

async function snap(name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshots, `try-before-saving-${name}.png`), fullPage: true });
}

const fieldRow = (name: string) => page.locator(`fieldset[data-field="${name}"]`);
const tryForm = () => page.getByRole("form", { name: "Try the tool" });

async function previewFields(): Promise<string[]> {
  const json = JSON.parse((await page.getByTestId("preview-json").textContent()) ?? "null");
  return Object.keys(json.inputSchema.properties);
}

/** The ids of the try form's inputs, without their "try-" prefix. */
async function tryFields(): Promise<string[]> {
  return tryForm()
    .locator("input, select, textarea")
    .evaluateAll((inputs) => inputs.map((input) => input.id.replace(/^try-/, "")));
}

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  todoist = await startTodoistEmulator();
  [platform, browser] = await Promise.all([
    startPlatform({ env: { TODOIST_API_URL: todoist.url } }),
    launchChromium(),
  ]);
  const email = uniqueEmail(`try-draft-${randomBytes(2).toString("hex")}`);
  userId = (await createUser({ email, password })).id;
  serverId = (await createServer(userId, "Drafts")).id;
  const { code, jar } = await signInOverHttp(platform.url, email, password, new CookieJar());
  expect(code).toBeNull();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies(
    [...jar.cookies].map(([name, value]) => ({
      name,
      value,
      url: platform.url,
      httpOnly: true,
      sameSite: "Lax" as const,
    })),
  );
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stopStartedPlatforms();
  await todoist?.stop();
  await closeTestConnections();
});

describe("trying a new tool before adding it", () => {
  it("asks for the fields the AI fills, as the preview shows them", async () => {
    await page.goto(`${platform.url}/servers/${serverId}/tools/new?app=formatter&action=transform_text`);
    await expect.poll(() => page.getByRole("heading", { name: "Try it" }).count()).toBe(1);
    expect(await tryFields()).toEqual(["text", "operation"]);
    expect(await previewFields()).toEqual(["text", "operation"]);
    await fieldRow("operation").getByRole("radio", { name: "Always use this value" }).check();
    await page.getByLabel("Value of Operation").selectOption("uppercase");
    await expect.poll(tryFields).toEqual(["text"]);
    expect(await previewFields()).toEqual(["text"]);
    expect(
      await tryForm().getByText("It runs the settings above as they are now, without saving them.").count(),
    ).toBe(1);
  });

  it("refuses settings that would not save with saving's error on their field, before any call", async () => {
    await addTool(
      userId,
      serverId,
      addToolSchema.parse({ integration: "formatter", action: "count_text", name: "taken" }),
    );
    await page.getByLabel("Tool name").fill("taken");
    await tryForm().getByLabel(/^Text/).fill("hello");
    await tryForm().getByRole("button", { name: "Run it once" }).click();
    await expect
      .poll(() => page.locator("#tool-name-error").textContent())
      .toBe('This server already has a tool named "taken". Choose another name.');
    expect(await tryForm().getByRole("alert").textContent()).toContain('already has a tool named "taken"');
    expect(await getDb().call.count({ where: { userId } })).toBe(0);
  });

  it("refuses an empty required text by its name", async () => {
    await tryForm().getByLabel(/^Text/).fill("   ");
    await tryForm().getByRole("button", { name: "Run it once" }).click();
    await expect
      .poll(() => page.locator("#try-text-error").textContent())
      .toBe("Fill in Text: the tool needs it.");
    expect(await page.locator("#try-text").getAttribute("aria-invalid")).toBe("true");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("try-text");
    expect(await getDb().call.count({ where: { userId } })).toBe(0);
  });

  it("runs the settings as they stand through the worker, and saves nothing", async () => {
    await page.getByLabel("Tool name").fill("shout_draft");
    await tryForm().getByLabel(/^Text/).fill("hello");
    await tryForm().getByRole("button", { name: "Run it once" }).click();
    await expect
      .poll(() => page.getByTestId("try-result").textContent(), { timeout: 30_000 })
      .toContain("HELLO");
    expect(await page.locator("#try-text-error").count()).toBe(0);
    expect((await listTools(userId, serverId)).map((tool) => tool.name)).toEqual(["taken"]);
    const calls = await getDb().call.findMany({ where: { userId } });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      toolId: null,
      toolName: "shout_draft",
      draft: true,
      status: "SUCCESS",
      counted: true,
    });
    await snap("result");
  });

  it("passes axe at 1280 and 375 px, light and dark", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: 900 });
        await expectNoSeriousAxeViolations(page);
        await snap(`${colorScheme}-${width}`);
      }
    }
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("shows the try in History as a try of unsaved settings", async () => {
    await page.goto(`${platform.url}/history`);
    await expect.poll(() => page.getByTestId("call-tool").first().textContent()).toBe("shout_draft");
    expect(await page.getByTestId("call-draft").first().textContent()).toBe("Try of unsaved settings");
    await expectNoSeriousAxeViolations(page);
  });
});

describe("choices from the account in the try form", () => {
  it("offers a field the AI fills as a list loaded from the account, and sends the choice", async () => {
    await createConnection(userId, {
      integration: "todoist",
      label: "Ada's Todoist",
      credentials: { api_token: todoistToken },
    });
    await page.goto(`${platform.url}/servers/${serverId}/tools/new?app=todoist&action=create_task`);
    const project = tryForm().getByLabel(/^Project id/);
    expect(await project.evaluate((input) => input.tagName)).toBe("INPUT");
    await tryForm().getByRole("button", { name: "Load choices from your account for Project id" }).click();
    await expect
      .poll(() => project.locator("option").allTextContents())
      .toEqual(["Leave empty", "Inbox", "Groceries"]);
    expect(await tryForm().getByText("2 choices loaded.").count()).toBe(1);
    await project.selectOption({ label: "Groceries" });
    await tryForm()
      .getByLabel(/^Content/)
      .fill("Buy milk");
    await tryForm().getByRole("button", { name: "Run it once" }).click();
    await expect
      .poll(() => page.getByTestId("try-result").textContent(), { timeout: 30_000 })
      .toContain("Buy milk");
    const sent = todoist.requestsTo("POST /api/v1/tasks").at(-1);
    expect(sent?.body).toMatchObject({ content: "Buy milk", project_id: "2203306142" });
    expect(sent?.headers.authorization).toBe(`Bearer ${todoistToken}`);
    await expectNoSeriousAxeViolations(page);
    await snap("choices");
  });
});
