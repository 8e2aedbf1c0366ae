// An administrator watches the platform on /admin, in Chromium against a real platform on a
// database of its own (so the numbers are exactly this file's): calls made through an MCP client
// (a success, an action error, a refusal) and older hourly rollup rows show in the headline
// numbers, the charts and their tables; the queue section lists a real failed job, which is
// retried (and then runs) or discarded; the page passes axe in light and dark and fits a phone;
// anyone else gets a 404 and the actions refuse them.
import { randomUUID } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/env";
import { sealCallInput } from "@/lib/calls/call-input";
import { createPendingCall } from "@/lib/calls/ledger";
import { getDb } from "@/lib/db/client";
import { toolCallJob } from "@/lib/queue/jobs/tool-call";
import { enqueueJob, getQueue } from "@/lib/queue/queues";
import { createUser } from "@/lib/users/create-user";
import { setLimitOverrides } from "@/lib/users/set-limit-overrides";
import { signInOverHttp } from "../helpers/auth-http";
import { expectNoSeriousAxeViolations, launchChromium } from "../helpers/browser";
import { type ScratchDatabase, switchToScratchDatabase } from "../helpers/database";
import { connectClient, createTenant, type Tenant, textOf, uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 60_000 });

const projectRoot = path.resolve(import.meta.dirname, "../..");
const screenshots = path.resolve(projectRoot, "test-results/screenshots");
const password = "correct horse battery";
const hourMs = 3_600_000;

let database: ScratchDatabase;
let platform: RunningPlatform;
let browser: Browser;
let adminEmail: string;
let tenant: Tenant;
let adminContext: BrowserContext;
let page: Page;

async function signedInContext(email: string) {
  const { code, jar } = await signInOverHttp(platform.url, email, password);
  expect(code).toBeNull();
  const context = await browser.newContext();
  await context.addCookies([...jar.cookies].map(([name, value]) => ({ name, value, url: platform.url })));
  return { context, jar };
}

async function snap(target: Page, name: string): Promise<void> {
  await target.screenshot({ path: path.join(screenshots, `admin-overview-${name}.png`), fullPage: true });
}

/** A job of the tool-calls queue whose call is not in the ledger: the worker fails it for good. */
async function addFailedJob(): Promise<string> {
  const callId = randomUUID();
  await enqueueJob(toolCallJob, { callId }, { jobId: callId, attempts: 1 });
  await expect
    .poll(() => getQueue(toolCallJob.queue).getJobState(callId), { timeout: 15_000 })
    .toBe("failed");
  return callId;
}

/** Rollup rows older than 24 hours for `userIds`, as the ledger would have left them. */
async function seedOlderUsage(userIds: string[]): Promise<{ calls: number }> {
  const currentHour = Math.floor(Date.now() / hourMs) * hourMs;
  let calls = 0;
  for (const [index, userId] of userIds.entries()) {
    for (let hoursAgo = 30 + index * 7; hoursAgo < 160; hoursAgo += 11) {
      const success = 3 + ((hoursAgo * 7) % 11);
      const error = hoursAgo % 4 === 0 ? 2 : 0;
      const refused = hoursAgo % 5 === 0 ? 1 : 0;
      calls += success + error + refused;
      await getDb().usageHourly.create({
        data: {
          userId,
          hour: new Date(currentHour - hoursAgo * hourMs),
          successCount: success,
          errorCount: error,
          refusedCount: refused,
          totalDurationMs: BigInt((success + error) * 120),
          durationUnder100ms: Math.max(0, success + error - 3),
          durationUnder250ms: 2,
          durationUnder500ms: 1,
        },
      });
    }
  }
  return { calls };
}

