// A person adds, configures, tries and removes a tool in Chromium, against the real platform:
// the action search (with and without JavaScript), the field modes and the live preview of what
// the AI sees, errors from the server shown on the right field, "Try it" through the worker and
// the ledger, secret fixed values (sealed, shown masked, replaceable; sent to a local web server),
// dynamic choices loaded from a Todoist account (its emulator), and axe on each page.
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
import { airtableBase, airtableTable, airtableToken, startAirtableEmulator } from "../emulators/airtable";
import type { Emulator } from "../emulators/emulator";
import { startHttpEmulator } from "../emulators/http";
import { sendgridApiKey, startSendgridEmulator } from "../emulators/sendgrid";
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
let airtable: Emulator;
let http: Emulator;
let sendgrid: Emulator;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let userId: string;
let serverId: string;
let toolId: string;

async function snap(name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshots, `tools-${name}.png`), fullPage: true });
}

async function signedInContext(options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  const email = uniqueEmail(`tools-${randomBytes(2).toString("hex")}`);
  if (!userId) userId = (await createUser({ email, password })).id;
  const user = await getDb().user.findUniqueOrThrow({ where: { id: userId } });
  const { code, jar } = await signInOverHttp(platform.url, user.email, password, new CookieJar());
  expect(code).toBeNull();
  const created = await browser.newContext({ ...options, viewport: { width: 1280, height: 900 } });
  await created.addCookies(
    [...jar.cookies].map(([name, value]) => ({
      name,
      value,
      url: platform.url,
      httpOnly: true,
      sameSite: "Lax" as const,
    })),
  );
  return created;
}

/** The preview of the tool as the page shows it. */
async function preview(): Promise<{
  name: string;
  description: string;
  inputSchema: { properties: object; required?: string[] };
}> {
  return JSON.parse((await page.getByTestId("preview-json").textContent()) ?? "null");
}

/** The ids of the SendGrid emulator's lists, in the order its list endpoint gives them. */
async function sendgridListIds(): Promise<string[]> {
  const response = await fetch(`${sendgrid.url}/v3/marketing/lists`, {
    headers: { authorization: `Bearer ${sendgridApiKey}` },
  });
  const { result } = (await response.json()) as { result: { id: string }[] };
  return result.map((list) => list.id);
}

const fieldRow = (name: string) => page.locator(`fieldset[data-field="${name}"]`);

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  [todoist, airtable, http, sendgrid] = await Promise.all([
    startTodoistEmulator(),
    startAirtableEmulator(),
    startHttpEmulator(),
    startSendgridEmulator(),
  ]);
  [platform, browser] = await Promise.all([
    startPlatform({
      env: {
        TODOIST_API_URL: todoist.url,
        AIRTABLE_API_URL: airtable.url,
        SENDGRID_API_URL: sendgrid.url,
        // The HTTP request app may reach the local web server, and nothing else private.
        HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32",
      },
    }),
    launchChromium(),
  ]);
  context = await signedInContext();
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  serverId = (await createServer(userId, "Claude at work")).id;
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stopStartedPlatforms();
  await Promise.all([todoist?.stop(), airtable?.stop(), http?.stop(), sendgrid?.stop()]);
  await closeTestConnections();
});

