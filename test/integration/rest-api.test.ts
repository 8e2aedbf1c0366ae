// The management REST API (/api/v1) over HTTP against a running platform (web + worker), on the
// run's PostgreSQL and Redis. Users and tokens are made with the lib functions the CLI uses;
// everything else goes through the API, and MCP endpoints through the SDK's own client.

import { randomBytes } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAccessToken } from "@/lib/authorization-server/tokens";
import { disconnectDb, getDb } from "@/lib/db/client";
import { disconnectRedis } from "@/lib/redis/client";
import { createApiToken, listApiTokens, revokeApiToken } from "@/lib/tokens/api-tokens";
import { toolNamePattern } from "@/lib/tools/tool-name";
import { createUser } from "@/lib/users/create-user";
import { seedGrant } from "../helpers/mcp-grants";
import { type RunningPlatform, startPlatform } from "../helpers/platform";

// The REST API as the README lists it (Interfaces); the OpenAPI document must list exactly these.
const designedRoutes: [method: string, path: string][] = [
  ["GET", "/integrations"],
  ["GET", "/connections"],
  ["POST", "/connections"],
  ["DELETE", "/connections/{id}"],
  ["GET", "/servers"],
  ["POST", "/servers"],
  ["GET", "/servers/{id}"],
  ["DELETE", "/servers/{id}"],
  ["POST", "/servers/{id}/rotate"],
  ["GET", "/servers/{id}/tools"],
  ["POST", "/servers/{id}/tools"],
  ["PATCH", "/servers/{id}/tools/{toolId}"],
  ["DELETE", "/servers/{id}/tools/{toolId}"],
  ["GET", "/usage"],
  ["GET", "/calls"],
  // Testing a connection, and the choices of a field loaded from the account:
  ["POST", "/connections/{id}/test"],
  ["GET", "/integrations/{slug}/actions/{action}/options/{field}"],
  // Organizations, and what an organization's servers add:
  ["GET", "/orgs"],
  ["POST", "/orgs"],
  ["GET", "/orgs/{id}"],
  ["PATCH", "/orgs/{id}"],
  ["DELETE", "/orgs/{id}"],
  ["GET", "/orgs/{id}/members"],
  ["PATCH", "/orgs/{id}/members/{userId}"],
  ["DELETE", "/orgs/{id}/members/{userId}"],
  ["PATCH", "/orgs/{id}/limits"],
  ["GET", "/orgs/{id}/invitations"],
  ["POST", "/orgs/{id}/invitations"],
  ["DELETE", "/orgs/{id}/invitations/{invitationId}"],
  ["POST", "/invitations/accept"],
  ["PATCH", "/servers/{id}"],
  ["POST", "/servers/{id}/my-url"],
  ["DELETE", "/servers/{id}/members/{userId}"],
  ["PATCH", "/orgs/{id}/sso"],
  // Added apps (upstream MCP servers, OpenAPI-described APIs):
  ["GET", "/apps"],
  ["POST", "/apps"],
  ["GET", "/apps/{slug}"],
  ["DELETE", "/apps/{slug}"],
  ["POST", "/apps/{slug}/refresh"],
  ["POST", "/apps/{slug}/accept"],
  ["PATCH", "/apps/{slug}/actions"],
  ["PUT", "/apps/{slug}/oauth-client"],
  ["DELETE", "/apps/{slug}/oauth-client"],
  ["POST", "/apps/{slug}/check"],
  // The AI apps that signed in (OAuth) to one's servers:
  ["GET", "/connected-apps"],
  ["DELETE", "/connected-apps/{id}"],
];
const publicRoutes: [string, string][] = [["GET", "/openapi.json"]];

// biome-ignore lint/suspicious/noExplicitAny: answers are parsed JSON, checked by the assertions themselves
type Json = any;
type ApiAnswer = { status: number; body: Json; text: string; headers: Headers };
type Account = { id: string; email: string; token: string };

let platform: RunningPlatform;
let alice: Account;
let bob: Account;
const secretsSeen: string[] = [];

