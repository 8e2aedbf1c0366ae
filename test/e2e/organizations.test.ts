// Organizations in Chromium, on a platform with a database of its own (sign-up is switched to
// invitation only, a platform-wide setting): an organization is created from the header's
// workspace menu, which then lists it and switches to it (and back) in one click; an invitation
// goes out by mail through a local SMTP sink, another account opening its link is refused, the
// invitee signs up from the link although sign-up is by invitation only, joins, and sees the
// organization in the menu; the link then works no more. An admin changes a member's role and
// removes them; a member gets 404 on the audit trail, an admin sees their organization's events
// and none of another's. A member gets their own URL for an organization's server and an owner
// revokes it. On a platform without SMTP the inviter is shown the link. A platform administrator
// sets an organization's plan on /admin/organizations. Axe on every new page in every view.
// Screenshots: test-results/screenshots/organizations-*.png.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import { createOrg } from "@/lib/orgs/manage-orgs";
import { createOrgInvitation } from "@/lib/orgs/org-invitations";
import { resolveWorkspace } from "@/lib/orgs/workspace";
import { generateServerSecret, hashServerSecret } from "@/lib/servers/server-secrets";
import { setSignUpMode } from "@/lib/settings/sign-up-mode";
import { createUser } from "@/lib/users/create-user";
import {
  expectAccessibleInEveryView,
  expectNoSeriousAxeViolations,
  launchChromium,
  signedInContext,
} from "../helpers/browser";
import {
  createScratchDatabase,
  enterScratchDatabase,
  leaveScratchDatabase,
  type ScratchDatabase,
} from "../helpers/database";
import { secretOfUrl, uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { type SmtpSink, startSmtpSink } from "../helpers/smtp-sink";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 120_000 });

const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const password = "a good long password";
const adminEmail = uniqueEmail("orgs-admin");
const ownerEmail = uniqueEmail("orgs-owner");
const outsiderEmail = uniqueEmail("orgs-outsider");
const memberEmail = uniqueEmail("orgs-member");
const inviteeEmail = uniqueEmail("orgs-invitee");

let database: ScratchDatabase;
let smtp: SmtpSink;
let platform: RunningPlatform;
let browser: Browser;
let owner: Page;
let ownerId = "";
let outsiderId = "";
let memberId = "";
let acmeId = "";
let invitationLink = "";
let invitee: Page;

const heading = (page: Page) => page.getByRole("heading", { level: 1 }).textContent();
const switcher = (page: Page) => page.getByTestId("workspace-switcher");
const workspaceButton = (page: Page, name: RegExp) =>
  page.getByRole("list", { name: "Workspaces" }).getByRole("button", { name });

async function signedInPage(email: string, target = platform): Promise<Page> {
  const context = await signedInContext(browser, target.url, { email, password });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: platform.url });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshots, `organizations-${name}.png`), fullPage: true });
}

async function switchTo(page: Page, name: string): Promise<void> {
  await switcher(page).click();
  await workspaceButton(page, new RegExp(`^${name}`)).click();
  await expect.poll(() => switcher(page).textContent()).toBe(`Workspace: ${name}▾`);
}

const workspaceCookie = async (context: BrowserContext) =>
  (await context.cookies()).find((cookie) => cookie.name === "tg_workspace");

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  database = await createScratchDatabase();
  await enterScratchDatabase(database);
  smtp = await startSmtpSink();
  [platform, browser] = await Promise.all([
    startPlatform({ env: { DATABASE_URL: database.url, SMTP_URL: smtp.url } }),
    launchChromium(),
  ]);
  const admin = await createUser({ email: adminEmail, password, name: "Ada", admin: true });
  ownerId = (await createUser({ email: ownerEmail, password, name: "Olive" })).id;
  outsiderId = (await createUser({ email: outsiderEmail, password, name: "Otto" })).id;
  memberId = (await createUser({ email: memberEmail, password, name: "Mel" })).id;
  await setSignUpMode("INVITATION_ONLY", { actorId: admin.id });
  owner = await signedInPage(ownerEmail);
});

afterAll(async () => {
  await browser?.close();
  await stopStartedPlatforms();
  await smtp?.stop();
  await closeTestConnections();
  await leaveScratchDatabase(database);
});

