// A person checks what their AI apps ran, in Chromium against a real platform: calls made through
// an MCP client (a success, an action error, a call on a second server, a call refused by a
// lowered hourly limit) show newest first with their status, a call's details show what went in
// and what came out, the filters narrow the list (also without JavaScript), older calls page in,
// the usage meters show the hour used up, and another person sees none of it.
import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { capForStorage, maxStoredBytes } from "@/lib/calls/payload-limits";
import { getDb } from "@/lib/db/client";
import { getEffectiveLimits } from "@/lib/quota/effective-limits";
import { setLimitOverrides } from "@/lib/users/set-limit-overrides";
import { signInOverHttp } from "../helpers/auth-http";
import { expectNoSeriousAxeViolations, launchChromium } from "../helpers/browser";
import { addServer, connectClient, createTenant, type Tenant, textOf } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 60_000 });

const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const password = "correct horse battery";

let platform: RunningPlatform;
let browser: Browser;
let owner: Tenant;
let second: Tenant;
let ownerContext: BrowserContext;
let page: Page;

async function signedInContext(email: string, options: { javaScriptEnabled?: boolean } = {}) {
  const { code, jar } = await signInOverHttp(platform.url, email, password);
  expect(code).toBeNull();
  const context = await browser.newContext(options);
  await context.addCookies([...jar.cookies].map(([name, value]) => ({ name, value, url: platform.url })));
  return context;
}

async function snap(target: Page, name: string): Promise<void> {
  await target.screenshot({ path: path.join(screenshots, `history-${name}.png`), fullPage: true });
}

const rows = (target: Page) => target.getByTestId("call");
const statuses = (target: Page) =>
  target
    .getByTestId("call-status")
    .evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-status")));

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  [platform, browser] = await Promise.all([startPlatform(), launchChromium()]);

  // Oldest first: a success, an action error, a success on a second server, then a refusal once
  // the hourly limit is lowered to the two calls already counted (the error gave its unit back).
  owner = await createTenant(platform.url, "history");
  second = await addServer(platform.url, owner.userId, owner.email, "Second server");
  const client = await connectClient(platform.url, owner.secret);
  const otherClient = await connectClient(platform.url, second.secret);
  try {
    const upper = await client.callTool({
      name: "formatter_transform_text",
      arguments: { text: "hello world", operation: "uppercase" },
    });
    expect(upper.isError).toBeFalsy();
    const badJson = await client.callTool({
      name: "formatter_extract_json",
      arguments: { json: "{oops", path: "a" },
    });
    expect(textOf(badJson)).toMatch(/not valid JSON/);
    const sum = await otherClient.callTool({
      name: "formatter_calculate",
      arguments: { operation: "add", numbers: [2, 3] },
    });
    expect(sum.structuredContent).toEqual({ result: 5 });
    await setLimitOverrides(owner.userId, { hour: 2 });
    const refused = await client.callTool({
      name: "formatter_transform_text",
      arguments: { text: "one too many", operation: "lowercase" },
    });
    expect(textOf(refused)).toMatch(/hourly limit of 2 tool calls/);
  } finally {
    await Promise.all([client.close(), otherClient.close()]);
  }

  ownerContext = await signedInContext(owner.email);
  page = await ownerContext.newPage();
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await browser?.close();
  if (platform) expect(await platform.stop()).toBe(0);
  await stopStartedPlatforms();
  await closeTestConnections();
});

