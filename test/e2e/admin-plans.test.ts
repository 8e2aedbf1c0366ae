// An administrator manages plans and reads the audit trail, in Chromium against a real platform:
// the plans table with the default marked, a new plan (warned about limits out of order, and
// refused when a field is wrong), editing on the plan's page, moving people by email, changing the
// default, a confirmed delete; the audit trail with its filters (also without JavaScript), details,
// paging and the CSV export; and for anyone else, 404 on these pages and on the export, and the
// actions refused.
import { randomBytes } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import { createPlan } from "@/lib/plans/manage-plans";
import { createUser } from "@/lib/users/create-user";
import { signInOverHttp } from "../helpers/auth-http";
import { expectNoSeriousAxeViolations, launchChromium } from "../helpers/browser";
import { withDefaultPlanLock } from "../helpers/default-plan-lock";
import { uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 60_000 });

const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const password = "correct horse battery";
const suffix = randomBytes(3).toString("hex");

let platform: RunningPlatform;
let browser: Browser;
let admin: { id: string; email: string };
let member: { id: string; email: string };
let adminContext: BrowserContext;
let page: Page;

async function cookiesOf(email: string) {
  const { code, jar } = await signInOverHttp(platform.url, email, password);
  expect(code).toBeNull();
  return [...jar.cookies].map(([name, value]) => ({ name, value, url: platform.url }));
}

async function signedInContext(email: string, options: { javaScriptEnabled?: boolean } = {}) {
  const context = await browser.newContext({ acceptDownloads: true, ...options });
  await context.addCookies(await cookiesOf(email));
  return context;
}

async function snap(target: Page, name: string): Promise<void> {
  await target.screenshot({ path: path.join(screenshots, `admin-plans-${name}.png`), fullPage: true });
}

const planRow = (target: Page, name: string) =>
  target.getByTestId("plan-row").filter({ has: target.getByRole("link", { name, exact: true }) });

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  [platform, browser] = await Promise.all([startPlatform(), launchChromium()]);
  admin = await createUser({ email: uniqueEmail("plans-admin"), password, admin: true });
  member = await createUser({ email: uniqueEmail("plans-member"), password });
  adminContext = await signedInContext(admin.email);
  page = await adminContext.newPage();
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await browser?.close();
  if (platform) expect(await platform.stop()).toBe(0);
  await stopStartedPlatforms();
  await closeTestConnections();
});