describe("the workspace switcher", () => {
  it("creates an organization from the header, which becomes the current workspace", async () => {
    await owner.goto(`${platform.url}/`);
    expect(await switcher(owner).textContent()).toContain("Personal");
    await switcher(owner).click();
    expect(await switcher(owner).getAttribute("aria-expanded")).toBe("true");
    await expectNoSeriousAxeViolations(owner);
    await owner.getByRole("link", { name: "New organization" }).click();
    await expect.poll(() => heading(owner)).toBe("New organization");
    await expectAccessibleInEveryView(owner);
    await owner.getByRole("button", { name: "Create organization" }).click();
    await expect
      .poll(() => owner.locator("#org-name-error").textContent())
      .toBe("Give the organization a name.");
    await owner.getByLabel("Name").fill("Acme");
    await owner.getByRole("button", { name: "Create organization" }).click();
    await owner.waitForURL(`${platform.url}/org`);
    await expect.poll(() => heading(owner)).toBe("Acme");
    const acme = await getDb().organization.findFirstOrThrow({
      where: { name: "Acme" },
      include: { memberships: true },
    });
    acmeId = acme.id;
    expect(acme.memberships).toEqual([expect.objectContaining({ userId: ownerId, role: "OWNER" })]);
    expect(await switcher(owner).textContent()).toContain("Acme");
    const cookie = await workspaceCookie(owner.context());
    expect(cookie).toMatchObject({ value: acmeId, httpOnly: true, sameSite: "Lax" });
  });

  it("lists each workspace with the role, and switches in one click and back", async () => {
    await switcher(owner).click();
    const items = owner.getByRole("list", { name: "Workspaces" }).getByRole("button");
    expect(await items.allTextContents()).toEqual(["PersonalJust you", "AcmeOwner"]);
    expect(await workspaceButton(owner, /^Acme/).getAttribute("aria-current")).toBe("true");
    await workspaceButton(owner, /^Personal/).click();
    await expect.poll(() => switcher(owner).textContent()).toContain("Personal");
    // The page reloads in the workspace chosen: /org in the personal workspace lists organizations.
    await expect.poll(() => heading(owner)).toBe("Organizations");
    expect(await workspaceCookie(owner.context())).toBeUndefined();
    await expectAccessibleInEveryView(owner);
    await shoot(owner, "personal");
    await switchTo(owner, "Acme");
    await expect.poll(() => heading(owner)).toBe("Acme");
    // Home in the organization: its usage and its things, not the personal checklist.
    await owner.goto(`${platform.url}/`);
    await expect
      .poll(() => owner.getByText("You are working in Acme as owner.", { exact: false }).count())
      .toBe(1);
    expect(await owner.getByRole("heading", { name: "Acme's usage" }).count()).toBe(1);
    expect(await owner.getByText("Create a server", { exact: false }).count()).toBe(0);
    await expectAccessibleInEveryView(owner);
    await shoot(owner, "home");
    await owner.goto(`${platform.url}/org`);
  });

  it("ignores a forged workspace cookie for an organization one is not in", async () => {
    const outsider = await signedInPage(outsiderEmail);
    await outsider.context().addCookies([{ name: "tg_workspace", value: acmeId, url: platform.url }]);
    await outsider.goto(`${platform.url}/org`);
    expect(await heading(outsider)).toBe("Organizations");
    expect(await outsider.content()).not.toContain("Acme");
    await outsider.context().close();
  });
});

