// The authorization server's core against the database: PKCE S256 only, exact redirect URIs
// (any port on the loopback), single-use codes whose replay revokes what they gave, access tokens
// checked for audience, expiry and revocation, rotating refresh tokens whose reuse revokes the
// family, RFC 7009 revocation, and registration's validation and limits.
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { createServer } from "@/lib/servers/manage-servers";
import { whenSnapshotFeedLive } from "@/lib/servers/snapshot-cache";
import { createUser } from "@/lib/users/create-user";
import { uniqueEmail } from "@/test/helpers/mcp";
import { closeTestConnections } from "@/test/helpers/teardown";
import { announceRevocation } from "./access-token-cache";
import { findClient, isMetadataDocumentId, registerClient, registrationsPerAddressPerHour } from "./clients";
import { exchangeAuthorizationCode, issueAuthorizationCode } from "./codes";
import { OAuthError } from "./oauth-error";
import { isValidChallenge, verifierMatches } from "./pkce";
import { redirectUriMatches, redirectUriProblem } from "./redirect-uris";
import { refreshTokens, revokeToken, verifyAccessToken } from "./tokens";

const resource = "http://127.0.0.1:3000/mcp";
const redirectUri = "https://client.example.com/callback";

function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

async function refusal(promise: Promise<unknown>): Promise<OAuthError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OAuthError);
  return error as OAuthError;
}

let userId: string;
let serverId: string;
let clientId: string;
let otherClientId: string;

beforeAll(async () => {
  userId = (await createUser({ email: uniqueEmail("as") })).id;
  serverId = (await createServer(userId, "For the AI app")).id;
  const address = `test-${randomBytes(6).toString("hex")}`;
  clientId = (await registerClient({ client_name: "Test app", redirect_uris: [redirectUri] }, address))
    .client_id;
  otherClientId = (await registerClient({ client_name: "Another", redirect_uris: [redirectUri] }, address))
    .client_id;
});

afterAll(async () => {
  await closeTestConnections();
});

async function newGrant(forClient = clientId): Promise<{ id: string }> {
  const client = await getDb().mcpClient.findUniqueOrThrow({ where: { clientId: forClient } });
  return getDb().mcpGrant.create({ data: { clientId: client.id, userId, serverId }, select: { id: true } });
}

async function signIn(): Promise<{
  grantId: string;
  tokens: Awaited<ReturnType<typeof exchangeAuthorizationCode>>;
}> {
  const grant = await newGrant();
  const { verifier, challenge } = pkcePair();
  const code = await issueAuthorizationCode({
    grantId: grant.id,
    redirectUri,
    codeChallenge: challenge,
    resource,
  });
  const tokens = await exchangeAuthorizationCode({
    code,
    clientId,
    redirectUri,
    codeVerifier: verifier,
    resource,
  });
  return { grantId: grant.id, tokens };
}

describe("PKCE", () => {
  it("accepts the S256 transform of the verifier and nothing else", () => {
    const { verifier, challenge } = pkcePair();
    expect(verifierMatches(verifier, challenge)).toBe(true);
    // "plain": the challenge is the verifier itself.
    expect(verifierMatches(verifier, verifier)).toBe(false);
    expect(verifierMatches(`${verifier}x`, challenge)).toBe(false);
    expect(verifierMatches("short", challenge)).toBe(false);
    expect(isValidChallenge(verifier.slice(0, 20))).toBe(false);
  });
});

describe("redirect URIs", () => {
  it("match exactly, one character off is another URI", () => {
    expect(redirectUriMatches(redirectUri, [redirectUri])).toBe(true);
    expect(redirectUriMatches(`${redirectUri}/`, [redirectUri])).toBe(false);
    expect(redirectUriMatches("https://client.example.com/callbacK", [redirectUri])).toBe(false);
    expect(redirectUriMatches("https://client.example.com/callback?x=1", [redirectUri])).toBe(false);
  });

  it("allow any port on the loopback for a desktop app, and nothing else about it", () => {
    const registered = ["http://127.0.0.1:33418/callback"];
    expect(redirectUriMatches("http://127.0.0.1:51234/callback", registered)).toBe(true);
    expect(redirectUriMatches("http://127.0.0.1:51234/other", registered)).toBe(false);
    expect(redirectUriMatches("http://localhost:51234/callback", registered)).toBe(false);
    expect(redirectUriMatches("https://127.0.0.1:51234/callback", registered)).toBe(false);
  });

  it("refuse what a browser would run, http off the loopback, and fragments", () => {
    expect(redirectUriProblem("javascript:alert(1)")).toMatch(/javascript/);
    expect(redirectUriProblem("http://client.example.com/cb")).toMatch(/https/);
    expect(redirectUriProblem("https://client.example.com/cb#x")).toMatch(/fragment/);
    expect(redirectUriProblem("cursor://anysphere.cursor-mcp/oauth/callback")).toBeUndefined();
    expect(redirectUriProblem("http://[::1]:8080/cb")).toBeUndefined();
  });
});

