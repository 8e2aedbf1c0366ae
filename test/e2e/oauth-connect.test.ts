// Connecting an OAuth app in the browser, end to end: the platform's start route, a local OAuth
// 2.0 server standing in for Google, the callback, and the stored connection; with every way the
// state can be wrong (reused, another user's, expired, missing) and an unconfigured app.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEnv } from "@/env";
import { getDb } from "@/lib/db/client";
import { stateLifetimeSeconds } from "@/lib/oauth/authorization";
import type { StoredTokens } from "@/lib/oauth/token-endpoint";
import { workspaceCookie } from "@/lib/orgs/current-workspace";
import { addMembership, createOrg } from "@/lib/orgs/manage-orgs";
import { getRedis } from "@/lib/redis/client";
import { createUser } from "@/lib/users/create-user";
import { open } from "@/lib/vault/vault";
import { startOAuthServer } from "../emulators/oauth-server";
import { CookieJar, signInOverHttp } from "../helpers/auth-http";
import { uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

const password = "correct horse battery";
let server: Awaited<ReturnType<typeof startOAuthServer>>;
let platform: RunningPlatform;

async function signedIn(label: string): Promise<{ userId: string; jar: CookieJar }> {
  const email = uniqueEmail(label);
  const user = await createUser({ email, password });
  const { code, jar } = await signInOverHttp(platform.url, email, password, new CookieJar());
  expect(code).toBeNull();
  return { userId: user.id, jar };
}

async function get(url: string, jar?: CookieJar): Promise<Response> {
  return fetch(url, { redirect: "manual", headers: jar ? { cookie: jar.header() } : {} });
}

/** Start → authorize: returns the authorize URL the platform chose and the callback URL the provider sent back. */
async function authorize(jar: CookieJar, query = ""): Promise<{ authorizeUrl: URL; callbackUrl: string }> {
  const start = await get(`${platform.url}/api/oauth/gmail/start${query}`, jar);
  expect(start.status).toBe(303);
  const authorizeUrl = new URL(start.headers.get("location") ?? "");
  const approval = await get(authorizeUrl.toString());
  expect(approval.status).toBe(302);
  return { authorizeUrl, callbackUrl: approval.headers.get("location") ?? "" };
}

function outcomeOf(response: Response): URLSearchParams {
  expect(response.status).toBe(303);
  const location = new URL(response.headers.get("location") ?? "");
  expect(location.origin).toBe(platform.url);
  expect(location.pathname).toBe("/connections");
  return location.searchParams;
}

beforeAll(async () => {
  server = await startOAuthServer({
    clientId: "google-client.apps.googleusercontent.com",
    clientSecret: "google-client-secret",
    redirectUri: "set below",
    profile: { emailAddress: "ada@example.com", messagesTotal: 1 },
  });
  platform = await startPlatform({
    env: {
      GOOGLE_CLIENT_ID: "google-client.apps.googleusercontent.com",
      GOOGLE_CLIENT_SECRET: "google-client-secret",
      GOOGLE_AUTHORIZE_URL: `${server.url}/authorize`,
      GOOGLE_TOKEN_URL: `${server.url}/token`,
      GMAIL_API_URL: server.url,
    },
  });
  server.registerRedirectUri(`${platform.url}/api/oauth/gmail/callback`);
}, 240_000);

afterAll(async () => {
  await stopStartedPlatforms();
  await server?.stop();
  await closeTestConnections();
});

describe("GET /api/oauth/{app}/start and /callback", () => {
  it("connects an account: state, PKCE S256, exact redirect URI, tokens stored sealed", async () => {
    const { userId, jar } = await signedIn("oauth-ok");
    const { authorizeUrl, callbackUrl } = await authorize(jar, "?label=Work%20mail");
    expect(authorizeUrl.origin + authorizeUrl.pathname).toBe(`${server.url}/authorize`);
    const params = authorizeUrl.searchParams;
    expect(params.get("client_id")).toBe("google-client.apps.googleusercontent.com");
    expect(params.get("redirect_uri")).toBe(`${platform.url}/api/oauth/gmail/callback`);
    expect(params.get("response_type")).toBe("code");
    expect(params.get("code_challenge_method")).toBe("S256");
    expect(params.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get("state")?.length).toBeGreaterThanOrEqual(43);
    expect(params.get("access_type")).toBe("offline");
    expect(params.get("scope")).toContain("https://www.googleapis.com/auth/gmail");

    const outcome = outcomeOf(await get(callbackUrl, jar));
    expect(outcome.get("error")).toBeNull();
    const connectionId = outcome.get("connected") ?? "";
    const row = await getDb().connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(row).toMatchObject({
      userId,
      integration: "gmail",
      label: "Work mail",
      authType: "oauth2",
      status: "OK",
    });
    const tokens = await open<StoredTokens>(row.ciphertext, { userId, connectionId });
    expect(server.isLiveAccessToken(tokens.accessToken)).toBe(true);
    expect(server.isLiveRefreshToken(tokens.refreshToken ?? "")).toBe(true);
    expect(row.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 3_000_000);
  });

  it("refuses a state used twice", async () => {
    const { jar } = await signedIn("oauth-reuse");
    const { callbackUrl } = await authorize(jar);
    expect(outcomeOf(await get(callbackUrl, jar)).get("connected")).toBeTruthy();
    const exchanges = server.stats.codeExchanges;
    const again = outcomeOf(await get(callbackUrl, jar));
    expect(again.get("connected")).toBeNull();
    expect(again.get("error")).toMatch(/expired or was already used/);
    expect(server.stats.codeExchanges).toBe(exchanges);
  });

  it("refuses a state started by another user, and burns it", async () => {
    const victim = await signedIn("oauth-victim");
    const attacker = await signedIn("oauth-attacker");
    const { callbackUrl } = await authorize(attacker.jar);
    const refused = outcomeOf(await get(callbackUrl, victim.jar));
    expect(refused.get("error")).toMatch(/started by another account/);
    expect(await getDb().connection.count({ where: { userId: victim.userId } })).toBe(0);
    expect(outcomeOf(await get(callbackUrl, attacker.jar)).get("error")).toMatch(
      /expired or was already used/,
    );
  });

  it("refuses an expired state, a missing state and a made-up one", async () => {
    const { jar } = await signedIn("oauth-expired");
    expect(stateLifetimeSeconds).toBeLessThanOrEqual(900);
    const { callbackUrl } = await authorize(jar);
    const redis = await getRedis();
    const keys = await redis.keys(`*${getEnv().REDIS_PREFIX}*oauth-state*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(await redis.ttl(key)).toBeLessThanOrEqual(stateLifetimeSeconds);
    await Promise.all(keys.map((key) => redis.pexpire(key, 1)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(outcomeOf(await get(callbackUrl, jar)).get("error")).toMatch(/expired/);
    const code = new URL(callbackUrl).searchParams.get("code");
    expect(
      outcomeOf(await get(`${platform.url}/api/oauth/gmail/callback?code=${code}`, jar)).get("error"),
    ).toMatch(/no state/);
    expect(
      outcomeOf(await get(`${platform.url}/api/oauth/gmail/callback?code=${code}&state=forged`, jar)).get(
        "error",
      ),
    ).toMatch(/expired or was already used/);
  });

  it("reports a denial at the provider, and sends the signed-out to sign in", async () => {
    const { jar } = await signedIn("oauth-denied");
    const start = await get(`${platform.url}/api/oauth/gmail/start`, jar);
    const state = new URL(start.headers.get("location") ?? "").searchParams.get("state") ?? "";
    const denied = outcomeOf(
      await get(`${platform.url}/api/oauth/gmail/callback?error=access_denied&state=${state}`, jar),
    );
    expect(denied.get("error")).toMatch(/did not grant access \(access_denied\)/);
    const anonymous = await get(`${platform.url}/api/oauth/gmail/start`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toBe(`${platform.url}/signin`);
  });

  it("says which settings an app without a configured client needs", async () => {
    const { jar } = await signedIn("oauth-unconfigured");
    const outcome = outcomeOf(await get(`${platform.url}/api/oauth/slack/start`, jar));
    expect(outcome.get("error")).toMatch(/SLACK_CLIENT_ID and SLACK_CLIENT_SECRET/);
  });

  it("goes back to the tool form it was started from, and refuses any other return address", async () => {
    const { userId, jar } = await signedIn("oauth-return");
    const toolForm = "/servers/srv1/tools/new?app=gmail&action=send_email";
    const { callbackUrl } = await authorize(jar, `?returnTo=${encodeURIComponent(toolForm)}`);
    const done = await get(callbackUrl, jar);
    expect(done.status).toBe(303);
    const location = new URL(done.headers.get("location") ?? "");
    expect(location.origin).toBe(platform.url);
    expect(location.pathname).toBe("/servers/srv1/tools/new");
    expect(Object.fromEntries(location.searchParams)).toEqual({
      app: "gmail",
      action: "send_email",
      connected: (await getDb().connection.findFirstOrThrow({ where: { userId, integration: "gmail" } })).id,
    });

    for (const returnTo of ["https://evil.example/", "//evil.example/x", "/admin"]) {
      const start = await get(
        `${platform.url}/api/oauth/gmail/start?returnTo=${encodeURIComponent(returnTo)}`,
        jar,
      );
      expect(outcomeOf(start).get("error")).toMatch(/page to return to is not valid/);
    }
  });

  it("reconnects a connection in place, keeping its id", async () => {
    const { jar } = await signedIn("oauth-reconnect");
    const first = outcomeOf(await get((await authorize(jar)).callbackUrl, jar)).get("connected") ?? "";
    await getDb().connection.update({
      where: { id: first },
      data: { status: "NEEDS_RECONNECT", statusMessage: "revoked" },
    });
    const again = outcomeOf(await get((await authorize(jar, `?reconnect=${first}`)).callbackUrl, jar));
    expect(again.get("connected")).toBe(first);
    expect((await getDb().connection.findUniqueOrThrow({ where: { id: first } })).status).toBe("OK");
  });

  it("in an organization's workspace, saves the organization's connection sealed for it; a member is refused", async () => {
    const owner = await signedIn("oauth-org-owner");
    const member = await signedIn("oauth-org-member");
    const org = await createOrg(owner.userId, "OAuth Org");
    await getDb().$transaction((tx) =>
      addMembership(tx, { orgId: org.id, userId: member.userId, role: "MEMBER" }),
    );
    owner.jar.cookies.set(workspaceCookie, org.id);
    const outcome = outcomeOf(await get((await authorize(owner.jar)).callbackUrl, owner.jar));
    const connectionId = outcome.get("connected") ?? "";
    const row = await getDb().connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(row).toMatchObject({ userId: owner.userId, orgId: org.id, integration: "gmail", status: "OK" });
    const tokens = await open<StoredTokens>(row.ciphertext, { userId: `org:${org.id}`, connectionId });
    expect(server.isLiveAccessToken(tokens.accessToken)).toBe(true);
    await expect(open(row.ciphertext, { userId: owner.userId, connectionId })).rejects.toThrow();

    member.jar.cookies.set(workspaceCookie, org.id);
    const refused = outcomeOf(await get(`${platform.url}/api/oauth/gmail/start`, member.jar));
    expect(refused.get("error")).toMatch(/only its owners and admins can change its connections/);
  });
});
