// Refreshing OAuth access tokens against a local OAuth 2.0 server that rotates refresh tokens:
// a fresh token is used as is, an expiring one is refreshed once however many calls race for it,
// the rotated refresh token is stored exactly once even when another write touches the row, and
// only a dead grant (invalid_grant, or the app's own word for it) asks for a reconnection; a rate
// limit, an outage or a refused client leaves the connection working and tells the admins.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { setEnv } from "@/env";
import { type AnyIntegration, defineIntegration, oauth2, pureComputation } from "@/integrations/sdk/define";
import { CredentialsRejectedError, RateLimitedError, RetriableError } from "@/integrations/sdk/errors";
import { withConnection } from "@/lib/connections/connection-context";
import { getDb } from "@/lib/db/client";
import { getOAuthCredentials } from "@/lib/oauth/access-token";
import { getOAuthClient } from "@/lib/oauth/client-config";
import { OAuthClientError } from "@/lib/oauth/refresh-failure";
import { saveOAuthConnection } from "@/lib/oauth/save-connection";
import { requestTokens, type StoredTokens } from "@/lib/oauth/token-endpoint";
import { createUser } from "@/lib/users/create-user";
import { open, seal } from "@/lib/vault/vault";
import { startOAuthServer } from "../emulators/oauth-server";
import { uniqueEmail } from "../helpers/mcp";
import { closeTestConnections } from "../helpers/teardown";

const redirectUri = "http://127.0.0.1:9/api/oauth/refresh-test/callback";
let server: Awaited<ReturnType<typeof startOAuthServer>>;
let integration: AnyIntegration;
let userId: string;

function buildIntegration(baseUrl: string) {
  return defineIntegration({
    slug: "refresh-test",
    name: "Refresh Test",
    description: "An OAuth app on the local authorization server.",
    category: "Test",
    auth: oauth2({
      settingsPrefix: "REFRESHTEST",
      authorizeUrl: `${baseUrl}/authorize`,
      tokenUrl: `${baseUrl}/token`,
      scopes: ["read"],
      pkce: false,
      // As Slack says it when token rotation is on.
      revokedGrantErrors: ["invalid_refresh_token"],
    }),
    api: {
      baseUrl,
      baseUrlSetting: "REFRESHTEST_API_URL",
      headers: (auth: { accessToken: string }) => ({ authorization: `Bearer ${auth.accessToken}` }),
    },
    test: async ({ http }) => {
      await http.request("/me");
      return {};
    },
    actions: [
      {
        key: "noop",
        title: "Noop",
        description: "Nothing.",
        input: z.object({}),
        annotations: pureComputation,
        run: async () => ({}),
      },
    ],
  });
}

/** A connection holding tokens from a real authorization-code exchange. */
async function connect(): Promise<string> {
  const authorize = new URL(`${server.url}/authorize`);
  authorize.search = new URLSearchParams({
    response_type: "code",
    client_id: "refresh-client",
    redirect_uri: redirectUri,
    state: "s",
  }).toString();
  const approval = await fetch(authorize, { redirect: "manual" });
  const code = new URL(approval.headers.get("location") ?? "").searchParams.get("code") ?? "";
  const client = await getOAuthClient(integration);
  if (!client) throw new Error("client not configured");
  const tokens = await requestTokens(client, {
    grant_type: "authorization_code",
    code,
    redirect_uri: redirectUri,
  });
  return (await saveOAuthConnection(userId, integration, tokens)).id;
}

/** One call through the connection, as the worker makes it: the app's "who am I" read. */
function callApp(connectionId: string): Promise<unknown> {
  return withConnection(
    userId,
    integration,
    connectionId,
    AbortSignal.timeout(10_000),
    (context) => context.http.request("/me"),
    { purpose: "call" },
  );
}

async function readRow(connectionId: string) {
  return getDb().connection.findUniqueOrThrow({
    where: { id: connectionId },
    select: { id: true, userId: true, ciphertext: true, updatedAt: true, status: true, statusMessage: true },
  });
}

async function storedTokens(connectionId: string): Promise<StoredTokens> {
  const row = await readRow(connectionId);
  return open<StoredTokens>(row.ciphertext, { userId: row.userId, connectionId });
}

/** Makes the stored access token look like it expires in 10 s (inside the refresh margin). */
async function ageTokens(connectionId: string): Promise<void> {
  const tokens = { ...(await storedTokens(connectionId)), expiresAt: Date.now() + 10_000 };
  const { ciphertext, keyVersion } = await seal(tokens, { userId, connectionId });
  await getDb().connection.update({ where: { id: connectionId }, data: { ciphertext, keyVersion } });
}

beforeAll(async () => {
  server = await startOAuthServer({
    clientId: "refresh-client",
    clientSecret: "refresh-secret",
    redirectUri,
  });
  setEnv({ REFRESHTEST_CLIENT_ID: "refresh-client", REFRESHTEST_CLIENT_SECRET: "refresh-secret" });
  integration = buildIntegration(server.url);
  userId = (await createUser({ email: uniqueEmail("oauth-refresh"), password: "correct horse battery" })).id;
});

