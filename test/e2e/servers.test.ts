// A person manages MCP servers in Chromium: creates one and sees its URL once, connects an MCP
// client with it, sees and removes its tools, replaces its URL (the old one is refused at once),
// renames and deletes it, and cannot open another person's server. Screenshots of each page go to
// test-results/screenshots/, and axe checks every page.
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import { createServer } from "@/lib/servers/manage-servers";
import { addTool, addToolSchema } from "@/lib/tools/manage-tools";
import { createUser } from "@/lib/users/create-user";
import { launchChromium, signedInContext, waitForStreamedTitle } from "../helpers/browser";
import { acceptBoth, connectClient, postRpc, secretOfUrl, uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 60_000 });

const require = createRequire(import.meta.url);
const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const password = "correct horse battery";

let platform: RunningPlatform;
let browser: Browser;
let page: Page;
let userId: string;
const clients: Client[] = [];

/** What the person is looking at, as the state the tests below build on. */
const state = { serverId: "", url: "", serverPath: "" };

async function snap(name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshots, `servers-${name}.png`), fullPage: true });
}

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/** axe-core on the page, or on the part `within` selects; fails on any serious or critical violation. */
async function expectNoSeriousAxeViolations(within?: string): Promise<void> {
  await waitForStreamedTitle(page);
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const result = await page.evaluate(
    (context) =>
      (
        window as unknown as { axe: { run: (context?: string) => Promise<{ violations: AxeViolation[] }> } }
      ).axe.run(context),
    within,
  );
  const serious = result.violations.filter((violation) =>
    ["serious", "critical"].includes(violation.impact ?? ""),
  );
  if (serious.length > 0)
    console.error(
      serious.map(
        (v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
      ),
    );
  expect(serious).toEqual([]);
}

async function initialize(url: string) {
  return postRpc(
    url,
    {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    },
    { Accept: acceptBoth },
  );
}

async function toolNames(url: string): Promise<string[]> {
  const client = await connectClient(platform.url, secretOfUrl(url));
  clients.push(client);
  const { tools } = await client.listTools();
  return tools.map((tool) => tool.name);
}

/** The page must not be wider than the window (375 px for a phone). */
async function expectNoSidewaysScroll(): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  [platform, browser] = await Promise.all([startPlatform(), launchChromium()]);
  const email = uniqueEmail("servers");
  userId = (await createUser({ email, password, name: "Server Person" })).id;
  const context = await signedInContext(browser, platform.url, { email, password });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close().catch(() => {})));
  await browser?.close();
  if (platform) expect(await platform.stop()).toBe(0);
  await stopStartedPlatforms();
  await closeTestConnections();
});

