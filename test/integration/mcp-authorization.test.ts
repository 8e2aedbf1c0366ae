// The MCP endpoint as an OAuth protected resource (docs/security.md 7), each promise shown failing
// when broken: the endpoint runs as its own process (a web replica), the authorization server's
// token endpoint and authorization request are driven in this process on the same database.
// A bare request gets the challenge that starts discovery; an access token opens exactly its
// grant's server, and is refused for another audience, once expired, once revoked, and when its
// code or refresh token was replayed; plain PKCE and a redirect URI one character off are refused.
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAuthorizationRequest } from "@/lib/authorization-server/authorization-request";
import { registerClient } from "@/lib/authorization-server/clients";
import { issueAuthorizationCode } from "@/lib/authorization-server/codes";
import { hashCredential } from "@/lib/authorization-server/credentials";
import { serveToken } from "@/lib/authorization-server/endpoints";
import { mcpResource } from "@/lib/authorization-server/metadata";
import { getDb } from "@/lib/db/client";
import { connectClient, createTenant, postRpc, responseOf, type Tenant } from "../helpers/mcp";
import { type RunningEndpoint, startMcpEndpoint } from "../helpers/mcp-endpoint";
import { closeTestConnections } from "../helpers/teardown";

const redirectUri = "https://app.example.com/oauth/callback";
const toolsList = { jsonrpc: "2.0", id: 1, method: "tools/list" };

let endpoint: RunningEndpoint;
let ada: Tenant;
let bea: Tenant;
let clientId: string;

beforeAll(async () => {
  [endpoint, ada, bea] = await Promise.all([
    startMcpEndpoint(),
    createTenant("http://placeholder", "as-ada", [{ integration: "formatter", action: "transform_text" }]),
    createTenant("http://placeholder", "as-bea", [{ integration: "formatter", action: "calculate" }]),
  ]);
  const registered = await registerClient(
    { client_name: "Promise seven", redirect_uris: [redirectUri] },
    `test-${randomBytes(6).toString("hex")}`,
  );
  clientId = registered.client_id;
}, 90_000);

afterAll(async () => {
  await endpoint?.stop();
  await closeTestConnections();
});

function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** A grant of `tenant`'s server to the client, and a code for it bound to `resource`. */
async function codeFor(tenant: Tenant, resource = `${endpoint.url}/mcp`, userId = tenant.userId) {
  const client = await getDb().mcpClient.findUniqueOrThrow({ where: { clientId } });
  const grant = await getDb().mcpGrant.create({
    data: { clientId: client.id, userId, serverId: tenant.serverId },
  });
  const { verifier, challenge } = pkcePair();
  const code = await issueAuthorizationCode({
    grantId: grant.id,
    redirectUri,
    codeChallenge: challenge,
    resource,
  });
  return { code, verifier, grantId: grant.id };
}

async function token(form: Record<string, string>) {
  const response = await serveToken(
    new Request("http://127.0.0.1/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form),
    }),
  );
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, string>,
  };
}

async function exchange(code: string, verifier: string, overrides: Record<string, string> = {}) {
  return token({
    grant_type: "authorization_code",
    code,
    code_verifier: verifier,
    redirect_uri: redirectUri,
    client_id: clientId,
    ...overrides,
  });
}

async function signIn(tenant: Tenant, resource?: string) {
  const { code, verifier, grantId } = await codeFor(tenant, resource);
  const answer = await exchange(code, verifier);
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  return { ...answer.json, grantId } as { access_token: string; refresh_token: string; grantId: string };
}

const listWith = (accessToken: string) =>
  postRpc(`${endpoint.url}/mcp`, toolsList, { Authorization: `Bearer ${accessToken}` });

async function expectRefused(accessToken: string, message: RegExp): Promise<void> {
  const reply = await listWith(accessToken);
  expect(reply.status).toBe(401);
  expect(reply.headers.get("www-authenticate")).toBe(
    `Bearer resource_metadata="${endpoint.url}/.well-known/oauth-protected-resource/mcp", scope="mcp", error="invalid_token"`,
  );
  expect(responseOf(reply).error?.message).toMatch(message);
}