describe("invitations by email", () => {
  it("emails an invitation with a role, and lists it as pending", async () => {
    await owner.goto(`${platform.url}/org`);
    await owner.getByLabel("Email address", { exact: true }).fill("not an address");
    await owner.getByRole("button", { name: "Invite", exact: true }).click();
    await expect
      .poll(() => owner.locator("#org-invitation-email-error").textContent())
      .toBe("Enter a valid email address, like name@example.com.");
    await owner.getByLabel("Email address", { exact: true }).fill(inviteeEmail);
    await owner.getByLabel("Role", { exact: true }).selectOption("MEMBER");
    await owner.getByRole("button", { name: "Invite", exact: true }).click();
    await expect.poll(() => owner.getByText(`Sent to ${inviteeEmail}.`).count()).toBe(1);
    const link = await owner.getByLabel("Invitation link").inputValue();
    expect(link).toMatch(new RegExp(`^${platform.url}/invitations/tgo_`));
    const mail = await smtp.waitForMessageTo(inviteeEmail);
    expect(mail.subject).toBe("You are invited to join Acme on Toolgate");
    invitationLink = /^(http\S+\/invitations\/\S+)$/m.exec(mail.text ?? "")?.[1] ?? "";
    expect(invitationLink).toBe(link);
    const row = owner.getByTestId("org-invitation-row").filter({ hasText: inviteeEmail });
    await expect.poll(() => row.textContent()).toContain("Pending");
    await expectAccessibleInEveryView(owner);
    await shoot(owner, "org");
  });

  it("refuses the link to an account with another address, naming the one to use", async () => {
    const outsider = await signedInPage(outsiderEmail);
    await outsider.goto(invitationLink);
    expect(await heading(outsider)).toBe("This invitation is for another address");
    expect(
      await outsider
        .getByText(`This invitation is for ${inviteeEmail}, and you are signed in as ${outsiderEmail}.`, {
          exact: false,
        })
        .count(),
    ).toBe(1);
    expect(await outsider.getByRole("button", { name: /^Join/ }).count()).toBe(0);
    await expectAccessibleInEveryView(outsider);
    await shoot(outsider, "invitation-refused");
    // Signing out leads to the sign-in page with the invited address, and back to the link after.
    await outsider.getByRole("button", { name: "Sign out and sign in again" }).click();
    await outsider.waitForURL((url) => url.pathname === "/signin");
    expect(new URL(outsider.url()).searchParams.get("next")).toBe(new URL(invitationLink).pathname);
    expect(await outsider.getByLabel("Email").inputValue()).toBe(inviteeEmail);
    await outsider.context().close();
    expect(await getDb().membership.count({ where: { orgId: acmeId, userId: outsiderId } })).toBe(0);
  });

  it("lets the invitee sign up from the mailed link (sign-up is by invitation only), join, and switch", async () => {
    invitee = await newPage();
    await invitee.goto(invitationLink);
    expect(await heading(invitee)).toBe("Join Acme");
    expect(await invitee.getByText("Olive invited", { exact: false }).count()).toBe(1);
    await expectAccessibleInEveryView(invitee);
    await shoot(invitee, "invitation-signed-out");
    await invitee.getByRole("link", { name: "Sign up" }).click();
    await expect.poll(() => heading(invitee)).toBe("Create your account");
    const email = invitee.getByLabel("Email");
    expect(await email.inputValue()).toBe(inviteeEmail);
    expect(await email.getAttribute("readonly")).not.toBeNull();
    await invitee.getByLabel("Name").fill("Ivy");
    await invitee.getByLabel("Password").fill(password);
    await invitee.getByRole("button", { name: "Create account" }).click();
    // Back on the invitation, signed in now.
    await invitee.waitForURL((url) => url.pathname.startsWith("/invitations/"));
    await invitee.getByRole("button", { name: "Join Acme" }).click();
    await invitee.waitForURL(`${platform.url}/org`);
    await expect.poll(() => heading(invitee)).toBe("Acme");
    const user = await getDb().user.findUniqueOrThrow({ where: { email: inviteeEmail } });
    expect(user.role).toBe("USER");
    expect(
      await getDb().membership.findUniqueOrThrow({
        where: { orgId_userId: { orgId: acmeId, userId: user.id } },
      }),
    ).toMatchObject({ role: "MEMBER" });
    await switcher(invitee).click();
    expect(await workspaceButton(invitee, /^Acme/).textContent()).toBe("AcmeMember");
    await switcher(invitee).click();
    // A member sees the members but no invitations, limits or role controls.
    expect(await invitee.getByRole("heading", { name: "Invitations" }).count()).toBe(0);
    expect(await invitee.getByRole("button", { name: /^Change role/ }).count()).toBe(0);
    await owner.reload();
    const row = owner.getByTestId("org-invitation-row").filter({ hasText: inviteeEmail });
    await expect.poll(() => row.textContent()).toContain("Accepted");
  });

  it("does not work twice", async () => {
    const again = await newPage();
    await again.goto(invitationLink);
    expect(await heading(again)).toBe("This invitation cannot be used");
    await expectAccessibleInEveryView(again);
    await again.goto(`${platform.url}/signup?invitation=${invitationLink.split("/invitations/")[1]}`);
    // Accepted, it no longer opens sign-up either.
    expect(await heading(again)).toBe("Sign-up is by invitation");
    await again.context().close();
  });

  it("revokes a pending invitation, whose link then opens nothing", async () => {
    const email = uniqueEmail("orgs-revoked");
    await owner.getByLabel("Email address", { exact: true }).fill(email);
    await owner.getByRole("button", { name: "Invite", exact: true }).click();
    const link = owner.getByLabel("Invitation link");
    await expect.poll(() => link.count()).toBe(1);
    const url = await link.inputValue();
    await owner.getByRole("button", { name: `Revoke the invitation for ${email}` }).click();
    await owner.getByRole("alertdialog").getByRole("button", { name: "Revoke invitation" }).click();
    const row = owner.getByTestId("org-invitation-row").filter({ hasText: email });
    await expect.poll(() => row.textContent()).toContain("Revoked");
    const visitor = await newPage();
    await visitor.goto(url);
    expect(await heading(visitor)).toBe("This invitation cannot be used");
    await visitor.context().close();
  });
});