describe("the history page", () => {
  it("lists the calls newest first with their server, tool and status", async () => {
    await page.goto(`${platform.url}/history`);
    await expect.poll(() => page.title()).toContain("History");
    expect(await rows(page).count()).toBe(4);
    expect(await statuses(page)).toEqual(["REFUSED", "SUCCESS", "ERROR", "SUCCESS"]);
    expect(await page.getByTestId("call-tool").allTextContents()).toEqual([
      "formatter_transform_text",
      "formatter_calculate",
      "formatter_extract_json",
      "formatter_transform_text",
    ]);
    expect(await page.getByTestId("call-server").allTextContents()).toEqual([
      "history server",
      "Second server",
      "history server",
      "history server",
    ]);
    expect(await page.getByTestId("call-status").allTextContents()).toEqual([
      "Refused",
      "Success",
      "Error",
      "Success",
    ]);
    // The exact time is on hover, in UTC, for the relative time shown.
    const newest = await getDb().call.findFirstOrThrow({
      where: { userId: owner.userId },
      orderBy: { startedAt: "desc" },
    });
    const time = rows(page).first().locator("time");
    expect(await time.getAttribute("title")).toBe(
      `${newest.startedAt.toISOString().slice(0, 10)} ${newest.startedAt.toISOString().slice(11, 19)} UTC`,
    );
    expect(await time.textContent()).toBe("just now");
    await snap(page, "calls");
    await expectNoSeriousAxeViolations(page);
  });

  it("opens a call's details to see what went in and what came out", async () => {
    const oldest = rows(page).last();
    const details = oldest.locator("details");
    expect(await details.evaluate((node) => (node as HTMLDetailsElement).open)).toBe(false);
    await oldest.locator("summary").click();
    expect(await details.evaluate((node) => (node as HTMLDetailsElement).open)).toBe(true);
    const shown = await details.textContent();
    expect(shown).toContain('"text": "hello world"');
    expect(shown).toContain('"operation": "uppercase"');
    expect(shown).toContain('"result": "HELLO WORLD"');

    const failed = rows(page).nth(2);
    await failed.locator("summary").click();
    const failure = await failed.locator("details").textContent();
    expect(failure).toContain('"json": "{oops"');
    expect(failure).toMatch(/The text is not valid JSON/);
    expect(failure).toContain("action_failed");

    const refused = rows(page).first();
    await refused.locator("summary").click();
    expect(await refused.locator("details").textContent()).toMatch(
      /Why it was refused[\s\S]*hourly limit of 2 tool calls is used up/,
    );
    await snap(page, "details");
  });

  it("shows the hour used up at the lowered limit, and the day against the plan", async () => {
    const hour = page.getByTestId("usage-hour");
    expect(await page.getByTestId("usage-hour-count").textContent()).toBe("2 / 2 calls");
    expect(await page.getByTestId("usage-hour-percent").textContent()).toBe("100%");
    expect(await hour.getAttribute("data-level")).toBe("full");
    const nextHour = new Date(Math.ceil((Date.now() + 1) / 3_600_000) * 3_600_000);
    expect(await hour.textContent()).toContain(
      `Used up: calls are refused until it resets at ${String(nextHour.getUTCHours()).padStart(2, "0")}:00 UTC.`,
    );
    const meter = page.getByRole("meter", { name: "This hour" });
    expect(await meter.getAttribute("aria-valuetext")).toBe("2 of 2 calls used (100%)");

    const { day, month } = await getEffectiveLimits(owner.userId);
    expect(await page.getByTestId("usage-day-count").textContent()).toBe(`2 / ${day} calls`);
    expect(await page.getByTestId("usage-month-count").textContent()).toBe(`2 / ${month} calls`);
    expect(await page.getByTestId("usage-month").getAttribute("data-level")).toBe("ok");
  });

  it("narrows the list to one server with the server filter", async () => {
    await page.getByLabel("Server", { exact: true }).selectOption({ label: "Second server" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL((url) => url.searchParams.get("server") === second.serverId);
    await expect.poll(() => rows(page).count()).toBe(1);
    expect(await page.getByTestId("call-tool").allTextContents()).toEqual(["formatter_calculate"]);
    // The chosen filter stays chosen.
    expect(await page.getByLabel("Server", { exact: true }).inputValue()).toBe(second.serverId);

    await page.getByLabel("Tool", { exact: true }).selectOption("formatter_extract_json");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL((url) => url.searchParams.get("tool") === "formatter_extract_json");
    await expect
      .poll(() => page.getByRole("heading", { name: "No calls match these filters" }).count())
      .toBe(1);
    expect(await rows(page).count()).toBe(0);
    await page.getByRole("link", { name: "Clear" }).click();
    await page.waitForURL(`${platform.url}/history`);
    await expect.poll(() => rows(page).count()).toBe(4);
  });

  it("narrows the list to errors with the status filter, without JavaScript", async () => {
    const context = await signedInContext(owner.email, { javaScriptEnabled: false });
    try {
      const plain = await context.newPage();
      await plain.goto(`${platform.url}/history`);
      await plain.getByLabel("Status", { exact: true }).selectOption({ label: "Error" });
      await plain.getByRole("button", { name: "Apply filters" }).click();
      await plain.waitForURL((url) => url.searchParams.get("status") === "error");
      expect(await statuses(plain)).toEqual(["ERROR"]);
      expect(await plain.getByTestId("call-tool").allTextContents()).toEqual(["formatter_extract_json"]);

      await plain.getByLabel("Status", { exact: true }).selectOption({ label: "Refused" });
      await plain.getByRole("button", { name: "Apply filters" }).click();
      await plain.waitForURL((url) => url.searchParams.get("status") === "refused");
      expect(await statuses(plain)).toEqual(["REFUSED"]);
    } finally {
      await context.close();
    }
  });

  it("pages to older calls, keeping the filters in the URL", async () => {
    // 30 more errors and a success, an hour and more ago (the ledger as the worker leaves it).
    const base = Date.now() - 2 * 3_600_000;
    await getDb().call.createMany({
      data: Array.from({ length: 31 }, (_, index) => ({
        id: randomUUID(),
        userId: owner.userId,
        serverId: second.serverId,
        toolName: "formatter_calculate",
        integration: "formatter",
        action: "calculate",
        status: index === 30 ? ("SUCCESS" as const) : ("ERROR" as const),
        errorCode: index === 30 ? null : "action_failed",
        errorMessage: index === 30 ? null : `Old failure ${index}`,
        input: { operation: "divide", numbers: [index, 0] },
        output: index === 30 ? { result: 1 } : undefined,
        durationMs: 12,
        startedAt: new Date(base - index * 60_000),
        finishedAt: new Date(base - index * 60_000 + 12),
      })),
    });
    await page.goto(`${platform.url}/history?server=${second.serverId}&status=error`);
    expect(await rows(page).count()).toBe(25);
    expect(await statuses(page)).toEqual(Array(25).fill("ERROR"));
    const lastOnFirstPage = await rows(page).last().getAttribute("data-call-id");
    await page.getByRole("link", { name: "Older calls" }).click();
    await page.waitForURL((url) => url.searchParams.get("before") === lastOnFirstPage);
    const url = new URL(page.url());
    expect(url.searchParams.get("server")).toBe(second.serverId);
    expect(url.searchParams.get("status")).toBe("error");
    await expect.poll(() => rows(page).count()).toBe(5);
    expect(await page.getByTestId("call").first().textContent()).toContain("formatter_calculate");
    expect(await page.getByRole("link", { name: "Older calls" }).count()).toBe(0);
    const messages = await rows(page).locator("details").allTextContents();
    expect(messages.at(-1)).toContain("Old failure 29");

    await page.getByRole("link", { name: "Newest calls" }).click();
    await page.waitForURL((next) => !next.searchParams.has("before") && next.searchParams.has("status"));
    await expect.poll(() => rows(page).count()).toBe(25);
  });

  it("notes when a call's input was too large to keep in full", async () => {
    // What the ledger stores in place of a large payload (lib/calls/payload-limits.ts).
    const big = { text: "x".repeat(maxStoredBytes + 10) };
    const stored = capForStorage(big);
    expect(stored).toMatchObject({ truncated: true });
    const id = randomUUID();
    await getDb().call.create({
      data: {
        id,
        userId: owner.userId,
        serverId: second.serverId,
        toolName: "formatter_transform_text",
        integration: "formatter",
        action: "transform_text",
        status: "SUCCESS",
        input: stored as object,
        output: { result: "ok" },
        durationMs: 40,
        startedAt: new Date(Date.now() - 3 * 3_600_000),
      },
    });
    await page.goto(`${platform.url}/history?server=${second.serverId}&status=success`);
    const row = page.locator(`[data-call-id="${id}"]`);
    await row.locator("summary").click();
    expect(await row.getByTestId("payload-truncated").textContent()).toBe(
      `The input was too large to keep in full (${Math.round(Buffer.byteLength(JSON.stringify(big)) / 1024)} KB); only its start is shown.`,
    );
    expect(await row.locator("pre").first().textContent()).toMatch(/^\{"text":"xxxx/);
  });

  it("fits a phone's screen and reads in dark mode", async () => {
    const phone = await ownerContext.newPage();
    try {
      await phone.setViewportSize({ width: 375, height: 800 });
      await phone.goto(`${platform.url}/history?server=${owner.serverId}`);
      expect(await rows(phone).count()).toBe(3);
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await rows(phone).nth(1).locator("summary").click();
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await snap(phone, "mobile");

      await phone.setViewportSize({ width: 1280, height: 900 });
      await phone.emulateMedia({ colorScheme: "dark" });
      await phone.goto(`${platform.url}/history?server=${owner.serverId}`);
      await snap(phone, "dark");
      await expectNoSeriousAxeViolations(phone);
    } finally {
      await phone.close();
    }
  });

  it("shows another person none of these calls, and where to start", async () => {
    const stranger = await createTenant(platform.url, "stranger");
    const context = await signedInContext(stranger.email);
    try {
      const other = await context.newPage();
      await other.goto(`${platform.url}/history`);
      expect(await rows(other).count()).toBe(0);
      expect(await other.getByRole("heading", { name: "Nothing has run yet" }).count()).toBe(1);
      expect(await other.getByRole("main").textContent()).toContain(
        "No calls yet — once your AI app uses a tool, it shows up here",
      );
      expect(await other.getByRole("link", { name: "Go to your servers" }).getAttribute("href")).toBe(
        "/servers",
      );
      expect(await other.getByTestId("usage-hour-count").textContent()).toMatch(/^0 \/ \d+ calls$/);
      await snap(other, "empty");
      await expectNoSeriousAxeViolations(other);

      // Even naming the owner's server in the URL shows nothing of theirs.
      await other.goto(`${platform.url}/history?server=${owner.serverId}`);
      expect(await rows(other).count()).toBe(0);
      expect(await other.getByRole("heading", { name: "No calls match these filters" }).count()).toBe(1);
    } finally {
      await context.close();
    }
  });
});
