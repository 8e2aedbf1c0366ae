// The 2.x SDK client (`@modelcontextprotocol/client`) signs in to the platform's MCP endpoint with
// OAuth, end to end against `npm start`: from a bare 401 it discovers the metadata, registers
// itself, sends the person to the authorization URL with PKCE S256, checks the `iss` of the
// answer (RFC 9207) when it redeems the code, and stamps the stored tokens with the issuer. Then
// tools are listed and called, an expired access token is refreshed, and revocation ends access.

import {
  Client,
  IssuerMismatchError,
  StreamableHTTPClientTransport,
  UnauthorizedError,
} from "@modelcontextprotocol/client";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashCredential } from "@/lib/authorization-server/credentials";
import { getDb } from "@/lib/db/client";
import { launchChromium } from "../helpers/browser";
import { createTenant, postRpc, type Tenant, textOf } from "../helpers/mcp";
import {
  answerConsent,
  expireAccessToken,
  type LoopbackCallback,
  MemoryOAuthProvider,
  startLoopbackCallback,
} from "../helpers/mcp-oauth-client";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

const password = "correct horse battery";
const clientName = "SDK 2 test client";
let platform: RunningPlatform;
let browser: Browser;
let context: BrowserContext;
let callback: LoopbackCallback;
let ada: Tenant;
let provider: MemoryOAuthProvider;

beforeAll(async () => {
  platform = await startPlatform();
  [browser, callback, ada] = await Promise.all([
    launchChromium(),
    startLoopbackCallback(),
    createTenant("http://placeholder", "sdk2-sign-in"),
  ]);
  context = await browser.newContext();
  provider = new MemoryOAuthProvider(callback.redirectUrl, clientName);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await callback?.close();
  await stopStartedPlatforms();
  await closeTestConnections();
});

function connectWith(oauthProvider: MemoryOAuthProvider) {
  const transport = new StreamableHTTPClientTransport(new URL(`${platform.url}/mcp`), {
    authProvider: oauthProvider,
  });
  return { client: new Client({ name: "sdk2-sign-in-tests", version: "1.0.0" }), transport };
}

/** A raw tools/list with an access token, as any client would send it. */
const listToolsWith = (accessToken: string) =>
  postRpc(
    `${platform.url}/mcp`,
    { jsonrpc: "2.0", id: 1, method: "tools/list" },
    { Authorization: `Bearer ${accessToken}` },
  );

describe("signing in with the 2.x SDK client", () => {
  it("discovers from a bare 401, registers, asks the person in Chromium, and redeems the code", async () => {
    const { client, transport } = connectWith(provider);
    await expect(client.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.client?.client_id).toMatch(/^tgcl_/);
    const authorizationUrl = provider.authorizationUrls[0];
    expect(authorizationUrl?.origin).toBe(platform.url);
    expect(authorizationUrl?.pathname).toBe("/oauth/authorize");
    expect(authorizationUrl?.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorizationUrl?.searchParams.get("resource")).toBe(`${platform.url}/mcp`);
    expect(provider.saved).toBeUndefined();

    const page = await context.newPage();
    try {
      await answerConsent(page, authorizationUrl?.toString() ?? "", {
        credentials: { email: ada.email, password },
        server: { existing: "sdk2-sign-in server" },
      });
      const answer = await callback.next();
      expect(answer.error).toBeUndefined();
      expect(answer.code).toMatch(/^tgc_/);
      // The 2.x form: the whole callback query, whose `iss` the SDK checks before the code.
      await transport.finishAuth(new URLSearchParams(answer));
    } finally {
      await page.close();
    }
    expect(provider.saved?.access_token).toMatch(/^tga_/);
    expect(provider.saved?.refresh_token).toMatch(/^tgr_/);
    expect(provider.savedIssuer).toBe(platform.url);

    const grant = await getDb().mcpGrant.findFirstOrThrow({
      where: { userId: ada.userId, client: { name: clientName } },
    });
    expect(grant.serverId).toBe(ada.serverId);
  }, 120_000);

  it("refuses a callback whose iss names another authorization server, before redeeming its code", async () => {
    const stranger = new MemoryOAuthProvider(callback.redirectUrl, "SDK 2 mix-up check");
    const { client, transport } = connectWith(stranger);
    await expect(client.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    const page = await context.newPage();
    try {
      await answerConsent(page, stranger.authorizationUrls[0]?.toString() ?? "", {
        server: { existing: "sdk2-sign-in server" },
      });
      const answer = await callback.next();
      expect(answer.code).toMatch(/^tgc_/);
      await expect(
        transport.finishAuth(new URLSearchParams({ ...answer, iss: "https://attacker.example" })),
      ).rejects.toBeInstanceOf(IssuerMismatchError);
    } finally {
      await page.close();
    }
    expect(stranger.saved).toBeUndefined();
    const codes = await getDb().mcpAuthorizationCode.findMany({
      where: { grant: { client: { name: "SDK 2 mix-up check" } } },
    });
    expect(codes.map((row) => row.usedAt)).toEqual([null]);
  }, 120_000);

  it("lists and calls the chosen server's tools with the access token", async () => {
    const { client, transport } = connectWith(provider);
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain("formatter_transform_text");
      const result = await client.callTool({
        name: "formatter_transform_text",
        arguments: { text: "signed in with sdk two", operation: "uppercase" },
      });
      expect(textOf(result)).toContain("SIGNED IN WITH SDK TWO");
    } finally {
      await client.close();
    }
    const calls = await getDb().call.count({
      where: { userId: ada.userId, serverId: ada.serverId, counted: true },
    });
    expect(calls).toBe(1);
  }, 60_000);

  it("refreshes an expired access token and rotates the refresh token", async () => {
    const before = provider.saved;
    await expireAccessToken(before?.access_token ?? "");
    expect((await listToolsWith(before?.access_token ?? "")).status).toBe(401);

    const { client, transport } = connectWith(provider);
    await client.connect(transport);
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name)).toContain("formatter_transform_text");
    } finally {
      await client.close();
    }
    expect(provider.saved?.access_token).toMatch(/^tga_/);
    expect(provider.saved?.access_token).not.toBe(before?.access_token);
    expect(provider.saved?.refresh_token).not.toBe(before?.refresh_token);
    expect(provider.savedIssuer).toBe(platform.url);
    const old = await getDb().mcpToken.findUnique({
      where: { tokenHash: hashCredential(before?.refresh_token ?? "") },
    });
    expect(old?.usedAt).not.toBeNull();
  }, 60_000);

  it("gets 401 once the app revokes its refresh token, and the SDK asks the person again", async () => {
    const accessToken = provider.saved?.access_token ?? "";
    expect((await listToolsWith(accessToken)).status).toBe(200);
    const revoked = await fetch(`${platform.url}/oauth/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        token: provider.saved?.refresh_token ?? "",
        client_id: provider.client?.client_id ?? "",
      }),
    });
    expect(revoked.status).toBe(200);
    const refused = await listToolsWith(accessToken);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain("resource_metadata=");

    // The SDK's refresh is refused with invalid_grant: it drops the tokens and asks the person again.
    const asked = provider.authorizationUrls.length;
    const { client, transport } = connectWith(provider);
    await expect(client.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.invalidated).toEqual(["tokens"]);
    expect(provider.saved).toBeUndefined();
    expect(provider.authorizationUrls.length).toBe(asked + 1);
  }, 60_000);
});
