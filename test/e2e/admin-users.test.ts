// An administrator (made with `npm run cli -- users create --admin`) watches users' quota usage in
// Chromium against a real platform: calls made through an MCP client show on /admin/users as this
// hour, today and this month against each user's limits, exactly as the user's own /history meters
// show them; near/at-limit badges, the forecast, search, sorting and paging; a user's page with
// charts and recent calls, where the plan and limits are changed and the account is suspended and
// resumed, which the user's MCP client feels on its next call. Non-admins get 404 and a refusal.
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import { getUsage } from "@/lib/quota/usage";
import { getWindows } from "@/lib/quota/windows";
import { setLimitOverrides } from "@/lib/users/set-limit-overrides";
import { signInOverHttp } from "../helpers/auth-http";
import { expectNoSeriousAxeViolations, launchChromium } from "../helpers/browser";
import { withDefaultPlanLock } from "../helpers/default-plan-lock";
import { connectClient, createTenant, type Tenant, textOf } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { runScript } from "../helpers/run-script";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 90_000 });

const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const password = "correct horse battery";
const tag = `au${randomBytes(3).toString("hex")}`;
const adminEmail = `admin-${tag}@test.local`;

let platform: RunningPlatform;
let browser: Browser;
let busy: Tenant;
let quiet: Tenant;
let adminContext: BrowserContext;
let page: Page;

async function signedInContext(email: string, options: { colorScheme?: "dark" | "light" } = {}) {
  const { code, jar } = await signInOverHttp(platform.url, email, password);
  expect(code).toBeNull();
  const context = await browser.newContext(options);
  await context.addCookies([...jar.cookies].map(([name, value]) => ({ name, value, url: platform.url })));
  return context;
}

async function snap(target: Page, name: string): Promise<void> {
  await target.screenshot({ path: path.join(screenshots, `admin-users-${name}.png`), fullPage: true });
}

const row = (target: Page, userId: string) =>
  target.locator(`[data-testid="user-row"][data-user-id="${userId}"]`);
const rowEmails = (target: Page) => target.getByTestId("user-email").allTextContents();

async function callUppercase(tenant: Tenant, text: string) {
  const client = await connectClient(platform.url, tenant.secret);
  try {
    return await client.callTool({
      name: "formatter_transform_text",
      arguments: { text, operation: "uppercase" },
    });
  } finally {
    await client.close();
  }
}

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  [platform, browser] = await Promise.all([startPlatform(), launchChromium()]);
  // The administrator, made as the README says.
  const created = await runScript("scripts/cli.ts", [
    "users",
    "create",
    "--email",
    adminEmail,
    "--password",
    password,
    "--name",
    `Admin ${tag}`,
    "--admin",
  ]);
  expect(created.stdout).toContain(`Created admin ${adminEmail}`);

  // A busy user: three successful calls and a failed one (which gives its unit back), with an
  // hourly limit of 3, so the hour is used up. A quiet user with no calls.
  // Made under the default-plan lock: a user takes the default plan of the moment, and the admin
  // plans tests make a copy of Free the default for a while.
  [busy, quiet] = await withDefaultPlanLock(async () => [
    await createTenant(platform.url, `busy-${tag}`),
    await createTenant(platform.url, `quiet-${tag}`),
  ]);
  const client = await connectClient(platform.url, busy.secret);
  try {
    for (const text of ["one", "two", "three"]) {
      const result = await client.callTool({
        name: "formatter_transform_text",
        arguments: { text, operation: "uppercase" },
      });
      expect(result.isError).toBeFalsy();
    }
    const failed = await client.callTool({
      name: "formatter_extract_json",
      arguments: { json: "{oops", path: "a" },
    });
    expect(textOf(failed)).toMatch(/not valid JSON/);
  } finally {
    await client.close();
  }
  await setLimitOverrides(busy.userId, { hour: 3 });

  adminContext = await signedInContext(adminEmail);
  page = await adminContext.newPage();
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await browser?.close();
  if (platform) expect(await platform.stop()).toBe(0);
  await stopStartedPlatforms();
  await closeTestConnections();
});