describe("adding a tool to a server", () => {
  it("shows the not-found page for a server that is someone else's", async () => {
    const other = await createUser({ email: uniqueEmail("tools-other"), password });
    const theirs = await createServer(other.id, "Not yours");
    const response = await page.goto(`${platform.url}/servers/${theirs.id}/tools/new`);
    expect(response?.status()).toBe(404);
    await expect.poll(() => page.getByText("This server or tool is not in your account").count()).toBe(1);
    expect(await page.getByText("Not yours").count()).toBe(0);
  });

  it("finds an action by searching, without JavaScript too", async () => {
    const noScript = await signedInContext({ javaScriptEnabled: false });
    const plain = await noScript.newPage();
    await plain.goto(`${platform.url}/servers/${serverId}/tools/new`);
    await plain.getByLabel("Search apps and actions").fill("transform");
    await plain.getByRole("button", { name: "Search" }).click();
    await plain.waitForURL(/\?q=transform/);
    expect(await plain.getByRole("link", { name: /Transform text/ }).count()).toBe(1);
    expect(await plain.locator("section[data-app]").count()).toBe(1);
    await noScript.close();

    const requested: string[] = [];
    page.on("request", (request) => requested.push(new URL(request.url()).pathname));
    await page.goto(`${platform.url}/servers/${serverId}/tools/new`);
    // It starts from the apps, as logos, before any search.
    const appCards = page.getByRole("list", { name: "Apps" }).getByRole("listitem");
    expect(await appCards.count()).toBeGreaterThan(10);
    expect(await page.locator("section[data-app]").count()).toBe(0);
    await expectNoSeriousAxeViolations(page);
    await snap("new-search");
    await page.getByLabel("Search apps and actions").fill("transform");
    await expect.poll(() => page.locator("section[data-app]").count()).toBe(1);
    // Each app's logo is asked for; one that is missing leaves no broken image behind.
    expect(requested).toContain("/logos/formatter.svg");
    await expect
      .poll(() =>
        page.evaluate(
          () => [...document.images].filter((image) => image.complete && image.naturalWidth === 0).length,
        ),
      )
      .toBe(0);
    page.removeAllListeners("request");
    await page.getByLabel("Search apps and actions").fill("no such thing at all");
    await expect.poll(() => page.getByText("No action matches your search").count()).toBe(1);
    await page.getByLabel("Search apps and actions").fill("Todoist");
    await expect.poll(() => page.locator("section[data-app]").count()).toBe(1);
    expect(await page.locator('section[data-app="todoist"] li').count()).toBeGreaterThan(1);
    // An app from the grid opens its own actions, with the way back to the other apps.
    await page.getByLabel("Search apps and actions").fill("");
    await page
      .getByRole("list", { name: "Apps" })
      .getByRole("link", { name: /Todoist/ })
      .click();
    await page.waitForURL(/\?app=todoist$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Add a tool: Todoist");
    expect(await page.locator("section[data-app]").count()).toBe(1);
    expect(await page.locator('section[data-app="todoist"] li').count()).toBeGreaterThan(1);
    await page.getByRole("link", { name: "Choose another app" }).click();
    await page.waitForURL((url) => url.search === "");
    await page.getByLabel("Search apps and actions").fill("transform");
    await page.getByRole("link", { name: /Transform text/ }).click();
    await page.waitForURL(/app=formatter&action=transform_text/);
  });

  it("configures the fields, with a live preview of what the AI sees", async () => {
    await expect.poll(async () => (await preview()).name).toBe("formatter_transform_text");
    expect(Object.keys((await preview()).inputSchema.properties)).toEqual(["text", "operation"]);
    // A required field cannot be left out, and the page says why.
    const leaveTextOut = fieldRow("text").getByRole("radio", { name: "Leave it out" });
    expect(await leaveTextOut.isDisabled()).toBe(true);
    expect(await fieldRow("text").getByText("This action needs it, so it can't be left out.").count()).toBe(
      1,
    );
    await expectNoSeriousAxeViolations(page);

    // The radio group works from the keyboard: arrow keys move between the modes.
    await fieldRow("operation").getByRole("radio", { name: "The AI fills it" }).focus();
    await page.keyboard.press("ArrowRight");
    expect(
      await fieldRow("operation").getByRole("radio", { name: "Always use this value" }).isChecked(),
    ).toBe(true);
    await page.getByLabel("Value of Operation").selectOption("uppercase");
    await expect.poll(async () => Object.keys((await preview()).inputSchema.properties)).toEqual(["text"]);
    expect((await preview()).inputSchema.required).toEqual(["text"]);
    // Beside the JSON, the same in plain words; and a description that says what is now fixed.
    expect(await page.getByTestId("preview-summary").getByRole("listitem").allTextContents()).toEqual([
      "The AI fills: text.",
      'Always: operation = "uppercase".',
    ]);
    const suggested = await page.getByTestId("suggested-description").textContent();
    expect(suggested).toMatch(/^Change the case of text.*Always uses operation = "uppercase"\.$/);
    await page.getByRole("button", { name: "Use this description" }).click();
    expect(await page.locator("#tool-description").inputValue()).toBe(suggested);
    await expect.poll(async () => (await preview()).description).toBe(suggested);
    expect(await page.getByTestId("suggested-description").count()).toBe(0);
    await page.locator("#tool-description").fill("");
    await expect.poll(() => page.getByTestId("suggested-description").count()).toBe(1);
    expect(await page.getByTestId("preview-fixed").textContent()).toContain('operation = "uppercase"');

    await page.getByLabel("Tool name").fill("shout it");
    await expect.poll(async () => (await preview()).name).toBe("shout it");
    await page.getByRole("button", { name: "Add tool" }).click();
    await expect
      .poll(() => page.locator("#tool-name-error").textContent())
      .toBe("Use at most 64 letters, digits, '_' or '-' (no spaces or accents).");
    expect(await page.getByLabel("Tool name").getAttribute("aria-invalid")).toBe("true");
    expect(await listTools(userId, serverId)).toEqual([]);

    await page.getByLabel("Tool name").fill("shout");
    await expect.poll(async () => (await preview()).name).toBe("shout");
    expect(await page.locator("#tool-name-error").count()).toBe(0);
    await snap("new-configure");
    await page.setViewportSize({ width: 375, height: 800 });
    // Nothing sticks out sideways at phone width (the widest culprits are named when it fails).
    const layout = await page.evaluate(() => ({
      width: document.documentElement.scrollWidth,
      culprits: [...document.querySelectorAll("body *")]
        .filter((element) => element.getBoundingClientRect().right > 376)
        .slice(0, 5)
        .map((element) => `${element.tagName}.${element.className}`.slice(0, 100)),
    }));
    expect(layout.width, JSON.stringify(layout.culprits)).toBeLessThanOrEqual(375);
    await snap("new-configure-narrow");
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole("button", { name: "Add tool" }).click();
    await page.waitForURL(new RegExp(`/servers/${serverId}/tools/[^/?]+\\?added=1$`));
    const tools = await listTools(userId, serverId);
    expect(tools).toHaveLength(1);
    expect(tools[0]).toMatchObject({
      name: "shout",
      integration: "formatter",
      action: "transform_text",
      description: null,
      fields: { operation: { mode: "fixed", value: "uppercase" } },
      inputSchema: { properties: { text: expect.any(Object) }, required: ["text"] },
    });
    toolId = tools[0]!.id;
    expect(new URL(page.url()).pathname).toBe(`/servers/${serverId}/tools/${toolId}`);
  });

  it("shows the server's refusal of a fixed value on that field", async () => {
    await page.goto(`${platform.url}/servers/${serverId}/tools/new?app=formatter&action=truncate_text`);
    await fieldRow("max_length").getByRole("radio", { name: "Always use this value" }).check();
    await page.getByLabel("Value of Max length").fill("0");
    await page.getByRole("button", { name: "Add tool" }).click();
    await expect
      .poll(() => page.locator("#field-max_length-value-error").textContent())
      .toContain('The fixed value of "max_length" is not valid');
    expect(await page.getByLabel("Value of Max length").getAttribute("aria-invalid")).toBe("true");
    expect(await listTools(userId, serverId)).toHaveLength(1);
  });
});

describe("a tool's page", () => {
  it("tries the tool once through the worker, and the call is in the ledger", async () => {
    await page.goto(`${platform.url}/servers/${serverId}/tools/${toolId}`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("shout");
    // Only the fields the AI fills are asked for.
    expect(await page.locator("#try-text").count()).toBe(1);
    expect(await page.locator("#try-operation").count()).toBe(0);
    expect(await page.getByText("A try is a real call").count()).toBe(1);
    await expectNoSeriousAxeViolations(page);
    await page.locator("#try-text").fill("hello");
    await page.getByRole("button", { name: "Run it once" }).click();
    await expect
      .poll(() => page.getByTestId("try-result").textContent(), { timeout: 30_000 })
      .toContain("HELLO");
    expect(await page.getByTestId("try-result").textContent()).toContain("Result");
    await snap("edit");
    const calls = await getDb().call.findMany({ where: { toolId } });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      userId,
      serverId,
      status: "SUCCESS",
      input: { text: "hello", operation: "uppercase" },
      output: { result: "HELLO" },
    });
  });

  it("shows a tool error from a try in red, as the AI would get it", async () => {
    // A text longer than the action accepts: the same validation as a call from an AI app.
    await page.locator("#try-text").fill("x".repeat(100_001));
    await page.getByRole("button", { name: "Run it once" }).click();
    await expect
      .poll(() => page.getByTestId("try-result").textContent(), { timeout: 30_000 })
      .toContain("The tool answered with an error");
    expect(await page.getByTestId("try-result").textContent()).toContain("Invalid arguments");
  });

  it("saves changes, and a name already used on the server is refused on the name field", async () => {
    await addTool(
      userId,
      serverId,
      addToolSchema.parse({ integration: "formatter", action: "count_text", name: "counter" }),
    );
    await page.reload();
    await page.getByLabel("Tool name").fill("counter");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect
      .poll(() => page.locator("#tool-name-error").textContent())
      .toContain('already has a tool named "counter"');

    await page.getByLabel("Tool name").fill("shout_louder");
    await page.getByLabel("Value of Operation").selectOption("titlecase");
    await page.getByLabel("Description", { exact: true }).fill("Makes text look like a title.");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => page.getByText("Saved. AI apps get the new version").count()).toBe(1);
    const tool = (await listTools(userId, serverId)).find((candidate) => candidate.id === toolId);
    expect(tool).toMatchObject({
      name: "shout_louder",
      description: "Makes text look like a title.",
      fields: { operation: { mode: "fixed", value: "titlecase" } },
    });
    await page.emulateMedia({ colorScheme: "dark" });
    await expectNoSeriousAxeViolations(page, ["body > div > header"]);
    await snap("edit-dark");
    await page.emulateMedia({ colorScheme: "light" });
  });

  it("shows that a try is running while the worker works on it", async () => {
    const slow = await addTool(
      userId,
      serverId,
      addToolSchema.parse({ integration: "delay", action: "wait", name: "slow_wait" }),
    );
    await page.goto(`${platform.url}/servers/${serverId}/tools/${slow.id}`);
    await page.locator("#try-seconds").fill("2");
    await page.getByRole("button", { name: "Run it once" }).click();
    // The wait is the action's time limit (65 s) plus the platform's 15 s margin.
    await expect
      .poll(() => page.getByTestId("try-pending").textContent())
      .toBe("Running… this can take up to 80 s.");
    expect(await page.getByRole("button", { name: "Running…" }).isDisabled()).toBe(true);
    await expect
      .poll(() => page.getByTestId("try-result").textContent(), { timeout: 30_000 })
      .toContain("Result");
    expect(await page.getByTestId("try-pending").count()).toBe(0);
    expect(
      await page.goto(`${platform.url}/servers/${serverId}/tools/no-such-tool`).then((r) => r?.status()),
    ).toBe(404);
    await page.goto(`${platform.url}/servers/${serverId}/tools/${toolId}`);
  });

  it("removes the tool after confirming", async () => {
    await page.getByRole("button", { name: "Remove shout_louder" }).click();
    const dialog = page.getByRole("alertdialog");
    await expect.poll(() => dialog.getByText("Remove “shout_louder”?").count()).toBe(1);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect((await listTools(userId, serverId)).some((tool) => tool.id === toolId)).toBe(true);

    await page.getByRole("button", { name: "Remove shout_louder" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Remove tool" }).click();
    await page.waitForURL(`${platform.url}/servers/${serverId}`);
    expect((await listTools(userId, serverId)).map((tool) => tool.name)).toEqual(["counter", "slow_wait"]);
  });
});

describe("a secret fixed value", () => {
  const first = `tok_${randomBytes(8).toString("hex")}`;
  const second = `tok_${randomBytes(8).toString("hex")}`;
  const headersValue = "Value of Headers (JSON)";

  async function pageTexts(): Promise<string[]> {
    // What the browser shows, and the HTML with the data React was given, as served.
    return [await page.content(), await (await page.request.get(page.url())).text()];
  }

  it("is sealed when saved, shown masked after a reload, never sent to the page, and can be replaced", async () => {
    await page.goto(`${platform.url}/servers/${serverId}/tools/new?app=http&action=request`);
    await page.getByLabel("Tool name").fill("call_with_token");
    // The URL, marked secret by the person.
    await fieldRow("url").getByRole("radio", { name: "Always use this value" }).check();
    const urlSecret = fieldRow("url").getByRole("checkbox", { name: "Keep this value secret" });
    expect(await urlSecret.isChecked()).toBe(false);
    await urlSecret.check();
    await page.getByLabel("Value of Url").fill(`${http.url}/headers`);
    expect(await page.getByLabel("Value of Url").getAttribute("type")).toBe("password");
    // The headers, secret because the action says so.
    await fieldRow("headers").getByRole("radio", { name: "Always use this value" }).check();
    const headersSecret = fieldRow("headers").getByRole("checkbox", { name: "Keep this value secret" });
    expect(await headersSecret.isChecked()).toBe(true);
    expect(await headersSecret.isDisabled()).toBe(true);
    await page.getByLabel(headersValue).fill(JSON.stringify({ Authorization: `Bearer ${first}` }));
    // The preview says that a value is sent, not which.
    const fixed = await page.getByTestId("preview-fixed").textContent();
    expect(fixed).toContain("headers = •••••• (secret)");
    expect(fixed).toContain("url = •••••• (secret)");
    expect(fixed).not.toContain(first);
    await page.getByRole("button", { name: "Add tool" }).click();
    await page.waitForURL(/\/tools\/[^/?]+\?added=1$/);

    await page.reload();
    for (const text of await pageTexts()) {
      expect(text).not.toContain(first);
      expect(text).not.toContain(`${http.url}/headers`);
    }
    expect(await fieldRow("headers").getByTestId("secret-set").textContent()).toBe("•••••• (set)");
    expect(await fieldRow("url").getByTestId("secret-set").textContent()).toBe("•••••• (set)");
    await expectNoSeriousAxeViolations(page);
    await snap("secret-value");

    // A try sends the sealed values; the server's echo of the header comes back masked.
    await page.getByRole("button", { name: "Run it once" }).click();
    await expect
      .poll(() => page.getByTestId("try-result").textContent(), { timeout: 30_000 })
      .toContain("[redacted]");
    expect(http.requestsTo("GET /headers").at(-1)?.headers.authorization).toBe(`Bearer ${first}`);
    expect(await page.getByTestId("try-result").textContent()).not.toContain(first);

    // Replaced: a new header value; the URL stays as it was saved.
    await fieldRow("headers").getByRole("button", { name: "Replace the value of Headers" }).click();
    expect(await page.getByLabel(headersValue).inputValue()).toBe("");
    await page.getByLabel(headersValue).fill(JSON.stringify({ Authorization: `Bearer ${second}` }));
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => page.getByText("Saved. AI apps get the new version").count()).toBe(1);
    expect(await fieldRow("headers").getByTestId("secret-set").count()).toBe(1);
    await page.reload();
    for (const text of await pageTexts()) expect(text).not.toContain(second);
    await page.getByRole("button", { name: "Run it once" }).click();
    await expect
      .poll(() => http.requestsTo("GET /headers").at(-1)?.headers.authorization, { timeout: 30_000 })
      .toBe(`Bearer ${second}`);
  });
});