describe("authorization codes", () => {
  it("give tokens once, to the client, redirect URI and verifier they were issued for", async () => {
    const grant = await newGrant();
    const { verifier, challenge } = pkcePair();
    const issue = () =>
      issueAuthorizationCode({ grantId: grant.id, redirectUri, codeChallenge: challenge, resource });
    const exchange = { clientId, redirectUri, codeVerifier: verifier };

    const wrongRedirect = await refusal(
      exchangeAuthorizationCode({ ...exchange, code: await issue(), redirectUri: `${redirectUri}x` }),
    );
    expect(wrongRedirect.code).toBe("invalid_grant");
    expect(wrongRedirect.description).toMatch(/redirect_uri/);
    const plain = await refusal(
      exchangeAuthorizationCode({ ...exchange, code: await issue(), codeVerifier: challenge }),
    );
    expect(plain.description).toMatch(/code_verifier/);
    const otherClient = await refusal(
      exchangeAuthorizationCode({ ...exchange, code: await issue(), clientId: otherClientId }),
    );
    expect(otherClient.description).toMatch(/another client/);
    const otherAudience = await refusal(
      exchangeAuthorizationCode({
        ...exchange,
        code: await issue(),
        resource: "https://elsewhere.example/mcp",
      }),
    );
    expect(otherAudience.code).toBe("invalid_target");

    const code = await issue();
    const tokens = await exchangeAuthorizationCode({ ...exchange, code });
    expect(tokens.token_type).toBe("Bearer");
    expect(await verifyAccessToken(tokens.access_token, resource)).toMatchObject({ userId, serverId });
  });

  it("revoke what a code gave when the code is replayed", async () => {
    const grant = await newGrant();
    const { verifier, challenge } = pkcePair();
    const code = await issueAuthorizationCode({
      grantId: grant.id,
      redirectUri,
      codeChallenge: challenge,
      resource,
    });
    const exchange = { code, clientId, redirectUri, codeVerifier: verifier };
    const tokens = await exchangeAuthorizationCode(exchange);
    const replay = await refusal(exchangeAuthorizationCode(exchange));
    expect(replay.code).toBe("invalid_grant");
    expect(await verifyAccessToken(tokens.access_token, resource)).toEqual({ problem: "revoked" });
    expect((await refusal(refreshTokens({ refreshToken: tokens.refresh_token, clientId }))).code).toBe(
      "invalid_grant",
    );
  });
});

describe("access tokens", () => {
  it("are refused for another audience, after expiry, and once their grant is revoked", async () => {
    const { grantId, tokens } = await signIn();
    expect(await verifyAccessToken(tokens.access_token, "http://127.0.0.1:3000/other")).toEqual({
      problem: "audience",
    });
    const later = new Date(Date.now() + tokens.expires_in * 1000 + 1_000);
    expect(await verifyAccessToken(tokens.access_token, resource, later)).toEqual({ problem: "expired" });
    expect(await verifyAccessToken(`${tokens.access_token.slice(0, -1)}A`, resource)).toEqual({
      problem: "invalid",
    });
    expect(await verifyAccessToken(tokens.access_token, resource)).toMatchObject({ grantId });
    // A revocation as revokeGrant makes it: the row, then the announcement that drops kept tokens.
    await getDb().mcpGrant.update({ where: { id: grantId }, data: { revokedAt: new Date() } });
    await announceRevocation([grantId]);
    expect(await verifyAccessToken(tokens.access_token, resource)).toEqual({ problem: "revoked" });
  });

  it("are kept by the process a few seconds, and dropped at once when their grant's revocation is announced", async () => {
    const { grantId, tokens } = await signIn();
    await whenSnapshotFeedLive();
    expect(await verifyAccessToken(tokens.access_token, resource)).toMatchObject({ grantId });
    // Changed behind the platform's back: a kept token does not see it...
    await getDb().mcpGrant.update({ where: { id: grantId }, data: { revokedAt: new Date() } });
    expect(await verifyAccessToken(tokens.access_token, resource)).toMatchObject({ grantId });
    // ...until the revocation is announced, as every revocation path does.
    await announceRevocation([grantId]);
    expect(await verifyAccessToken(tokens.access_token, resource)).toEqual({ problem: "revoked" });
  });
});

