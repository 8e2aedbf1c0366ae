// Upstream MCP servers whose people sign in with OAuth (MCP authorization), below the web layer:
// discovery through the guarded client and each of its refusals (a metadata document for another
// resource, an authorization server without PKCE S256, a private address not allowed, at the
// server or at its authorization server), the platform's client (registered dynamically, or a
// client ID metadata document over https, or none), then connecting: the authorize URL, the code
// exchange, the app's tools read with the first connection, calls with the person's own token,
// a refresh with `resource`, and a revoked grant that asks to reconnect.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache, setEnv } from "@/env";
import { CredentialsRejectedError } from "@/integrations/sdk/errors";
import type { AppRecord } from "@/lib/apps/app-driver";
import { readAppOAuthClient } from "@/lib/apps/app-oauth";
import { findAppAction } from "@/lib/apps/app-registry";
import { createApp, getApp } from "@/lib/apps/manage-apps";
import { upstreamHeaders } from "@/lib/apps/mcp/mcp-app-config";
import { mcpDriver } from "@/lib/apps/mcp/mcp-driver";
import { closeIdleSessions } from "@/lib/apps/mcp/session-pool";
import { withConnection } from "@/lib/connections/connection-context";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { listIntegrationCatalog } from "@/lib/integrations/catalog";
import { readMcpToolOutput } from "@/lib/mcp/call-result";
import { beginAuthorization, completeAuthorization, oauthRedirectUri } from "@/lib/oauth/authorization";
import { createUser } from "@/lib/users/create-user";
import { type McpOAuthUpstream, startMcpOAuthUpstream } from "../emulators/mcp-oauth-upstream";
import { uniqueEmail } from "../helpers/mcp";
import { closeTestConnections } from "../helpers/teardown";

