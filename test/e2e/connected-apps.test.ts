// People stay in control of the AI apps that signed in to their servers, in Chromium: a seeded
// grant shows on Settings → Connected apps and on its server's page (whose set-up steps offer the
// secret-free sign-in URL); Revoke, behind a confirmation, removes it and its access token stops
// verifying at once. An administrator sees and revokes a person's apps on their admin page, and
// the audit trail names the revocation. On an organization's server its owner sees and revokes
// every member's apps, a member only their own.
// Screenshots go to test-results/screenshots/connected-apps-*.png.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { verifyAccessToken } from "@/lib/authorization-server/tokens";
import { getDb } from "@/lib/db/client";
import { workspaceCookie } from "@/lib/orgs/current-workspace";
import { addMembership, createOrg } from "@/lib/orgs/manage-orgs";
import { resolveWorkspace } from "@/lib/orgs/workspace";
import { createServer } from "@/lib/servers/manage-servers";
import { createUser } from "@/lib/users/create-user";
import { expectNoSeriousAxeViolations, launchChromium, signedInContext } from "../helpers/browser";
import { uniqueEmail } from "../helpers/mcp";
import { type SeededGrant, seedGrant } from "../helpers/mcp-grants";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 60_000 });

const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const password = "correct horse battery";

let platform: RunningPlatform;
let browser: Browser;
let page: Page;
let resource: string;
let userId: string;
let email: string;
let serverId: string;

async function openAs(who: string, workspace?: string): Promise<Page> {
  const context = await signedInContext(browser, platform.url, { email: who, password });
  if (workspace)
    await context.addCookies([
      { name: workspaceCookie, value: workspace, url: platform.url, sameSite: "Lax" },
    ]);
  const opened = await context.newPage();
  opened.setDefaultTimeout(15_000);
  return opened;
}

const rows = (target: Page) => target.getByTestId("connected-app-row");

async function revokeFrom(target: Page, app: string, server: string): Promise<void> {
  await rows(target)
    .filter({ hasText: app })
    .getByRole("button", { name: `Revoke ${app}'s access to ${server}` })
    .click();
  const dialog = target.getByRole("alertdialog");
  expect(await dialog.getByRole("heading").textContent()).toBe(`Revoke ${app}'s access to ${server}?`);
  await dialog.getByRole("button", { name: "Revoke access" }).click();
  await expect.poll(() => rows(target).filter({ hasText: app }).count()).toBe(0);
}

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  [platform, browser] = await Promise.all([startPlatform(), launchChromium()]);
  resource = `${platform.url}/mcp`;
  // The administrator first, so that the person below is not made one by being the first account.
  await createUser({ email: uniqueEmail("apps-admin"), password, admin: true });
  email = uniqueEmail("apps-person");
  userId = (await createUser({ email, password })).id;
  serverId = (await createServer(userId, "Research")).id;
  page = await openAs(email);
});

afterAll(async () => {
  await browser?.close();
  if (platform) expect(await platform.stop()).toBe(0);
  await stopStartedPlatforms();
  await closeTestConnections();
});