describe("members", () => {
  it("lets an owner make someone an admin, and an admin change a role and remove a member", async () => {
    await getDb().membership.create({ data: { orgId: acmeId, userId: memberId, role: "MEMBER" } });
    await owner.reload();
    await owner.getByLabel(`Role of ${inviteeEmail}`).selectOption("ADMIN");
    await owner.getByRole("button", { name: `Change role of ${inviteeEmail}` }).click();
    const inviteeId = (await getDb().user.findUniqueOrThrow({ where: { email: inviteeEmail } })).id;
    await expect
      .poll(
        async () =>
          (
            await getDb().membership.findUniqueOrThrow({
              where: { orgId_userId: { orgId: acmeId, userId: inviteeId } },
            })
          ).role,
      )
      .toBe("ADMIN");

    await invitee.reload();
    // An admin cannot touch an owner, and may not give the owner role.
    expect(await invitee.getByLabel(`Role of ${ownerEmail}`).count()).toBe(0);
    const roles = await invitee.getByLabel(`Role of ${memberEmail}`).locator("option").allTextContents();
    expect(roles).toEqual(["Admin", "Member", "Viewer"]);
    await invitee.getByLabel(`Role of ${memberEmail}`).selectOption("VIEWER");
    await invitee.getByRole("button", { name: `Change role of ${memberEmail}` }).click();
    await expect
      .poll(
        async () =>
          (
            await getDb().membership.findUnique({
              where: { orgId_userId: { orgId: acmeId, userId: memberId } },
            })
          )?.role,
      )
      .toBe("VIEWER");
    // The audit trail is written just after the role's own commit, so the role can be seen first.
    await expect
      .poll(() =>
        getDb().auditEvent.findFirst({
          where: { orgId: acmeId, action: "org.member_role_changed", targetId: memberId },
        }),
      )
      .toMatchObject({ actorId: inviteeId, metadata: { from: "MEMBER", to: "VIEWER" } });
  });

  it("answers 404 on the audit trail to someone who is neither owner nor admin", async () => {
    const member = await signedInPage(memberEmail);
    await member.goto(`${platform.url}/`);
    await switchTo(member, "Acme");
    const response = await member.goto(`${platform.url}/org/audit`);
    expect(response?.status()).toBe(404);
    expect(await member.content()).not.toContain("org.created");
    // Their /org page has no link to it either.
    await member.goto(`${platform.url}/org`);
    expect(await member.getByRole("link", { name: "Audit trail", exact: true }).count()).toBe(0);
    await member.context().close();
  });

  it("removes a member after confirming", async () => {
    await invitee.reload();
    await invitee.getByRole("button", { name: `Remove ${memberEmail}` }).click();
    await invitee.getByRole("alertdialog").getByRole("button", { name: "Remove member" }).click();
    await expect
      .poll(() => invitee.getByTestId("member-row").filter({ hasText: memberEmail }).count())
      .toBe(0);
    expect(await getDb().membership.count({ where: { orgId: acmeId, userId: memberId } })).toBe(0);
    expect(
      await getDb().auditEvent.count({
        where: { orgId: acmeId, action: "org.member_removed", targetId: memberId },
      }),
    ).toBe(1);
  });

  it("shows an admin their organization's audit trail, and none of another organization's", async () => {
    const globex = await createOrg(outsiderId, "Globex");
    await createOrgInvitation(await resolveWorkspace(outsiderId, globex.id), {
      email: uniqueEmail("globex-invitee"),
      role: "MEMBER",
    });
    expect(await getDb().auditEvent.count({ where: { orgId: globex.id } })).toBe(2);
    await invitee.goto(`${platform.url}/org`);
    await invitee.getByRole("link", { name: "Audit trail", exact: true }).click();
    await expect.poll(() => heading(invitee)).toBe("Audit trail");
    const rows = invitee.getByTestId("org-audit-event");
    const expected = await getDb().auditEvent.findMany({
      where: { orgId: acmeId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { action: true },
    });
    expect(expected.length).toBeGreaterThan(5);
    expect(expected.length).toBeLessThanOrEqual(50);
    await expect.poll(() => rows.count()).toBe(expected.length);
    const actions = await rows.evaluateAll((elements) =>
      elements.map((element) => element.getAttribute("data-action")),
    );
    expect(actions).toEqual(expected.map((event) => event.action));
    expect(actions).toEqual(
      expect.arrayContaining([
        "org.created",
        "org.invitation_created",
        "org.invitation_accepted",
        "org.member_removed",
      ]),
    );
    const page = await invitee.content();
    expect(page).not.toContain("Globex");
    expect(page).not.toContain(globex.id);
    await expectAccessibleInEveryView(invitee);
    await shoot(invitee, "audit");
  });
});

describe("members' own URLs for an organization's server", () => {
  it("gives a member their own URL once, and lets an owner revoke it", async () => {
    const server = await getDb().mcpServer.create({
      data: {
        userId: ownerId,
        orgId: acmeId,
        name: "Shared tools",
        secretHash: hashServerSecret(generateServerSecret()),
      },
    });
    await owner.goto(`${platform.url}/servers/${server.id}`);
    const section = owner.getByRole("region", { name: "Your own URL" });
    expect(await section.getByText("You have none yet.", { exact: false }).count()).toBe(1);
    await section.getByRole("button", { name: "Get my URL" }).click();
    const url = await section.getByLabel("Your MCP URL").inputValue();
    expect(url).toMatch(new RegExp(`^${platform.url}/mcp/tgs_`));
    const access = await getDb().serverAccess.findUniqueOrThrow({
      where: { serverId_userId: { serverId: server.id, userId: ownerId } },
    });
    expect(access.secretHash).toBe(hashServerSecret(secretOfUrl(url)));
    expect(server.secretHash).not.toBe(access.secretHash);
    await owner.reload();
    // Shown once: after a reload only the list of who has one remains.
    expect(await section.getByLabel("Your MCP URL").count()).toBe(0);
    // Not inside the region: while the confirmation is open, the rest of the page is aria-hidden.
    const rows = owner.getByTestId("member-url-row");
    expect(await rows.textContent()).toContain(ownerEmail);
    await expectAccessibleInEveryView(owner);
    await shoot(owner, "server-member-url");
    await section.getByRole("button", { name: `Revoke the URL of ${ownerEmail}` }).click();
    await owner.getByRole("alertdialog").getByRole("button", { name: "Revoke URL" }).click();
    await expect.poll(() => getDb().serverAccess.count({ where: { serverId: server.id } })).toBe(0);
    await expect.poll(() => rows.count()).toBe(0);
  });

  it("shows nothing of it on a personal server", async () => {
    const server = await getDb().mcpServer.create({
      data: { userId: ownerId, name: "Mine", secretHash: hashServerSecret(generateServerSecret()) },
    });
    await switchTo(owner, "Personal");
    await owner.goto(`${platform.url}/servers/${server.id}`);
    expect(await owner.getByRole("heading", { name: "Your MCP URL" }).count()).toBe(1);
    expect(await owner.getByRole("region", { name: "Your own URL" }).count()).toBe(0);
    await switchTo(owner, "Acme");
  });
});

describe("without SMTP", () => {
  it("shows the inviter the link to pass on, and why", async () => {
    const unmailed = await startPlatform({ env: { DATABASE_URL: database.url, SMTP_URL: undefined } });
    const page = await signedInPage(ownerEmail, unmailed);
    await page.goto(`${unmailed.url}/`);
    await switchTo(page, "Acme");
    await page.goto(`${unmailed.url}/org`);
    expect(await page.getByText("This Toolgate does not send email", { exact: false }).count()).toBe(1);
    const email = uniqueEmail("orgs-unmailed");
    await page.getByLabel("Email address", { exact: true }).fill(email);
    await page.getByLabel("Role", { exact: true }).selectOption("VIEWER");
    await page.getByRole("button", { name: "Invite", exact: true }).click();
    await expect
      .poll(() =>
        page.getByText(`The invitation for ${email} is ready. Copy its link now`, { exact: false }).count(),
      )
      .toBe(1);
    expect(await page.getByText("SMTP_URL is not set", { exact: false }).count()).toBe(1);
    expect(await page.getByLabel("Invitation link").inputValue()).toMatch(
      new RegExp(`^${unmailed.url}/invitations/tgo_`),
    );
    await page.getByRole("button", { name: "Copy link" }).click();
    expect(smtp.messages.some((mail) => mail.text?.includes(email))).toBe(false);
    const invitation = await getDb().orgInvitation.findFirstOrThrow({ where: { email } });
    expect(invitation).toMatchObject({ orgId: acmeId, role: "VIEWER" });
    await expectNoSeriousAxeViolations(page);
    await shoot(page, "invitation-unmailed");
    await page.context().close();
    await unmailed.stop();
  });
});

describe("/admin/organizations", () => {
  it("lists every organization and sets one's plan and limits", async () => {
    const team = await getDb().plan.create({
      data: { name: "Team", hourlyLimit: 500, dailyLimit: 5_000, monthlyLimit: 50_000 },
    });
    const admin = await signedInPage(adminEmail);
    await admin.goto(`${platform.url}/admin`);
    await admin
      .getByRole("navigation", { name: "Administration" })
      .getByRole("link", { name: "Organizations" })
      .click();
    await expect.poll(() => heading(admin)).toBe("Organizations");
    const rows = admin.getByTestId("admin-org-row");
    expect(await rows.count()).toBe(2);
    expect(await rows.filter({ hasText: "Acme" }).textContent()).toContain("Default plan");
    await expectAccessibleInEveryView(admin);
    await shoot(admin, "admin-list");
    await admin.getByRole("link", { name: "Acme" }).click();
    await expect.poll(() => heading(admin)).toBe("Acme");
    await admin.getByLabel("Plan").selectOption(team.id);
    await admin.getByLabel("Calls a day").fill("abc");
    await admin.getByRole("button", { name: "Save plan and limits" }).click();
    await expect.poll(() => admin.locator("#org-override-day-error").count()).toBe(1);
    await admin.getByLabel("Calls a day").fill("1200");
    await admin.getByRole("button", { name: "Save plan and limits" }).click();
    await expect.poll(() => admin.getByText("Saved.", { exact: false }).count()).toBe(1);
    const org = await getDb().organization.findUniqueOrThrow({ where: { id: acmeId } });
    expect(org).toMatchObject({
      planId: team.id,
      hourlyLimitOverride: null,
      dailyLimitOverride: 1200,
      monthlyLimitOverride: null,
    });
    const event = await getDb().auditEvent.findFirstOrThrow({
      where: { action: "org.plan_changed", orgId: acmeId },
    });
    expect(event.metadata).toMatchObject({ planId: team.id, daily: 1200 });
    await expectAccessibleInEveryView(admin);
    await shoot(admin, "admin-detail");
    await admin.goto(`${platform.url}/admin/organizations`);
    expect(await rows.filter({ hasText: "Acme" }).textContent()).toContain("Team");
    // The org's owner sees the plan on the organization page.
    await owner.goto(`${platform.url}/org`);
    expect(await owner.getByText("Plan: Team", { exact: false }).count()).toBe(1);
    await admin.context().close();
  });
});
