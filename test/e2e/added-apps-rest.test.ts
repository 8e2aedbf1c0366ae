// The REST API of added apps over HTTP against a running platform: listing and reading an app with
// each action's state, its findings and both definitions of a changed one; accepting by hash (a stale
// hash refused), choosing offered actions, deleting with its tools; input refused by field name;
// header values never returned; another person's or organization's app a 404; members only read.
// The apps are made in the database (test/helpers/added-apps.ts), as a driver would have read them.
import { randomBytes } from "node:crypto";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { addMembership, createOrg } from "@/lib/orgs/manage-orgs";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { createUser } from "@/lib/users/create-user";
import { headerSecret, seedAddedApp } from "../helpers/added-apps";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

// biome-ignore lint/suspicious/noExplicitAny: answers are parsed JSON, checked by the assertions themselves
type Json = any;
type Answer = { status: number; body: Json; text: string };
type Account = { id: string; token: string };

let platform: RunningPlatform;
let alice: Account;
let bob: Account;
let member: Account;
let orgId: string;

async function call(method: string, path: string, token: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${platform.url}/api/v1${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body !== undefined && { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, text };
}

function expectError(answer: Answer, status: number, code: string) {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.body.error.code).toBe(code);
  return answer.body.error as { message: string; details?: Json };
}

function issuePaths(answer: Answer): string[] {
  const error = expectError(answer, 422, "validation_failed");
  return [
    ...(error.details?.issues ?? []).map((issue: { path: string }) => issue.path),
    ...(error.details?.field ? [error.details.field] : []),
  ];
}

async function account(label: string): Promise<Account> {
  const user = await createUser({
    email: `apps-rest-${label}-${randomBytes(4).toString("hex")}@example.com`,
    password: "a-long-password",
  });
  const { token } = await createApiToken(user.id, { name: label });
  return { id: user.id, token };
}

const action = (app: Json, key: string) => app.actions.find((candidate: Json) => candidate.key === key);

beforeAll(async () => {
  platform = await startPlatform();
  [alice, bob, member] = await Promise.all([account("alice"), account("bob"), account("member")]);
  orgId = (await createOrg(alice.id, "Apps REST Org")).id;
  await getDb().$transaction((tx) => addMembership(tx, { orgId, userId: member.id, role: "MEMBER" }));
});

afterAll(async () => {
  await stopStartedPlatforms();
  await closeTestConnections();
});

describe("GET /api/v1/apps and GET /api/v1/apps/{slug}", () => {
  it("lists the workspace's apps and shows each action's state, findings and definitions, never header values", async () => {
    const app = await seedAddedApp({ userId: alice.id });
    const list = await call("GET", "/apps", alice.token);
    expect(list.status, list.text).toBe(200);
    expect(list.body.find((entry: Json) => entry.slug === app.slug)).toMatchObject({
      kind: "mcp",
      name: "Issue Tracker",
      actionCount: 3,
      servedCount: 1,
      reviewCount: 2,
      health: { healthy: false, lastError: "connect ECONNREFUSED", latencyMs: 42 },
    });

    const one = await call("GET", `/apps/${app.slug}`, alice.token);
    expect(one.status, one.text).toBe(200);
    expect(one.text).not.toContain(headerSecret);
    expect(one.body.headerNames).toEqual(["X-Api-Key"]);
    expect(action(one.body, "add_comment")).toMatchObject({ status: "served", served: true });
    const weather = action(one.body, "get_weather");
    expect(weather).toMatchObject({
      status: "flagged",
      statusText: "Flagged",
      served: false,
      acceptedHash: null,
    });
    expect(weather.findings.map((finding: Json) => finding.kind)).toEqual(
      expect.arrayContaining(["hidden_text", "tag", "file_access"]),
    );
    expect(weather.findings.find((finding: Json) => finding.kind === "hidden_text").excerpt).toContain(
      "<U+200B>",
    );
    const search = action(one.body, "search_issues");
    expect(search).toMatchObject({ status: "changed", statusText: "Changed, review", served: false });
    expect(search.acceptedDefinition.description).toBe(
      "Search for issues and pull requests across repositories.",
    );
    expect(search.definition.description).toContain("close the ones found");
    expect(search.hash).not.toBe(search.acceptedHash);
  });

  it("matches what /api/v1/openapi.json documents", async () => {
    const app = await seedAddedApp({ userId: alice.id });
    const document = (await call("GET", "/openapi.json", alice.token)).body;
    const validator = new AjvJsonSchemaValidator();
    const check = (path: string, method: string, status: number, body: unknown) => {
      const schema = document.paths[path][method].responses[status].content["application/json"].schema;
      const result = validator.getValidator({ ...schema, components: document.components })(body);
      expect(result.errorMessage, `${method} ${path}`).toBeUndefined();
    };
    check("/apps", "get", 200, (await call("GET", "/apps", alice.token)).body);
    check("/apps/{slug}", "get", 200, (await call("GET", `/apps/${app.slug}`, alice.token)).body);
    const body = document.paths["/apps"].post.requestBody.content["application/json"].schema;
    expect(body.oneOf.map((variant: Json) => variant.properties.kind.const)).toEqual(["mcp", "openapi"]);
  });
});

