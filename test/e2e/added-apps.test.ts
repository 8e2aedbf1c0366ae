// A person in Chromium managing added apps: the catalog's "Add an app" and their added apps; an
// app's page with its health, each action's state, what the scan found, the diff of a changed
// definition against the accepted one; Accept (the hash shown), Offered, Refresh and Delete; the
// form for adding one; an organization member who may read but not change. The apps are made in the
// database as a driver would have read them (test/helpers/added-apps.ts). Screenshots go to
// test-results/screenshots/added-apps-*.png; pages are checked with axe-core.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import { workspaceCookie } from "@/lib/orgs/current-workspace";
import { addMembership, createOrg } from "@/lib/orgs/manage-orgs";
import { createUser } from "@/lib/users/create-user";
import { headerSecret, type SeededApp, seedAddedApp } from "../helpers/added-apps";
import { expectNoSeriousAxeViolations, launchChromium, signedInContext } from "../helpers/browser";
import { uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 90_000 });

const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const password = "a good long password";

let platform: RunningPlatform;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let ownerId: string;
let memberEmail: string;
let orgId: string;

async function snap(target: Page, name: string): Promise<void> {
  await target.screenshot({ path: path.join(screenshots, `added-apps-${name}.png`), fullPage: true });
}

const actionItem = (target: Page, key: string) =>
  target.locator(`[data-testid="added-app-action"][data-key="${key}"]`);
const statusOf = (target: Page, key: string) => actionItem(target, key).getAttribute("data-status");

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  [platform, browser] = await Promise.all([startPlatform(), launchChromium()]);
  // An administrator exists, so the people below are not made the first one.
  await createUser({ email: uniqueEmail("added-apps-admin"), password, admin: true });
  const ownerEmail = uniqueEmail("added-apps-owner");
  ownerId = (await createUser({ email: ownerEmail, password })).id;
  memberEmail = uniqueEmail("added-apps-member");
  const member = await createUser({ email: memberEmail, password });
  orgId = (await createOrg(ownerId, "Added Apps Org")).id;
  await getDb().$transaction((tx) => addMembership(tx, { orgId, userId: member.id, role: "MEMBER" }));
  context = await signedInContext(browser, platform.url, { email: ownerEmail, password });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stopStartedPlatforms();
  await closeTestConnections();
});

