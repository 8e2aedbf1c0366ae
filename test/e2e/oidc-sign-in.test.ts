// "Continue with <name>" in Chromium against a real OpenID Connect provider on loopback
// (oidc-provider, through its own login and consent pages): a new verified address gets a new
// account, an unverified one opens nothing, a verified address at an organization's claimed domain
// joins it, and an organization that requires single sign-on refuses its members' passwords while
// single sign-on still lets them in (and everyone else's passwords still work). Also the owners'
// settings page (by the field, accessible) and PATCH /api/v1/orgs/{id}/sso.
// Screenshots go to test-results/screenshots/oidc-*.png.
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { setEnv } from "@/env";
import { getDb } from "@/lib/db/client";
import { addMembership, createOrg } from "@/lib/orgs/manage-orgs";
import { setOrgSso } from "@/lib/orgs/sso-settings";
import { resolveWorkspace } from "@/lib/orgs/workspace";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { createUser } from "@/lib/users/create-user";
import { startGitHubIdentityEmulator } from "../emulators/github-identity";
import { type OidcAccount, type OidcProviderEmulator, startOidcProvider } from "../emulators/oidc-provider";
import { expectAccessibleInEveryView, launchChromium, signedInContext } from "../helpers/browser";
import { uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 90_000 });

const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const client = { id: "toolgate-platform", secret: "oidc-client-secret-for-tests" };
const password = "correct horse battery";
const buttonName = "Continue with Acme Login";
const githubClient = { id: "Iv1.toolgatetest0002", secret: "github-client-secret-for-tests" };
let provider: OidcProviderEmulator;
let github: Awaited<ReturnType<typeof startGitHubIdentityEmulator>>;
let platform: RunningPlatform;
let browser: Browser;

const unique = () => randomBytes(3).toString("hex");

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  [provider, github] = await Promise.all([
    startOidcProvider(client),
    startGitHubIdentityEmulator(githubClient),
  ]);
  const oidcEnv = {
    AUTH_OIDC_ISSUER: provider.issuer,
    AUTH_OIDC_ID: client.id,
    AUTH_OIDC_SECRET: client.secret,
    AUTH_OIDC_NAME: "Acme Login",
  };
  // This process sets organizations' rules with lib/, which checks the provider is configured.
  setEnv(oidcEnv);
  const githubEnv = {
    AUTH_GITHUB_ID: githubClient.id,
    AUTH_GITHUB_SECRET: githubClient.secret,
    AUTH_GITHUB_ENTERPRISE_URL: github.url,
  };
  [platform, browser] = await Promise.all([
    startPlatform({ env: { ...oidcEnv, ...githubEnv } }),
    launchChromium(),
  ]);
  provider.registerClient(`${platform.url}/api/auth/callback/oidc`);
  github.registerRedirectUri(`${platform.url}/api/auth/callback/github`);
});

afterAll(async () => {
  await browser?.close();
  await stopStartedPlatforms();
  await provider?.stop();
  await github?.stop();
  await closeTestConnections();
});

function account(label: string, email: string, emailVerified = true): OidcAccount {
  const person = { login: `${label}-${unique()}`, email, emailVerified, name: `${label} person` };
  provider.addAccount(person);
  return person;
}

async function freshPage(): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

/** From the sign-in page through the provider's login and consent pages, back to the platform. */
async function continueWithSso(person: OidcAccount, page?: Page): Promise<Page> {
  const target = page ?? (await freshPage());
  if (!page) await target.goto(`${platform.url}/signin`);
  await target.getByRole("button", { name: buttonName }).click();
  await target.waitForURL((url) => url.origin === provider.issuer);
  await target.locator('input[name="login"]').fill(person.login);
  await target.locator('input[name="password"]').fill("anything: the development login checks none");
  await target.getByRole("button", { name: "Sign-in" }).click();
  await target.getByRole("button", { name: "Continue" }).click();
  await target.waitForURL((url) => url.origin === platform.url);
  return target;
}