describe("workspaces", () => {
  it("answers 404 for another person's app, in another organization, and for an organization one is not in", async () => {
    const personal = await seedAddedApp({ userId: alice.id });
    const shared = await seedAddedApp({ userId: alice.id, orgId });
    for (const [token, path] of [
      [bob.token, `/apps/${personal.slug}`],
      [alice.token, `/apps/${shared.slug}`],
      [bob.token, `/apps/${shared.slug}?orgId=${orgId}`],
      [member.token, `/apps/${personal.slug}?orgId=${orgId}`],
    ] as const) {
      expectError(await call("GET", path, token), 404, "not_found");
      expectError(await call("DELETE", path, token), 404, "not_found");
    }
    expect((await call("GET", "/apps", bob.token)).body.map((entry: Json) => entry.slug)).not.toContain(
      personal.slug,
    );
    const memberList = await call("GET", `/apps?orgId=${orgId}`, member.token);
    expect(memberList.body.map((entry: Json) => entry.slug)).toEqual([shared.slug]);
  });

  it("lets a member read an organization's app and refuses them changes", async () => {
    const shared = await seedAddedApp({ userId: alice.id, orgId });
    expect((await call("GET", `/apps/${shared.slug}?orgId=${orgId}`, member.token)).status).toBe(200);
    const weather = action(
      (await call("GET", `/apps/${shared.slug}?orgId=${orgId}`, member.token)).body,
      "get_weather",
    );
    const refused = await call("POST", `/apps/${shared.slug}/accept`, member.token, {
      orgId,
      actions: { get_weather: weather.hash },
    });
    expectError(refused, 403, "forbidden");
    expectError(await call("DELETE", `/apps/${shared.slug}?orgId=${orgId}`, member.token), 403, "forbidden");
    expectError(
      await call("PATCH", `/apps/${shared.slug}/actions?orgId=${orgId}`, member.token, {
        offered: { get_weather: false },
      }),
      403,
      "forbidden",
    );
    const accepted = await call("POST", `/apps/${shared.slug}/accept`, alice.token, {
      orgId,
      actions: { get_weather: weather.hash },
    });
    expect(accepted.status, accepted.text).toBe(200);
  });
});

describe("POST /api/v1/apps/{slug}/accept", () => {
  it("serves a changed action once its shown hash is accepted, and refuses a stale one with 409", async () => {
    const app = await seedAddedApp({ userId: alice.id });
    const search = action((await call("GET", `/apps/${app.slug}`, alice.token)).body, "search_issues");
    const stale = await call("POST", `/apps/${app.slug}/accept`, alice.token, {
      actions: { search_issues: search.acceptedHash },
    });
    expect(expectError(stale, 409, "conflict").message).toContain(search.hash);
    const accepted = await call("POST", `/apps/${app.slug}/accept`, alice.token, {
      actions: { search_issues: search.hash },
    });
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body.accepted).toEqual(["search_issues"]);
    expect(action(accepted.body.app, "search_issues")).toMatchObject({
      status: "served",
      acceptedHash: search.hash,
    });
    const event = await getDb().auditEvent.findFirst({
      where: { targetId: app.id, action: "app.actions_accepted" },
    });
    expect(event?.actorId).toBe(alice.id);
  });

  it("refuses a malformed body by field, and an unknown action with 404", async () => {
    const app = await seedAddedApp({ userId: alice.id });
    expect(issuePaths(await call("POST", `/apps/${app.slug}/accept`, alice.token, {}))).toContain("actions");
    expect(
      issuePaths(
        await call("POST", `/apps/${app.slug}/accept`, alice.token, { actions: { search_issues: "abc" } }),
      ),
    ).toContain("actions.search_issues");
    expect(
      issuePaths(await call("POST", `/apps/${app.slug}/accept`, alice.token, { actions: {} })),
    ).toContain("actions");
    expectError(
      await call("POST", `/apps/${app.slug}/accept`, alice.token, { actions: { nope: "0".repeat(64) } }),
      404,
      "not_found",
    );
  });
});

