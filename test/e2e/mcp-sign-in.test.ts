// An AI app signs in to the platform's MCP endpoint with OAuth, end to end against `npm start`:
// the SDK's own client auth (StreamableHTTPClientTransport with an OAuthClientProvider) starts
// from a bare 401, discovers the protected-resource and authorization-server metadata, registers
// itself, and sends the person to the authorization URL; the person signs in and answers the
// consent page in Chromium; the redirect reaches the app's loopback listener; the SDK exchanges
// the code with its PKCE verifier. Then tools are listed and called under the person's quota,
// an expired access token is refreshed by the SDK, and revocation ends the access.

import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashCredential } from "@/lib/authorization-server/credentials";
import { getDb } from "@/lib/db/client";
import { expectNoSeriousAxeViolations, launchChromium } from "../helpers/browser";
import { createTenant, type Tenant, textOf } from "../helpers/mcp";
import {
  answerConsent,
  type LoopbackCallback,
  MemoryOAuthProvider,
  startLoopbackCallback,
} from "../helpers/mcp-oauth-client";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

const password = "correct horse battery";
let platform: RunningPlatform;
let browser: Browser;
let callback: LoopbackCallback;
let ada: Tenant;

beforeAll(async () => {
  platform = await startPlatform();
  [browser, callback, ada] = await Promise.all([
    launchChromium(),
    startLoopbackCallback(),
    createTenant("http://placeholder", "mcp-sign-in"),
  ]);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await callback?.close();
  await stopStartedPlatforms();
  await closeTestConnections();
});

function connectWith(provider: MemoryOAuthProvider): {
  client: Client;
  transport: StreamableHTTPClientTransport;
} {
  const transport = new StreamableHTTPClientTransport(new URL(`${platform.url}/mcp`), {
    authProvider: provider,
  });
  return { client: new Client({ name: "sign-in-tests", version: "1.0.0" }), transport };
}