async function signInWithPassword(page: Page, email: string) {
  await page.goto(`${platform.url}/signin`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** An organization whose owner is a platform administrator (who may claim any domain for it). */
async function orgOwnedBy(label: string) {
  const owner = await createUser({ email: uniqueEmail(`${label}-owner`), password, admin: true });
  const org = await createOrg(owner.id, `${label} ${unique()}`);
  return { owner, org, workspace: await resolveWorkspace(owner.id, org.id) };
}

describe("Continue with single sign-on", () => {
  it("gives a new verified address a new account, through the provider's login and consent, with PKCE, state and nonce", async () => {
    const email = uniqueEmail("oidc-new");
    const person = account("ada", email);
    const page = await continueWithSso(person);
    await expect.poll(() => page.getByTestId("signed-in-as").textContent()).toBe(email);
    await page.screenshot({ path: path.join(screenshots, "oidc-signed-in.png") });

    const request = provider.authorizationRequests.at(-1)!;
    expect(request.get("client_id")).toBe(client.id);
    expect(request.get("redirect_uri")).toBe(`${platform.url}/api/auth/callback/oidc`);
    expect(request.get("scope")?.split(" ").sort()).toEqual(["email", "openid", "profile"]);
    expect(request.get("code_challenge_method")).toBe("S256");
    expect(request.get("state")).toBeTruthy();
    expect(request.get("nonce")).toBeTruthy();

    const user = await getDb().user.findUniqueOrThrow({ where: { email }, include: { identities: true } });
    expect(user).toMatchObject({ name: "ada person", passwordHash: null });
    expect(user.identities.map(({ provider, providerAccountId }) => [provider, providerAccountId])).toEqual([
      ["oidc", person.login],
    ]);
    expect(
      await getDb().auditEvent.findFirst({ where: { targetId: user.id, action: "user.signed_in" } }),
    ).toMatchObject({ metadata: { method: "oidc" } });
    await page.context().close();
  });

  it("does not let an unverified address open the password account that has it", async () => {
    const email = uniqueEmail("oidc-unverified");
    const owner = await createUser({ email, password });
    const page = await continueWithSso(account("mallory", email, false));
    await page.waitForURL(
      (url) => url.pathname === "/signin" && url.searchParams.get("code") === "email_required",
    );
    await expect
      .poll(() => page.getByText("did not share a verified email address", { exact: false }).count())
      .toBe(1);
    expect(await getDb().identity.count({ where: { userId: owner.id } })).toBe(0);
    expect(await getDb().user.count({ where: { email } })).toBe(1);
    await page.context().close();
  });

  it("puts a verified address at an organization's claimed domain into it as a member", async () => {
    const { org, workspace } = await orgOwnedBy("Autojoin");
    const domain = `autojoin-${unique()}.example`;
    await setOrgSso(workspace, { autoJoinDomain: domain });
    const email = `grace-${unique()}@${domain}`;
    const page = await continueWithSso(account("grace", email));
    await expect.poll(() => page.getByTestId("signed-in-as").textContent()).toBe(email);
    const user = await getDb().user.findUniqueOrThrow({ where: { email } });
    const membership = await getDb().membership.findUnique({
      where: { orgId_userId: { orgId: org.id, userId: user.id } },
    });
    expect(membership?.role).toBe("MEMBER");
    expect(
      await getDb().auditEvent.findFirst({ where: { action: "org.member_auto_joined", targetId: user.id } }),
    ).toMatchObject({ orgId: org.id, metadata: { domain, role: "MEMBER" } });
    await page.context().close();

    // The same address unverified at the provider joins nothing (and opens no account).
    const other = `heidi-${unique()}@${domain}`;
    const refused = await continueWithSso(account("heidi", other, false));
    await refused.waitForURL((url) => url.searchParams.get("code") === "email_required");
    expect(await getDb().user.count({ where: { email: other } })).toBe(0);
    await refused.context().close();
  });

  it("refuses the password of a member of an organization that requires it, naming it, while single sign-on still works", async () => {
    const { org, workspace } = await orgOwnedBy("Strict");
    const email = uniqueEmail("oidc-strict-member");
    const member = await createUser({ email, password });
    await getDb().$transaction((tx) =>
      addMembership(tx, { orgId: org.id, userId: member.id, role: "MEMBER" }),
    );
    await setOrgSso(workspace, { ssoRequired: true });

    const page = await freshPage();
    await signInWithPassword(page, email);
    await page.waitForURL((url) => url.searchParams.get("code") === "sso_required");
    const message = `${org.name} requires its members to sign in with single sign-on: use "${buttonName}" instead.`;
    await expect.poll(() => page.getByText(message).count()).toBe(1);
    await page.screenshot({ path: path.join(screenshots, "oidc-sso-required.png") });
    expect(await page.getByTestId("signed-in-as").count()).toBe(0);
    expect(
      await getDb().auditEvent.findFirst({
        where: { action: "user.sign_in_failed", targetId: member.id },
        orderBy: { createdAt: "desc" },
      }),
    ).toMatchObject({ metadata: { method: "password", reason: "sso_required", orgId: org.id } });

    // A wrong password is refused as any wrong password is: the organization is named only to
    // someone who knows the password.
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect
      .poll(() => page.getByText("That email and password do not match an account.").count())
      .toBe(1);
    expect(await page.getByText(org.name, { exact: false }).count()).toBe(0);

    // GitHub vouching for the same address is refused alike, linking nothing.
    github.signInAs({ id: 7_700_001, login: "strict-member", name: "Strict Member", email });
    await page.getByRole("button", { name: "Continue with GitHub" }).click();
    await page.waitForURL(
      (url) => url.searchParams.get("code") === "sso_required" && url.searchParams.get("org") === org.id,
    );
    await expect.poll(() => page.getByText(message).count()).toBe(1);
    expect(await getDb().identity.count({ where: { userId: member.id } })).toBe(0);
    expect(
      await getDb().auditEvent.findFirst({
        where: { action: "user.sign_in_failed", targetId: member.id },
        orderBy: { createdAt: "desc" },
      }),
    ).toMatchObject({ metadata: { method: "github", reason: "sso_required", orgId: org.id } });

    // Single sign-on with the member's verified address opens the same account, and links it.
    const signedIn = await continueWithSso(account("strict", email), page);
    await expect.poll(() => signedIn.getByTestId("signed-in-as").textContent()).toBe(email);
    expect(await getDb().identity.findFirst({ where: { userId: member.id } })).toMatchObject({
      provider: "oidc",
    });
    expect(
      await getDb().auditEvent.findFirst({ where: { action: "user.identity_linked", targetId: member.id } }),
    ).toMatchObject({ actorId: member.id, metadata: { provider: "oidc" } });
    await page.context().close();

    // Someone in no such organization still signs in with a password.
    const outsider = uniqueEmail("oidc-outsider");
    await createUser({ email: outsider, password });
    const other = await freshPage();
    await signInWithPassword(other, outsider);
    await other.waitForURL((url) => url.pathname === "/");
    await expect.poll(() => other.getByTestId("signed-in-as").textContent()).toBe(outsider);
    await other.context().close();
  });

  it("offers the button on the sign-up page too", async () => {
    const page = await freshPage();
    await page.goto(`${platform.url}/signup`);
    await expect.poll(() => page.getByRole("button", { name: buttonName }).count()).toBe(1);
    await page.context().close();
  });
});

describe("the organization's single sign-on settings", () => {
  it("lets its owner set them on an accessible page, with errors by the field", async () => {
    const { owner, org } = await orgOwnedBy("Settings");
    const rival = await orgOwnedBy("Rival");
    const taken = `taken-${unique()}.example`;
    await setOrgSso(rival.workspace, { autoJoinDomain: taken });

    const context = await signedInContext(browser, platform.url, { email: owner.email, password });
    await context.addCookies([{ name: "tg_workspace", value: org.id, url: platform.url }]);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${platform.url}/org/settings/sso`);
    await expect.poll(() => page.getByRole("heading", { name: "Single sign-on" }).count()).toBe(1);
    await expectAccessibleInEveryView(page);

    const domainField = page.getByLabel("Auto-join domain");
    await domainField.fill("not a domain");
    await page.getByRole("button", { name: "Save" }).click();
    await expect
      .poll(() => page.locator("#autoJoinDomain-error").textContent())
      .toContain("Enter a domain name");
    expect(await page.getByLabel("Auto-join domain").getAttribute("aria-invalid")).toBe("true");
    await expectAccessibleInEveryView(page);

    await page.getByLabel("Auto-join domain").fill(taken);
    await page.getByRole("button", { name: "Save" }).click();
    await expect
      .poll(() => page.locator("#autoJoinDomain-error").textContent())
      .toContain(`Another organization has already claimed ${taken}`);

    const mine = `Mine-${unique()}.Example`;
    await page.getByLabel("Auto-join domain").fill(`@${mine}`);
    await page.getByLabel("Require single sign-on").check();
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.getByText("Single sign-on settings saved.").count()).toBe(1);
    expect(await page.getByLabel("Auto-join domain").inputValue()).toBe(mine.toLowerCase());
    await page.screenshot({ path: path.join(screenshots, "oidc-org-settings.png") });
    expect(await getDb().organization.findUniqueOrThrow({ where: { id: org.id } })).toMatchObject({
      ssoRequired: true,
      ssoAutoJoinDomain: mine.toLowerCase(),
    });
    expect(
      await getDb().auditEvent.findFirst({ where: { action: "org.sso_changed", targetId: org.id } }),
    ).toMatchObject({ actorId: owner.id, orgId: org.id });
    await context.close();
  });

  it("is not found for an admin of the organization, or in a personal workspace", async () => {
    const { org } = await orgOwnedBy("Hidden");
    const admin = await createUser({ email: uniqueEmail("sso-admin"), password });
    await getDb().$transaction((tx) => addMembership(tx, { orgId: org.id, userId: admin.id, role: "ADMIN" }));
    const context = await signedInContext(browser, platform.url, { email: admin.email, password });
    const page = await context.newPage();
    expect((await page.goto(`${platform.url}/org/settings/sso`))?.status()).toBe(404);
    await context.addCookies([{ name: "tg_workspace", value: org.id, url: platform.url }]);
    expect((await page.goto(`${platform.url}/org/settings/sso`))?.status()).toBe(404);
    await context.close();
  });

  it("PATCH /api/v1/orgs/{id}/sso: owners set them; admins are refused, non-members find nothing", async () => {
    const { owner, org } = await orgOwnedBy("Api");
    const admin = await createUser({ email: uniqueEmail("sso-api-admin"), password });
    await getDb().$transaction((tx) => addMembership(tx, { orgId: org.id, userId: admin.id, role: "ADMIN" }));
    const outsider = await createUser({ email: uniqueEmail("sso-api-outsider"), password });
    const patch = async (userId: string, body: unknown) => {
      const { token } = await createApiToken(userId, { name: "sso", expiresInDays: 30 });
      const response = await fetch(`${platform.url}/api/v1/orgs/${org.id}/sso`, {
        method: "PATCH",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const domain = `api-${unique()}.example`;
    expect(await patch(owner.id, { autoJoinDomain: domain.toUpperCase(), ssoRequired: true })).toEqual({
      status: 200,
      body: { ssoRequired: true, autoJoinDomain: domain, oidcConfigured: true },
    });
    expect(await patch(owner.id, { autoJoinDomain: "http://x" })).toMatchObject({
      status: 422,
      body: { error: { code: "validation_failed" } },
    });
    expect(await patch(admin.id, { ssoRequired: false })).toMatchObject({
      status: 403,
      body: { error: { code: "forbidden" } },
    });
    expect(await patch(outsider.id, { ssoRequired: false })).toMatchObject({
      status: 404,
      body: { error: { code: "not_found" } },
    });
    expect(await getDb().organization.findUniqueOrThrow({ where: { id: org.id } })).toMatchObject({
      ssoRequired: true,
      ssoAutoJoinDomain: domain,
    });
  });
});