describe("/admin/users", () => {
  it("shows each user's calls this hour, today and this month against their limits, as their own meters do", () =>
    // The plan and limits shown come from the default plan, which the admin plans tests flip.
    withDefaultPlanLock(async () => {
      await page.goto(`${platform.url}/admin/users?q=${tag}`);
      await expect.poll(() => page.title()).toContain("Users");
      // Ranked by share of quota used: the busy user (hour used up) first, then the idle ones by email.
      expect(await rowEmails(page)).toEqual([busy.email, adminEmail, quiet.email]);
      const busyRow = row(page, busy.userId);
      const usage = await getUsage(busy.userId);
      expect(usage.hour).toMatchObject({ used: 3, limit: 3 });
      for (const window of ["hour", "day", "month"] as const) {
        expect(await busyRow.getByTestId(`usage-${window}-count`).textContent()).toBe(
          `${usage[window].used} / ${usage[window].limit}`,
        );
      }
      expect(await busyRow.getByTestId("limit-badge").getAttribute("data-state")).toBe("at");
      expect(await busyRow.getByTestId("limit-badge").textContent()).toBe("At limit");
      expect(await busyRow.getByTestId("share").textContent()).toBe("100%");
      expect(await busyRow.getByTestId("user-plan").textContent()).toBe("Free");
      const { month } = getWindows(new Date());
      const elapsed = Math.max(Date.now() - month.startsAt.getTime(), 3_600_000);
      const expected = Math.round(
        3 / Math.min(1, elapsed / (month.resetsAt.getTime() - month.startsAt.getTime())),
      );
      // The forecast is computed at the page's moment: allow a unit's drift.
      const forecast = Number((await busyRow.getByTestId("forecast").textContent())?.replace(/\D/g, ""));
      expect(Math.abs(forecast - expected)).toBeLessThanOrEqual(1);
      expect(
        await page.getByRole("meter", { name: `${busy.email}, this hour` }).getAttribute("aria-valuetext"),
      ).toBe("3 of 3 calls used (100%)");
      expect(await row(page, quiet.userId).getByTestId("usage-hour-count").textContent()).toMatch(
        /^0 \/ 80$/,
      );
      expect(await row(page, quiet.userId).getByTestId("limit-badge").count()).toBe(0);
      expect(await page.getByTestId("users-summary").textContent()).toContain("3 users match · 1 at a limit");
      await snap(page, "list");
      await expectNoSeriousAxeViolations(page);

      // The user's own /history meters show the same numbers.
      const userContext = await signedInContext(busy.email);
      try {
        const history = await userContext.newPage();
        await history.goto(`${platform.url}/history`);
        for (const window of ["hour", "day", "month"] as const) {
          const adminText = await busyRow.getByTestId(`usage-${window}-count`).textContent();
          expect(await history.getByTestId(`usage-${window}-count`).textContent()).toBe(`${adminText} calls`);
        }
      } finally {
        await userContext.close();
      }
    }));

  it("marks a user near a limit, counting a running call as the meters do", async () => {
    // 4 of 5 this hour is 80%: near the limit, not at it. The fourth call is still running: it holds
    // its unit in the counters (and the user's meters) but is not in the rollup until it finishes.
    await setLimitOverrides(busy.userId, { hour: 5 });
    const client = await connectClient(platform.url, busy.secret);
    try {
      const running = client.callTool({ name: "delay_wait", arguments: { seconds: 4 } });
      await expect
        .poll(() => getDb().call.count({ where: { userId: busy.userId, status: "PENDING" } }))
        .toBe(1);
      await page.goto(`${platform.url}/admin/users?q=${tag}`);
      const busyRow = row(page, busy.userId);
      expect((await getUsage(busy.userId)).hour.used).toBe(4);
      expect(await busyRow.getByTestId("usage-hour-count").textContent()).toBe("4 / 5");
      expect(await busyRow.getByTestId("limit-badge").getAttribute("data-state")).toBe("near");
      expect(await busyRow.getByTestId("usage-hour").getAttribute("data-level")).toBe("warning");
      const rollup = await getDb().usageHourly.aggregate({
        where: { userId: busy.userId },
        _sum: { successCount: true },
      });
      expect(rollup._sum.successCount).toBe(3);
      expect((await running).structuredContent).toEqual({ waitedSeconds: 4 });
    } finally {
      await client.close();
    }
  });

  it("searches by email or name without JavaScript, sorts by email and created, and pages", async () => {
    const plain = await browser.newContext({ javaScriptEnabled: false });
    await plain.addCookies(await adminContext.cookies());
    try {
      const noJs = await plain.newPage();
      await noJs.goto(`${platform.url}/admin/users`);
      await noJs.getByLabel("Email or name").fill(`quiet-${tag}`);
      await noJs.getByRole("button", { name: "Search" }).click();
      await noJs.waitForURL((url) => url.searchParams.get("q") === `quiet-${tag}`);
      expect(await rowEmails(noJs)).toEqual([quiet.email]);
      // The name is searched too.
      await noJs.goto(`${platform.url}/admin/users?q=${encodeURIComponent(`Admin ${tag}`)}`);
      expect(await rowEmails(noJs)).toEqual([adminEmail]);
      await noJs.goto(`${platform.url}/admin/users?q=nobody-${tag}`);
      expect(await noJs.getByRole("heading", { name: "No users match this search" }).count()).toBe(1);
    } finally {
      await plain.close();
    }

    await page.goto(`${platform.url}/admin/users?q=${tag}`);
    await page.getByRole("link", { name: "Sort by email" }).click();
    await page.waitForURL((url) => url.searchParams.get("sort") === "email");
    await expect.poll(() => rowEmails(page)).toEqual([adminEmail, busy.email, quiet.email]);
    expect(await page.getByRole("columnheader", { name: "Sort by email" }).getAttribute("aria-sort")).toBe(
      "ascending",
    );
    await page.getByRole("link", { name: "Sort by email" }).click();
    await page.waitForURL((url) => url.searchParams.get("dir") === "desc");
    await expect.poll(() => rowEmails(page)).toEqual([quiet.email, busy.email, adminEmail]);
    await page.getByRole("link", { name: "Sort by date created" }).click();
    await page.waitForURL((url) => url.searchParams.get("sort") === "created");
    // Newest first: the tenants were made after the admin, the quiet one last.
    await expect.poll(() => rowEmails(page)).toEqual([quiet.email, busy.email, adminEmail]);

    const pageTag = `pg${tag}`;
    await getDb().user.createMany({
      data: Array.from({ length: 53 }, (_, index) => ({
        email: `${pageTag}-${String(index).padStart(2, "0")}@test.local`,
      })),
    });
    await page.goto(`${platform.url}/admin/users?q=${pageTag}&sort=email`);
    expect(await page.getByTestId("user-row").count()).toBe(50);
    expect(await page.getByRole("navigation", { name: "Pages of users" }).textContent()).toContain(
      "1–50 of 53",
    );
    await page.getByRole("link", { name: "Next page" }).click();
    await page.waitForURL((url) => url.searchParams.get("page") === "2");
    await expect.poll(() => page.getByTestId("user-row").count()).toBe(3);
    expect(await rowEmails(page)).toEqual([
      `${pageTag}-50@test.local`,
      `${pageTag}-51@test.local`,
      `${pageTag}-52@test.local`,
    ]);
    expect(new URL(page.url()).searchParams.get("sort")).toBe("email");
  });
});