afterAll(async () => {
  await server?.stop();
  await closeTestConnections();
});

describe("OAuth token refresh", () => {
  it("uses a token with time left as it is", async () => {
    const connectionId = await connect();
    const before = server.stats.refreshes;
    const credentials = await getOAuthCredentials(integration, await readRow(connectionId));
    expect(credentials.accessToken).toBe((await storedTokens(connectionId)).accessToken);
    expect(server.isLiveAccessToken(credentials.accessToken)).toBe(true);
    expect(server.stats.refreshes).toBe(before);
  });

  it("refreshes an expiring token once for many concurrent callers and stores the rotated refresh token", async () => {
    const connectionId = await connect();
    const original = await storedTokens(connectionId);
    await ageTokens(connectionId);
    const before = server.stats.refreshes;
    const row = await readRow(connectionId);
    const results = await Promise.all(Array.from({ length: 8 }, () => getOAuthCredentials(integration, row)));
    expect(server.stats.refreshes).toBe(before + 1);
    const tokens = new Set(results.map((result) => result.accessToken));
    expect(tokens.size).toBe(1);
    const stored = await storedTokens(connectionId);
    expect([...tokens][0]).toBe(stored.accessToken);
    expect(stored.accessToken).not.toBe(original.accessToken);
    expect(stored.refreshToken).not.toBe(original.refreshToken);
    expect(server.isLiveRefreshToken(stored.refreshToken ?? "")).toBe(true);
    expect(server.isLiveRefreshToken(original.refreshToken ?? "")).toBe(false);
    expect(stored.expiresAt).toBeGreaterThan(Date.now() + 3_000_000);
  });

  it("refreshes a token the app rejected, then runs the work again", async () => {
    const connectionId = await connect();
    const before = server.stats.refreshes;
    server.expireAccessTokens();
    const account = await withConnection(
      userId,
      integration,
      connectionId,
      AbortSignal.timeout(10_000),
      (context) => context.http.request<{ ok: boolean }>("/me"),
      { purpose: "call" },
    );
    expect(account).toEqual({ ok: true });
    expect(server.stats.refreshes).toBe(before + 1);
    expect((await readRow(connectionId)).status).toBe("OK");
  });

  it("stores the rotated refresh token even when another write touches the row during the refresh", async () => {
    const connectionId = await connect();
    const original = await storedTokens(connectionId);
    await ageTokens(connectionId);
    const hold = server.holdNextRefresh();
    const refreshing = getOAuthCredentials(integration, await readRow(connectionId));
    await hold.arrived;
    // What every use of a connection writes when it ends (lib/connections/connection-context.ts).
    await getDb().connection.updateMany({ where: { id: connectionId }, data: { lastUsedAt: new Date() } });
    hold.release();
    const credentials = await refreshing;
    const stored = await storedTokens(connectionId);
    expect(stored.accessToken).toBe(credentials.accessToken);
    expect(stored.refreshToken).not.toBe(original.refreshToken);
    expect(server.isLiveRefreshToken(stored.refreshToken ?? "")).toBe(true);
    // The next refresh uses the stored (rotated) token and succeeds.
    await ageTokens(connectionId);
    const before = server.stats.refreshes;
    const next = await getOAuthCredentials(integration, await readRow(connectionId));
    expect(server.stats.refreshes).toBe(before + 1);
    expect(server.isLiveAccessToken(next.accessToken)).toBe(true);
    expect((await readRow(connectionId)).status).toBe("OK");
  });

  const clientSecret = "refresh-secret";
  it.each([
    {
      what: "a 429 with Retry-After",
      breakIt: () =>
        server.injectOnce(
          { status: 429, headers: { "retry-after": "120" }, text: "Too Many Requests" },
          "POST /token",
        ),
      error: RateLimitedError,
      message: /rate limiting access-token renewals \(HTTP 429\) and asks to wait 120 s/,
      audit: "oauth.token_endpoint_failed",
    },
    {
      what: "a 503",
      breakIt: () =>
        server.injectOnce({ status: 503, json: { error: "temporarily_unavailable" } }, "POST /token"),
      error: RetriableError,
      message: /token endpoint answered HTTP 503/,
      audit: "oauth.token_endpoint_failed",
    },
    {
      what: "no answer at all (nothing listens)",
      breakIt: () => setEnv({ REFRESHTEST_TOKEN_URL: "http://127.0.0.1:9/token" }),
      error: RetriableError,
      message: /token endpoint could not be reached/,
      audit: "oauth.token_endpoint_failed",
    },
    {
      what: "invalid_client after an operator's typo in the client secret",
      breakIt: () => setEnv({ REFRESHTEST_CLIENT_SECRET: "refresh-secert" }),
      error: OAuthClientError,
      message: /refused this platform's OAuth client \(invalid_client\).*REFRESHTEST_CLIENT_SECRET/,
      audit: "oauth.client_error",
    },
    {
      what: "unauthorized_client",
      breakIt: () =>
        server.injectOnce(
          { status: 400, json: { error: "unauthorized_client", error_description: "Not for this grant" } },
          "POST /token",
        ),
      error: OAuthClientError,
      message: /\(unauthorized_client\)/,
      audit: "oauth.client_error",
    },
    {
      what: "an unset client secret",
      breakIt: () => setEnv({ REFRESHTEST_CLIENT_SECRET: "" }),
      error: OAuthClientError,
      message: /no longer set up on this platform.*sets REFRESHTEST_CLIENT_ID and REFRESHTEST_CLIENT_SECRET/,
      audit: "oauth.client_error",
    },
  ])(
    "keeps the connection usable and tells the admins on $what",
    async ({ breakIt, error, message, audit }) => {
      const connectionId = await connect();
      await ageTokens(connectionId);
      const since = new Date();
      breakIt();
      try {
        const failure = await callApp(connectionId).catch((caught: unknown) => caught);
        expect(failure).toBeInstanceOf(error);
        expect(failure).not.toBeInstanceOf(CredentialsRejectedError);
        expect((failure as Error).message).toMatch(message);
        expect((failure as Error).message).toMatch(/the connection itself is fine|no longer set up/);
      } finally {
        setEnv({ REFRESHTEST_TOKEN_URL: "", REFRESHTEST_CLIENT_SECRET: clientSecret });
      }
      const row = await readRow(connectionId);
      expect(row.status).toBe("OK");
      expect(row.statusMessage).toBeNull();
      const events = await getDb().auditEvent.findMany({
        where: {
          action: audit,
          targetType: "integration",
          targetId: "refresh-test",
          createdAt: { gte: since },
        },
      });
      expect(events).toHaveLength(1);
      expect(events[0]?.metadata).toMatchObject({ integration: "refresh-test" });
      const recorded = JSON.stringify(events[0]);
      for (const secret of [clientSecret, "refresh-secert"]) expect(recorded).not.toContain(secret);
      // The app answers again: the very next call renews the token and goes through.
      expect(await callApp(connectionId)).toEqual({ ok: true });
      expect((await readRow(connectionId)).status).toBe("OK");
    },
  );

  it("asks for a reconnection when the app says the refresh token is dead in its own words", async () => {
    const connectionId = await connect();
    await ageTokens(connectionId);
    server.injectOnce({ status: 200, json: { ok: false, error: "invalid_refresh_token" } }, "POST /token");
    await expect(callApp(connectionId)).rejects.toThrow(/invalid_refresh_token\)\. Reconnect the account/);
    const row = await readRow(connectionId);
    expect(row.status).toBe("NEEDS_RECONNECT");
    expect(row.statusMessage).toMatch(/invalid_refresh_token/);
  });

  it("marks the connection for reconnection on invalid_grant, and does not keep trying", async () => {
    const connectionId = await connect();
    server.revokeRefreshTokens();
    await ageTokens(connectionId);
    const before = server.stats.refreshes;
    await expect(getOAuthCredentials(integration, await readRow(connectionId))).rejects.toBeInstanceOf(
      CredentialsRejectedError,
    );
    const row = await readRow(connectionId);
    expect(row.status).toBe("NEEDS_RECONNECT");
    expect(row.statusMessage).toMatch(/invalid_grant/);
    expect(server.stats.refreshes).toBe(before + 1);
    await expect(
      withConnection(userId, integration, connectionId, AbortSignal.timeout(10_000), async () => "ran", {
        purpose: "call",
      }),
    ).rejects.toThrow(/needs to be reconnected/);
    expect(server.stats.refreshes).toBe(before + 1);
  });

  it("asks for a reconnection, in the app's words, when a rejected token cannot be renewed", async () => {
    const connectionId = await connect();
    const { refreshToken: _dropped, ...withoutRefresh } = await storedTokens(connectionId);
    const { ciphertext, keyVersion } = await seal(withoutRefresh, { userId, connectionId });
    await getDb().connection.update({ where: { id: connectionId }, data: { ciphertext, keyVersion } });
    server.expireAccessTokens();
    const before = server.stats.refreshes;
    await expect(
      withConnection(
        userId,
        integration,
        connectionId,
        AbortSignal.timeout(10_000),
        (context) => context.http.request("/me"),
        { purpose: "call" },
      ),
    ).rejects.toThrow(/rejected the connection's credentials \(HTTP 401\): Invalid Credentials/);
    const row = await readRow(connectionId);
    expect(row.status).toBe("NEEDS_RECONNECT");
    expect(row.statusMessage).toMatch(/Invalid Credentials/);
    expect(server.stats.refreshes).toBe(before);
  });
});
