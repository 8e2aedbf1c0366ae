// Open or invitation-only sign-up in Chromium, on a platform with a database of its own (the
// setting applies to the whole platform): the first visitor signs up and administers it; the
// administrator switches sign-up to invitation only on Admin → Settings; a visitor without an
// invitation is told to ask for one, with no form; one with a link signs up (the address the
// invitation names is fixed), and the link then works no more; an unused invitation is revoked;
// "Continue with GitHub" opens no new account without an invitation made out to its address.
// Invitations go out by mail through a local SMTP sink: the invitee signs up from the link in the
// mail; with the sink stopped, the page says the mail could not be sent and still shows the link.
// Axe at 1280 and 375 px, light and dark. Screenshots: test-results/screenshots/admin-settings-*.png.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import { startGitHubIdentityEmulator } from "../emulators/github-identity";
import { expectNoSeriousAxeViolations, launchChromium } from "../helpers/browser";
import {
  createScratchDatabase,
  enterScratchDatabase,
  leaveScratchDatabase,
  type ScratchDatabase,
} from "../helpers/database";
import { uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { type SmtpSink, startSmtpSink } from "../helpers/smtp-sink";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 90_000 });

const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const adminEmail = uniqueEmail("settings-admin");
const inviteeEmail = uniqueEmail("settings-invitee");

const githubClient = { id: "Iv1.toolgatesettings01", secret: "github-client-secret-for-tests" };
let github: Awaited<ReturnType<typeof startGitHubIdentityEmulator>>;
let database: ScratchDatabase;
let smtp: SmtpSink;
let platform: RunningPlatform;
let browser: Browser;
let admin: Page;
let invitationLink = "";

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: platform.url });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

const heading = (page: Page) => page.getByRole("heading", { level: 1 }).textContent();

async function signUp(page: Page, { name, email }: { name: string; email?: string }): Promise<void> {
  await page.getByLabel("Name").fill(name);
  if (email) await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a good long password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect.poll(() => heading(page)).toBe(`Welcome, ${name}`);
}

/** Axe at 1280 and 375 px, light and dark, and nothing wider than the screen. */
async function expectAccessibleEverywhere(page: Page, name: string): Promise<void> {
  for (const colorScheme of ["light", "dark"] as const)
    for (const width of [1280, 375]) {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width, height: 900 });
      await page.reload();
      await expectNoSeriousAxeViolations(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    }
  await page.screenshot({
    path: path.join(screenshots, `admin-settings-${name}-phone-dark.png`),
    fullPage: true,
  });
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.reload();
}

const invitationRows = () => admin.getByRole("region", { name: "Invitations" }).getByRole("listitem");

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  database = await createScratchDatabase();
  await enterScratchDatabase(database);
  github = await startGitHubIdentityEmulator(githubClient);
  smtp = await startSmtpSink({ credentials: { user: "toolgate", password: "smtp-password-for-tests" } });
  [platform, browser] = await Promise.all([
    startPlatform({
      env: {
        DATABASE_URL: database.url,
        AUTH_GITHUB_ID: githubClient.id,
        AUTH_GITHUB_SECRET: githubClient.secret,
        AUTH_GITHUB_ENTERPRISE_URL: github.url,
        SMTP_URL: smtp.url,
      },
    }),
    launchChromium(),
  ]);
  github.registerRedirectUri(`${platform.url}/api/auth/callback/github`);
  admin = await newPage();
});

afterAll(async () => {
  await browser?.close();
  await stopStartedPlatforms();
  await github?.stop();
  await smtp?.stop();
  await closeTestConnections();
  await leaveScratchDatabase(database);
});