let olderCalls = 0;

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  database = await switchToScratchDatabase();
  [platform, browser] = await Promise.all([
    startPlatform({ env: { DATABASE_URL: database.url, HEARTBEAT_INTERVAL_MS: "1000" } }),
    launchChromium(),
  ]);

  // On an installation without an administrator, the sign-up page says who becomes one.
  const firstAccountNote = "the account you create now administers it";
  expect(await (await fetch(`${platform.url}/signup`)).text()).toContain(firstAccountNote);
  adminEmail = uniqueEmail("overview-admin");
  const admin = await createUser({ email: adminEmail, password, admin: true });
  expect(admin.role).toBe("ADMIN");
  expect(await (await fetch(`${platform.url}/signup`)).text()).not.toContain(firstAccountNote);
  tenant = await createTenant(platform.url, "overview");
  const others = await Promise.all([
    createTenant(platform.url, "older-a"),
    createTenant(platform.url, "older-b"),
  ]);
  olderCalls = (await seedOlderUsage(others.map((other) => other.userId))).calls;

  // This hour: a success, an action error, then a refusal once the hourly limit is one call.
  const client = await connectClient(platform.url, tenant.secret);
  try {
    const upper = await client.callTool({
      name: "formatter_transform_text",
      arguments: { text: "hello", operation: "uppercase" },
    });
    expect(upper.isError).toBeFalsy();
    const bad = await client.callTool({
      name: "formatter_extract_json",
      arguments: { json: "{oops", path: "a" },
    });
    expect(textOf(bad)).toMatch(/not valid JSON/);
    await setLimitOverrides(tenant.userId, { hour: 1 });
    const refused = await client.callTool({
      name: "formatter_transform_text",
      arguments: { text: "again", operation: "lowercase" },
    });
    expect(textOf(refused)).toMatch(/hourly limit of 1 tool calls/);
  } finally {
    await client.close();
  }

  ({ context: adminContext } = await signedInContext(adminEmail));
  page = await adminContext.newPage();
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await browser?.close();
  if (platform) expect(await platform.stop()).toBe(0);
  await stopStartedPlatforms();
  await getQueue(toolCallJob.queue)
    .obliterate({ force: true })
    .catch(() => {});
  await closeTestConnections();
  await database?.drop();
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe("the admin overview", () => {
  it("shows the last 24 hours' calls, error rate, p95 and active users", async () => {
    await page.goto(`${platform.url}/admin`);
    await expect.poll(() => page.title()).toContain("Admin overview");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Overview");
    expect(await page.getByTestId("stat-calls-value").textContent()).toBe("3");
    expect(await page.getByTestId("stat-calls").textContent()).toContain(
      "1 succeeded, 1 failed, 1 refused by quota",
    );
    expect(await page.getByTestId("stat-error-rate-value").textContent()).toBe("50%");
    expect(await page.getByTestId("stat-error-rate").textContent()).toContain("1 of 2 calls that ran failed");
    // The formatter's actions are quick: both runs took well under a second, queueing included.
    expect(await page.getByTestId("stat-p95-value").textContent()).toMatch(/^under [\d.]+ m?s$/);
    expect(await page.getByTestId("stat-active-users-value").textContent()).toBe("1");
    expect(await page.getByTestId("stat-active-users").textContent()).toContain("3 in the last 7 days");
  });

  it("draws the charts, each with a summary and the numbers as tables", async () => {
    const calls = page.getByTestId("chart-calls");
    await expect.poll(() => calls.locator(".recharts-bar-rectangle").count()).toBeGreaterThan(0);
    expect(await calls.locator("svg.recharts-surface").count()).toBeGreaterThan(0);
    expect(await page.getByTestId("chart-calls-summary").textContent()).toContain(
      `${(olderCalls + 3).toLocaleString("en")} calls in the last 7 days`,
    );
    for (const chart of ["error-rate", "p95", "active-users"]) {
      expect(
        await page.getByTestId(`chart-${chart}`).locator("svg.recharts-surface").count(),
      ).toBeGreaterThan(0);
      expect(await page.getByTestId(`chart-${chart}-summary`).textContent()).not.toBe("");
    }
    expect(await page.getByTestId("chart-p95-summary").textContent()).toMatch(
      /95% of the calls that ran finished under \d+ ms/,
    );
    expect(await page.getByTestId("chart-active-users-summary").textContent()).toContain(
      "3 people made calls in the last 7 days",
    );
    // Each figure is named by its heading.
    expect(await page.getByRole("figure", { name: "Calls per hour" }).count()).toBe(1);

    await page.getByText("The hourly numbers as a table").click();
    const hourly = page.getByTestId("hourly-table");
    const firstRow = hourly.locator("tbody tr").first();
    const cells = await firstRow.locator("td").allTextContents();
    // The newest hour is this one (the three calls), unless the hour turned meanwhile.
    if (cells[2] === "1") expect(cells.slice(0, 4)).toEqual(["1", "1", "1", "50%"]);
    expect(await hourly.locator("tbody tr").count()).toBeGreaterThan(10);

    await page.getByText("Active users per day as a table").click();
    const daily = await page.getByTestId("daily-table").locator("tbody tr").allTextContents();
    expect(daily).toHaveLength(7);
  });

  it("shows the queue's counts, the live worker and a failed job", async () => {
    const failedId = await addFailedJob();
    await page.reload();
    expect(await page.getByTestId("queue-failed").textContent()).toBe("1");
    expect(await page.getByTestId("queue-completed").textContent()).toBe("2");
    const workers = page.getByTestId("workers");
    expect(await workers.textContent()).toContain("1 worker alive");
    const row = page.locator(`[data-testid="failed-job"][data-job-id="${failedId}"]`);
    // A tool call's job has its call's id: shown once, under "Call".
    expect(await row.getByRole("rowheader").textContent()).toBe(failedId);
    expect(await row.getByTestId("failed-job-reason").textContent()).toBe(`Call ${failedId} does not exist`);
    await snap(page, "desktop");
    await expectNoSeriousAxeViolations(page);
  });

  it("retries a failed job, which then runs its call", async () => {
    const [failedId] = await getQueue(toolCallJob.queue)
      .getFailed(0, 0)
      .then((jobs) => jobs.map((job) => String(job.id)));
    // The call it was to run is recorded now, so a retry runs it.
    const tool = await getDb().tool.findFirstOrThrow({
      where: { serverId: tenant.serverId, action: "calculate" },
    });
    const call = {
      id: failedId!,
      userId: tenant.userId,
      serverId: tenant.serverId,
      toolId: tool.id,
      toolName: tool.name,
      integration: "formatter",
      action: "calculate",
      input: { operation: "add", numbers: [2, 3] },
      startedAt: new Date(),
    };
    await createPendingCall({ ...call, sealedInput: await sealCallInput(call, {}, call.input) });
    await page.getByRole("button", { name: `Retry job ${failedId}` }).click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: "is queued again" }).count()).toBe(1);
    await expect
      .poll(async () => (await getDb().call.findUnique({ where: { id: failedId } }))?.status, {
        timeout: 15_000,
      })
      .toBe("SUCCESS");
    await expect.poll(() => page.getByTestId("failed-job").count()).toBe(0);
    expect(await page.getByRole("heading", { name: "No failed jobs" }).count()).toBe(1);
    const audit = await getDb().auditEvent.findFirst({
      where: { action: "queue.job.retried", targetId: failedId },
    });
    expect(audit?.actorId).toBeTruthy();
  });

  it("discards a failed job after confirming", async () => {
    const failedId = await addFailedJob();
    await page.reload();
    await page.getByRole("button", { name: `Discard job ${failedId}` }).click();
    const dialog = page.getByRole("alertdialog", { name: "Discard this failed job?" });
    expect(await dialog.textContent()).toContain("cannot be retried");
    await snap(page, "discard-dialog");
    await dialog.getByRole("button", { name: "Discard job" }).click();
    await expect.poll(() => page.getByTestId("failed-job").count()).toBe(0);
    expect(await getQueue(toolCallJob.queue).getJob(failedId)).toBeUndefined();
    expect(await page.getByTestId("queue-failed").textContent()).toBe("0");
  });

  it("fits a phone's screen and reads in dark mode", async () => {
    await addFailedJob();
    const phone = await adminContext.newPage();
    try {
      await phone.setViewportSize({ width: 375, height: 800 });
      await phone.goto(`${platform.url}/admin`);
      await expect.poll(() => phone.locator(".recharts-bar-rectangle").count()).toBeGreaterThan(0);
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await snap(phone, "mobile");

      await phone.setViewportSize({ width: 1280, height: 900 });
      await phone.emulateMedia({ colorScheme: "dark" });
      await phone.goto(`${platform.url}/admin`);
      await expect.poll(() => phone.locator(".recharts-bar-rectangle").count()).toBeGreaterThan(0);
      await snap(phone, "dark");
      await expectNoSeriousAxeViolations(phone);
    } finally {
      await phone.close();
    }
  });

  it("is a 404 to anyone but an administrator, and its actions refuse them", async () => {
    const { context, jar } = await signedInContext(tenant.email);
    try {
      const other = await context.newPage();
      const response = await other.goto(`${platform.url}/admin`);
      expect(response?.status()).toBe(404);
      expect(await other.getByTestId("queue-counts").count()).toBe(0);
    } finally {
      await context.close();
    }

    // The action called directly, as a browser would, by someone who is not an administrator.
    const manifest = JSON.parse(
      await readFile(path.join(projectRoot, ".next/server/server-reference-manifest.json"), "utf8"),
    ) as { node: Record<string, { filename: string; exportedName: string }> };
    const actionId = Object.entries(manifest.node).find(
      ([, entry]) =>
        entry.filename === "app/(dashboard)/admin/actions.ts" &&
        entry.exportedName === "discardAllFailedJobsAction",
    )?.[0];
    expect(actionId).toBeTruthy();
    const failedBefore = await getQueue(toolCallJob.queue).getFailedCount();
    expect(failedBefore).toBeGreaterThan(0);
    const response = await fetch(`${platform.url}/admin`, {
      method: "POST",
      headers: {
        "next-action": actionId!,
        "content-type": "text/plain;charset=UTF-8",
        accept: "text/x-component",
        origin: platform.url,
        cookie: jar.header(),
      },
      body: "[]",
    });
    expect(await response.text()).toContain("Only administrators can do this.");
    expect(await getQueue(toolCallJob.queue).getFailedCount()).toBe(failedBefore);
  });
});