describe("choices loaded from an account", () => {
  it("says there is no Todoist account, then lists its projects once one is connected", async () => {
    await page.emulateMedia({ colorScheme: "light" });
    const url = `${platform.url}/servers/${serverId}/tools/new?app=todoist&action=create_task`;
    await page.goto(url);
    expect(await page.getByText("You have no Todoist account connected yet.").count()).toBe(1);
    expect(await page.getByRole("link", { name: "Connect your Todoist account" }).getAttribute("href")).toBe(
      `/connections/new?app=todoist&returnTo=${encodeURIComponent(`/servers/${serverId}/tools/new?app=todoist&action=create_task`)}`,
    );
    await fieldRow("project_id").getByRole("radio", { name: "Always use this value" }).check();
    await fieldRow("project_id").getByRole("button", { name: "Load choices from your account" }).click();
    await expect
      .poll(() => fieldRow("project_id").getByRole("alert").textContent())
      .toBe("No Todoist account is connected. Connect one on the Connections page first.");

    const connection = await createConnection(userId, {
      integration: "todoist",
      label: "Ada's Todoist",
      credentials: { api_token: todoistToken },
    });
    await page.reload();
    const account = page.getByLabel("Todoist account");
    expect(await account.locator("option").allTextContents()).toEqual([
      // The same words as Connections: a connection made without a check is not checked yet.
      "Use my default account: Ada's Todoist (Not checked yet)",
      "Ada's Todoist (Not checked yet)",
    ]);
    await account.selectOption(connection.id);
    await fieldRow("project_id").getByRole("radio", { name: "Always use this value" }).check();
    await fieldRow("project_id").getByRole("button", { name: "Load choices from your account" }).click();
    const choices = page.getByLabel("Value of Project id");
    await expect
      .poll(() => choices.locator("option").allTextContents())
      .toEqual(["Choose…", "Inbox", "Groceries"]);
    expect(todoist.requestsTo("GET /api/v1/projects").at(-1)?.headers.authorization).toBe(
      `Bearer ${todoistToken}`,
    );
    await choices.selectOption({ label: "Groceries" });
    await expect
      .poll(() => page.getByTestId("preview-fixed").textContent())
      .toContain('project_id = "2203306142"');
    expect(Object.keys((await preview()).inputSchema.properties)).not.toContain("project_id");
    await expectNoSeriousAxeViolations(page);
    await snap("new-dynamic-choices");

    await page.getByRole("button", { name: "Add tool" }).click();
    await page.waitForURL(/\?added=1$/);
    const added = (await listTools(userId, serverId)).find((tool) => tool.integration === "todoist");
    expect(added).toMatchObject({
      connectionId: connection.id,
      fields: { project_id: { mode: "fixed", value: "2203306142" } },
    });
  });
  it("ticks a list field's choices loaded from the account, in the try form and as a fixed value saved as the list it takes", async () => {
    await createConnection(userId, {
      integration: "sendgrid",
      label: "Marketing",
      credentials: { api_key: sendgridApiKey },
    });
    await page.goto(`${platform.url}/servers/${serverId}/tools/new?app=sendgrid&action=add_contacts`);
    const listed = await sendgridListIds();

    // Left to the AI, the list is ticked in the try form from the same choices, and sent as a list.
    const tryForm = page.getByRole("form", { name: "Try the tool" });
    await tryForm.getByRole("button", { name: "Load choices from your account for List ids" }).click();
    const tryLists = tryForm.getByRole("group", { name: /^List ids/ });
    await expect.poll(() => tryLists.getByRole("checkbox").count(), { timeout: 20_000 }).toBe(2);
    await tryLists.getByRole("checkbox", { name: /^Newsletter/ }).check();
    await tryForm.getByLabel(/^Contacts/).fill('[{"email":"grace@example.com"}]');
    await tryForm.getByRole("button", { name: "Run it once" }).click();
    await expect
      .poll(() => sendgrid.requestsTo("PUT /v3/marketing/contacts").length, { timeout: 30_000 })
      .toBe(1);
    const tried = JSON.parse(sendgrid.requestsTo("PUT /v3/marketing/contacts").at(-1)?.rawBody ?? "{}");
    expect(tried.list_ids).toEqual([listed[0]]);

    await fieldRow("list_ids").getByRole("radio", { name: "Always use this value" }).check();
    await fieldRow("list_ids").getByRole("button", { name: "Load choices from your account" }).click();
    const lists = page.getByRole("group", { name: "Value of List ids" });
    await expect.poll(() => lists.getByRole("checkbox").count(), { timeout: 20_000 }).toBe(2);
    await lists.getByRole("checkbox", { name: /^Beta testers/ }).check();
    await lists.getByRole("checkbox", { name: /^Newsletter/ }).check();
    // In the order the account lists them, whatever order they were ticked in.
    await expect
      .poll(() => page.getByTestId("preview-fixed").textContent())
      .toContain(`list_ids = ${JSON.stringify(listed)}`);
    await expectNoSeriousAxeViolations(page);
    await snap("list-choices");

    await page.getByRole("button", { name: "Add tool" }).click();
    await page.waitForURL(/\?added=1$/);
    const added = (await listTools(userId, serverId)).find((tool) => tool.integration === "sendgrid");
    expect(added?.fields).toEqual({ list_ids: { mode: "fixed", value: listed } });
  });

  it("keeps what was filled in while an account is connected, and comes back with it chosen", async () => {
    const formUrl = `${platform.url}/servers/${serverId}/tools/new?app=airtable&action=create_records`;
    await page.goto(formUrl);
    await page.getByLabel("Tool name").fill("add_lead");
    await fieldRow("base_id").getByRole("radio", { name: "Always use this value" }).check();
    await page.getByLabel("Value of Base id").fill(airtableBase);
    await page.getByRole("link", { name: "Connect your Airtable account" }).click();
    await page.waitForURL(/\/connections\/new\?app=airtable&returnTo=/);
    expect(await page.getByRole("link", { name: "Back to your tool" }).getAttribute("href")).toBe(
      formUrl.slice(platform.url.length),
    );

    await page.getByLabel("Name (optional)").fill("Ops base");
    await page.getByLabel("Personal access token").fill(airtableToken);
    await page.getByRole("button", { name: "Connect Airtable" }).click();
    await page.waitForURL((url) => url.pathname.endsWith("/tools/new") && url.searchParams.has("connected"));
    const connection = await getDb().connection.findFirstOrThrow({
      where: { userId, integration: "airtable" },
    });
    expect(new URL(page.url()).searchParams.get("connected")).toBe(connection.id);
    await expect.poll(() => page.getByText("Connected “Ops base”. This tool uses it.").count()).toBe(1);
    expect(await page.getByLabel("Airtable account").inputValue()).toBe(connection.id);
    expect(await page.getByLabel("Tool name").inputValue()).toBe("add_lead");
    expect(await page.getByLabel("Value of Base id").inputValue()).toBe(airtableBase);
    await snap("back-from-connecting");

    // A return address that is not one of the platform's tool forms is ignored.
    await page.goto(
      `${platform.url}/connections/new?app=airtable&returnTo=${encodeURIComponent("https://evil.example/")}`,
    );
    expect(await page.getByRole("link", { name: "Back to your tool" }).count()).toBe(0);
    expect(await page.locator('input[name="returnTo"]').count()).toBe(0);
  });

  it("lists choices that depend on another field only once that field has a fixed value", async () => {
    await createConnection(userId, {
      integration: "airtable",
      label: "Ada's Airtable",
      credentials: { access_token: airtableToken },
    });
    await page.goto(`${platform.url}/servers/${serverId}/tools/new?app=airtable&action=create_records`);
    await fieldRow("table").getByRole("radio", { name: "Always use this value" }).check();
    await fieldRow("table").getByRole("button", { name: "Load choices from your account" }).click();
    await expect
      .poll(() => fieldRow("table").getByRole("alert").textContent())
      .toBe("These choices depend on Base id: give it a fixed value first (“Always use this value”).");
    expect(airtable.requestsTo("GET /v0/meta/bases/:base/tables")).toHaveLength(0);

    await fieldRow("base_id").getByRole("radio", { name: "Always use this value" }).check();
    await fieldRow("base_id").getByRole("button", { name: "Load choices from your account" }).click();
    const base = page.getByLabel("Value of Base id");
    await expect.poll(() => base.locator("option").count()).toBeGreaterThan(1);
    await base.selectOption({ label: "Project Tracker" });

    await fieldRow("table").getByRole("button", { name: "Load choices from your account" }).click();
    const table = page.getByLabel("Value of Table");
    await expect
      .poll(() => table.locator("option").allTextContents())
      .toEqual(["Choose…", "Tasks", "People"]);
    expect(airtable.requestsTo("GET /v0/meta/bases/:base/tables").at(-1)?.path).toBe(
      `/v0/meta/bases/${airtableBase}/tables`,
    );
    await table.selectOption({ label: "Tasks" });
    await expect
      .poll(() => page.getByTestId("preview-fixed").textContent())
      .toContain(`table = "${airtableTable}"`);
    await expectNoSeriousAxeViolations(page);
    await snap("dependent-choices");

    // Another base makes the loaded tables stale: they are dropped, to be loaded again.
    await base.selectOption({ label: "Apartment Hunting" });
    await expect.poll(() => fieldRow("table").getByRole("status").count()).toBe(0);
  });
});