describe("refresh tokens", () => {
  it("rotate, and a used one presented again revokes the whole family", async () => {
    const { tokens } = await signIn();
    const second = await refreshTokens({ refreshToken: tokens.refresh_token, clientId, resource });
    expect(second.refresh_token).not.toBe(tokens.refresh_token);
    expect(await verifyAccessToken(second.access_token, resource)).toMatchObject({ serverId });

    const reuse = await refusal(refreshTokens({ refreshToken: tokens.refresh_token, clientId }));
    expect(reuse.code).toBe("invalid_grant");
    expect(reuse.description).toMatch(/already used/);
    expect(await verifyAccessToken(second.access_token, resource)).toEqual({ problem: "revoked" });
    expect((await refusal(refreshTokens({ refreshToken: second.refresh_token, clientId }))).code).toBe(
      "invalid_grant",
    );
  });

  it("of two concurrent uses, admit one", async () => {
    const { tokens } = await signIn();
    const results = await Promise.allSettled(
      [1, 2].map(() => refreshTokens({ refreshToken: tokens.refresh_token, clientId })),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
  });

  it("belong to their client", async () => {
    const { tokens } = await signIn();
    const refused = await refusal(
      refreshTokens({ refreshToken: tokens.refresh_token, clientId: otherClientId }),
    );
    expect(refused.description).toMatch(/another client/);
  });
});

describe("revocation (RFC 7009)", () => {
  it("revokes a refresh token's family, and ignores another client's token", async () => {
    const { tokens } = await signIn();
    await revokeToken(tokens.refresh_token, otherClientId);
    expect(await verifyAccessToken(tokens.access_token, resource)).toMatchObject({ serverId });
    await revokeToken(tokens.refresh_token, clientId);
    expect(await verifyAccessToken(tokens.access_token, resource)).toEqual({ problem: "revoked" });
  });

  it("revokes an access token alone", async () => {
    const { tokens } = await signIn();
    await revokeToken(tokens.access_token, clientId);
    expect(await verifyAccessToken(tokens.access_token, resource)).toEqual({ problem: "revoked" });
    await expect(refreshTokens({ refreshToken: tokens.refresh_token, clientId })).resolves.toMatchObject({
      token_type: "Bearer",
    });
  });
});

describe("dynamic client registration", () => {
  it("makes a public client with the redirect URIs given, and says why metadata is refused", async () => {
    const address = `test-${randomBytes(6).toString("hex")}`;
    const registered = await registerClient(
      {
        client_name: "Claude",
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: "client_secret_post",
      },
      address,
    );
    expect(registered).toMatchObject({ client_name: "Claude", token_endpoint_auth_method: "none" });
    expect(registered).not.toHaveProperty("client_secret");
    expect(await findClient(registered.client_id)).toMatchObject({ redirectUris: [redirectUri] });

    const noUris = await refusal(registerClient({ client_name: "x", redirect_uris: [] }, address));
    expect(noUris.code).toBe("invalid_client_metadata");
    expect(noUris.description).toMatch(/redirect_uris/);
    const badUri = await refusal(registerClient({ redirect_uris: ["http://evil.example/cb"] }, address));
    expect(badUri.code).toBe("invalid_redirect_uri");
    const implicit = await refusal(
      registerClient({ redirect_uris: [redirectUri], response_types: ["token"] }, address),
    );
    expect(implicit.description).toMatch(/response_types/);
  });

  it("limits how many clients one address registers an hour", async () => {
    const address = `test-${randomBytes(6).toString("hex")}`;
    for (let index = 0; index < registrationsPerAddressPerHour; index++)
      await registerClient({ redirect_uris: [redirectUri] }, address);
    const refused = await refusal(registerClient({ redirect_uris: [redirectUri] }, address));
    expect(refused.status).toBe(429);
    await expect(
      registerClient({ redirect_uris: [redirectUri] }, `${address}-other`),
    ).resolves.toHaveProperty("client_id");
  });

  it("names an unknown client_id as such, and tells a metadata document's URL from a registration", async () => {
    expect((await refusal(findClient("tgcl_unknown"))).code).toBe("invalid_client");
    expect(isMetadataDocumentId("https://app.example.com/oauth/client.json")).toBe(true);
    expect(isMetadataDocumentId("https://app.example.com/")).toBe(false);
    expect(isMetadataDocumentId("http://app.example.com/client.json")).toBe(false);
  });
});