/** The SDK's whole sign-in: a refused connect, the person's answer in Chromium, finishAuth. */
async function signIn(
  provider: MemoryOAuthProvider,
  context: BrowserContext,
  server: { existing: string } | { newName: string },
): Promise<void> {
  const { client, transport } = connectWith(provider);
  await expect(client.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
  const authorizationUrl = provider.authorizationUrls.at(-1);
  if (!authorizationUrl) throw new Error("the SDK did not send the person anywhere");
  const page = await context.newPage();
  try {
    await answerConsent(page, authorizationUrl.toString(), {
      credentials: { email: ada.email, password },
      server,
    });
    const answer = await callback.next();
    expect(answer.error).toBeUndefined();
    expect(answer.iss).toBe(platform.url);
    await transport.finishAuth(answer.code ?? "");
  } finally {
    await page.close();
  }
}

describe("signing in from an AI app with the SDK's OAuth client", () => {
  let provider: MemoryOAuthProvider;
  let context: BrowserContext;

  it("discovers, registers, asks the person, and gets tokens for the chosen server", async () => {
    const bare = await fetch(`${platform.url}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(bare.status).toBe(401);
    expect(bare.headers.get("www-authenticate")).toBe(
      `Bearer resource_metadata="${platform.url}/.well-known/oauth-protected-resource/mcp", scope="mcp"`,
    );

    provider = new MemoryOAuthProvider(callback.redirectUrl);
    context = await browser.newContext();
    context.setDefaultTimeout(60_000);
    const { client, transport } = connectWith(provider);
    await expect(client.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.client?.client_id).toMatch(/^tgcl_/);
    const authorizationUrl = provider.authorizationUrls[0];
    expect(authorizationUrl?.origin).toBe(platform.url);
    expect(authorizationUrl?.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorizationUrl?.searchParams.get("resource")).toBe(`${platform.url}/mcp`);

    // Signed out: the sign-in page first, then the consent page, which names the app and its host.
    const page = await context.newPage();
    await page.goto(authorizationUrl?.toString() ?? "");
    await page.waitForURL((url) => url.pathname === "/signin");
    await page.getByLabel("Email").fill(ada.email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/oauth/authorize");
    await page.getByRole("heading", { name: "Allow Toolgate test client to use your tools?" }).waitFor();
    expect(await page.getByText(`http://127.0.0.1:${new URL(callback.redirectUrl).port}`).count()).toBe(1);
    expect(await page.getByText("The app registered itself").count()).toBe(1);
    await expectNoSeriousAxeViolations(page);
    await page.getByRole("radio", { name: /^mcp-sign-in server ·/ }).check();
    await page.getByRole("button", { name: "Allow", exact: true }).click();
    const answer = await callback.next();
    await page.close();
    expect(answer.iss).toBe(platform.url);
    expect(answer.code).toMatch(/^tgc_/);
    await transport.finishAuth(answer.code ?? "");
    expect(provider.saved?.access_token).toMatch(/^tga_/);
    expect(provider.saved?.refresh_token).toMatch(/^tgr_/);

    const grants = await getDb().mcpGrant.findMany({ where: { userId: ada.userId } });
    expect(grants.map((grant) => grant.serverId)).toEqual([ada.serverId]);
    const audit = await getDb().auditEvent.findMany({
      where: { actorId: ada.userId, action: "mcp_grant.created" },
    });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(provider.saved?.access_token ?? "-");
  }, 120_000);

  it("lists and calls the server's tools with the access token, counted in the person's quota", async () => {
    const { client, transport } = connectWith(provider);
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain("formatter_transform_text");
      const result = await client.callTool({
        name: "formatter_transform_text",
        arguments: { text: "signed in", operation: "uppercase" },
      });
      expect(textOf(result)).toContain("SIGNED IN");
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
    await getDb().mcpToken.update({
      where: { tokenHash: hashCredential(before?.access_token ?? "") },
      data: { expiresAt: new Date(Date.now() - 1_000) },
    });
    const { client, transport } = connectWith(provider);
    await client.connect(transport);
    try {
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
    expect(provider.saved?.access_token).not.toBe(before?.access_token);
    expect(provider.saved?.refresh_token).not.toBe(before?.refresh_token);
    const old = await getDb().mcpToken.findUnique({
      where: { tokenHash: hashCredential(before?.refresh_token ?? "") },
    });
    expect(old?.usedAt).not.toBeNull();
  }, 60_000);

  it("is refused once the app revokes its refresh token, and the SDK asks the person again", async () => {
    const revoked = await fetch(`${platform.url}/oauth/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        token: provider.saved?.refresh_token ?? "",
        client_id: provider.client?.client_id ?? "",
      }),
    });
    expect(revoked.status).toBe(200);
    const asked = provider.authorizationUrls.length;
    const { client, transport } = connectWith(provider);
    await expect(client.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.authorizationUrls.length).toBe(asked + 1);
  }, 60_000);

  it("signs in again to a server made on the consent page, which the new token reaches alone", async () => {
    provider = new MemoryOAuthProvider(callback.redirectUrl, "Second app");
    await signIn(provider, context, { newName: "Made while signing in" });
    const made = await getDb().mcpServer.findFirstOrThrow({
      where: { userId: ada.userId, name: "Made while signing in" },
    });
    const { client, transport } = connectWith(provider);
    await client.connect(transport);
    try {
      expect((await client.listTools()).tools).toEqual([]);
    } finally {
      await client.close();
    }
    const grant = await getDb().mcpGrant.findFirstOrThrow({
      where: { userId: ada.userId, client: { name: "Second app" } },
    });
    expect(grant.serverId).toBe(made.id);
  }, 120_000);

  it("answers access_denied when the person denies", async () => {
    const denied = new MemoryOAuthProvider(callback.redirectUrl, "Denied app");
    const { client, transport } = connectWith(denied);
    await expect(client.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    const page = await context.newPage();
    await answerConsent(page, denied.authorizationUrls[0]?.toString() ?? "", {
      server: { existing: "mcp-sign-in server" },
      allow: false,
    });
    const answer = await callback.next();
    await page.close();
    expect(answer.error).toBe("access_denied");
    expect(answer.code).toBeUndefined();
    expect(await getDb().mcpGrant.count({ where: { client: { name: "Denied app" } } })).toBe(0);
  }, 60_000);
});

describe("the authorization server's documents and guards, over HTTP", () => {
  it("serves its metadata at the well-known URLs clients try, to any origin", async () => {
    for (const suffix of ["oauth-protected-resource/mcp", "oauth-protected-resource"]) {
      const response = await fetch(`${platform.url}/.well-known/${suffix}`, {
        headers: { origin: "https://inspector.example" },
      });
      expect(response.status, suffix).toBe(200);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(await response.json()).toMatchObject({
        resource: `${platform.url}/mcp`,
        authorization_servers: [platform.url],
      });
    }
    expect((await fetch(`${platform.url}/.well-known/oauth-protected-resource/elsewhere`)).status).toBe(404);
    for (const suffix of ["oauth-authorization-server", "openid-configuration"]) {
      const metadata = await (await fetch(`${platform.url}/.well-known/${suffix}`)).json();
      expect(metadata, suffix).toMatchObject({
        issuer: platform.url,
        authorization_endpoint: `${platform.url}/oauth/authorize`,
        token_endpoint: `${platform.url}/oauth/token`,
        registration_endpoint: `${platform.url}/oauth/register`,
        code_challenge_methods_supported: ["S256"],
      });
    }
    const preflight = await fetch(`${platform.url}/oauth/token`, {
      method: "OPTIONS",
      headers: { origin: "https://inspector.example", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("registers a client over HTTP and names what is wrong with bad metadata", async () => {
    const register = (body: unknown) =>
      fetch(`${platform.url}/oauth/register`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: "https://inspector.example" },
        body: JSON.stringify(body),
      });
    const made = await register({ client_name: "Over HTTP", redirect_uris: ["https://app.example/cb"] });
    expect(made.status).toBe(201);
    expect(await made.json()).toMatchObject({ client_name: "Over HTTP", token_endpoint_auth_method: "none" });
    const bad = await register({ redirect_uris: ["javascript:alert(1)"] });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: "invalid_redirect_uri",
      error_description: expect.stringContaining("javascript:"),
    });
  });

  it("refuses a consent decision posted from another site or without the page's token", async () => {
    // `Origin: null` (a sandboxed frame, or a page under no-referrer) counts as this site's only
    // when the browser's own Sec-Fetch-Site says so.
    const refusedHeaders: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { origin: "null" },
      { origin: "null", "sec-fetch-site": "cross-site" },
    ];
    for (const headers of refusedHeaders) {
      const crossSite = await fetch(`${platform.url}/oauth/authorize/decision`, {
        method: "POST",
        redirect: "manual",
        headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ request_id: "x", decision: "allow" }),
      });
      expect(crossSite.status, JSON.stringify(headers)).toBe(403);
    }

    // A real pending request, answered with a forged consent token by a signed-in person.
    const provider = new MemoryOAuthProvider(callback.redirectUrl, "Forgery target");
    const { client, transport } = connectWith(provider);
    await expect(client.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await answerConsent(page, provider.authorizationUrls[0]?.toString() ?? "", {
        credentials: { email: ada.email, password },
        server: { existing: "mcp-sign-in server" },
        allow: false,
      });
      expect((await callback.next()).error).toBe("access_denied");
      const cookie = (await context.cookies()).map((each) => `${each.name}=${each.value}`).join("; ");
      const again = new MemoryOAuthProvider(callback.redirectUrl, "Forgery target");
      const second = connectWith(again);
      await expect(second.client.connect(second.transport)).rejects.toBeInstanceOf(UnauthorizedError);
      const shown = await fetch(again.authorizationUrls[0]?.toString() ?? "", { redirect: "manual" });
      const requestId = new URL(shown.headers.get("location") ?? "", platform.url).searchParams.get(
        "request_id",
      );
      const forged = await fetch(`${platform.url}/oauth/authorize/decision`, {
        method: "POST",
        redirect: "manual",
        headers: { origin: platform.url, cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          request_id: requestId ?? "",
          consent_token: "forged",
          decision: "allow",
          server: ada.serverId,
        }),
      });
      expect(forged.status).toBe(303);
      expect(forged.headers.get("location")).toContain("problem=forbidden");
      expect(await getDb().mcpGrant.count({ where: { client: { name: "Forgery target" } } })).toBe(0);
    } finally {
      await context.close();
    }
  }, 120_000);
});