describe("the plans page", () => {
  it("lists the plans with their limits, the default first and marked", async () => {
    await withDefaultPlanLock(() => page.goto(`${platform.url}/admin/plans`));
    await expect.poll(() => page.title()).toContain("Plans");
    const free = planRow(page, "Free");
    expect(await page.getByTestId("plan-row").first().getAttribute("data-plan-id")).toBe("plan_free");
    expect(await free.getByTestId("default-badge").textContent()).toBe("Default");
    expect(await free.getByTestId("plan-hourly").textContent()).toContain("80");
    expect(await free.getByTestId("plan-daily").textContent()).toContain("160");
    expect(await free.getByTestId("plan-monthly").textContent()).toContain("300");
    const shown = Number((await free.getByTestId("plan-users").textContent())?.replace(/\D/g, ""));
    // At least this file's two people; other files add and move people meanwhile, and the exact
    // count is the integration test's to check.
    expect(shown).toBeGreaterThanOrEqual(2);
    // The default plan can be neither deleted nor made the default again.
    expect(await free.getByRole("button").count()).toBe(0);
    expect(await page.getByRole("link", { name: "Plans" }).getAttribute("aria-current")).toBe("page");
    await snap(page, "list");
    await expectNoSeriousAxeViolations(page);
  });

  it("creates a plan, refusing limits out of order and a wrong field", async () => {
    const form = page.getByRole("form", { name: "New plan" });
    await form.getByLabel("Name").fill(`Team ${suffix}`);
    await form.getByLabel("Calls an hour").fill("500");
    await form.getByLabel("Calls a day").fill("200");
    await form.getByLabel("Calls a month").fill("-3");
    await expect
      .poll(() => form.getByTestId("limit-warnings").textContent())
      .toContain("The hourly limit (500) is above the daily limit (200)");
    await form.getByRole("button", { name: "Create plan" }).click();
    await expect.poll(() => form.getByText("The monthly limit cannot be negative.").count()).toBe(1);
    expect(await form.getByLabel("Calls a month").getAttribute("aria-invalid")).toBe("true");
    // What was typed stays.
    expect(await form.getByLabel("Name").inputValue()).toBe(`Team ${suffix}`);
    await snap(page, "create-error");

    // Out of order, it is not saved, and the field to lower says why.
    await form.getByLabel("Calls a month").fill("20000");
    await form.getByRole("button", { name: "Create plan" }).click();
    await expect
      .poll(() => form.locator("#hourlyLimit-error, [id$='-error']").allTextContents())
      .toContain(
        "The hourly limit (500) is above the daily limit (200): no hour can use more than the day allows.",
      );
    expect(await form.getByLabel("Calls an hour").getAttribute("aria-invalid")).toBe("true");
    expect(await getDb().plan.count({ where: { name: `Team ${suffix}` } })).toBe(0);

    // In order, it is created. (A fresh form: under load, a late update of the refused form's
    // state could overwrite what is typed into it next; that race is not this test's subject.)
    await page.reload();
    await form.getByLabel("Name").fill(`Team ${suffix}`);
    await form.getByLabel("Calls an hour").fill("150");
    await form.getByLabel("Calls a day").fill("200");
    await form.getByLabel("Calls a month").fill("20000");
    await expect.poll(() => form.getByTestId("limit-warnings").count()).toBe(0);
    await form.getByRole("button", { name: "Create plan" }).click();
    await expect
      .poll(async () =>
        (await form.getByText(`Created the plan Team ${suffix}.`).count()) > 0
          ? "created"
          : (await form.locator("[id$='-error'], [role=alert]").allTextContents()).join(" | "),
      )
      .toBe("created");
    // The form is empty again for the next plan, and the new plan is in the table.
    expect(await form.getByLabel("Name").inputValue()).toBe("");
    expect(await form.getByLabel("Calls an hour").inputValue()).toBe("");
    const row = planRow(page, `Team ${suffix}`);
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByTestId("plan-hourly").textContent()).toContain("150");
    expect(await row.textContent()).not.toContain("Limits out of order");
    expect(await row.getByTestId("plan-users").textContent()).toMatch(/\D0$/);

    // A second plan of the same name is refused on the name.
    await form.getByLabel("Name").fill(`Team ${suffix}`);
    await form.getByLabel("Calls an hour").fill("1");
    await form.getByLabel("Calls a day").fill("1");
    await form.getByLabel("Calls a month").fill("1");
    await form.getByRole("button", { name: "Create plan" }).click();
    await expect
      .poll(() =>
        form.getByText(`A plan named “Team ${suffix}” already exists. Choose another name.`).count(),
      )
      .toBe(1);
  });

  it("edits a plan on its own page", async () => {
    await planRow(page, `Team ${suffix}`)
      .getByRole("link", { name: `Edit Team ${suffix}` })
      .click();
    await page.waitForURL(/\/admin\/plans\/[^/]+$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(`Team ${suffix}`);
    expect(await page.getByRole("main").textContent()).toContain("0 people are on this plan.");
    const form = page.getByRole("form", { name: `Edit Team ${suffix}` });
    expect(await form.getByTestId("limit-warnings").count()).toBe(0);
    // Out of order, it says so as it is typed, and the save is refused.
    await form.getByLabel("Calls a day").fill("100");
    await expect
      .poll(() => form.getByTestId("limit-warnings").textContent())
      .toContain("The hourly limit (150) is above the daily limit (100)");
    await form.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => form.getByLabel("Calls an hour").getAttribute("aria-invalid")).toBe("true");
    expect(await getDb().plan.findUniqueOrThrow({ where: { name: `Team ${suffix}` } })).toMatchObject({
      dailyLimit: 200,
    });
    await page.reload(); // a fresh form, as above
    await form.getByLabel("Calls a day").fill("200");
    await form.getByLabel("Calls an hour").fill("120");
    // In order now: the warning goes away as it is typed.
    await expect.poll(() => form.getByTestId("limit-warnings").count()).toBe(0);
    await form.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => form.getByText(`Saved Team ${suffix}.`).count()).toBe(1);
    expect(await form.getByLabel("Calls an hour").inputValue()).toBe("120");
    const plan = await getDb().plan.findUniqueOrThrow({ where: { name: `Team ${suffix}` } });
    expect(plan).toMatchObject({ hourlyLimit: 120, dailyLimit: 200, monthlyLimit: 20_000 });
    const event = await getDb().auditEvent.findFirstOrThrow({
      where: { action: "plan.updated", targetId: plan.id },
    });
    expect(event).toMatchObject({ actorId: admin.id });
    expect(event.userAgent).toMatch(/Chrome/);
    await snap(page, "edit");
    await expectNoSeriousAxeViolations(page);

    const unknown = await page.goto(`${platform.url}/admin/plans/no-such-plan`);
    expect(unknown?.status()).toBe(404);
  });

  it("moves people to a plan by email address, refusing unknown addresses", async () => {
    await page.goto(`${platform.url}/admin/plans`);
    const form = page.getByRole("form", { name: "Move people to a plan" });
    const missing = `nobody-${suffix}@test.local`;
    await form.getByLabel("Email addresses").fill(`${member.email.toUpperCase()}, ${missing}`);
    await form.getByLabel("Plan").selectOption({ label: `Team ${suffix}` });
    await form.getByRole("button", { name: "Move to plan" }).click();
    await expect
      .poll(() => form.getByText(`No account has the address ${missing}. Nothing was changed.`).count())
      .toBe(1);
    expect(await form.getByLabel("Email addresses").getAttribute("aria-invalid")).toBe("true");

    await form.getByLabel("Email addresses").fill(`${member.email}\n${admin.email}`);
    await form.getByRole("button", { name: "Move to plan" }).click();
    await expect
      .poll(() => form.getByRole("status").textContent())
      .toBe(`Moved 2 people to Team ${suffix}. Their next tool call uses its limits.`);
    await expect
      .poll(() => planRow(page, `Team ${suffix}`).getByTestId("plan-users").textContent())
      // (The cell's text starts with its label, shown only when rows are stacked.)
      .toMatch(/\D2$/);
    expect(
      (await getDb().user.findUniqueOrThrow({ where: { id: member.id }, include: { plan: true } })).plan
        ?.name,
    ).toBe(`Team ${suffix}`);
    await snap(page, "assigned");
  });

  it("makes another plan the default, and back", async () => {
    // Free's limits, so that accounts other test files create meanwhile get the same limits.
    const copy = await createPlan({
      name: `Free copy ${suffix}`,
      hourlyLimit: 80,
      dailyLimit: 160,
      monthlyLimit: 300,
    });
    await withDefaultPlanLock(async () => {
      try {
        await page.goto(`${platform.url}/admin/plans`);
        await page.getByRole("button", { name: `Make default Free copy ${suffix}` }).click();
        await expect
          .poll(() => planRow(page, `Free copy ${suffix}`).getByTestId("default-badge").count())
          .toBe(1);
        expect(await planRow(page, "Free").getByTestId("default-badge").count()).toBe(0);
        expect(await page.getByTestId("default-badge").count()).toBe(1);
        expect(await page.getByTestId("plan-row").first().getAttribute("data-plan-id")).toBe(copy.id);
      } finally {
        await page.getByRole("button", { name: "Make default Free", exact: true }).click();
        await expect.poll(() => planRow(page, "Free").getByTestId("default-badge").count()).toBe(1);
      }
    });
    expect((await getDb().plan.findMany({ where: { isDefault: true } })).map((plan) => plan.id)).toEqual([
      "plan_free",
    ]);
  });

  it("deletes a plan no one is on, after confirming", async () => {
    const name = `Free copy ${suffix}`;
    const { id } = await getDb().plan.findUniqueOrThrow({ where: { name } });
    // By id: while the dialog is open, the page behind it is hidden from role queries.
    const row = page.locator(`[data-plan-id="${id}"]`);
    // Plans people are on offer no delete button.
    expect(
      await planRow(page, `Team ${suffix}`)
        .getByRole("button", { name: /^Delete/ })
        .count(),
    ).toBe(0);
    await row.getByRole("button", { name: `Delete ${name}` }).click();
    const dialog = page.getByRole("alertdialog");
    expect(await dialog.getByRole("heading").textContent()).toBe(`Delete the plan “${name}”?`);
    await snap(page, "delete-confirm");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(await row.count()).toBe(1);
    await row.getByRole("button", { name: `Delete ${name}` }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Delete plan" }).click();
    await expect.poll(() => row.count()).toBe(0);
    expect(await getDb().plan.count({ where: { name } })).toBe(0);
  });

  it("fits a phone's screen and reads in dark mode", async () => {
    const phone = await adminContext.newPage();
    try {
      await phone.setViewportSize({ width: 375, height: 800 });
      await phone.goto(`${platform.url}/admin/plans`);
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await snap(phone, "mobile");
      await phone.setViewportSize({ width: 1280, height: 900 });
      await phone.emulateMedia({ colorScheme: "dark" });
      await phone.goto(`${platform.url}/admin/plans`);
      await snap(phone, "dark");
      await expectNoSeriousAxeViolations(phone);
    } finally {
      await phone.close();
    }
  });
});