describe("/admin/users/[id]", () => {
  it("shows the user's usage, charts and recent calls", async () => {
    await page.goto(`${platform.url}/admin/users?q=${tag}`);
    await page.getByRole("link", { name: busy.email }).click();
    await page.waitForURL(`${platform.url}/admin/users/${busy.userId}`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(busy.email);
    const usage = await getUsage(busy.userId);
    expect(await page.getByTestId("detail-usage-hour").getByTestId("usage-hour-count").textContent()).toBe(
      `${usage.hour.used} / ${usage.hour.limit}`,
    );
    // Both charts drew their bars (recharts renders in the browser).
    await expect
      .poll(() => page.locator("[data-testid=chart-hourly] .recharts-bar-rectangle").count())
      .toBeGreaterThan(0);
    await expect
      .poll(() => page.locator("[data-testid=chart-daily] .recharts-bar-rectangle").count())
      .toBeGreaterThan(0);
    await page.getByTestId("chart-hourly").getByText("Show as a table").click();
    const table = page.getByTestId("chart-hourly").locator("table");
    // 4 successes and the failure, all this hour.
    expect(await table.locator("tbody td").allTextContents()).toEqual(["4", "1", "0"]);
    expect(await page.getByTestId("recent-call").count()).toBe(5);
    await snap(page, "detail");
    await expectNoSeriousAxeViolations(page);
  });

  it("changes the plan and the limits, which the user's next call obeys", async () => {
    const pro = await getDb().plan.create({
      data: { name: `Pro ${tag}`, hourlyLimit: 1000, dailyLimit: 5000, monthlyLimit: 50000 },
    });
    await page.reload();
    await page.getByRole("combobox", { name: "Plan" }).selectOption({ value: pro.id });
    await page.getByRole("button", { name: "Change plan" }).click();
    await expect.poll(() => page.getByText(`Plan changed to ${pro.name}.`).count()).toBe(1);
    expect((await getDb().user.findUniqueOrThrow({ where: { id: busy.userId } })).planId).toBe(pro.id);

    // Hourly back to the plan's; daily lowered to what is used: the next call is refused by the day.
    const used = (await getUsage(busy.userId)).day.used;
    const hourly = page.getByTestId("override-hour");
    await hourly.getByLabel(/Use the plan's \(1,000 an hour\)/).check();
    await page.getByLabel("Custom daily limit (calls a day)").fill(String(used));
    expect(await page.getByTestId("override-day").getByRole("radio", { name: "Custom" }).isChecked()).toBe(
      true,
    );
    await page.getByRole("button", { name: "Save limits" }).click();
    await expect.poll(() => page.getByText("Limits saved.").count()).toBe(1);
    const refused = await callUppercase(busy, "five");
    expect(textOf(refused)).toMatch(new RegExp(`the daily limit of ${used} tool calls is used up`));

    // A bad number is named next to its field.
    await page.getByLabel("Custom monthly limit (calls a month)").fill("-3");
    await page.getByTestId("override-month").getByRole("radio", { name: "Custom" }).check();
    await page.getByRole("button", { name: "Save limits" }).click();
    await expect.poll(() => page.getByText("Enter a whole number of calls (0 or more).").count()).toBe(1);

    const events = await getDb().auditEvent.findMany({
      where: { targetId: busy.userId, action: { in: ["user.plan_changed", "user.limits_changed"] } },
      orderBy: { createdAt: "asc" },
      include: { actor: { select: { email: true } } },
    });
    expect(events.map((event) => [event.action, event.actor?.email ?? null])).toEqual([
      ["user.limits_changed", null],
      ["user.limits_changed", null],
      ["user.plan_changed", adminEmail],
      ["user.limits_changed", adminEmail],
    ]);
  });

  it("suspends after a confirmation, which refuses the user's calls, and resumes", async () => {
    await setLimitOverrides(busy.userId, { day: null });
    expect(textOf(await callUppercase(busy, "before"))).toContain("BEFORE");
    await page.reload();
    await page.getByRole("button", { name: "Suspend account" }).click();
    const dialog = page.getByRole("alertdialog");
    expect(await dialog.getByRole("heading").textContent()).toBe(`Suspend ${busy.email}?`);
    await snap(page, "suspend-dialog");
    await dialog.getByRole("button", { name: "Suspend" }).click();
    await expect.poll(() => page.getByText("Account suspended.").count()).toBe(1);
    await expect.poll(() => page.getByTestId("suspended-badge").count()).toBe(1);

    const refused = await callUppercase(busy, "while suspended");
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/This account is suspended/);
    const signIn = await signInOverHttp(platform.url, busy.email, password);
    expect(signIn.code).not.toBeNull();

    await page.goto(`${platform.url}/admin/users?q=${tag}`);
    expect(await row(page, busy.userId).getByTestId("suspended-badge").count()).toBe(1);
    await page.goto(`${platform.url}/admin/users/${busy.userId}`);
    await page.getByRole("button", { name: "Resume account" }).click();
    await expect.poll(() => page.getByText("Account resumed.").count()).toBe(1);
    expect(textOf(await callUppercase(busy, "after"))).toContain("AFTER");
    const actions = await getDb().auditEvent.findMany({
      where: { targetId: busy.userId, action: { in: ["user.suspended", "user.resumed"] } },
      orderBy: { createdAt: "asc" },
    });
    expect(actions.map((event) => event.action)).toEqual(["user.suspended", "user.resumed"]);
  });

  it("does not offer to suspend your own account", async () => {
    const admin = await getDb().user.findUniqueOrThrow({ where: { email: adminEmail } });
    await page.goto(`${platform.url}/admin/users/${admin.id}`);
    expect(await page.getByRole("button", { name: "Suspend account" }).count()).toBe(0);
    expect(await page.getByText("This is your own account.").count()).toBe(1);
  });

  it("fits a phone's screen and reads in dark mode", async () => {
    const dark = await signedInContext(adminEmail, { colorScheme: "dark" });
    try {
      const phone = await dark.newPage();
      await phone.setViewportSize({ width: 375, height: 800 });
      await phone.goto(`${platform.url}/admin/users?q=${tag}`);
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await snap(phone, "mobile");
      await phone.goto(`${platform.url}/admin/users/${busy.userId}`);
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await snap(phone, "detail-mobile");
      await phone.setViewportSize({ width: 1280, height: 900 });
      await phone.goto(`${platform.url}/admin/users?q=${tag}`);
      await snap(phone, "dark");
      await expectNoSeriousAxeViolations(phone);
      await phone.goto(`${platform.url}/admin/users/${busy.userId}`);
      await snap(phone, "detail-dark");
      await expectNoSeriousAxeViolations(phone, ["body > div > header"]);
    } finally {
      await dark.close();
    }
  });
});

describe("non-administrators", () => {
  it("get 404 on the pages and a refusal from the actions", async () => {
    const context = await signedInContext(quiet.email);
    try {
      const other = await context.newPage();
      for (const target of ["/admin/users", `/admin/users/${busy.userId}`]) {
        const response = await other.goto(`${platform.url}${target}`);
        expect(response?.status()).toBe(404);
      }
      // A page an admin opened, whose session then becomes a non-admin's: the action refuses.
      const stale = await adminContext.newPage();
      await stale.goto(`${platform.url}/admin/users/${quiet.userId}`);
      await adminContext.clearCookies();
      await adminContext.addCookies(await context.cookies());
      await stale.getByRole("button", { name: "Change plan" }).click();
      await expect.poll(() => stale.getByText("Only administrators can do this.").count()).toBe(1);
      expect((await getDb().user.findUniqueOrThrow({ where: { id: quiet.userId } })).planId).toBe(
        "plan_free",
      );
    } finally {
      await context.close();
    }
  });
});