describe("MCP servers in Chromium", () => {
  it("explains what a server is when there is none yet", async () => {
    await page.goto(`${platform.url}/servers`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Servers");
    await expect.poll(() => page.getByText("No servers yet").isVisible()).toBe(true);
    expect(await page.getByText("one per AI app you use", { exact: false }).count()).toBeGreaterThan(0);
    await snap("empty");
    await expectNoSeriousAxeViolations();
  });

  it("asks for a name, then creates the server and shows its URL once", async () => {
    await page.getByRole("button", { name: "Create server" }).click();
    await expect.poll(() => page.locator("#name-error").textContent()).toBe("Give the server a name.");
    expect(await page.getByLabel("Name").getAttribute("aria-describedby")).toContain("name-error");
    expect(await getDb().mcpServer.count({ where: { userId } })).toBe(0);

    // A name over the limit is neither cut silently nor saved: the count says by how much.
    await page.getByLabel("Name").fill("n".repeat(300));
    expect(await page.getByLabel("Name").inputValue()).toHaveLength(300);
    await expect
      .poll(() => page.locator("#name-count").textContent())
      .toBe("300 / 100 characters: 200 too many");
    await page.getByRole("button", { name: "Create server" }).click();
    await expect.poll(() => page.locator("#name-error").textContent()).toBe("Use at most 100 characters.");
    expect(await getDb().mcpServer.count({ where: { userId } })).toBe(0);

    await page.getByLabel("Name").fill("Claude Desktop");
    await expect.poll(() => page.locator("#name-count").textContent()).toBe("14 / 100 characters");
    await page.getByRole("button", { name: "Create server" }).click();
    const shown = page.getByTestId("one-time-url").getByLabel("Your MCP URL");
    await expect.poll(() => shown.count()).toBe(1);
    state.url = await shown.inputValue();
    expect(state.url).toMatch(new RegExp(`^${platform.url}/mcp/tgs_[A-Za-z0-9_-]{43}$`));
    expect(await page.getByText("It is shown only this once", { exact: false }).isVisible()).toBe(true);

    const server = await getDb().mcpServer.findFirstOrThrow({ where: { userId } });
    expect(server.name).toBe("Claude Desktop");
    state.serverId = server.id;
    state.serverPath = `/servers/${server.id}`;
    // The list shows the new server; the secret went nowhere but this page.
    const row = page.getByTestId("server-row").filter({ hasText: "Claude Desktop" });
    await expect.poll(() => row.getByTestId("tool-count").textContent()).toBe("0 tools");
    expect(page.url()).toBe(`${platform.url}/servers`);
    const cookies = await page.context().cookies();
    expect(cookies.some((cookie) => cookie.value.includes(secretOfUrl(state.url)))).toBe(false);

    // The next step leads straight to adding a tool to this server.
    expect(await page.getByRole("link", { name: "Add a tool to Claude Desktop" }).getAttribute("href")).toBe(
      `/servers/${server.id}/tools/new`,
    );

    // The copy button puts the URL on the clipboard.
    await page.getByTestId("one-time-url").getByRole("button", { name: "Copy URL" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(state.url);

    // The setup steps are open, on the app the server is named after, and carry the real URL.
    await page.getByRole("heading", { name: "Add this URL to your AI app" }).waitFor();
    expect(await page.getByRole("tab", { name: "Claude Desktop" }).getAttribute("aria-selected")).toBe(
      "true",
    );
    // This platform's address is a loopback one, which Claude's connectors cannot reach.
    expect(await page.getByRole("tabpanel").textContent()).toContain(
      `This Toolgate's address, ${platform.url}, works on this computer only.`,
    );
    await page.getByRole("tab", { name: "Cursor" }).click();
    const cursorLink = new URL(
      (await page.getByRole("link", { name: "Add to Cursor" }).getAttribute("href")) ?? "",
    );
    expect(JSON.parse(atob(cursorLink.searchParams.get("config") ?? ""))).toEqual({ url: state.url });
    await page.getByRole("tab", { name: "VS Code" }).click();
    const vscodeLink = (await page.getByRole("link", { name: "Add to VS Code" }).getAttribute("href")) ?? "";
    expect(JSON.parse(decodeURIComponent(vscodeLink.replace("vscode:mcp/install?", "")))).toMatchObject({
      type: "http",
      url: state.url,
    });
    await page.getByRole("tabpanel").getByRole("button", { name: "Copy" }).click();
    expect(JSON.parse(await page.evaluate(() => navigator.clipboard.readText()))).toEqual({
      servers: { toolgate: { type: "http", url: state.url } },
    });
    await page.getByRole("tab", { name: "Claude Code" }).click();
    await expect
      .poll(() => page.getByRole("tabpanel").textContent())
      .toContain(`claude mcp add --transport http toolgate ${state.url}`);
    await snap("created");
    await expectNoSeriousAxeViolations();

    // Shown once: after a reload the URL is nowhere on the page.
    await page.reload();
    await expect.poll(() => page.getByTestId("server-row").count()).toBe(1);
    expect(await page.content()).not.toContain(secretOfUrl(state.url));
  });

  it("lets an MCP client connect with the URL it showed", async () => {
    expect(await toolNames(state.url)).toEqual([]);
  });

  it("lists the server's tools with their app, account and field settings", async () => {
    const formatterTool = await addTool(
      userId,
      state.serverId,
      addToolSchema.parse({
        integration: "formatter",
        action: "transform_text",
        fields: { operation: { mode: "fixed", value: "uppercase" } },
      }),
    );
    const todoistTool = await addTool(
      userId,
      state.serverId,
      addToolSchema.parse({
        integration: "todoist",
        action: "create_task",
        fields: { priority: { mode: "fixed", value: 4 }, labels: { mode: "omit" } },
      }),
    );
    await page.getByRole("link", { name: "Claude Desktop" }).click();
    await page.waitForURL(`${platform.url}${state.serverPath}`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Claude Desktop");
    expect(await page.getByTestId("masked-url").textContent()).toContain(`${platform.url}/mcp/••••`);
    expect(await page.content()).not.toContain(secretOfUrl(state.url));

    const rows = page.getByTestId("tool-row");
    await expect.poll(() => rows.count()).toBe(2);
    const formatterRow = rows.filter({ hasText: formatterTool.name });
    expect(await formatterRow.getByRole("heading").textContent()).toBe("Transform text · Formatter");
    expect(await formatterRow.textContent()).toContain("No account needed");
    expect(await formatterRow.getByTestId("field-counts").textContent()).toBe(
      "1 field the AI fills · 1 fixed · 0 left out",
    );
    expect(await formatterRow.locator("img").getAttribute("src")).toBe("/logos/formatter.svg");
    expect(
      await formatterRow.getByRole("link", { name: `Edit ${formatterTool.name}` }).getAttribute("href"),
    ).toBe(`${state.serverPath}/tools/${formatterTool.id}`);
    const todoistRow = rows.filter({ hasText: todoistTool.name });
    // Todoist needs an account and this person has none.
    expect(await todoistRow.textContent()).toContain("No Todoist account");
    expect(await todoistRow.getByTestId("field-counts").textContent()).toBe(
      "4 fields the AI fills · 1 fixed · 1 left out",
    );
    expect(await page.getByRole("link", { name: "Add a tool" }).getAttribute("href")).toBe(
      `${state.serverPath}/tools/new`,
    );
    // Without a URL just made, the setup steps use a placeholder, which is never copied: its
    // blocks offer the way to a new URL instead, and there is no install link to click.
    await page.getByRole("tab", { name: "Cursor" }).click();
    await expect.poll(() => page.getByRole("tabpanel").textContent()).toContain('"url": "<your MCP URL>"');
    expect(await page.getByRole("tabpanel").getByRole("button", { name: "Copy" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Add to Cursor" }).count()).toBe(0);
    await page.getByRole("tabpanel").getByRole("link", { name: "Get the URL" }).click();
    await page.waitForURL(`${platform.url}${state.serverPath}#url`);
    await page.getByRole("button", { name: "Show a new URL" }).waitFor();
    await snap("server");
    await expectNoSeriousAxeViolations();

    // The same tools reach the AI app.
    expect((await toolNames(state.url)).sort()).toEqual([formatterTool.name, todoistTool.name].sort());
  });

  it("opens the set-up steps of a server named after an AI app on that app's tab", async () => {
    for (const [name, tab] of [
      ["Cursor", "Cursor"],
      ["claude code (work)", "Claude Code"],
      ["My VS Code", "VS Code"],
      ["ChatGPT", "ChatGPT"],
    ]) {
      const server = await createServer(userId, name!);
      await page.goto(`${platform.url}/servers/${server.id}`);
      expect(
        await page.getByRole("tab", { name: tab, exact: true }).getAttribute("aria-selected"),
        name,
      ).toBe("true");
      await getDb().mcpServer.delete({ where: { id: server.id } });
    }
    await page.goto(`${platform.url}${state.serverPath}`);
  });

  it("works on a phone-sized screen and in dark mode", async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.emulateMedia({ colorScheme: "dark" });
    try {
      await page.reload();
      await expect.poll(() => page.getByTestId("tool-row").count()).toBe(2);
      await expectNoSidewaysScroll();
      await snap("server-phone-dark");
      await expectNoSeriousAxeViolations();
      await page.goto(`${platform.url}/servers`);
      await expectNoSidewaysScroll();
      await snap("list-phone-dark");
      await expectNoSeriousAxeViolations();
    } finally {
      await page.setViewportSize({ width: 1100, height: 900 });
      await page.emulateMedia({ colorScheme: "light" });
    }
    await page.goto(`${platform.url}${state.serverPath}`);
  });

  it("removes a tool only after confirming", async () => {
    const tools = await getDb().tool.findMany({
      where: { serverId: state.serverId },
      orderBy: { createdAt: "asc" },
    });
    const removed = tools[0]!;
    await page.getByRole("button", { name: `Remove ${removed.name}` }).click();
    const dialog = page.getByRole("alertdialog");
    expect(await dialog.getByRole("heading").textContent()).toBe(`Remove “${removed.name}”?`);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await getDb().tool.count({ where: { serverId: state.serverId } })).toBe(2);

    await page.getByRole("button", { name: `Remove ${removed.name}` }).click();
    await dialog.getByRole("button", { name: "Remove tool" }).click();
    await expect.poll(() => page.getByTestId("tool-row").count()).toBe(1);
    expect(await page.getByTestId("tool-row").textContent()).not.toContain(removed.name);
    expect(await getDb().tool.count({ where: { id: removed.id } })).toBe(0);
    expect(await toolNames(state.url)).toEqual([tools[1]!.name]);
  });

  it("replaces the URL: the old one is refused at once and the new one works", async () => {
    expect((await initialize(state.url)).status).toBe(200);
    await page.getByRole("button", { name: "Show a new URL" }).click();
    const dialog = page.getByRole("alertdialog");
    expect(await dialog.textContent()).toContain("stops working at once, in every app that uses it");
    await dialog.getByRole("button", { name: "Replace the URL" }).click();
    const shown = page.getByTestId("one-time-url").getByLabel("Your MCP URL");
    await expect.poll(() => shown.count()).toBe(1);
    const newUrl = await shown.inputValue();
    expect(newUrl).toMatch(new RegExp(`^${platform.url}/mcp/tgs_`));
    expect(newUrl).not.toBe(state.url);

    expect((await initialize(state.url)).status).toBe(401);
    expect(await toolNames(newUrl)).toHaveLength(1);

    // The setup steps now carry the new URL.
    await page.getByRole("tab", { name: "VS Code" }).click();
    await expect.poll(() => page.getByRole("tabpanel").textContent()).toContain(`"url": "${newUrl}"`);
    await snap("rotated");
    await expectNoSeriousAxeViolations();
    state.url = newUrl;
  });

  it("renames the server, and says what is wrong with an empty name", async () => {
    const name = page.getByLabel("Server name");
    await name.fill("   ");
    await page.getByRole("button", { name: "Rename" }).click();
    await expect.poll(() => page.locator("#name-error").textContent()).toBe("Give the server a name.");
    await name.fill("Work laptop");
    await page.getByRole("button", { name: "Rename" }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Work laptop");
    expect(await page.getByText("Renamed to “Work laptop”.").isVisible()).toBe(true);
    expect((await getDb().mcpServer.findUniqueOrThrow({ where: { id: state.serverId } })).name).toBe(
      "Work laptop",
    );
    const audit = await getDb().auditEvent.findFirst({
      where: { action: "server.renamed", targetId: state.serverId },
    });
    expect(audit?.metadata).toEqual({ from: "Claude Desktop", to: "Work laptop" });
  });

  it("shows a 404 page for another person's server and for an unknown one", async () => {
    const other = await createUser({ email: uniqueEmail("servers-other"), password });
    const theirs = await createServer(other.id, "Not yours");
    for (const id of [theirs.id, "no-such-server"]) {
      const response = await page.goto(`${platform.url}/servers/${id}`);
      expect(response?.status()).toBe(404);
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Not found");
      expect(await page.content()).not.toContain("Not yours");
    }
    await snap("not-found");
    await expectNoSeriousAxeViolations();
  });

  it("deletes the server after confirming, and its URL stops working", async () => {
    await page.goto(`${platform.url}${state.serverPath}`);
    await page.getByRole("button", { name: "Delete this server" }).click();
    const dialog = page.getByRole("alertdialog");
    expect(await dialog.getByRole("heading").textContent()).toBe("Delete “Work laptop”?");
    await dialog.getByRole("button", { name: "Delete server" }).click();
    await page.waitForURL(`${platform.url}/servers`);
    await expect.poll(() => page.getByText("No servers yet").isVisible()).toBe(true);
    expect(await getDb().mcpServer.count({ where: { userId } })).toBe(0);
    expect((await initialize(state.url)).status).toBe(401);
  });
});