async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers["Content-Type"] ??= "application/json";
  const response = await fetch(`${platform.url}/api/v1${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed, text, headers: response.headers };
}

function expectError(answer: ApiAnswer, status: number, code: string): { message: string; details?: Json } {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get("content-type")).toMatch(/application\/json/);
  expect(Object.keys(answer.body)).toEqual(["error"]);
  expect(answer.body.error.code).toBe(code);
  expect(typeof answer.body.error.message).toBe("string");
  return answer.body.error;
}

/** A 422 whose issues (or, for a rule checked in lib/, `details.field`) name `field`. */
function expectInvalid(answer: ApiAnswer, field: string): string {
  const error = expectError(answer, 422, "validation_failed");
  const named = [
    ...(error.details?.issues ?? []).map((issue: { path: string }) => issue.path),
    ...(error.details?.field ? [error.details.field] : []),
  ];
  expect(
    named.some((path: string) => path === field || path.startsWith(`${field}.`)),
    error.message,
  ).toBe(true);
  return error.message;
}

async function givenAccount(label: string): Promise<Account> {
  const email = `rest-${label}-${randomBytes(4).toString("hex")}@example.com`;
  const user = await createUser({ email, password: "a-long-password" });
  const { token } = await createApiToken(user.id, { name: `${label} token` });
  secretsSeen.push(token);
  return { id: user.id, email, token };
}

async function givenServer(account: Account, name = "Test server"): Promise<{ id: string; url: string }> {
  const answer = await call("POST", "/servers", { token: account.token, body: { name } });
  expect(answer.status, answer.text).toBe(201);
  secretsSeen.push(answer.body.url.split("/mcp/")[1]);
  return answer.body;
}

async function givenTool(account: Account, serverId: string, body: Record<string, unknown>) {
  const answer = await call("POST", `/servers/${serverId}/tools`, { token: account.token, body });
  expect(answer.status, answer.text).toBe(201);
  return answer.body;
}

/**
 * A connection row written straight to the database (its ciphertext is not real: these tests only
 * list, test and delete connections, which never opens it).
 */
async function givenConnection(account: Account) {
  return getDb().connection.create({
    data: {
      userId: account.id,
      integration: "github",
      label: "Work account",
      authType: "oauth2",
      ciphertext: Buffer.from("not-real-ciphertext"),
      keyVersion: 1,
    },
  });
}

function mcpInitialize(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: {
      Accept: "application/json, text/event-stream",
      "Content-Type": "application/json",
      ...headers,
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "rest-api-test", version: "1.0.0" },
      },
    }),
  });
}

async function connectMcp(url: string): Promise<Client> {
  const client = new Client({ name: "rest-api-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

function fillPath(path: string): string {
  return path
    .replace("{id}", "srv_does_not_exist")
    .replace("{toolId}", "tool_does_not_exist")
    .replace("{slug}", "github")
    .replace("{action}", "create_issue")
    .replace("{field}", "repository");
}

beforeAll(async () => {
  platform = await startPlatform({ env: { LOG_LEVEL: "info" } });
  [alice, bob] = await Promise.all([givenAccount("alice"), givenAccount("bob")]);
});

afterAll(async () => {
  await platform?.stop();
  await Promise.allSettled([disconnectDb(), disconnectRedis()]);
});

describe("authentication on every /api/v1 endpoint", () => {
  it("answers 401 without a token and with a malformed, unknown, revoked or expired token", async () => {
    const revoked = await givenAccount("revoked");
    await getDb().apiToken.updateMany({ where: { userId: revoked.id }, data: { revokedAt: new Date() } });
    const expired = await givenAccount("expired");
    await getDb().apiToken.updateMany({
      where: { userId: expired.id },
      data: { expiresAt: new Date(Date.now() - 1_000) },
    });
    const unknownToken = `tgp_${randomBytes(32).toString("base64url")}`;
    const badHeaders: [string, Record<string, string>][] = [
      ["no header", {}],
      ["not a bearer", { Authorization: `Basic ${Buffer.from("a:b").toString("base64")}` }],
      ["malformed token", { Authorization: "Bearer not-a-token" }],
      ["unknown token", { Authorization: `Bearer ${unknownToken}` }],
      ["revoked token", { Authorization: `Bearer ${revoked.token}` }],
      ["expired token", { Authorization: `Bearer ${expired.token}` }],
      // An MCP server secret is not an API token.
      ["server secret", { Authorization: `Bearer tgs_${randomBytes(32).toString("base64url")}` }],
    ];
    for (const [method, path] of designedRoutes) {
      for (const [label, headers] of badHeaders) {
        const answer = await call(method, fillPath(path), {
          headers,
          ...(method === "POST" || method === "PATCH" ? { body: { name: "x" } } : {}),
        });
        expect(answer.status, `${method} ${path} with ${label}: ${answer.text}`).toBe(401);
        expectError(answer, 401, "unauthorized");
        expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer/);
        expect(answer.text).not.toContain(revoked.token);
        expect(answer.text).not.toContain(expired.token);
      }
    }
  });

  it("answers 403 to a suspended user's valid token", async () => {
    const suspended = await givenAccount("suspended");
    expect((await call("GET", "/servers", { token: suspended.token })).status).toBe(200);
    await getDb().user.update({ where: { id: suspended.id }, data: { suspendedAt: new Date() } });
    expectError(await call("GET", "/servers", { token: suspended.token }), 403, "suspended");
    expectError(
      await call("POST", "/servers", { token: suspended.token, body: { name: "x" } }),
      403,
      "suspended",
    );
  });

  it("records when a token was last used, at most once a minute", async () => {
    const user = await givenAccount("last-used");
    const read = () => getDb().apiToken.findFirstOrThrow({ where: { userId: user.id } });
    expect((await read()).lastUsedAt).toBeNull();
    await call("GET", "/usage", { token: user.token });
    const first = (await read()).lastUsedAt;
    expect(first).toBeInstanceOf(Date);
    await call("GET", "/usage", { token: user.token });
    expect((await read()).lastUsedAt).toEqual(first);
    // Once the recorded use is over a minute old, the next request updates it.
    const longAgo = new Date(Date.now() - 120_000);
    await getDb().apiToken.updateMany({ where: { userId: user.id }, data: { lastUsedAt: longAgo } });
    await call("GET", "/usage", { token: user.token });
    expect((await read()).lastUsedAt!.getTime()).toBeGreaterThan(longAgo.getTime() + 60_000);
  });
});

describe("personal API tokens: listed, revoked and expiring", () => {
  const dayMs = 86_400_000;

  it("revokes a token at once, for its owner only, and lists the rest without secrets", async () => {
    const owner = await givenAccount("token-owner");
    const spare = await createApiToken(owner.id, { name: "spare", expiresInDays: 30 });
    secretsSeen.push(spare.token);
    const listed = await listApiTokens(owner.id);
    expect(listed.map((token) => token.name)).toEqual(["spare", "token-owner token"]);
    expect(Object.keys(listed[0]!).sort()).toEqual(["createdAt", "expiresAt", "id", "lastUsedAt", "name"]);
    expect(listed[0]!.expiresAt!.getTime() - listed[0]!.createdAt.getTime()).toBeGreaterThan(
      30 * dayMs - 60_000,
    );
    expect(listed[0]!.expiresAt!.getTime() - listed[0]!.createdAt.getTime()).toBeLessThan(
      30 * dayMs + 60_000,
    );

    // Another person cannot revoke it, nor learn that it exists.
    await expect(revokeApiToken(bob.id, spare.id)).rejects.toMatchObject({ code: "not_found" });
    expect((await call("GET", "/usage", { token: spare.token })).status).toBe(200);

    await revokeApiToken(owner.id, spare.id);
    expectError(await call("GET", "/usage", { token: spare.token }), 401, "unauthorized");
    expect((await call("GET", "/usage", { token: owner.token })).status).toBe(200);
    expect((await listApiTokens(owner.id)).map((token) => token.name)).toEqual(["token-owner token"]);
    await expect(revokeApiToken(owner.id, spare.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("stops accepting a token when its lifetime ends", async () => {
    const user = await givenAccount("token-lifetime");
    const madeAgo = (days: number) => new Date(Date.now() - days * dayMs);
    const ended = await createApiToken(user.id, { name: "ended", expiresInDays: 30 }, {}, madeAgo(31));
    const running = await createApiToken(user.id, { name: "running", expiresInDays: 30 }, {}, madeAgo(29));
    secretsSeen.push(ended.token, running.token);
    expectError(await call("GET", "/usage", { token: ended.token }), 401, "unauthorized");
    expect((await call("GET", "/usage", { token: running.token })).status).toBe(200);
  });

  it("refuses a token without a name or with a lifetime it does not offer, and stores nothing", async () => {
    const user = await givenAccount("token-invalid");
    const before = await listApiTokens(user.id);
    await expect(createApiToken(user.id, { name: "  " })).rejects.toThrow(/Give the token a name/);
    await expect(
      createApiToken(user.id, { name: "week", expiresInDays: 7 as unknown as 30 }),
    ).rejects.toThrow(/Choose 30, 90 or 365 days/);
    expect(await listApiTokens(user.id)).toEqual(before);
  });
});

describe("request handling shared by every endpoint", () => {
  it("POST /api/v1/servers refuses a cross-origin request with 403", async () => {
    const answer = await call("POST", "/servers", {
      token: alice.token,
      body: { name: "evil" },
      headers: { Origin: "http://evil.example" },
    });
    expectError(answer, 403, "forbidden");
    const deleteAnswer = await call("DELETE", "/servers/anything", {
      token: alice.token,
      headers: { Origin: "http://evil.example" },
    });
    expectError(deleteAnswer, 403, "forbidden");
    // The platform's own origin is fine.
    const sameOrigin = await call("POST", "/servers", {
      token: alice.token,
      body: { name: "same origin" },
      headers: { Origin: platform.url },
    });
    expect(sameOrigin.status, sameOrigin.text).toBe(201);
    expect((await getDb().mcpServer.findMany({ where: { userId: alice.id, name: "evil" } })).length).toBe(0);
  });

  it("POST /api/v1/servers answers 400 to a body that is not JSON, or none", async () => {
    const broken = await call("POST", "/servers", { token: alice.token, rawBody: '{"name": "unterminated' });
    expect(expectError(broken, 400, "bad_request").message).toMatch(/not valid JSON/);
    expectError(await call("POST", "/servers", { token: alice.token, rawBody: "" }), 400, "bad_request");
  });

  it("POST /api/v1/servers answers 413 to a body over 1 MiB", async () => {
    const answer = await call("POST", "/servers", {
      token: alice.token,
      body: { name: "big", padding: "x".repeat(1_100_000) },
    });
    expectError(answer, 413, "payload_too_large");
  });

  it("answers 422 naming the field to text PostgreSQL cannot store (a NUL, an unpaired surrogate), and stores nothing", async () => {
    const nul = "a\u0000b";
    const loneSurrogate = "a\udc50b";
    for (const name of [nul, loneSurrogate])
      expectInvalid(await call("POST", "/servers", { token: alice.token, body: { name } }), "name");
    expect(
      await getDb().mcpServer.count({
        where: { userId: alice.id, name: { startsWith: "a", endsWith: "b" } },
      }),
    ).toBe(0);
    expectInvalid(await call("GET", "/servers/a%00b", { token: alice.token }), "id");
    expectInvalid(await call("DELETE", "/connections/%00", { token: alice.token }), "id");
    expectInvalid(await call("GET", "/calls?before=x%00", { token: alice.token }), "before");
    expectInvalid(
      await call("POST", "/connections", {
        token: alice.token,
        body: { integration: "todoist", label: loneSurrogate, credentials: { api_token: "t" } },
      }),
      "label",
    );
    const server = await givenServer(alice, "Unstorable text");
    expectInvalid(
      await call("POST", `/servers/${server.id}/tools`, {
        token: alice.token,
        body: {
          integration: "formatter",
          action: "count_text",
          fields: { text: { mode: "fixed", value: nul } },
        },
      }),
      "fields.text.value",
    );
    const tool = await givenTool(alice, server.id, { integration: "formatter", action: "count_text" });
    expectInvalid(
      await call("PATCH", `/servers/${server.id}/tools/${tool.id}`, {
        token: alice.token,
        body: { description: `Counts${nul}` },
      }),
      "description",
    );
  });

  it("POST /api/v1/servers/{id}/tools answers 400 to a body nested more than 64 levels deep", async () => {
    // A fixed value is any JSON: validating one nested 10,000 deep once overflowed the stack (500).
    const server = await givenServer(alice, "Deep body");
    const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    const answer = await call("POST", `/servers/${server.id}/tools`, {
      token: alice.token,
      rawBody: `{"integration":"formatter","action":"count_text","fields":{"text":{"mode":"fixed","value":${deep}}}}`,
    });
    expect(expectError(answer, 400, "bad_request").message).toBe(
      "The request body nests more than 64 levels deep.",
    );
  });

  it("answers a JSON 404 for an unknown path under /api/v1", async () => {
    expectError(await call("GET", "/nothing-here", { token: alice.token }), 404, "not_found");
    expectError(await call("POST", "/servers/x/y/z", { token: alice.token, body: {} }), 404, "not_found");
    expectError(await call("GET", "", {}), 404, "not_found");
  });

  it("logs each request with its x-request-id and never a token or server secret", async () => {
    const requestId = `rest-test-${randomBytes(4).toString("hex")}`;
    const answer = await call("GET", "/servers", {
      token: alice.token,
      headers: { "x-request-id": requestId },
    });
    expect(answer.headers.get("x-request-id")).toBe(requestId);
    await call("GET", "/servers", { headers: { Authorization: `Bearer ${alice.token}x` } });
    await new Promise((resolve) => setTimeout(resolve, 200)); // let the log lines arrive
    const output = platform.output();
    const line = output.split("\n").find((text) => text.includes(requestId));
    expect(line, "no log line carries the request id").toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({ requestId, route: "GET /api/v1/servers", userId: alice.id });
    expect(secretsSeen.length).toBeGreaterThan(2);
    for (const secret of secretsSeen) expect(output).not.toContain(secret);
  });
});

describe("GET /api/v1/openapi.json", () => {
  let document: Json;
  beforeAll(async () => {
    const answer = await call("GET", "/openapi.json");
    expect(answer.status, answer.text).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/application\/json/);
    document = JSON.parse(answer.text);
  });

  it("is an OpenAPI 3.1 document listing every route and method, and nothing else", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.servers).toEqual([{ url: `${platform.url}/api/v1` }]);
    const listed = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const expected = [...designedRoutes, ...publicRoutes].map(([method, path]) => `${method} ${path}`);
    expect(listed.sort()).toEqual(expected.sort());
  });

  it("declares bearer auth for every route but itself, and the one error shape", () => {
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(document.security).toEqual([{ bearerAuth: [] }]);
    expect(document.paths["/openapi.json"].get.security).toEqual([]);
    for (const [method, path] of designedRoutes) {
      const operation = document.paths[path][method.toLowerCase()];
      expect(operation.security, `${method} ${path}`).toBeUndefined();
      expect(operation.responses["401"], `${method} ${path}`).toEqual({
        $ref: "#/components/responses/Unauthorized",
      });
      for (const parameter of path.match(/\{(\w+)\}/g) ?? []) {
        const name = parameter.slice(1, -1);
        expect(operation.parameters, `${method} ${path}`).toContainEqual(
          expect.objectContaining({ name, in: "path", required: true }),
        );
      }
    }
    const error = document.components.schemas.Error;
    expect(error.required).toEqual(["error"]);
    expect(error.properties.error.required).toEqual(["code", "message"]);
    expect(error.properties.error.properties.code.enum).toContain("validation_failed");
  });

  it("describes request bodies and queries from the schemas the handlers validate with", () => {
    const addTool = document.paths["/servers/{id}/tools"].post;
    const body = addTool.requestBody.content["application/json"].schema;
    expect(Object.keys(body.properties).sort()).toEqual(
      [
        "action",
        "allowedRoles",
        "allowedUserIds",
        "connectionId",
        "description",
        "fields",
        "integration",
        "name",
        "orgId",
      ].sort(),
    );
    expect(body.required.sort()).toEqual(["action", "integration"]);
    expect(body.properties.name.pattern).toBe(toolNamePattern.source);
    expect(addTool.responses["201"].content["application/json"].schema.properties).toHaveProperty(
      "inputSchema",
    );
    for (const status of ["404", "409", "422"]) expect(addTool.responses).toHaveProperty(status);
    const createServer = document.paths["/servers"].post.requestBody.content["application/json"].schema;
    expect(createServer.properties.name).toMatchObject({ type: "string", minLength: 1, maxLength: 100 });
    const limit = document.paths["/calls"].get.parameters.find((p: { name: string }) => p.name === "limit");
    expect(limit).toMatchObject({ in: "query", required: false, schema: { minimum: 1, maximum: 200 } });
    // A server's GET answer has no URL: only creation and rotation show the secret.
    const getServer = document.paths["/servers/{id}"].get.responses["200"].content["application/json"].schema;
    expect(getServer.properties).not.toHaveProperty("url");
    const rotate = document.paths["/servers/{id}/rotate"].post.responses["200"].content["application/json"];
    expect(rotate.schema.properties).toHaveProperty("url");
  });

  it("has no dangling $ref", () => {
    const refs: string[] = [];
    const walk = (value: unknown) => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === "object")
        for (const [key, inner] of Object.entries(value)) {
          if (key === "$ref") refs.push(inner as string);
          else walk(inner);
        }
    };
    walk(document);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref.startsWith("#/"), ref).toBe(true);
      const target = ref
        .slice(2)
        .split("/")
        .reduce<Json>((node, segment) => node?.[segment.replace(/~1/g, "/").replace(/~0/g, "~")], document);
      expect(target, ref).toBeDefined();
    }
  });

  it("describes the answers the API really gives", async () => {
    const validator = new AjvJsonSchemaValidator();
    const check = (path: string, method: string, status: number, body: unknown) => {
      const schema = document.paths[path][method].responses[status].content["application/json"].schema;
      const validate = validator.getValidator({ ...schema, components: document.components });
      const result = validate(body);
      expect(result.errorMessage, `${method.toUpperCase()} ${path} ${status}`).toBeUndefined();
      expect(result.valid).toBe(true);
    };
    const server = await givenServer(alice, "documented");
    const tool = await givenTool(alice, server.id, {
      integration: "formatter",
      action: "transform_text",
      fields: { operation: { mode: "fixed", value: "uppercase" } },
    });
    await givenConnection(alice);
    check("/servers", "post", 201, server);
    check("/servers/{id}/tools", "post", 201, tool);
    check("/servers", "get", 200, (await call("GET", "/servers", { token: alice.token })).body);
    const one = await call("GET", `/servers/${server.id}`, { token: alice.token });
    check("/servers/{id}", "get", 200, one.body);
    const tools = await call("GET", `/servers/${server.id}/tools`, { token: alice.token });
    check("/servers/{id}/tools", "get", 200, tools.body);
    check("/integrations", "get", 200, (await call("GET", "/integrations", { token: alice.token })).body);
    check("/connections", "get", 200, (await call("GET", "/connections", { token: alice.token })).body);
    check("/usage", "get", 200, (await call("GET", "/usage", { token: alice.token })).body);
    check("/calls", "get", 200, (await call("GET", "/calls", { token: alice.token })).body);
    await seedGrant({ userId: alice.id, serverId: server.id, resource: `${platform.url}/mcp` });
    check("/connected-apps", "get", 200, (await call("GET", "/connected-apps", { token: alice.token })).body);
    const invalid = await call("POST", "/servers", { token: alice.token, body: {} });
    const errorSchema = { ...document.components.schemas.Error, components: document.components };
    expect(validator.getValidator(errorSchema)(invalid.body).valid).toBe(true);
  });
});

describe("GET /api/v1/integrations", () => {
  it("lists apps with their auth and actions, input schemas as the MCP tool shows them", async () => {
    const answer = await call("GET", "/integrations", { token: alice.token });
    expect(answer.status, answer.text).toBe(200);
    const formatter = answer.body.find((app: { slug: string }) => app.slug === "formatter");
    expect(formatter).toMatchObject({
      name: "Formatter",
      category: expect.any(String),
      auth: { type: "none", fields: [] },
    });
    const transform = formatter.actions.find((action: { key: string }) => action.key === "transform_text");
    expect(transform.inputSchema).not.toHaveProperty("$schema");
    expect(transform.inputSchema).toMatchObject({
      type: "object",
      required: expect.arrayContaining(["text", "operation"]),
      additionalProperties: false,
    });
    expect(transform.inputSchema.properties.operation.enum).toContain("slugify");
    expect(transform.inputSchema.properties.operation.description).toBe("What to do with the text.");
    expect(transform.outputSchema).toMatchObject({
      type: "object",
      properties: { result: { type: "string" } },
    });
    expect(transform.annotations).toEqual({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
    expect(answer.body.map((app: { slug: string }) => app.slug)).toContain("delay");
  });
});

describe("/api/v1/servers", () => {
  it("POST /api/v1/servers creates a server and shows its working URL once", async () => {
    const created = await givenServer(alice, "  Claude desktop  ");
    expect(created).toMatchObject({ id: expect.any(String), name: "Claude desktop" });
    expect(created.url).toMatch(new RegExp(`^${platform.url}/mcp/tgs_[A-Za-z0-9_-]{43}$`));
    const client = await connectMcp(created.url);
    expect((await client.listTools()).tools).toEqual([]);
    await client.close();
    const stored = await getDb().mcpServer.findUniqueOrThrow({ where: { id: created.id } });
    expect(JSON.stringify(stored)).not.toContain(created.url.split("/mcp/")[1]);
  });

  it("POST /api/v1/servers answers 422 naming the field", async () => {
    expectInvalid(await call("POST", "/servers", { token: alice.token, body: {} }), "name");
    expectInvalid(await call("POST", "/servers", { token: alice.token, body: { name: "   " } }), "name");
    expectInvalid(
      await call("POST", "/servers", { token: alice.token, body: { name: "n".repeat(101) } }),
      "name",
    );
    expectInvalid(await call("POST", "/servers", { token: alice.token, body: { name: 42 } }), "name");
    const notAnObject = expectError(
      await call("POST", "/servers", { token: alice.token, body: ["name"] }),
      422,
      "validation_failed",
    );
    expect(notAnObject.details.issues[0]).toMatchObject({ in: "body", path: "" });
  });

  it("GET /api/v1/servers and GET /api/v1/servers/{id} never show a secret or URL", async () => {
    const created = await givenServer(alice, "listed");
    const secret = created.url.split("/mcp/")[1]!;
    const list = await call("GET", "/servers", { token: alice.token });
    expect(list.status).toBe(200);
    expect(list.body.map((server: { id: string }) => server.id)).toContain(created.id);
    const one = await call("GET", `/servers/${created.id}`, { token: alice.token });
    expect(one.status).toBe(200);
    expect(one.body).toEqual({
      id: created.id,
      name: "listed",
      orgId: null,
      writesAdminOnly: false,
      toolCount: 0,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      rotatedAt: null,
    });
    for (const answer of [list, one]) {
      expect(answer.text).not.toContain(secret);
      expect(answer.text).not.toContain("/mcp/");
      expect(answer.text).not.toMatch(/secretHash|tgs_/);
    }
    expectError(await call("GET", "/servers/srv_does_not_exist", { token: alice.token }), 404, "not_found");
  });

  it("POST /api/v1/servers/{id}/rotate returns a new URL and the old secret gets 401 at once", async () => {
    const created = await givenServer(alice, "to rotate");
    const oldSecret = created.url.split("/mcp/")[1]!;
    expect((await mcpInitialize(created.url)).status).toBe(200);
    const rotated = await call("POST", `/servers/${created.id}/rotate`, { token: alice.token });
    expect(rotated.status, rotated.text).toBe(200);
    secretsSeen.push(rotated.body.url.split("/mcp/")[1]);
    expect(rotated.body).toMatchObject({ id: created.id, name: "to rotate" });
    expect(rotated.body.url).not.toBe(created.url);
    expect(rotated.body.url).toMatch(new RegExp(`^${platform.url}/mcp/tgs_`));
    expect((await mcpInitialize(created.url)).status).toBe(401);
    expect(
      (await mcpInitialize(`${platform.url}/mcp`, { Authorization: `Bearer ${oldSecret}` })).status,
    ).toBe(401);
    expect((await mcpInitialize(rotated.body.url)).status).toBe(200);
    const after = await call("GET", `/servers/${created.id}`, { token: alice.token });
    expect(after.body.rotatedAt).not.toBeNull();
    expect(
      await getDb().auditEvent.count({ where: { action: "server.secret_rotated", targetId: created.id } }),
    ).toBe(1);
  });

  it("DELETE /api/v1/servers/{id} removes the server and revokes its URL", async () => {
    const created = await givenServer(alice, "to delete");
    expect((await mcpInitialize(created.url)).status).toBe(200);
    const deleted = await call("DELETE", `/servers/${created.id}`, { token: alice.token });
    expect(deleted.status, deleted.text).toBe(204);
    expect(deleted.text).toBe("");
    expect((await mcpInitialize(created.url)).status).toBe(401);
    expectError(await call("GET", `/servers/${created.id}`, { token: alice.token }), 404, "not_found");
    expectError(await call("DELETE", `/servers/${created.id}`, { token: alice.token }), 404, "not_found");
  });
});

describe("/api/v1/servers/{id}/tools", () => {
  let server: { id: string; url: string };
  beforeAll(async () => {
    server = await givenServer(alice, "tools");
  });

  it("POST /api/v1/servers/{id}/tools adds a tool whose inputSchema is what the MCP client sees", async () => {
    const tool = await givenTool(alice, server.id, {
      integration: "formatter",
      action: "transform_text",
      fields: { operation: { mode: "fixed", value: "slugify" }, text: { mode: "ai" } },
    });
    expect(tool).toMatchObject({
      name: "formatter_transform_text",
      integration: "formatter",
      action: "transform_text",
      connectionId: null,
      description: null,
      fields: { operation: { mode: "fixed", value: "slugify" } },
    });
    expect(Object.keys(tool.inputSchema.properties)).toEqual(["text"]);
    expect(tool.inputSchema).toMatchObject({ required: ["text"], additionalProperties: false });
    const client = await connectMcp(server.url);
    const listed = (await client.listTools()).tools.find((candidate) => candidate.name === tool.name);
    expect(listed?.inputSchema).toEqual(tool.inputSchema);
    const result = await client.callTool({ name: tool.name, arguments: { text: "Hello REST World" } });
    expect(result.structuredContent).toEqual({ result: "hello-rest-world" });
    await client.close();
    // A field not listed is left to the AI: adding the same action again gets a fresh name.
    const second = await givenTool(alice, server.id, { integration: "formatter", action: "transform_text" });
    expect(second.name).toBe("formatter_transform_text_2");
    expect(Object.keys(second.inputSchema.properties).sort()).toEqual(["operation", "text"]);
  });

  it("POST /api/v1/servers/{id}/tools answers 422 naming the field", async () => {
    const add = (body: unknown) => call("POST", `/servers/${server.id}/tools`, { token: alice.token, body });
    const badEnum = expectInvalid(
      await add({
        integration: "formatter",
        action: "transform_text",
        fields: { operation: { mode: "fixed", value: "reverse" } },
      }),
      "operation",
    );
    expect(badEnum).toMatch(/fixed value of "operation"/);
    expectInvalid(
      await add({ integration: "formatter", action: "transform_text", fields: { text: { mode: "omit" } } }),
      "text",
    );
    expectInvalid(await add({ action: "transform_text" }), "integration");
    expectInvalid(
      await add({
        integration: "formatter",
        action: "transform_text",
        fields: { operation: { mode: "fixed" } },
      }),
      "fields.operation",
    );
    expectInvalid(
      await add({
        integration: "formatter",
        action: "transform_text",
        fields: { text: { mode: "sometimes" } },
      }),
      "fields.text",
    );
    expectInvalid(
      await add({ integration: "formatter", action: "transform_text", fields: { colour: { mode: "ai" } } }),
      "colour",
    );
    const unknownAction = expectError(
      await add({ integration: "formatter", action: "reverse_text" }),
      422,
      "validation_failed",
    );
    expect(unknownAction.message).toContain("formatter/reverse_text");
    expectInvalid(
      await add({ integration: "formatter", action: "count_text", name: "n".repeat(65) }),
      "name",
    );
    expectInvalid(await add({ integration: "formatter", action: "count_text", name: "count words" }), "name");
    expectInvalid(
      await add({ integration: "formatter", action: "count_text", connectionId: "conn_1" }),
      "connectionId",
    );
    expect(
      (await call("GET", `/servers/${server.id}/tools`, { token: alice.token })).body,
    ).not.toContainEqual(expect.objectContaining({ action: "count_text" }));
  });

  it("POST /api/v1/servers/{id}/tools answers 409 to a name already used on the server", async () => {
    await givenTool(alice, server.id, { integration: "formatter", action: "count_text", name: "count-it" });
    const duplicate = await call("POST", `/servers/${server.id}/tools`, {
      token: alice.token,
      body: { integration: "formatter", action: "split_text", name: "count-it" },
    });
    expect(expectError(duplicate, 409, "conflict").message).toContain("count-it");
    // Names are unique per server, not across servers.
    const other = await givenServer(alice, "other");
    await givenTool(alice, other.id, { integration: "formatter", action: "count_text", name: "count-it" });
  });

  it("GET /api/v1/servers/{id}/tools lists the server's tools with their input schemas", async () => {
    const answer = await call("GET", `/servers/${server.id}/tools`, { token: alice.token });
    expect(answer.status).toBe(200);
    expect(answer.body.length).toBeGreaterThanOrEqual(3);
    for (const tool of answer.body) expect(tool.inputSchema).toMatchObject({ type: "object" });
    const count = (await call("GET", `/servers/${server.id}`, { token: alice.token })).body.toolCount;
    expect(count).toBe(answer.body.length);
  });

  it("PATCH /api/v1/servers/{id}/tools/{toolId} renames and reconfigures a tool", async () => {
    const tool = await givenTool(alice, server.id, { integration: "formatter", action: "truncate_text" });
    const path = `/servers/${server.id}/tools/${tool.id}`;
    const patched = await call("PATCH", path, {
      token: alice.token,
      body: {
        name: "shorten",
        description: "Shorten a text.",
        fields: { suffix: { mode: "omit" }, max_length: { mode: "fixed", value: 20 } },
      },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ name: "shorten", description: "Shorten a text." });
    expect(Object.keys(patched.body.inputSchema.properties)).toEqual(["text"]);
    const client = await connectMcp(server.url);
    const listed = (await client.listTools()).tools.find((candidate) => candidate.name === "shorten");
    expect(listed?.description).toBe("Shorten a text.");
    expect(listed?.inputSchema).toEqual(patched.body.inputSchema);
    await client.close();

    expectInvalid(await call("PATCH", path, { token: alice.token, body: { name: "has space" } }), "name");
    expectInvalid(
      await call("PATCH", path, {
        token: alice.token,
        body: { fields: { max_length: { mode: "fixed", value: 0 } } },
      }),
      "max_length",
    );
    const empty = expectError(
      await call("PATCH", path, { token: alice.token, body: {} }),
      422,
      "validation_failed",
    );
    expect(empty.message).toMatch(/at least one/);
    expectError(
      await call("PATCH", path, { token: alice.token, body: { name: "count-it" } }),
      409,
      "conflict",
    );
    expectError(
      await call("PATCH", `/servers/${server.id}/tools/tool_does_not_exist`, {
        token: alice.token,
        body: { name: "x" },
      }),
      404,
      "not_found",
    );
  });

  it("POST, GET and PATCH /api/v1/servers/{id}/tools show a secret fixed value as set, never its value; PATCH without one keeps it", async () => {
    const tool = await givenTool(alice, server.id, {
      integration: "formatter",
      action: "transform_text",
      name: "secret_shout",
      fields: { operation: { mode: "fixed", value: "uppercase", secret: true } },
    });
    expect(tool.fields).toEqual({ operation: { mode: "fixed", secret: true } });
    const path = `/servers/${server.id}/tools/${tool.id}`;
    const listed = (await call("GET", `/servers/${server.id}/tools`, { token: alice.token })).body;
    expect(listed.find((candidate: { id: string }) => candidate.id === tool.id).fields).toEqual({
      operation: { mode: "fixed", secret: true },
    });
    const client = await connectMcp(server.url);
    const shout = async (text: string) =>
      (await client.callTool({ name: "secret_shout", arguments: { text } })).structuredContent;
    expect(await shout("hello")).toEqual({ result: "HELLO" });

    // Without a value, the sealed one stays.
    const kept = await call("PATCH", path, {
      token: alice.token,
      body: { description: "Shouts.", fields: { operation: { mode: "fixed", secret: true } } },
    });
    expect(kept.status, kept.text).toBe(200);
    expect(kept.body.fields).toEqual({ operation: { mode: "fixed", secret: true } });
    expect(await shout("hello")).toEqual({ result: "HELLO" });

    const replaced = await call("PATCH", path, {
      token: alice.token,
      body: { fields: { operation: { mode: "fixed", value: "lowercase", secret: true } } },
    });
    expect(replaced.body.fields).toEqual({ operation: { mode: "fixed", secret: true } });
    expect(await shout("HeLLo")).toEqual({ result: "hello" });
    await client.close();

    // Nothing to keep for a field that has no secret value yet.
    const nothingStored = expectInvalid(
      await call("PATCH", path, {
        token: alice.token,
        body: {
          fields: { text: { mode: "fixed", secret: true }, operation: { mode: "fixed", secret: true } },
        },
      }),
      "text",
    );
    expect(nothingStored).toContain("no secret value is stored yet");
    // Back to the AI: the sealed value goes with the setting.
    await call("PATCH", path, { token: alice.token, body: { fields: { operation: { mode: "ai" } } } });
    expect(await getDb().sealedFieldValue.count({ where: { toolId: tool.id } })).toBe(0);
  });

  it("DELETE /api/v1/servers/{id}/tools/{toolId} removes the tool from the MCP server", async () => {
    const tool = await givenTool(alice, server.id, { integration: "formatter", action: "format_number" });
    const path = `/servers/${server.id}/tools/${tool.id}`;
    const deleted = await call("DELETE", path, { token: alice.token });
    expect(deleted.status, deleted.text).toBe(204);
    const client = await connectMcp(server.url);
    expect((await client.listTools()).tools.map((listed) => listed.name)).not.toContain(tool.name);
    await client.close();
    expectError(await call("DELETE", path, { token: alice.token }), 404, "not_found");
  });
});

describe("/api/v1/connections", () => {
  it("GET /api/v1/connections lists the user's connections without credentials", async () => {
    const user = await givenAccount("connections");
    expect((await call("GET", "/connections", { token: user.token })).body).toEqual([]);
    const connection = await givenConnection(user);
    const answer = await call("GET", "/connections", { token: user.token });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual([
      {
        id: connection.id,
        integration: "github",
        label: "Work account",
        authType: "oauth2",
        status: "UNCHECKED",
        statusText: "Not checked yet",
        statusMessage: null,
        lastCheckedAt: null,
        lastUsedAt: null,
        createdAt: connection.createdAt.toISOString(),
      },
    ]);
    expect(answer.text).not.toMatch(/ciphertext|not-real|keyVersion/);
  });

  it("POST /api/v1/connections validates against the integration's auth definition", async () => {
    const connect = (body: unknown) => call("POST", "/connections", { token: alice.token, body });
    const unknownApp = expectInvalid(
      await connect({ integration: "nonexistent", label: "x", credentials: {} }),
      "integration",
    );
    expect(unknownApp).toMatch(/Unknown integration/);
    const noAuth = expectInvalid(
      await connect({ integration: "formatter", label: "x", credentials: { api_key: "k" } }),
      "integration",
    );
    expect(noAuth).toMatch(/needs no connection/);
    expectInvalid(await connect({ label: "x", credentials: {} }), "integration");
    expectInvalid(
      await connect({ integration: "formatter", credentials: { api_key: 42 } }),
      "credentials.api_key",
    );
    expect(await getDb().connection.count({ where: { userId: alice.id, integration: "formatter" } })).toBe(0);
  });

  it("POST /api/v1/connections/{id}/test answers 404 for a connection that is not the caller's", async () => {
    const owner = await givenAccount("connection-test");
    const connection = await givenConnection(owner);
    expectError(
      await call("POST", `/connections/${connection.id}/test`, { token: alice.token }),
      404,
      "not_found",
    );
    expectError(await call("POST", "/connections/nope/test", { token: owner.token }), 404, "not_found");
  });

  it("GET /api/v1/integrations/{slug}/actions/{action}/options/{field} names what is missing", async () => {
    const user = await givenAccount("options");
    const path = "/integrations/todoist/actions/create_task/options";
    expectError(await call("GET", `${path}/content`, { token: user.token }), 404, "not_found");
    expectError(
      await call("GET", "/integrations/todoist/actions/nope/options/x", { token: user.token }),
      404,
      "not_found",
    );
    const noConnection = expectInvalid(
      await call("GET", `${path}/project_id`, { token: user.token }),
      "connectionId",
    );
    expect(noConnection).toMatch(/No Todoist account is connected/);

    // A list that depends on another field says so in the catalog, and wants that field's value.
    const catalog = await call("GET", "/integrations", { token: user.token });
    const createRecords = catalog.body
      .find((app: Json) => app.slug === "airtable")
      .actions.find((action: Json) => action.key === "create_records");
    expect(createRecords.optionsFields).toEqual(["base_id", "table"]);
    expect(createRecords.optionsDependOn).toEqual({ table: ["base_id"] });
    const tables = "/integrations/airtable/actions/create_records/options/table";
    expect(expectInvalid(await call("GET", tables, { token: user.token }), "values.base_id")).toMatch(
      /Choose a value for "base_id" first/,
    );
    for (const values of ["not json", "[1]", '{"base_id": 7}'])
      expectInvalid(
        await call("GET", `${tables}?values=${encodeURIComponent(values)}`, { token: user.token }),
        "values",
      );
    // With the value, the request gets as far as the account (none is connected here).
    expectInvalid(
      await call("GET", `${tables}?values=${encodeURIComponent('{"base_id":"app1"}')}`, {
        token: user.token,
      }),
      "connectionId",
    );
  });

  it("DELETE /api/v1/connections/{id} deletes the owner's connection and records it", async () => {
    const user = await givenAccount("connection-delete");
    const connection = await givenConnection(user);
    const deleted = await call("DELETE", `/connections/${connection.id}`, { token: user.token });
    expect(deleted.status, deleted.text).toBe(204);
    expect(await getDb().connection.findUnique({ where: { id: connection.id } })).toBeNull();
    expect(
      await getDb().auditEvent.findFirst({
        where: { action: "connection.deleted", targetId: connection.id },
      }),
    ).toMatchObject({ actorId: user.id });
    expectError(
      await call("DELETE", `/connections/${connection.id}`, { token: user.token }),
      404,
      "not_found",
    );
  });
});

describe("/api/v1/connected-apps", () => {
  it("GET /api/v1/connected-apps lists the caller's AI apps, and DELETE /api/v1/connected-apps/{id} ends one's access", async () => {
    const user = await givenAccount("connected-apps");
    const server = await givenServer(user, "For Claude");
    const resource = `${platform.url}/mcp`;
    const seeded = await seedGrant({ userId: user.id, serverId: server.id, resource, appName: "Claude" });
    const listed = await call("GET", "/connected-apps", { token: user.token });
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body).toEqual([
      {
        id: seeded.grantId,
        appName: "Claude",
        redirectHost: "app.example.com",
        clientKind: "registration",
        server: { id: server.id, name: "For Claude", orgName: null },
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        lastUsedAt: null,
      },
    ]);
    expect(listed.text).not.toContain(seeded.accessToken.slice(4));
    // Someone else neither sees nor revokes it.
    expect((await call("GET", "/connected-apps", { token: bob.token })).body).toEqual([]);
    expectError(
      await call("DELETE", `/connected-apps/${seeded.grantId}`, { token: bob.token }),
      404,
      "not_found",
    );
    expect(await verifyAccessToken(seeded.accessToken, resource)).toMatchObject({ grantId: seeded.grantId });

    const revoked = await call("DELETE", `/connected-apps/${seeded.grantId}`, { token: user.token });
    expect(revoked.status, revoked.text).toBe(204);
    expect(await verifyAccessToken(seeded.accessToken, resource)).toEqual({ problem: "revoked" });
    expect((await call("GET", "/connected-apps", { token: user.token })).body).toEqual([]);
    expect(
      await getDb().auditEvent.findFirst({
        where: { action: "mcp_grant.revoked", targetId: seeded.grantId },
      }),
    ).toMatchObject({ actorId: user.id, targetType: "mcp_grant" });
    expectError(
      await call("DELETE", `/connected-apps/${seeded.grantId}`, { token: user.token }),
      404,
      "not_found",
    );
  });
});

describe("GET /api/v1/usage and GET /api/v1/calls", () => {
  let user: Account;
  let server: { id: string; url: string };
  beforeAll(async () => {
    user = await givenAccount("usage");
    server = await givenServer(user, "usage");
    await givenTool(user, server.id, { integration: "formatter", action: "count_text" });
  });

  it("GET /api/v1/usage reports the three windows, counting successful calls", async () => {
    const before = await call("GET", "/usage", { token: user.token });
    expect(before.status, before.text).toBe(200);
    expect(before.body).toEqual({
      hour: { used: 0, limit: 80, resetsAt: expect.any(String) },
      day: { used: 0, limit: 160, resetsAt: expect.any(String) },
      month: { used: 0, limit: 300, resetsAt: expect.any(String) },
    });
    const hourEnds = new Date(before.body.hour.resetsAt);
    expect(hourEnds.getUTCMinutes()).toBe(0);
    expect(hourEnds.getTime()).toBeGreaterThan(Date.now());
    const client = await connectMcp(server.url);
    for (const text of ["one", "two words", "three little words"]) {
      const result = await client.callTool({ name: "formatter_count_text", arguments: { text } });
      expect(result.isError, JSON.stringify(result)).toBeFalsy();
    }
    // Invalid arguments are refused before any quota is used.
    const refused = await client.callTool({ name: "formatter_count_text", arguments: { words: 1 } });
    expect(refused.isError).toBe(true);
    await client.close();
    const after = await call("GET", "/usage", { token: user.token });
    expect([after.body.hour.used, after.body.day.used, after.body.month.used]).toEqual([3, 3, 3]);
  });

  it("GET /api/v1/calls lists calls newest first and pages with before", async () => {
    const all = await call("GET", "/calls", { token: user.token });
    expect(all.status, all.text).toBe(200);
    expect(all.body).toHaveLength(4);
    // The call refused for its arguments is listed too, newest, at no cost.
    expect(all.body[0]).toMatchObject({
      status: "REFUSED",
      errorCode: "invalid_arguments",
      errorMessage: expect.stringMatching(/^Invalid arguments\./),
    });
    expect(all.body[1]).toEqual({
      id: expect.any(String),
      serverId: server.id,
      toolName: "formatter_count_text",
      integration: "formatter",
      action: "count_text",
      status: "SUCCESS",
      durationMs: expect.any(Number),
      errorCode: null,
      errorMessage: null,
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
      cancelRequestedAt: null,
      // Who called, in the personal workspace: the user themself, on no organization's server.
      userId: expect.any(String),
      calledBy: expect.stringContaining("@"),
      orgId: null,
      // An AI app's call, not a try of unsaved settings from the tool editor.
      draft: false,
    });
    const started = all.body.map((entry: { startedAt: string }) => Date.parse(entry.startedAt));
    expect([...started].sort((a, b) => b - a)).toEqual(started);
    const firstPage = await call("GET", "/calls?limit=2", { token: user.token });
    expect(firstPage.body.map((entry: { id: string }) => entry.id)).toEqual(
      all.body.slice(0, 2).map((entry: { id: string }) => entry.id),
    );
    const secondPage = await call("GET", `/calls?limit=2&before=${firstPage.body[1].id}`, {
      token: user.token,
    });
    expect(secondPage.body.map((entry: { id: string }) => entry.id)).toEqual(
      all.body.slice(2).map((entry: { id: string }) => entry.id),
    );
    expect(JSON.stringify(all.body)).not.toMatch(/"input"|"output"/);
  });

  it("GET /api/v1/calls answers 422 to a limit outside 1..200 or an unknown cursor", async () => {
    for (const limit of ["0", "201", "abc", "1.5"]) {
      const answer = await call("GET", `/calls?limit=${limit}`, { token: user.token });
      expectInvalid(answer, "limit");
      expect(answer.body.error.details.issues[0].in).toBe("query");
    }
    expect((await call("GET", "/calls?limit=200", { token: user.token })).status).toBe(200);
    expectInvalid(await call("GET", "/calls?before=call_does_not_exist", { token: user.token }), "before");
  });
});

describe("tenant isolation", () => {
  it("another user's token gets 404 on every id of someone else's, and sees none of their data", async () => {
    const server = await givenServer(alice, "private");
    const tool = await givenTool(alice, server.id, { integration: "formatter", action: "split_text" });
    const connection = await givenConnection(alice);
    const bobServer = await givenServer(bob, "bob's");
    const client = await connectMcp(server.url);
    await client.callTool({ name: tool.name, arguments: { text: "a,b" } });
    await client.close();
    const aliceCall = (await call("GET", "/calls?limit=1", { token: alice.token })).body[0];
    expect(aliceCall).toBeDefined();

    const asBob = (method: string, path: string, body?: unknown) =>
      call(method, path, { token: bob.token, ...(body !== undefined && { body }) });
    const attempts: [string, string, unknown?][] = [
      ["GET", `/servers/${server.id}`],
      ["DELETE", `/servers/${server.id}`],
      ["POST", `/servers/${server.id}/rotate`],
      ["GET", `/servers/${server.id}/tools`],
      ["POST", `/servers/${server.id}/tools`, { integration: "formatter", action: "count_text" }],
      ["PATCH", `/servers/${server.id}/tools/${tool.id}`, { name: "stolen" }],
      ["DELETE", `/servers/${server.id}/tools/${tool.id}`],
      // Bob's own server with Alice's tool id: tools are scoped by server as well.
      ["PATCH", `/servers/${bobServer.id}/tools/${tool.id}`, { name: "stolen" }],
      ["DELETE", `/servers/${bobServer.id}/tools/${tool.id}`],
      ["DELETE", `/connections/${connection.id}`],
    ];
    for (const [method, path, body] of attempts) {
      const answer = await asBob(method, path, body);
      expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(404);
      expectError(answer, 404, "not_found");
    }
    expectInvalid(await asBob("GET", `/calls?before=${aliceCall.id}`), "before");

    const bobSees = await Promise.all(
      ["/servers", "/connections", "/calls", "/usage", `/servers/${bobServer.id}/tools`].map((path) =>
        asBob("GET", path),
      ),
    );
    for (const answer of bobSees) {
      expect(answer.status, answer.text).toBe(200);
      for (const id of [server.id, tool.id, connection.id, aliceCall.id])
        expect(answer.text).not.toContain(id);
    }
    const [servers, connections, calls, usage] = bobSees.map((answer) => answer.body);
    expect(servers.map((entry: { id: string }) => entry.id)).toEqual([bobServer.id]);
    expect(connections).toEqual([]);
    expect(calls).toEqual([]);
    expect(usage.month.used).toBe(0);

    // Nothing changed on Alice's side, and her URL still works.
    const still = await call("GET", `/servers/${server.id}/tools`, { token: alice.token });
    expect(still.body.map((entry: { id: string; name: string }) => [entry.id, entry.name])).toEqual([
      [tool.id, tool.name],
    ]);
    expect((await mcpInitialize(server.url)).status).toBe(200);
    expect(await getDb().connection.count({ where: { id: connection.id } })).toBe(1);
  });
});
