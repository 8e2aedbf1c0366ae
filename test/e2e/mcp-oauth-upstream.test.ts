// An upstream MCP server behind OAuth as an app, end to end against the spawned platform: added
// through POST /api/v1/apps (discovery, no tools yet), two people each connecting their own
// account through /api/oauth/<slug>/start → the emulator's authorization server → /callback, the
// tools read with the first connection, listed and called through our MCP URL by the SDK's client
// with each person's own token for the server's audience, an expired token refreshed with
// `resource`, a revoked grant that asks to reconnect, the client ID metadata document route, and
// the OAuth choice of the "Add an app" form in Chromium.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { createUser } from "@/lib/users/create-user";
import { type McpOAuthUpstream, startMcpOAuthUpstream } from "../emulators/mcp-oauth-upstream";
import { CookieJar, signInOverHttp } from "../helpers/auth-http";
import { expectNoSeriousAxeViolations, launchChromium, signedInContext } from "../helpers/browser";
import { connectClient, secretOfUrl, textOf, uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { callRestApi } from "../helpers/rest-api";
import { closeTestConnections } from "../helpers/teardown";

const password = "correct horse battery";
let upstream: McpOAuthUpstream;
let documents: McpOAuthUpstream;
let platform: RunningPlatform;
let browser: Browser | undefined;
const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");

type AppView = {
  slug: string;
  auth: Record<string, unknown>;
  actions: { key: string; upstreamName: string; status: string }[];
};

type Person = {
  name: string;
  userId: string;
  jar: CookieJar;
  api: <T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ) => Promise<{ status: number; json: T }>;
};

async function person(name: string): Promise<Person> {
  const email = uniqueEmail(`mcp-oauth-${name}`);
  const user = await createUser({ email, password });
  const { code, jar } = await signInOverHttp(platform.url, email, password, new CookieJar());
  expect(code).toBeNull();
  const token = (await createApiToken(user.id, { name })).token;
  const api = <T>(method: string, path: string, body?: unknown) =>
    callRestApi<T>(platform.url, token, method, path, body);

  return { name, userId: user.id, jar, api };
}

const get = (url: string, jar?: CookieJar) =>
  fetch(url, { redirect: "manual", headers: jar ? { cookie: jar.header() } : {} });

/** /start → the authorization server (approving as `who`) → /callback; returns the connection id. */
async function connectAccount(who: Person, slug: string): Promise<string> {
  upstream.approveAs(who.name);
  const start = await get(`${platform.url}/api/oauth/${slug}/start`, who.jar);
  expect(start.status).toBe(303);
  const authorizeUrl = new URL(start.headers.get("location") ?? "");
  expect(authorizeUrl.origin).toBe(upstream.authorizationServer.url);
  expect(authorizeUrl.searchParams.get("resource")).toBe(upstream.url);
  expect(authorizeUrl.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authorizeUrl.searchParams.get("redirect_uri")).toBe(`${platform.url}/api/oauth/${slug}/callback`);
  const approval = await get(authorizeUrl.toString());
  expect(approval.status).toBe(302);
  const callback = await get(approval.headers.get("location") ?? "", who.jar);
  expect(callback.status).toBe(303);
  const outcome = new URL(callback.headers.get("location") ?? "").searchParams;
  expect(outcome.get("error")).toBeNull();
  return outcome.get("connected") ?? "";
}

/** Adds the app, connects the person's account, and puts `whoami` on a server of theirs: its MCP URL. */
async function setUp(who: Person): Promise<{ slug: string; serverUrl: string; tool: string }> {
  const added = await who.api<AppView>("POST", "/apps", {
    kind: "mcp",
    name: "Notes",
    url: upstream.url,
    auth: { type: "oauth" },
  });
  expect(added.status, JSON.stringify(added.json)).toBe(201);
  const { slug } = added.json;
  expect(added.json.actions).toEqual([]);
  expect(added.json.auth).toMatchObject({ type: "oauth2", resource: upstream.url });
  await connectAccount(who, slug);
  const app = await who.api<AppView>("GET", `/apps/${slug}`);
  expect(app.json.actions.map((action) => [action.upstreamName, action.status])).toEqual([
    ["add_note", "served"],
    ["whoami", "served"],
  ]);
  const whoami = app.json.actions.find((action) => action.upstreamName === "whoami")?.key ?? "";
  const server = await who.api<{ id: string; url: string }>("POST", "/servers", { name: "Mine" });
  expect(server.status).toBe(201);
  const tool = await who.api<{ name: string }>("POST", `/servers/${server.json.id}/tools`, {
    integration: slug,
    action: whoami,
  });
  expect(tool.status, JSON.stringify(tool.json)).toBe(201);
  return { slug, serverUrl: server.json.url, tool: tool.json.name };
}

async function callWhoami(serverUrl: string, tool: string) {
  const client = await connectClient(platform.url, secretOfUrl(serverUrl));
  try {
    const { tools } = await client.listTools();
    expect(tools.map((listed) => listed.name)).toContain(tool);
    return await client.callTool({ name: tool, arguments: {} });
  } finally {
    await client.close();
  }
}