describe("the catalog", () => {
  it("offers to add an app and lists the workspace's added apps with what waits for review", async () => {
    const app = await seedAddedApp({ userId: ownerId });
    await page.goto(`${platform.url}/apps`);
    expect(await page.getByRole("link", { name: "Add an app" }).getAttribute("href")).toBe("/apps/new");
    const card = page.locator(`[data-testid="added-app-card"][data-slug="${app.slug}"]`);
    const text = await card.textContent();
    expect(text).toContain("Issue Tracker");
    expect(text).toContain("1 of 3 actions served");
    expect(text).toContain("2 to review");
    expect(text).toContain("Not answering");
    await snap(page, "catalog");
    await expectNoSeriousAxeViolations(page);
    await card.getByRole("link", { name: "Issue Tracker" }).click();
    await page.waitForURL(`${platform.url}/apps/${app.slug}`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Issue Tracker");
  });
});

describe("an added app's page", () => {
  let app: SeededApp;

  beforeAll(async () => {
    app = await seedAddedApp({ userId: ownerId });
  });

  it("shows health, the upstream without header values, each action's state, findings and the diff", async () => {
    await page.goto(`${platform.url}/apps/${app.slug}`);
    await expect.poll(() => page.title()).toBe("Issue Tracker · Toolgate");
    const health = await page.getByRole("region", { name: "Health" }).textContent();
    expect(health).toContain("Not answering");
    expect(health).toContain("42 ms");
    expect(health).toContain("connect ECONNREFUSED");
    const upstream = await page.getByRole("region", { name: "Upstream" }).textContent();
    expect(upstream).toContain("X-Api-Key (values kept secret)");
    expect(await page.content()).not.toContain(headerSecret);

    expect(await statusOf(page, "add_comment")).toBe("served");
    expect(await statusOf(page, "search_issues")).toBe("changed");
    expect(await statusOf(page, "get_weather")).toBe("flagged");
    expect(await actionItem(page, "search_issues").textContent()).toContain("Changed, review");

    const findings = actionItem(page, "get_weather").getByTestId("finding");
    const found = await findings.allTextContents();
    expect(
      found.some((text) => text.startsWith("A tag aimed at the AI") && text.includes("<IMPORTANT>")),
    ).toBe(true);
    expect(
      found.some((text) => text.startsWith("Asks to read local files") && text.includes("~/.ssh/id_rsa")),
    ).toBe(true);
    expect(found.some((text) => text.startsWith("Hidden characters") && text.includes("<U+200B>"))).toBe(
      true,
    );
    // The description itself shows the invisible character too.
    expect(await actionItem(page, "get_weather").textContent()).toContain("city.<U+200B>");

    const diff = actionItem(page, "search_issues").getByTestId("definition-diff");
    const removed = await diff.locator('[data-diff="removed"]').allTextContents();
    const added = await diff.locator('[data-diff="added"]').allTextContents();
    expect(removed.join("\n")).toContain("Search for issues and pull requests across repositories.");
    expect(added.join("\n")).toContain("and close the ones found.");
    expect(added.join("\n")).toContain('"destructive": true');
    await snap(page, "app");
    await expectNoSeriousAxeViolations(page);
  });

  it("accepts a changed action with the hash shown, after which it is served", async () => {
    await page.goto(`${platform.url}/apps/${app.slug}`);
    const accept = page.getByRole("button", { name: "Accept Search issues" });
    const row = await getDb().appAction.findFirstOrThrow({ where: { appId: app.id, key: "search_issues" } });
    expect(await accept.getAttribute("data-hash")).toBe(row.hash);
    await accept.click();
    await expect.poll(() => statusOf(page, "search_issues")).toBe("served");
    const after = await getDb().appAction.findFirstOrThrow({
      where: { appId: app.id, key: "search_issues" },
    });
    expect(after.acceptedHash).toBe(row.hash);
    expect(await page.getByRole("button", { name: "Accept Search issues" }).count()).toBe(0);
  });

  it("asks before accepting a flagged definition, naming the risk", async () => {
    await page.goto(`${platform.url}/apps/${app.slug}`);
    await page.getByRole("button", { name: "Accept Get weather" }).click();
    const dialog = page.getByRole("alertdialog");
    expect(await dialog.textContent()).toContain("may be aimed at the AI");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(await statusOf(page, "get_weather")).toBe("flagged");
    await page.getByRole("button", { name: "Accept Get weather" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Accept anyway" }).click();
    await expect.poll(() => statusOf(page, "get_weather")).toBe("served");
    // Accepted with its findings: they stay on show.
    expect(await actionItem(page, "get_weather").getByTestId("finding").count()).toBeGreaterThan(0);
  });

  it("stops offering an action and offers it again", async () => {
    await page.goto(`${platform.url}/apps/${app.slug}`);
    await page.getByRole("checkbox", { name: "Offer Add comment" }).uncheck();
    await expect.poll(() => statusOf(page, "add_comment")).toBe("not_offered");
    expect(await actionItem(page, "add_comment").textContent()).toContain("Not offered");
    await page.getByRole("checkbox", { name: "Offer Add comment" }).check();
    await expect.poll(() => statusOf(page, "add_comment")).toBe("served");
  });

  it("says why a refresh failed and changes nothing", async () => {
    await page.goto(`${platform.url}/apps/${app.slug}`);
    await page.getByRole("button", { name: "Refresh" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "Could not read Issue Tracker's actions" });
    await alert.waitFor();
    expect(await statusOf(page, "add_comment")).toBe("served");
    expect(await statusOf(page, "search_issues")).toBe("served");
  });

  it("deletes the app after asking, and goes back to the catalog", async () => {
    const doomed = await seedAddedApp({ userId: ownerId }, "Doomed Tracker");
    await page.goto(`${platform.url}/apps/${doomed.slug}`);
    await page.getByRole("button", { name: "Delete" }).click();
    const dialog = page.getByRole("alertdialog");
    expect(await dialog.textContent()).toContain("Its tools on every server");
    await dialog.getByRole("button", { name: "Delete app" }).click();
    await page.waitForURL(`${platform.url}/apps`);
    expect(await page.locator(`[data-slug="${doomed.slug}"]`).count()).toBe(0);
    expect(await getDb().app.count({ where: { id: doomed.id } })).toBe(0);
  });

  it("answers 404 for another person's app", async () => {
    const strangers = await createUser({ email: uniqueEmail("added-apps-stranger"), password });
    const theirs = await seedAddedApp({ userId: strangers.id });
    const response = await page.goto(`${platform.url}/apps/${theirs.slug}`);
    expect(response?.status()).toBe(404);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("App not found");
  });

  it("fits a 375 px wide phone screen in dark mode", async () => {
    const phone = await browser.newContext({ viewport: { width: 375, height: 800 }, colorScheme: "dark" });
    await phone.addCookies(await context.cookies());
    const small = await phone.newPage();
    try {
      await small.goto(`${platform.url}/apps/${app.slug}`);
      expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await snap(small, "app-375-dark");
      await expectNoSeriousAxeViolations(small, ["body > div > header"]);
    } finally {
      await phone.close();
    }
  });
});

describe("adding an app", () => {
  it("shows the fields of each kind, and the refusal of an upstream it cannot read", async () => {
    await page.goto(`${platform.url}/apps/new`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Add an app");
    await page.getByLabel("An API with an OpenAPI description").check();
    expect(await page.getByLabel("Description URL").count()).toBe(1);
    await page.getByLabel("Upload a file").check();
    expect(await page.getByLabel("Description file").count()).toBe(1);
    expect(await page.getByLabel("Operations to import (optional)").count()).toBe(1);
    await snap(page, "new-openapi");

    await page.getByLabel("An MCP server").check();
    await page.getByLabel("Each person's own key in a header").check();
    expect(await page.getByLabel("Your key").getAttribute("type")).toBe("password");
    await page.getByLabel("Name").fill("Metadata");
    await page.getByLabel("Server URL").fill("http://169.254.169.254/mcp");
    await page.getByLabel("Your key").fill("a-key-never-echoed");
    const before = await getDb().app.count({ where: { userId: ownerId } });
    await page.getByRole("button", { name: "Add app" }).click();
    await page.getByRole("alert").first().waitFor();
    expect(await page.getByLabel("Name").inputValue()).toBe("Metadata");
    // The key is never sent back into the page.
    expect(await page.content()).not.toContain("a-key-never-echoed");
    expect(await getDb().app.count({ where: { userId: ownerId } })).toBe(before);
    await snap(page, "new-refused");
    await expectNoSeriousAxeViolations(page);
  });
});

describe("an organization's app", () => {
  it("is readable by a member, without the controls that change it", async () => {
    const shared = await seedAddedApp({ userId: ownerId, orgId });
    const memberContext = await signedInContext(browser, platform.url, { email: memberEmail, password });
    await memberContext.addCookies([{ name: workspaceCookie, value: orgId, url: platform.url }]);
    const memberPage = await memberContext.newPage();
    try {
      await memberPage.goto(`${platform.url}/apps`);
      expect(await memberPage.locator(`[data-slug="${shared.slug}"]`).count()).toBe(1);
      expect(await memberPage.getByRole("link", { name: "Add an app" }).count()).toBe(0);
      await memberPage.goto(`${platform.url}/apps/${shared.slug}`);
      expect(await statusOf(memberPage, "search_issues")).toBe("changed");
      expect(await memberPage.getByRole("button", { name: /Accept|Refresh|Delete/ }).count()).toBe(0);
      expect(await memberPage.getByRole("checkbox").count()).toBe(0);
    } finally {
      await memberContext.close();
    }
  });
});