describe("the MCP endpoint as a protected resource", () => {
  it("answers a bare request with the challenge that names its metadata; a secret URL's refusal names none", async () => {
    const bare = await postRpc(`${endpoint.url}/mcp`, toolsList);
    expect(bare.status).toBe(401);
    expect(bare.headers.get("www-authenticate")).toBe(
      `Bearer resource_metadata="${endpoint.url}/.well-known/oauth-protected-resource/mcp", scope="mcp"`,
    );
    const wrongUrl = await postRpc(`${endpoint.url}/mcp/tg_${"x".repeat(43)}`, toolsList);
    expect(wrongUrl.status).toBe(401);
    expect(wrongUrl.headers.get("www-authenticate")).not.toContain("resource_metadata");
  });

  it("opens exactly the granted server with an access token, in an SDK client", async () => {
    const adaAccess = await signIn(ada);
    const client = await connectClient(endpoint.url, adaAccess.access_token, "bearer");
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(["formatter_transform_text"]);
    } finally {
      await client.close();
    }
    const beaAccess = await signIn(bea);
    const other = await listWith(beaAccess.access_token);
    expect(((responseOf(other).result?.tools ?? []) as { name: string }[]).map((tool) => tool.name)).toEqual([
      "formatter_calculate",
    ]);
    const grant = await getDb().mcpGrant.findUniqueOrThrow({ where: { id: adaAccess.grantId } });
    expect(grant.lastUsedAt).not.toBeNull();
  });

  it("refuses a token issued for another audience", async () => {
    const elsewhere = await signIn(ada, "http://127.0.0.1:9/mcp");
    await expectRefused(elsewhere.access_token, /another resource/);
  });

  it("refuses an expired token, a revoked token, and every token of a revoked grant", async () => {
    const expired = await signIn(ada);
    await getDb().mcpToken.update({
      where: { tokenHash: hashCredential(expired.access_token) },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    await expectRefused(expired.access_token, /expired/);

    const revoked = await signIn(ada);
    expect((await listWith(revoked.access_token)).status).toBe(200);
    await getDb().mcpToken.update({
      where: { tokenHash: hashCredential(revoked.access_token) },
      data: { revokedAt: new Date() },
    });
    await expectRefused(revoked.access_token, /revoked/);

    const granted = await signIn(ada);
    await getDb().mcpGrant.update({ where: { id: granted.grantId }, data: { revokedAt: new Date() } });
    await expectRefused(granted.access_token, /revoked/);
    const refreshed = await token({
      grant_type: "refresh_token",
      refresh_token: granted.refresh_token,
      client_id: clientId,
    });
    expect(refreshed.json.error).toBe("invalid_grant");
  });

  it("refuses a token whose grant names a server that is not the person's", async () => {
    // A grant forged in the database for Bea's server by Ada: the server is not Ada's to give.
    const { code, verifier } = await codeFor(bea, undefined, ada.userId);
    const forged = await exchange(code, verifier);
    await expectRefused(forged.json.access_token ?? "", /no longer yours/);
  });

  it("refuses a replayed authorization code, and revokes what the first use gave", async () => {
    const { code, verifier } = await codeFor(ada);
    const first = await exchange(code, verifier);
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect((await listWith(first.json.access_token ?? "")).status).toBe(200);
    const replay = await exchange(code, verifier);
    expect(replay.status).toBe(400);
    expect(replay.json.error).toBe("invalid_grant");
    await expectRefused(first.json.access_token ?? "", /revoked/);
  });

  it("refuses a replayed refresh token, and revokes the whole family", async () => {
    const signedIn = await signIn(ada);
    const refresh = (refreshToken: string) =>
      token({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: clientId });
    const rotated = await refresh(signedIn.refresh_token);
    expect(rotated.status).toBe(200);
    expect(rotated.json.refresh_token).not.toBe(signedIn.refresh_token);
    expect((await listWith(rotated.json.access_token ?? "")).status).toBe(200);
    const replay = await refresh(signedIn.refresh_token);
    expect(replay.json.error).toBe("invalid_grant");
    await expectRefused(rotated.json.access_token ?? "", /revoked/);
    expect((await refresh(rotated.json.refresh_token ?? "")).json.error).toBe("invalid_grant");
  });

  it("refuses a code exchange whose verifier or redirect URI is off by one character", async () => {
    const { code, verifier } = await codeFor(ada);
    const wrongVerifier = `${verifier.slice(0, -1)}${verifier.endsWith("A") ? "B" : "A"}`;
    expect((await exchange(code, wrongVerifier)).json.error).toBe("invalid_grant");
    const again = await codeFor(ada);
    const wrongRedirect = await exchange(again.code, again.verifier, { redirect_uri: `${redirectUri}x` });
    expect(wrongRedirect.json).toMatchObject({ error: "invalid_grant" });
    expect(wrongRedirect.json.error_description).toMatch(/redirect_uri/);
  });
});

describe("an authorization request", () => {
  const { challenge } = pkcePair();
  const request = (overrides: Record<string, string | null>) => {
    const params = new URLSearchParams();
    const fields: Record<string, string | null> = {
      client_id: clientId,
      redirect_uri: redirectUri,
      response_type: "code",
      code_challenge: challenge,
      code_challenge_method: "S256",
      state: "xyz",
      resource: mcpResource(),
      ...overrides,
    };
    for (const [name, value] of Object.entries(fields)) if (value !== null) params.set(name, value);
    return readAuthorizationRequest(params);
  };

  it("is kept when it is whole", async () => {
    expect((await request({})).outcome).toBe("valid");
    expect((await request({ resource: null, state: null })).outcome).toBe("valid");
  });

  it("with a plain or missing PKCE challenge goes back to the client as an error", async () => {
    const cases: Record<string, string | null>[] = [
      { code_challenge_method: "plain" },
      { code_challenge_method: null },
      { code_challenge: null },
      { code_challenge: "too-short" },
    ];
    for (const overrides of cases) {
      const read = await request(overrides);
      expect(read.outcome).toBe("refused");
      const location = new URL(read.outcome === "refused" ? read.location : "http://x");
      expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
      expect(location.searchParams.get("error")).toBe("invalid_request");
      expect(location.searchParams.get("state")).toBe("xyz");
    }
  });

  it("with a redirect URI one character off is shown to the person and never redirected", async () => {
    for (const uri of [
      `${redirectUri}/`,
      redirectUri.replace("callback", "callbacc"),
      redirectUri.toUpperCase(),
    ]) {
      const read = await request({ redirect_uri: uri });
      expect(read).toMatchObject({ outcome: "unanswerable", message: expect.stringMatching(/not one that/) });
    }
  });

  it("for another resource, or a scope not offered, is refused to the client", async () => {
    const otherResource = await request({ resource: "https://elsewhere.example/mcp" });
    expect(
      otherResource.outcome === "refused" && new URL(otherResource.location).searchParams.get("error"),
    ).toBe("invalid_target");
    const otherScope = await request({ scope: "mcp admin" });
    expect(otherScope.outcome === "refused" && new URL(otherScope.location).searchParams.get("error")).toBe(
      "invalid_scope",
    );
  });

  it("from an unknown client is shown to the person", async () => {
    expect(await request({ client_id: "tgcl_unknown" })).toMatchObject({ outcome: "unanswerable" });
  });
});

describe("the token endpoint", () => {
  it("names what is wrong with a malformed request", async () => {
    const wrongType = await serveToken(
      new Request("http://127.0.0.1/oauth/token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      }),
    );
    expect(wrongType.status).toBe(400);
    expect(wrongType.headers.get("access-control-allow-origin")).toBe("*");
    expect(await wrongType.json()).toMatchObject({ error: "invalid_request" });
    expect((await token({ grant_type: "password", client_id: clientId })).json.error).toBe(
      "unsupported_grant_type",
    );
    expect((await token({ grant_type: "authorization_code", client_id: clientId })).json).toMatchObject({
      error: "invalid_request",
      error_description: "code is required.",
    });
    const noClient = await token({ grant_type: "refresh_token", refresh_token: "tgr_x" });
    expect(noClient.status).toBe(401);
    expect(noClient.json.error).toBe("invalid_client");
  });
});