describe("the audit trail page", () => {
  it("shows who did what to what, from where, with the details folded", async () => {
    await page.goto(`${platform.url}/admin/audit`);
    await expect.poll(() => page.title()).toContain("Audit trail");
    const row = page.locator(`[data-action="user.plan_changed"]`).filter({ hasText: member.email }).first();
    expect(await row.getByTestId("audit-actor").textContent()).toBe(admin.email);
    expect(await row.getByTestId("audit-target").textContent()).toContain(`user ${member.email}`);
    expect(await row.getByTestId("audit-user-agent").textContent()).toMatch(/Chrome/);
    expect(await row.textContent()).toContain("Moved a person to a plan");
    const details = row.locator("details");
    expect(await details.evaluate((node) => (node as HTMLDetailsElement).open)).toBe(false);
    await row.locator("summary").click();
    expect(await row.getByTestId("audit-details").textContent()).toContain(`"name": "Team ${suffix}"`);
    await snap(page, "audit");
    await expectNoSeriousAxeViolations(page);
  });

  it("filters by who and what, without JavaScript", async () => {
    const context = await signedInContext(admin.email, { javaScriptEnabled: false });
    try {
      const plain = await context.newPage();
      await plain.goto(`${platform.url}/admin/audit`);
      await plain.getByLabel("Who (email address)").fill(admin.email);
      await plain.getByLabel("What (action)").fill("plan.created");
      await plain.getByRole("button", { name: "Apply filters" }).click();
      await plain.waitForURL((url) => url.searchParams.get("action") === "plan.created");
      const actions = await plain.getByTestId("audit-action").allTextContents();
      // Team and the Free copy were created through the page; the copy's creation was not the admin's.
      expect(actions).toEqual(["plan.created"]);
      expect(await plain.getByTestId("audit-target").textContent()).toContain(`plan Team ${suffix}`);
      expect(await plain.getByLabel("Who (email address)").inputValue()).toBe(admin.email);

      await plain.getByLabel("From (day, UTC)").fill("2001-01-01");
      await plain.getByLabel("To (day, UTC, included)").fill("2001-01-31");
      await plain.getByRole("button", { name: "Apply filters" }).click();
      await plain.waitForURL((url) => url.searchParams.get("to") === "2001-01-31");
      expect(await plain.getByRole("heading", { name: "No events match these filters" }).count()).toBe(1);
      await plain.getByRole("link", { name: "Clear" }).click();
      await plain.waitForURL(`${platform.url}/admin/audit`);
      expect(await plain.getByTestId("audit-event").count()).toBeGreaterThan(3);
    } finally {
      await context.close();
    }
  });

  it("pages to older events, keeping the filters", async () => {
    const pager = await createUser({ email: uniqueEmail("audit-pager"), password });
    await getDb().auditEvent.createMany({
      data: Array.from({ length: 62 }, (_, index) => ({
        actorId: pager.id,
        action: "tool.updated",
        targetType: "tool",
        targetId: `tool-${index}`,
        createdAt: new Date(Date.UTC(2004, 0, 1, 0, index)),
      })),
    });
    await page.goto(
      `${platform.url}/admin/audit?actor=${encodeURIComponent(pager.email)}&action=tool.updated`,
    );
    await expect.poll(() => page.getByTestId("audit-event").count()).toBe(50);
    expect(await page.getByTestId("audit-target").first().textContent()).toContain("tool-61");
    await page.getByRole("link", { name: "Older events" }).click();
    await page.waitForURL((url) => url.searchParams.has("cursor"));
    expect(new URL(page.url()).searchParams.get("actor")).toBe(pager.email);
    await expect.poll(() => page.getByTestId("audit-event").count()).toBe(12);
    expect(await page.getByTestId("audit-target").last().textContent()).toContain("tool-0");
    expect(await page.getByRole("link", { name: "Older events" }).count()).toBe(0);
    await page.getByRole("link", { name: "Newest events" }).click();
    await page.waitForURL((url) => !url.searchParams.has("cursor"));
    await expect.poll(() => page.getByTestId("audit-event").count()).toBe(50);

    await page.goto(`${platform.url}/admin/audit?cursor=garbage`);
    expect(await page.getByText("This page of older events does not exist.").count()).toBe(1);
  });

  it("exports the filtered trail as a CSV download", async () => {
    await page.goto(
      `${platform.url}/admin/audit?actor=${encodeURIComponent(admin.email)}&action=plan.created`,
    );
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Export CSV (filtered)" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^toolgate-audit-\d{8}-\d{6}\.csv$/);
    const text = await readFile((await download.path())!, "utf8");
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]).toBe("time,actor_email,actor_id,action,target_type,target_id,ip,user_agent,details");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`${admin.email},${admin.id},plan.created,plan,`);

    const response = await adminContext.request.get(`${platform.url}/admin/audit/export?action=plan.deleted`);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("text/csv; charset=utf-8; header=present");
    expect(response.headers()["content-disposition"]).toMatch(
      /^attachment; filename="toolgate-audit-.+\.csv"$/,
    );
    expect(await response.text()).toContain(`Free copy ${suffix}`);
    // Exporting is itself recorded.
    const exported = await getDb().auditEvent.findFirstOrThrow({
      where: { action: "audit.exported", actorId: admin.id },
      orderBy: { createdAt: "desc" },
    });
    expect(exported.metadata).toEqual({ filters: { action: "plan.deleted" } });
    expect(
      (await adminContext.request.get(`${platform.url}/admin/audit/export?from=yesterday`)).status(),
    ).toBe(422);
  });

  it("fits a phone's screen and reads in dark mode", async () => {
    const phone = await adminContext.newPage();
    try {
      await phone.setViewportSize({ width: 375, height: 800 });
      await phone.goto(`${platform.url}/admin/audit`);
      await phone.getByTestId("audit-event").first().locator("summary").click();
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await snap(phone, "audit-mobile");
      await phone.setViewportSize({ width: 1280, height: 900 });
      await phone.emulateMedia({ colorScheme: "dark" });
      await phone.goto(`${platform.url}/admin/audit`);
      await snap(phone, "audit-dark");
      await expectNoSeriousAxeViolations(phone, ["body > div > header"]);
    } finally {
      await phone.close();
    }
  });
});

