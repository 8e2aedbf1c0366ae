// An OpenAPI app whose accounts sign in with OAuth 2, end to end against the spawned platform: the
// notes API's published description added through POST /api/v1/apps with the owner's client; a
// person connects through /api/oauth/<slug>/start → the local authorization server → /callback
// (HTTP with a session cookie); an operation is called through our MCP URL by the SDK client and
// the API sees that person's bearer token; a token the API no longer accepts is refreshed; the
// client's secret never comes back (a canary); and the app page's OAuth client section in Chromium.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import type { StoredTokens } from "@/lib/oauth/token-endpoint";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { createUser } from "@/lib/users/create-user";
import { open } from "@/lib/vault/vault";
import { notesClient, type OAuthNotes, startOAuthNotes } from "../emulators/oauth-notes";
import { CookieJar, signInOverHttp } from "../helpers/auth-http";
import { expectNoSeriousAxeViolations, launchChromium, signedInContext } from "../helpers/browser";
import { connectClient, secretOfUrl, textOf, uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { callRestApi } from "../helpers/rest-api";
import { closeTestConnections } from "../helpers/teardown";

const password = "correct horse battery";
const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");
let notes: OAuthNotes;
let platform: RunningPlatform;
let email: string;
let userId: string;
let token: string;

const api = <T = Record<string, unknown>>(method: string, route: string, body?: unknown) =>
  callRestApi<T>(platform.url, token, method, route, body);

async function get(url: string, jar?: CookieJar): Promise<Response> {
  return fetch(url, { redirect: "manual", headers: jar ? { cookie: jar.header() } : {} });
}

type AppView = {
  slug: string;
  auth: Record<string, unknown>;
  oauthClient: { clientId: string; registeredBy: string; secretSet: boolean } | null;
  oauthRedirectUri: string | null;
};

beforeAll(async () => {
  notes = await startOAuthNotes();
  platform = await startPlatform({ env: { HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32" } });
  email = uniqueEmail("openapi-oauth");
  userId = (await createUser({ email, password })).id;
  token = (await createApiToken(userId, { name: "openapi-oauth" })).token;
}, 240_000);

afterAll(async () => {
  await stopStartedPlatforms();
  await notes?.stop();
  await closeTestConnections();
});

describe("an OpenAPI app that signs in with OAuth 2 authorization code", () => {
  let app: AppView;
  let connectionId: string;
  let client: Client;

  afterAll(async () => {
    await client?.close();
  });

  it("POST /api/v1/apps adds it with the owner's client; GET /api/v1/apps/{slug} never shows the secret", async () => {
    const added = await api<AppView>("POST", "/apps", {
      kind: "openapi",
      name: "Notes",
      specUrl: notes.specUrl,
      oauthClient: notesClient,
    });
    expect(added.status, added.text).toBe(201);
    expect(added.text).not.toContain(notesClient.clientSecret);
    app = added.json;
    expect(app.auth).toMatchObject({ type: "oauth2", tokenUrl: `${notes.authorization.url}/token` });
    expect(app.oauthRedirectUri).toBe(`${platform.url}/api/oauth/${app.slug}/callback`);
    const shown = await api<AppView>("GET", `/apps/${app.slug}`);
    expect(shown.status).toBe(200);
    expect(shown.json.oauthClient).toEqual({
      clientId: notesClient.clientId,
      registeredBy: "owner",
      secretSet: true,
    });
    expect(shown.text).not.toContain(notesClient.clientSecret);
    const listed = await api("GET", "/apps");
    expect(listed.text).not.toContain(notesClient.clientSecret);
    notes.authorization.registerRedirectUri(app.oauthRedirectUri ?? "");
  }, 60_000);

  it("connects through /api/oauth/<slug>/start, the provider and /callback", async () => {
    const { code, jar } = await signInOverHttp(platform.url, email, password, new CookieJar());
    expect(code).toBeNull();
    const start = await get(`${platform.url}/api/oauth/${app.slug}/start?label=Mine`, jar);
    expect(start.status).toBe(303);
    const authorizeUrl = new URL(start.headers.get("location") ?? "");
    expect(authorizeUrl.origin + authorizeUrl.pathname).toBe(`${notes.authorization.url}/authorize`);
    expect(authorizeUrl.searchParams.get("client_id")).toBe(notesClient.clientId);
    expect(authorizeUrl.searchParams.get("redirect_uri")).toBe(app.oauthRedirectUri);
    expect(authorizeUrl.searchParams.get("scope")).toBe("notes:read notes:write");
    expect(authorizeUrl.searchParams.get("code_challenge_method")).toBe("S256");
    const approval = await get(authorizeUrl.toString());
    expect(approval.status).toBe(302);
    const callback = await get(approval.headers.get("location") ?? "", jar);
    expect(callback.status).toBe(303);
    const outcome = new URL(callback.headers.get("location") ?? "").searchParams;
    expect(outcome.get("error")).toBeNull();
    connectionId = outcome.get("connected") ?? "";
    const row = await getDb().connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(row).toMatchObject({ userId, integration: app.slug, authType: "oauth2", label: "Mine" });
    const tokens = await open<StoredTokens>(row.ciphertext, { userId, connectionId });
    expect(notes.authorization.isLiveAccessToken(tokens.accessToken)).toBe(true);
  }, 60_000);

  it("calls an operation through our MCP URL with the person's bearer token, and refreshes an expired one", async () => {
    const server = await api<{ id: string; url: string }>("POST", "/servers", { name: "Notes tools" });
    expect(server.status).toBe(201);
    const tool = await api<{ name: string }>("POST", `/servers/${server.json.id}/tools`, {
      integration: app.slug,
      action: "createNote",
      connectionId,
    });
    expect(tool.status, tool.text).toBe(201);
    client = await connectClient(platform.url, secretOfUrl(server.json.url));
    const first = await client.callTool({ name: tool.json.name, arguments: { body: { text: "Buy milk" } } });
    expect(first.isError, textOf(first)).toBeFalsy();
    expect(textOf(first)).toContain("Buy milk");
    const row = await getDb().connection.findUniqueOrThrow({ where: { id: connectionId } });
    const tokens = await open<StoredTokens>(row.ciphertext, { userId, connectionId });
    expect(notes.tokensSeen.at(-1)).toBe(tokens.accessToken);
    const created = notes.api.requestsTo("POST /v1/notes").at(-1);
    expect(created?.headers.authorization).toBe(`Bearer ${tokens.accessToken}`);

    const refreshes = notes.authorization.stats.refreshes;
    notes.authorization.expireAccessTokens();
    const second = await client.callTool({ name: tool.json.name, arguments: { body: { text: "Call Ada" } } });
    expect(second.isError, textOf(second)).toBeFalsy();
    expect(notes.authorization.stats.refreshes).toBe(refreshes + 1);
    const renewed = await open<StoredTokens>(
      (await getDb().connection.findUniqueOrThrow({ where: { id: connectionId } })).ciphertext,
      { userId, connectionId },
    );
    expect(renewed.accessToken).not.toBe(tokens.accessToken);
    expect(notes.tokensSeen.at(-1)).toBe(renewed.accessToken);
    expect(notes.authorization.isLiveRefreshToken(tokens.refreshToken ?? "")).toBe(false);
  }, 60_000);

  it("PUT /api/v1/apps/{slug}/oauth-client names what is wrong, and DELETE removes the client", async () => {
    const empty = await api("PUT", `/apps/${app.slug}/oauth-client`, { clientId: "" });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain("clientId");
    const kept = await api<AppView>("PUT", `/apps/${app.slug}/oauth-client`, {
      clientId: notesClient.clientId,
    });
    expect(kept.status, kept.text).toBe(200);
    expect(kept.json.oauthClient?.secretSet).toBe(true);
    expect(kept.text).not.toContain(notesClient.clientSecret);
    const removed = await api("DELETE", `/apps/${app.slug}/oauth-client`);
    expect(removed.status).toBe(204);
    expect((await api<AppView>("GET", `/apps/${app.slug}`)).json.oauthClient).toBeNull();
  });
});

describe("the app page's OAuth client section, in Chromium", () => {
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    await mkdir(screenshots, { recursive: true });
    browser = await launchChromium();
    context = await signedInContext(browser, platform.url, { email, password });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it("shows the redirect URI, sets a client, and the Connections page then offers to connect", async () => {
    const added = await api<AppView>("POST", "/apps", {
      kind: "openapi",
      name: "Team notes",
      specUrl: notes.specUrl,
      operations: ["listNotes"],
    });
    expect(added.status, added.text).toBe(201);
    const { slug } = added.json;
    const page = await context.newPage();

    await page.goto(`${platform.url}/connections/new?app=${slug}`);
    // The page streams its content in: wait for it before counting what it offers.
    await page.getByText("whoever manages Team notes sets its").waitFor();
    expect(await page.getByText("whoever manages Team notes sets its").count()).toBe(1);
    expect(await page.getByRole("button", { name: "Continue to Team notes" }).count()).toBe(0);

    await page.goto(`${platform.url}/apps/${slug}`);
    const section = page.getByRole("region", { name: "OAuth client" });
    expect(await section.textContent()).toContain(`${platform.url}/api/oauth/${slug}/callback`);
    expect(await section.getByTestId("oauth-client-status").textContent()).toMatch(/No client yet/);
    await section.getByLabel("Client ID").fill("team-client");
    await section.getByLabel("Client secret").fill("team-secret-canary-77");
    await section.getByRole("button", { name: "Save client" }).click();
    await section.getByText("Saved. People can connect Team notes now.").waitFor();
    await page.reload();
    const status = await page.getByTestId("oauth-client-status").textContent();
    expect(status).toContain("Client team-client (set here), with a secret");
    expect(await page.content()).not.toContain("team-secret-canary-77");
    await expectNoSeriousAxeViolations(page);
    await page.screenshot({ path: path.join(screenshots, "openapi-oauth-client.png"), fullPage: true });

    await page.goto(`${platform.url}/connections/new?app=${slug}`);
    const connect = page.getByRole("button", { name: "Continue to Team notes" });
    await connect.waitFor();
    expect(await connect.count(), (await page.locator("main").textContent()) ?? "").toBe(1);
    await connect.click();
    await page.waitForURL((url) => url.href.startsWith(`${notes.authorization.url}/authorize`));
    const authorize = new URL(page.url());
    expect(authorize.searchParams.get("client_id")).toBe("team-client");
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${platform.url}/api/oauth/${slug}/callback`);
    expect(authorize.searchParams.get("scope")).toBe("notes:read");
  }, 120_000);
});