describe("Connected apps in Chromium", () => {
  let claude: SeededGrant;
  let chatgpt: SeededGrant;

  it("explains how apps get there while there are none", async () => {
    await page.goto(`${platform.url}/settings/account`);
    await page
      .getByRole("navigation", { name: "Settings" })
      .getByRole("link", { name: "Connected apps" })
      .click();
    await expect.poll(() => page.url()).toBe(`${platform.url}/settings/connected-apps`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Connected apps");
    await expect.poll(() => page.getByText("No connected apps").isVisible()).toBe(true);
    expect(await page.getByText(/Paste your MCP URL into Claude/).isVisible()).toBe(true);
    expect(await page.locator("pre code").textContent()).toBe(resource);
    await page.screenshot({ path: path.join(screenshots, "connected-apps-empty.png"), fullPage: true });
    await expectNoSeriousAxeViolations(page);
  });

  it("lists a seeded grant with its app, redirect host, server and dates", async () => {
    claude = await seedGrant({
      userId,
      serverId,
      resource,
      appName: "Claude",
      redirectUri: "https://claude.ai/api/mcp/auth_callback",
    });
    chatgpt = await seedGrant({
      userId,
      serverId,
      resource,
      appName: "ChatGPT",
      redirectUri: "https://chatgpt.com/connector_platform_oauth_redirect",
    });
    expect(await verifyAccessToken(claude.accessToken, resource)).toMatchObject({ grantId: claude.grantId });
    await page.reload();
    await expect.poll(() => rows(page).count()).toBe(2);
    const row = rows(page).filter({ hasText: "Claude" });
    const text = await row.textContent();
    expect(text).toContain("claude.ai");
    expect(text).toContain("Uses Research");
    expect(text).toMatch(/allowed .* · last used /);
    expect(await rows(page).filter({ hasText: "ChatGPT" }).textContent()).toContain("not used yet");
    // No token, nor any part of one, reaches the page.
    const html = await page.content();
    for (const secret of [claude.accessToken, claude.refreshToken, chatgpt.accessToken])
      expect(html).not.toContain(secret.slice(4));
    await page.screenshot({ path: path.join(screenshots, "connected-apps-listed.png"), fullPage: true });
    await expectNoSeriousAxeViolations(page);
  });

  it("revokes an app from Settings after confirming, and its token stops verifying", async () => {
    const row = rows(page).filter({ hasText: "Claude" });
    await row.getByRole("button", { name: "Revoke Claude's access to Research" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Cancel" }).click();
    expect(await verifyAccessToken(claude.accessToken, resource)).toMatchObject({ grantId: claude.grantId });

    await revokeFrom(page, "Claude", "Research");
    expect(await verifyAccessToken(claude.accessToken, resource)).toEqual({ problem: "revoked" });
    expect(await rows(page).count()).toBe(1);
    expect(
      await getDb().auditEvent.findFirst({
        where: { action: "mcp_grant.revoked", targetId: claude.grantId },
      }),
    ).toMatchObject({ actorId: userId, targetType: "mcp_grant" });
  });

  it("shows the server's connected apps and the sign-in URL on its page, and revokes there too", async () => {
    await page.goto(`${platform.url}/servers/${serverId}`);
    const section = page.getByRole("region", { name: "Connected apps" });
    await expect.poll(() => rows(page).count()).toBe(1);
    expect(await rows(page).textContent()).toContain("ChatGPT");
    expect(await section.getByRole("heading", { name: "Connected apps" }).isVisible()).toBe(true);

    await page.getByRole("tab", { name: "Sign in from the app (OAuth)" }).click();
    const panel = page.getByRole("tabpanel");
    expect(await panel.textContent()).toContain(
      "Paste this URL into Claude, ChatGPT or another app that supports sign-in; it will ask you to sign in and choose this server.",
    );
    await panel.getByRole("button", { name: "Copy", exact: true }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(resource);
    // The other set-up tabs still work.
    await page.getByRole("tab", { name: "Claude Code" }).click();
    expect(await page.getByRole("tabpanel").textContent()).toContain("claude mcp add --transport http");
    await page.screenshot({ path: path.join(screenshots, "connected-apps-server.png"), fullPage: true });
    await expectNoSeriousAxeViolations(page);

    await revokeFrom(page, "ChatGPT", "Research");
    expect(await verifyAccessToken(chatgpt.accessToken, resource)).toEqual({ problem: "revoked" });
    await expect.poll(() => page.getByText("No connected apps").isVisible()).toBe(true);
  });

  it("lets an administrator revoke a person's app from their admin page, and the audit trail names it", async () => {
    const cursor = await seedGrant({ userId, serverId, resource, appName: "Cursor" });
    const adminEmail = uniqueEmail("apps-admin-page");
    const adminId = (await createUser({ email: adminEmail, password, admin: true })).id;
    const admin = await openAs(adminEmail);
    await admin.goto(`${platform.url}/admin/users/${userId}`);
    await expect.poll(() => rows(admin).count()).toBe(1);
    expect(await rows(admin).textContent()).toContain("Cursor");
    await admin.screenshot({ path: path.join(screenshots, "connected-apps-admin.png"), fullPage: true });
    await revokeFrom(admin, "Cursor", "Research");
    expect(await verifyAccessToken(cursor.accessToken, resource)).toEqual({ problem: "revoked" });
    expect(await getDb().mcpGrant.findUniqueOrThrow({ where: { id: cursor.grantId } })).toMatchObject({
      revokedById: adminId,
    });

    await admin.goto(`${platform.url}/admin/audit?action=mcp_grant.revoked`);
    const event = admin.locator(`[data-testid="audit-event"][data-action="mcp_grant.revoked"]`).first();
    await expect.poll(() => event.count()).toBe(1);
    expect(await event.textContent()).toContain("Revoked an AI app's access to a server");
    expect(await event.getByTestId("audit-actor").textContent()).toBe(adminEmail);
    expect(await event.getByTestId("audit-target").textContent()).toContain("Cursor");
    await admin.context().close();
  });

  it("shows an organization's owner every member's apps on its server, and a member only their own", async () => {
    const ownerEmail = uniqueEmail("apps-org-owner");
    const owner = (await createUser({ email: ownerEmail, password })).id;
    const org = await createOrg(owner, "Acme");
    const memberEmails = [uniqueEmail("apps-org-member"), uniqueEmail("apps-org-viewer")] as const;
    const [member, viewer] = await Promise.all(
      memberEmails.map(async (address) => (await createUser({ email: address, password })).id),
    );
    await getDb().$transaction(async (tx) => {
      await addMembership(tx, { orgId: org.id, userId: member!, role: "MEMBER" });
      await addMembership(tx, { orgId: org.id, userId: viewer!, role: "VIEWER" });
    });
    const shared = (await createServer(await resolveWorkspace(owner, org.id), "Team")).id;
    const mine = await seedGrant({ userId: member!, serverId: shared, resource, appName: "Claude" });
    const theirs = await seedGrant({ userId: viewer!, serverId: shared, resource, appName: "ChatGPT" });

    const asMember = await openAs(memberEmails[0], org.id);
    await asMember.goto(`${platform.url}/servers/${shared}`);
    await expect.poll(() => rows(asMember).count()).toBe(1);
    expect(await rows(asMember).textContent()).toContain("Claude");
    expect(await rows(asMember).textContent()).not.toContain(memberEmails[0]);
    await asMember.context().close();

    const asOwner = await openAs(ownerEmail, org.id);
    await asOwner.goto(`${platform.url}/servers/${shared}`);
    await expect.poll(() => rows(asOwner).count()).toBe(2);
    expect(await rows(asOwner).filter({ hasText: "ChatGPT" }).textContent()).toContain(
      `Let in by ${memberEmails[1]}`,
    );
    await asOwner.screenshot({ path: path.join(screenshots, "connected-apps-org.png"), fullPage: true });
    await expectNoSeriousAxeViolations(asOwner);
    await revokeFrom(asOwner, "ChatGPT", "Team");
    expect(await verifyAccessToken(theirs.accessToken, resource)).toEqual({ problem: "revoked" });
    expect(await verifyAccessToken(mine.accessToken, resource)).toMatchObject({ grantId: mine.grantId });
    expect(
      await getDb().auditEvent.findFirst({
        where: { action: "mcp_grant.revoked", targetId: theirs.grantId },
      }),
    ).toMatchObject({ actorId: owner, orgId: org.id });
    await asOwner.context().close();
  });
});