describe("sign-up by invitation only", () => {
  it("lets the first visitor sign up, as the administrator", async () => {
    await admin.goto(`${platform.url}/signup`);
    expect(await admin.getByText("This Toolgate has no administrator yet").count()).toBe(1);
    await signUp(admin, { name: "Ada", email: adminEmail });
    expect((await getDb().user.findUniqueOrThrow({ where: { email: adminEmail } })).role).toBe("ADMIN");
  });

  it("is switched on by the administrator on Admin → Settings, and audited", async () => {
    await admin.goto(`${platform.url}/admin`);
    await admin
      .getByRole("navigation", { name: "Administration" })
      .getByRole("link", { name: "Settings" })
      .click();
    await expect.poll(() => heading(admin)).toBe("Settings");
    expect(await admin.getByRole("radio", { name: "Open" }).isChecked()).toBe(true);
    await admin.getByRole("radio", { name: "Invitation only" }).check();
    await admin.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => admin.getByText("Saved: sign-up is by invitation only.").count()).toBe(1);
    await admin.reload();
    expect(await admin.getByRole("radio", { name: "Invitation only" }).isChecked()).toBe(true);
    const event = await getDb().auditEvent.findFirstOrThrow({
      where: { action: "settings.sign_up_changed" },
    });
    expect(event.metadata).toEqual({ from: "OPEN", to: "INVITATION_ONLY" });
    await expectAccessibleEverywhere(admin, "page");
  });

  it("tells a visitor without an invitation to ask for one, with no form that would fail", async () => {
    const visitor = await newPage();
    await visitor.goto(`${platform.url}/signup`);
    expect(await heading(visitor)).toBe("Sign-up is by invitation");
    expect(await visitor.getByText("New accounts on this Toolgate are by invitation only.").count()).toBe(1);
    expect(await visitor.getByText("Ask its administrator for an invitation link").count()).toBe(1);
    expect(await visitor.getByRole("button", { name: "Create account" }).count()).toBe(0);
    expect(await visitor.getByLabel("Password").count()).toBe(0);
    await expectAccessibleEverywhere(visitor, "closed");
    await visitor.context().close();
  });

  it("emails an invitation for an address, and shows its link once with a copy button", async () => {
    await admin.getByLabel("Email address (optional)").fill("not an address");
    await admin.getByRole("button", { name: "Create invitation" }).click();
    await expect
      .poll(() => admin.locator("#invitation-email-error").textContent())
      .toBe("Enter a valid email address, like name@example.com.");
    // SMTP is configured: no note asking to pass links on by hand.
    expect(await admin.getByText("This Toolgate does not send email", { exact: false }).count()).toBe(0);
    await admin.getByLabel("Email address (optional)").fill(inviteeEmail);
    await admin.getByLabel("Works for").selectOption("7");
    await admin.getByRole("button", { name: "Create invitation" }).click();
    const link = admin.getByLabel("Invitation link");
    await expect
      .poll(() => link.inputValue())
      .toMatch(new RegExp(`^${platform.url}/signup\\?invitation=tgi_`));
    expect(await admin.getByText(`Sent to ${inviteeEmail}.`).count()).toBe(1);
    await expectNoSeriousAxeViolations(admin);
    await admin.getByRole("button", { name: "Copy link" }).click();
    const copied = await admin.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(await link.inputValue());

    const mail = await smtp.waitForMessageTo(inviteeEmail);
    expect(smtp.logins).toEqual(["toolgate"]);
    expect(mail.subject).toBe("You are invited to Toolgate");
    expect(mail.from?.value[0]?.address).toBe("no-reply@127.0.0.1");
    expect(mail.text).toContain(
      `Ada (${adminEmail}) invited you to create an account on Toolgate at ${platform.url}.`,
    );
    invitationLink = /^(http\S+invitation=\S+)$/m.exec(mail.text ?? "")?.[1] ?? "";
    expect(invitationLink).toBe(copied);
    expect(mail.html).toContain(`href="${invitationLink}"`);
    const event = await getDb().auditEvent.findFirstOrThrow({
      where: { action: "invitation.created" },
      orderBy: { createdAt: "desc" },
    });
    expect(event.metadata).toMatchObject({ email: inviteeEmail, mail: { status: "sent" } });
    expect(JSON.stringify(event.metadata)).not.toContain("tgi_");
    await expect.poll(() => invitationRows().first().textContent()).toContain(`${inviteeEmail}Not used yet`);
    await admin.screenshot({ path: path.join(screenshots, "admin-settings-invitation.png"), fullPage: true });
    // Shown once: after a reload only the list remains.
    await admin.reload();
    expect(await admin.getByLabel("Invitation link").count()).toBe(0);
  });

  it("lets the invited visitor sign up from the link in the mail, with the invitation's address, once", async () => {
    const visitor = await newPage();
    await visitor.goto(invitationLink);
    expect(await heading(visitor)).toBe("Create your account");
    const email = visitor.getByLabel("Email");
    expect(await email.inputValue()).toBe(inviteeEmail);
    expect(await email.getAttribute("readonly")).not.toBeNull();
    await expectNoSeriousAxeViolations(visitor);
    await signUp(visitor, { name: "Vera" });
    expect((await getDb().user.findUniqueOrThrow({ where: { email: inviteeEmail } })).role).toBe("USER");
    await visitor.context().close();

    await admin.reload();
    await expect.poll(() => invitationRows().first().textContent()).toContain(`Used`);
    expect(await invitationRows().first().textContent()).toContain(`by ${inviteeEmail}`);

    const another = await newPage();
    await another.goto(invitationLink);
    expect(await heading(another)).toBe("Sign-up is by invitation");
    expect(await another.getByText("This invitation link cannot be used any more").count()).toBe(1);
    await another.context().close();
  });

  it("revokes an unused invitation, after which its link opens nothing", async () => {
    await admin.getByRole("button", { name: "Create invitation" }).click();
    const link = await admin.getByLabel("Invitation link").inputValue();
    const row = invitationRows().first();
    await expect.poll(() => row.textContent()).toContain("Anyone with the link");
    await row.getByRole("button", { name: "Revoke the invitation for anyone" }).click();
    await admin.getByRole("alertdialog").getByRole("button", { name: "Revoke invitation" }).click();
    await expect.poll(() => invitationRows().first().textContent()).toContain("Revoked");

    const visitor = await newPage();
    await visitor.goto(link);
    expect(await heading(visitor)).toBe("Sign-up is by invitation");
    await visitor.context().close();
  });

  it("lets GitHub sign-in open a new account only with an invitation for its verified address", async () => {
    const email = uniqueEmail("settings-github");
    const person = { id: 7_100_001, login: "lin", name: "Lin", email };
    github.signInAs(person);
    const refused = await newPage();
    await refused.goto(`${platform.url}/signin`);
    await refused.getByRole("button", { name: "Continue with GitHub" }).click();
    await refused.waitForURL(
      (url) => url.pathname === "/signin" && url.searchParams.get("code") === "invitation_required",
    );
    await expect
      .poll(() =>
        refused.getByText("Sign-up on this Toolgate is by invitation only", { exact: false }).count(),
      )
      .toBe(1);
    expect(await getDb().user.count({ where: { email } })).toBe(0);
    await refused.context().close();

    await admin.getByLabel("Email address (optional)").fill(email);
    await admin.getByRole("button", { name: "Create invitation" }).click();
    await expect.poll(() => invitationRows().first().textContent()).toContain(`${email}Not used yet`);
    github.signInAs(person);
    const invited = await newPage();
    await invited.goto(`${platform.url}/signin`);
    await invited.getByRole("button", { name: "Continue with GitHub" }).click();
    await expect.poll(() => heading(invited)).toBe("Welcome, Lin");
    const user = await getDb().user.findUniqueOrThrow({ where: { email }, include: { identities: true } });
    expect(user.identities.map((identity) => identity.providerAccountId)).toEqual(["7100001"]);
    await admin.reload();
    expect(await invitationRows().first().textContent()).toContain(`by ${email}`);
    await invited.context().close();
  });

  it("still shows the link, and says why, when the mail cannot be sent", async () => {
    await smtp.stop();
    const email = uniqueEmail("settings-unmailed");
    await admin.getByLabel("Email address (optional)").fill(email);
    await admin.getByRole("button", { name: "Create invitation" }).click();
    await expect
      .poll(() =>
        admin.getByText(`The invitation for ${email} is ready, but the email could not be sent.`).count(),
      )
      .toBe(1);
    expect(
      await admin
        .getByText(`Toolgate could not connect to the mail server at 127.0.0.1:${smtp.port} (SMTP_URL)`, {
          exact: false,
        })
        .count(),
    ).toBe(1);
    expect(await admin.content()).not.toContain("smtp-password-for-tests");
    await expectNoSeriousAxeViolations(admin);
    expect(await admin.getByLabel("Invitation link").inputValue()).toMatch(
      new RegExp(`^${platform.url}/signup\\?invitation=tgi_`),
    );
    await expect.poll(() => invitationRows().first().textContent()).toContain(`${email}Not used yet`);
    const event = await getDb().auditEvent.findFirstOrThrow({
      where: { action: "invitation.created" },
      orderBy: { createdAt: "desc" },
    });
    expect(event.metadata).toMatchObject({ email, mail: { status: "failed" } });
    expect(JSON.stringify(event.metadata)).not.toContain("smtp-password-for-tests");
  });
});