describe("anyone but an administrator", () => {
  it("gets 404 on the plans and audit pages and on the CSV export", async () => {
    const plan = await getDb().plan.findFirstOrThrow({ where: { name: `Team ${suffix}` } });
    const context = await signedInContext(member.email);
    try {
      const other = await context.newPage();
      for (const target of ["/admin/plans", `/admin/plans/${plan.id}`, "/admin/audit"]) {
        const response = await other.goto(`${platform.url}${target}`);
        expect(response?.status()).toBe(404);
        // Nothing of the page's data either, not even in the streamed React payload.
        const html = await other.content();
        expect(html).not.toContain(`Team ${suffix}`);
        expect(html).not.toContain(admin.email);
      }
      await snap(other, "not-found");
      const exported = await context.request.get(`${platform.url}/admin/audit/export`);
      expect(exported.status()).toBe(404);
      expect(await exported.text()).not.toContain("actor_email");
    } finally {
      await context.close();
    }
    // Signed out: the export says no more.
    const anonymous = await fetch(`${platform.url}/admin/audit/export`);
    expect(anonymous.status).toBe(404);
    expect(anonymous.headers.get("content-disposition")).toBeNull();
  });

  it("is refused by the plan actions, even from a page opened while still an administrator", async () => {
    const demoted = await createUser({ email: uniqueEmail("demoted"), password, admin: true });
    const context = await signedInContext(demoted.email);
    try {
      const open = await context.newPage();
      await open.goto(`${platform.url}/admin/plans`);
      await getDb().user.update({ where: { id: demoted.id }, data: { role: "USER" } });
      const form = open.getByRole("form", { name: "New plan" });
      await form.getByLabel("Name").fill(`Sneaky ${suffix}`);
      await form.getByLabel("Calls an hour").fill("1000000");
      await form.getByLabel("Calls a day").fill("1000000");
      await form.getByLabel("Calls a month").fill("1000000");
      await form.getByRole("button", { name: "Create plan" }).click();
      await expect.poll(() => form.getByRole("alert").textContent()).toBe("Only administrators can do this.");
      await open.getByRole("button", { name: `Make default Team ${suffix}` }).click();
      await expect.poll(() => open.getByText("Only administrators can do this.").count()).toBe(2);
      expect(await getDb().plan.count({ where: { name: `Sneaky ${suffix}` } })).toBe(0);
      expect((await getDb().plan.findUniqueOrThrow({ where: { name: `Team ${suffix}` } })).isDefault).toBe(
        false,
      );
    } finally {
      await context.close();
    }
  });
});