beforeAll(async () => {
  upstream = await startMcpOAuthUpstream();
  documents = await startMcpOAuthUpstream({ clientIdMetadataDocument: true });
  platform = await startPlatform({ env: { HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32" } });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stopStartedPlatforms();
  await upstream?.stop();
  await documents?.stop();
  await closeTestConnections();
});

describe("an upstream MCP server that signs people in with OAuth", () => {
  let ada: Person;
  let adas: Awaited<ReturnType<typeof setUp>>;

  it("POST /api/v1/apps discovers it, and each person's connection calls with their own token", async () => {
    ada = await person("ada");
    const bob = await person("bob");
    adas = await setUp(ada);
    const bobs = await setUp(bob);

    const adaResult = await callWhoami(adas.serverUrl, adas.tool);
    expect(adaResult.isError, textOf(adaResult)).toBeFalsy();
    expect(textOf(adaResult)).toContain("account: ada");
    const adaCall = upstream.calls.at(-1);
    const bobResult = await callWhoami(bobs.serverUrl, bobs.tool);
    expect(textOf(bobResult)).toContain("account: bob");
    const bobCall = upstream.calls.at(-1);
    expect(adaCall).toMatchObject({ tool: "whoami", user: "ada", audience: upstream.url });
    expect(bobCall).toMatchObject({ tool: "whoami", user: "bob", audience: upstream.url });
    expect(adaCall?.token).not.toBe(bobCall?.token);
    // Our endpoint's credential never reaches the upstream: only the person's upstream token does.
    expect(upstream.isLiveAccessToken(adaCall?.token ?? "")).toBe(true);
    expect(adaCall?.token).not.toContain(secretOfUrl(adas.serverUrl));
  });

  it("refreshes an expired token with the resource indicator", async () => {
    upstream.expireAccessTokens();
    const refreshes = upstream.refreshes.length;
    const result = await callWhoami(adas.serverUrl, adas.tool);
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(textOf(result)).toContain("account: ada");
    expect(upstream.refreshes.slice(refreshes)).toEqual([{ resource: upstream.url }]);
    expect(upstream.isLiveAccessToken(upstream.calls.at(-1)?.token ?? "")).toBe(true);
  });

  it("asks to reconnect once the person revoked the grant", async () => {
    upstream.revokeGrants("ada");
    const result = await callWhoami(adas.serverUrl, adas.tool);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/reconnect/i);
    const row = await getDb().connection.findFirstOrThrow({
      where: { userId: ada.userId, integration: adas.slug },
    });
    expect(row.status).toBe("NEEDS_RECONNECT");
  });

  it("serves a client ID metadata document only for an app whose authorization server takes one", async () => {
    const owner = await person("documents");
    const added = await owner.api<AppView>("POST", "/apps", {
      kind: "mcp",
      name: "Docs",
      url: documents.url,
      auth: { type: "oauth" },
    });
    expect(added.status, JSON.stringify(added.json)).toBe(201);
    const slug = added.json.slug;
    const served = await fetch(`${platform.url}/api/apps/${slug}/oauth-client`);
    expect(served.status).toBe(200);
    expect(await served.json()).toEqual({
      client_id: `${platform.url}/api/apps/${slug}/oauth-client`,
      client_name: "Toolgate: Docs",
      redirect_uris: [`${platform.url}/api/oauth/${slug}/callback`],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
      scope: "notes",
    });
    expect((await fetch(`${platform.url}/api/apps/${adas.slug}/oauth-client`)).status).toBe(404);
  });

  it("is added from the web form's OAuth choice, with no key fields", { timeout: 120_000 }, async () => {
    const email = uniqueEmail("mcp-oauth-form");
    const user = await createUser({ email, password });
    browser = await launchChromium();
    const context = await signedInContext(browser, platform.url, { email, password });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${platform.url}/apps/new`);
    await page.getByLabel("An MCP server").check();
    await page.getByLabel("Each person signs in with OAuth").check();
    expect(await page.getByLabel("Header", { exact: true }).count()).toBe(0);
    expect(await page.getByLabel("Your key").count()).toBe(0);
    await page.getByLabel("Name").fill("Signed-in notes");
    await page.getByLabel("Server URL").fill(upstream.url);
    await mkdir(screenshots, { recursive: true });
    await page.screenshot({ path: path.join(screenshots, "mcp-oauth-new.png"), fullPage: true });
    await expectNoSeriousAxeViolations(page);
    await page.getByRole("button", { name: "Add app" }).click();
    await page.waitForURL(/\/apps\/signed_in_notes-[a-z0-9]{4}$/);
    const row = await getDb().app.findFirstOrThrow({ where: { userId: user.id } });
    expect(row.auth).toMatchObject({ type: "oauth2", resource: upstream.url, scopes: ["notes"] });
    await page.screenshot({ path: path.join(screenshots, "mcp-oauth-added.png"), fullPage: true });
    // The page offers to connect the first account, which reads the tools.
    upstream.approveAs("form-owner");
    await page.getByRole("link", { name: "Connect your account" }).click();
    await page.waitForURL(/\/connections\?.*connected=/);
    await page.goto(`${platform.url}/apps/${row.slug}`);
    expect(await page.getByRole("link", { name: "Connect your account" }).count()).toBe(0);
    expect(
      await page
        .locator('[data-testid="added-app-action"]')
        .evaluateAll((items) => items.map((item) => item.getAttribute("data-status"))),
    ).toEqual(["served", "served"]);
    await page.screenshot({ path: path.join(screenshots, "mcp-oauth-connected.png"), fullPage: true });
  });
});