describe("PATCH /api/v1/apps/{slug}/actions", () => {
  it("stops offering an action and offers it again; refuses a non-boolean by field", async () => {
    const app = await seedAddedApp({ userId: alice.id });
    const off = await call("PATCH", `/apps/${app.slug}/actions`, alice.token, {
      offered: { add_comment: false },
    });
    expect(off.status, off.text).toBe(200);
    expect(action(off.body, "add_comment")).toMatchObject({ status: "not_offered", served: false });
    const on = await call("PATCH", `/apps/${app.slug}/actions`, alice.token, {
      offered: { add_comment: true },
    });
    expect(action(on.body, "add_comment").status).toBe("served");
    expect(
      issuePaths(
        await call("PATCH", `/apps/${app.slug}/actions`, alice.token, { offered: { add_comment: "no" } }),
      ),
    ).toContain("offered.add_comment");
  });
});

describe("POST /api/v1/apps", () => {
  it("refuses a body without a kind, or without what its kind needs, naming the field", async () => {
    expect(
      issuePaths(await call("POST", "/apps", alice.token, { name: "x", url: "https://x.example" })),
    ).toContain("kind");
    expect(issuePaths(await call("POST", "/apps", alice.token, { kind: "ftp", name: "x" }))).toContain(
      "kind",
    );
    expect(
      issuePaths(await call("POST", "/apps", alice.token, { kind: "mcp", url: "https://x.example" })),
    ).toContain("name");
    expect(
      issuePaths(await call("POST", "/apps", alice.token, { kind: "mcp", name: "x", headers: "h" })),
    ).toEqual(expect.arrayContaining(["url", "headers"]));
    // Found by the protocol fuzz test: text that is no URL at all was read as one, and answered 502.
    for (const url of ["\n\nnot a url at all", "é' 田", '-a"a.\t']) {
      const refused = await call("POST", "/apps", alice.token, { kind: "mcp", name: "x", url });
      expect(refused.status).toBe(422);
      expect(issuePaths(refused)).toEqual(["url"]);
    }
  });

  it("refuses a member of an organization", async () => {
    expectError(
      await call("POST", "/apps", member.token, {
        kind: "mcp",
        name: "x",
        url: "https://x.example/mcp",
        orgId,
      }),
      403,
      "forbidden",
    );
  });
});

describe("POST /api/v1/apps/{slug}/refresh", () => {
  it("reports an upstream it cannot read as 502 and leaves the actions as they were", async () => {
    // The seeded app's upstream is the cloud metadata address, which the guarded client refuses.
    const app = await seedAddedApp({ userId: alice.id });
    const answer = await call("POST", `/apps/${app.slug}/refresh`, alice.token);
    expectError(answer, 502, "upstream_error");
    const after = (await call("GET", `/apps/${app.slug}`, alice.token)).body;
    expect(after).toMatchObject({ servedCount: 1, reviewCount: 2 });
    expectError(await call("POST", `/apps/${app.slug}/refresh`, bob.token), 404, "not_found");
  });
});

describe("DELETE /api/v1/apps/{slug}", () => {
  it("deletes the app with the tools that name it, and answers 404 after", async () => {
    const app = await seedAddedApp({ userId: alice.id });
    const server = await getDb().mcpServer.create({
      data: { userId: alice.id, name: "Agent", secretHash: randomBytes(32).toString("hex") },
    });
    await getDb().tool.create({
      data: { serverId: server.id, integration: app.slug, action: "add_comment", name: "comment" },
    });
    const answer = await call("DELETE", `/apps/${app.slug}`, alice.token);
    expect(answer.status, answer.text).toBe(204);
    expect(await getDb().tool.count({ where: { serverId: server.id } })).toBe(0);
    expectError(await call("GET", `/apps/${app.slug}`, alice.token), 404, "not_found");
  });
});