let upstream: McpOAuthUpstream;
const started: McpOAuthUpstream[] = [];
const allowLoopback = { HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32" };

async function startUpstream(options: Parameters<typeof startMcpOAuthUpstream>[0] = {}) {
  const server = await startMcpOAuthUpstream(options);
  started.push(server);
  return server;
}

beforeAll(async () => {
  setEnv(allowLoopback);
  upstream = await startUpstream();
});

afterAll(async () => {
  await closeIdleSessions();
  await Promise.all(started.map((server) => server.stop()));
  await closeTestConnections();
});

const signal = () => AbortSignal.timeout(20_000);
const prepare = (url: string) => mcpDriver.prepare({ name: "Notes", url, auth: { type: "oauth" } }, signal());

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function newUser(label: string): Promise<string> {
  return (await createUser({ email: uniqueEmail(label), demo: true, createdBy: "operator" })).id;
}

/** Start → the authorization server (which approves at once) → the callback's query. */
async function connect(userId: string, slug: string, server: McpOAuthUpstream, user: string) {
  server.approveAs(user);
  const authorizeUrl = await beginAuthorization(userId, slug);
  const approval = await fetch(authorizeUrl, { redirect: "manual" });
  expect(approval.status).toBe(302);
  const back = new URL(approval.headers.get("location") ?? "");
  expect(back.searchParams.get("error")).toBeNull();
  const connection = await completeAuthorization(userId, slug, {
    code: back.searchParams.get("code") ?? "",
    state: back.searchParams.get("state") ?? "",
  });
  return { authorizeUrl: new URL(authorizeUrl), connectionId: connection.id };
}

async function callTool(userId: string, slug: string, key: string, input: Record<string, unknown>) {
  const found = await findAppAction(slug, key, { withHeaders: true });
  if (!found) throw new Error(`${slug} serves no action ${key}`);
  const output = await withConnection(
    userId,
    found.integration,
    null,
    signal(),
    (context) =>
      found.action.run({ ...context, input: found.action.input.parse(input), progress: async () => {} }),
    { purpose: "call" },
  );
  return readMcpToolOutput(output)
    ?.content.flatMap((block) => (block.type === "text" ? [block.text] : []))
    .join("\n");
}

describe("discovery (POST /apps with auth oauth)", () => {
  it("reads the server's metadata and its authorization server's, and stores the endpoints", async () => {
    const before = upstream.authorizationServer.requests.length;
    const prepared = await prepare(upstream.url);
    const asUrl = upstream.authorizationServer.url;
    expect(prepared.auth).toEqual({
      type: "oauth2",
      authorizeUrl: `${asUrl}/authorize`,
      tokenUrl: `${asUrl}/token`,
      scopes: ["notes"],
      resource: upstream.url,
      clientAuth: "body",
      issuer: asUrl,
      registrationUrl: `${asUrl}/register`,
      clientIdMetadataDocument: false,
    });
    // Its tools need a person's token: none are read now.
    expect(prepared.actions).toEqual([]);
    expect(
      upstream.authorizationServer.requests
        .slice(before)
        .map((request) => `${request.method} ${request.path}`),
    ).toEqual(["GET /.well-known/oauth-authorization-server"]);
    expect(upstream.calls).toHaveLength(0);
  });

  it("refuses metadata that names another resource (RFC 9728 §3.3)", async () => {
    const impostor = await startUpstream({ metadataResource: () => "http://127.0.0.1:1/other-mcp" });
    const error = await refusal(prepare(impostor.url));
    expect(error.code).toBe("validation_failed");
    expect(error.message).toMatch(/protected resource metadata is for another resource/);
    expect(impostor.authorizationServer.requests).toHaveLength(0);
  });

  it("refuses an authorization server that does not offer PKCE S256", async () => {
    const plainOnly = await startUpstream({ challengeMethods: ["plain"] });
    const error = await refusal(prepare(plainOnly.url));
    expect(error.code).toBe("validation_failed");
    expect(error.message).toMatch(/does not offer PKCE with S256/);
  });

  it("refuses a private address without the administrator's allowance, at the server and at its authorization server", async () => {
    setEnv({ HTTP_ALLOWED_PRIVATE_CIDRS: "" });
    try {
      const before = upstream.authorizationServer.requests.length;
      const error = await refusal(prepare(upstream.url));
      expect(error.code).toBe("validation_failed");
      expect(error.message).toMatch(/^url: .*not allowed: it is a private, loopback/);
      expect(upstream.authorizationServer.requests.length).toBe(before);
    } finally {
      setEnv(allowLoopback);
    }
    const pointsInside = await startUpstream({ metadataAuthorizationServer: "http://169.254.169.254" });
    const error = await refusal(prepare(pointsInside.url));
    expect(error.code).toBe("validation_failed");
    expect(error.message).toMatch(/169\.254\.169\.254.*not allowed/);
  });
});

describe("the emulated server checks tokens as a real one does", () => {
  it("refuses a token issued for another audience, naming its metadata", async () => {
    const response = await fetch(upstream.url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${upstream.issueForeignToken("ada")}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain(
      `resource_metadata="${new URL(upstream.url).origin}/.well-known/oauth-protected-resource/mcp"`,
    );
  });
});

describe("the platform's client at the authorization server", () => {
  const appOf = (auth: unknown, slug = "notes-test"): AppRecord => ({
    id: "app-id",
    slug,
    kind: "MCP",
    name: "Notes",
    description: "",
    userId: "user",
    orgId: null,
    source: { url: upstream.url, transport: "auto" },
    auth,
    headers: {},
  });

  it("registers a public client with the exact redirect URI (RFC 7591)", async () => {
    const { auth } = await prepare(upstream.url);
    const redirectUri = "https://toolgate.example/api/oauth/notes-test/callback";
    const client = await mcpDriver.registerOAuthClient?.(appOf(auth), redirectUri, signal());
    expect(client).toMatchObject({ registeredBy: "registration" });
    expect(client?.clientSecret).toBeUndefined();
    const registered = upstream.clients.get(client?.clientId ?? "");
    expect(registered).toEqual({
      clientId: client?.clientId,
      redirectUris: [redirectUri],
      tokenEndpointAuthMethod: "none",
    });
    const [request] = upstream.authorizationServer.requestsTo("POST /register").slice(-1);
    expect(request?.body).toMatchObject({
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      scope: "notes",
    });
  });

  it("uses a client ID metadata document when the server accepts one and the platform is on https", async () => {
    const documents = await startUpstream({ clientIdMetadataDocument: true });
    const { auth } = await prepare(documents.url);
    const appUrl = process.env.APP_URL;
    setEnv({ APP_URL: "https://toolgate.example" });
    try {
      const client = await mcpDriver.registerOAuthClient?.(appOf(auth), "unused", signal());
      expect(client).toEqual({
        clientId: "https://toolgate.example/api/apps/notes-test/oauth-client",
        registeredBy: "metadata_document",
      });
      expect(documents.authorizationServer.requestsTo("POST /register")).toHaveLength(0);
    } finally {
      if (appUrl === undefined) delete process.env.APP_URL;
      else process.env.APP_URL = appUrl;
      resetEnvCache();
    }
    // Over plain http the server could not fetch it: dynamic registration instead.
    const client = await mcpDriver.registerOAuthClient?.(appOf(auth), "http://127.0.0.1/cb", signal());
    expect(client?.registeredBy).toBe("registration");
  });

  it("has none to offer when the server offers no way to register, and says so on connecting", async () => {
    const closed = await startUpstream({ registration: false });
    const { auth } = await prepare(closed.url);
    expect(
      await mcpDriver.registerOAuthClient?.(appOf(auth), "http://127.0.0.1/cb", signal()),
    ).toBeUndefined();
    const userId = await newUser("mcp-oauth-closed");
    const app = await createApp(userId, {
      kind: "mcp",
      name: "Closed",
      url: closed.url,
      auth: { type: "oauth" },
    });
    const error = await refusal(beginAuthorization(userId, app.slug));
    expect(error.message).toMatch(
      /not set up on this platform yet: whoever added the app needs to set it up/,
    );
    const listed = (await listIntegrationCatalog({ userId, orgId: null })).find(
      (entry) => entry.slug === app.slug,
    );
    expect(listed?.auth).toMatchObject({ type: "oauth2", configured: false });
  });

  it("names what the authorization server answered when it refuses to register", async () => {
    const { auth } = await prepare(upstream.url);
    upstream.authorizationServer.injectOnce(
      { status: 400, json: { error: "invalid_redirect_uri", error_description: "redirect not allowed" } },
      "POST /register",
    );
    const error = await refusal(
      mcpDriver.registerOAuthClient?.(appOf(auth), "http://127.0.0.1/cb", signal()) ?? Promise.resolve(),
    );
    expect(error.code).toBe("upstream_error");
    expect(error.message).toMatch(/refused to register this platform as a client.*redirect not allowed/);
  });

  it("sends the connection's token as the only Authorization, never an app header's", () => {
    const auth = {
      type: "oauth2" as const,
      authorizeUrl: "",
      tokenUrl: "",
      scopes: [],
      clientAuth: "none" as const,
    };
    expect(
      upstreamHeaders(
        { authorization: "Bearer owner-header", "X-Team": "7" },
        { ...auth, clientIdMetadataDocument: false },
        { accessToken: "person-token" },
      ),
    ).toEqual({ "X-Team": "7", Authorization: "Bearer person-token" });
    expect(
      upstreamHeaders(
        { Authorization: "Bearer owner-header" },
        { ...auth, clientIdMetadataDocument: false },
        undefined,
      ),
    ).toEqual({});
  });
});

describe("connecting and calling", () => {
  let slug: string;
  let ada: string;
  let bob: string;

  beforeAll(async () => {
    ada = await newUser("mcp-oauth-ada");
    bob = await newUser("mcp-oauth-bob");
    const app = await createApp(ada, {
      kind: "mcp",
      name: "Notes",
      url: upstream.url,
      auth: { type: "oauth" },
    });
    slug = app.slug;
    expect(app.actions).toEqual([]);
    // No client yet, but connecting registers one: the app can be connected.
    const listed = (await listIntegrationCatalog({ userId: ada, orgId: null })).find(
      (entry) => entry.slug === slug,
    );
    expect(listed?.auth).toMatchObject({ type: "oauth2", configured: true });
  });

  it("connects with PKCE S256, the exact redirect URI and the resource, then reads the tools with that account", async () => {
    const { authorizeUrl, connectionId } = await connect(ada, slug, upstream, "ada");
    const params = authorizeUrl.searchParams;
    expect(params.get("code_challenge_method")).toBe("S256");
    expect(params.get("resource")).toBe(upstream.url);
    expect(params.get("redirect_uri")).toBe(oauthRedirectUri(slug));
    expect(params.get("scope")).toBe("notes");
    const app = await getApp(ada, slug);
    const appRow = await getDb().app.findUniqueOrThrow({ where: { slug }, select: { id: true } });
    const client = await readAppOAuthClient(appRow.id);
    expect(params.get("client_id")).toBe(client?.clientId);
    expect(app.actions.map((action) => [action.upstreamName, action.status])).toEqual([
      ["add_note", "served"],
      ["whoami", "served"],
    ]);
    const row = await getDb().connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(row).toMatchObject({ integration: slug, authType: "oauth2", status: "OK" });
  });

  it("calls each person's tools with their own token, for this server's audience only", async () => {
    // bob's app is not ada's: he adds the same server in his own workspace.
    const bobsApp = await createApp(bob, {
      kind: "mcp",
      name: "Notes",
      url: upstream.url,
      auth: { type: "oauth" },
    });
    await connect(bob, bobsApp.slug, upstream, "bob");
    const whoami =
      (await getApp(ada, slug)).actions.find((action) => action.upstreamName === "whoami")?.key ?? "";
    const bobsWhoami =
      (await getApp(bob, bobsApp.slug)).actions.find((action) => action.upstreamName === "whoami")?.key ?? "";
    expect(await callTool(ada, slug, whoami, {})).toBe("account: ada");
    expect(await callTool(bob, bobsApp.slug, bobsWhoami, {})).toBe("account: bob");
    const [adaCall, bobCall] = upstream.calls.filter((call) => call.tool === "whoami").slice(-2);
    expect(adaCall).toMatchObject({ user: "ada", audience: upstream.url });
    expect(bobCall).toMatchObject({ user: "bob", audience: upstream.url });
    expect(adaCall?.token).not.toBe(bobCall?.token);
  });

  it("refreshes an expired token with the resource, and asks to reconnect once the grant is revoked", async () => {
    const whoami =
      (await getApp(ada, slug)).actions.find((action) => action.upstreamName === "whoami")?.key ?? "";
    const oldToken = upstream.calls.filter((call) => call.user === "ada").at(-1)?.token;
    upstream.expireAccessTokens();
    const refreshes = upstream.refreshes.length;
    expect(await callTool(ada, slug, whoami, {})).toBe("account: ada");
    expect(upstream.refreshes.slice(refreshes)).toEqual([{ resource: upstream.url }]);
    // The call ran with the new token, not in a kept session opened with the old one.
    const newToken = upstream.calls.at(-1)?.token ?? "";
    expect(newToken).not.toBe(oldToken);
    expect(upstream.isLiveAccessToken(newToken)).toBe(true);

    upstream.revokeGrants("ada");
    const error = await callTool(ada, slug, whoami, {}).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(CredentialsRejectedError);
    const row = await getDb().connection.findFirstOrThrow({ where: { userId: ada, integration: slug } });
    expect(row.status).toBe("NEEDS_RECONNECT");
  });
});
