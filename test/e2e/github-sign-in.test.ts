// "Continue with GitHub" in Chromium, against GitHub's OAuth web flow at a GitHub Enterprise Server
// base URL served by an emulator (AUTH_GITHUB_ENTERPRISE_URL; production differs only by that URL):
// an identity whose verified address has an account opens that account (audited as a link), a
// new address gets a new account, and the next sign-in finds the identity again.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import { createUser } from "@/lib/users/create-user";
import { type GitHubPerson, startGitHubIdentityEmulator } from "../emulators/github-identity";
import { launchChromium } from "../helpers/browser";
import { uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 60_000 });

const client = { id: "Iv1.toolgatetest0001", secret: "github-client-secret-for-tests" };
let github: Awaited<ReturnType<typeof startGitHubIdentityEmulator>>;
let platform: RunningPlatform;
let browser: Browser;

beforeAll(async () => {
  github = await startGitHubIdentityEmulator(client);
  [platform, browser] = await Promise.all([
    startPlatform({
      env: {
        AUTH_GITHUB_ID: client.id,
        AUTH_GITHUB_SECRET: client.secret,
        AUTH_GITHUB_ENTERPRISE_URL: github.url,
      },
    }),
    launchChromium(),
  ]);
  github.registerRedirectUri(`${platform.url}/api/auth/callback/github`);
});

afterAll(async () => {
  await browser?.close();
  await stopStartedPlatforms();
  await github?.stop();
  await closeTestConnections();
});

/** Signs in through the sign-in page's GitHub button in a fresh browser; returns the page after. */
async function continueWithGitHub(person: GitHubPerson): Promise<Page> {
  github.signInAs(person);
  const page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${platform.url}/signin`);
  await page.getByRole("button", { name: "Continue with GitHub" }).click();
  await page.waitForURL((url) => url.origin === platform.url && !url.pathname.startsWith("/signin"));
  return page;
}

describe("Continue with GitHub", () => {
  it("opens the account that has the identity's verified address, and records the link", async () => {
    const email = uniqueEmail("github-linked");
    const existing = await createUser({ email, password: "correct horse battery" });
    const person = { id: 583231, login: "octocat", name: "The Octocat", email };
    const page = await continueWithGitHub(person);
    expect(await page.getByTestId("signed-in-as").textContent()).toBe(email);

    const token = github.requestsTo("POST /login/oauth/access_token").at(-1);
    expect(token?.body).toMatchObject({
      grant_type: "authorization_code",
      redirect_uri: `${platform.url}/api/auth/callback/github`,
    });
    const identity = await getDb().identity.findFirstOrThrow({ where: { userId: existing.id } });
    expect(identity).toMatchObject({ provider: "github", providerAccountId: "583231" });
    const events = await getDb().auditEvent.findMany({
      where: { targetId: existing.id, action: { in: ["user.identity_linked", "user.signed_in"] } },
      orderBy: { createdAt: "asc" },
    });
    expect(events.map((event) => [event.action, event.metadata])).toEqual([
      ["user.identity_linked", { provider: "github" }],
      ["user.signed_in", { method: "github" }],
    ]);
    await page.context().close();

    // The next time, the identity itself is found (the address at GitHub may have changed).
    const again = await continueWithGitHub({ ...person, email: uniqueEmail("github-changed") });
    expect(await again.getByTestId("signed-in-as").textContent()).toBe(email);
    expect(await getDb().identity.count({ where: { providerAccountId: "583231" } })).toBe(1);
    await again.context().close();
  });

  it("gives a new address a new account without a password", async () => {
    const email = uniqueEmail("github-new");
    const page = await continueWithGitHub({ id: 9_000_001, login: "hubot", name: "Hubot", email });
    expect(await page.getByTestId("signed-in-as").textContent()).toBe(email);
    const user = await getDb().user.findUniqueOrThrow({ where: { email }, include: { identities: true } });
    expect(user).toMatchObject({ name: "Hubot", passwordHash: null });
    expect(user.identities.map((identity) => identity.providerAccountId)).toEqual(["9000001"]);
    await page.context().close();
  });
  it("refuses an identity whose primary address GitHub has not verified, linking nothing", async () => {
    const email = uniqueEmail("github-unverified");
    const owner = await createUser({ email, password: "correct horse battery" });
    github.signInAs({ id: 9_000_002, login: "mallory", name: "Mallory", email, verified: false });
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${platform.url}/signin`);
    await page.getByRole("button", { name: "Continue with GitHub" }).click();
    await page.waitForURL(
      (url) => url.pathname === "/signin" && url.searchParams.get("code") === "email_required",
    );
    await expect
      .poll(() => page.getByText("did not share a verified email address", { exact: false }).count())
      .toBe(1);
    expect(await getDb().identity.count({ where: { providerAccountId: "9000002" } })).toBe(0);
    expect(await getDb().identity.count({ where: { userId: owner.id } })).toBe(0);
    await page.context().close();
  });
});
