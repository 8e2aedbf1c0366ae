// A canary credential, planted in a connection and echoed back by the app in an error and in a
// result, must not appear in any log line, job payload or other Redis value, ledger row, audit
// event, tool result, or in the stored ciphertext. Canaries in fixed field values (a fixed
// Authorization header of the HTTP request, a webhook URL's query string, and a value its owner
// marked secret), set and called through the REST API and the MCP endpoint of the running
// platform, reach their destinations and appear nowhere else: not in any database column but the
// sealed ones, Redis, the web server's or the worker's logs, REST answers, history or results.
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEnv, setEnv } from "@/env";
import { createApp } from "@/lib/apps/manage-apps";
import { registerClient } from "@/lib/authorization-server/clients";
import { issueAuthorizationCode } from "@/lib/authorization-server/codes";
import { serveToken } from "@/lib/authorization-server/endpoints";
import { getDb } from "@/lib/db/client";
import { getRedis } from "@/lib/redis/client";
import { createServer } from "@/lib/servers/manage-servers";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { addTool, addToolSchema } from "@/lib/tools/manage-tools";
import { createUser } from "@/lib/users/create-user";
import type { Emulator } from "../emulators/emulator";
import { startHttpEmulator } from "../emulators/http";
import { type McpUpstream, startMcpUpstream } from "../emulators/mcp-upstream";
import { startTodoistEmulator } from "../emulators/todoist";
import { startWebhookEmulator } from "../emulators/webhook";
import { type AppHarness, startAppHarness, type ToolOutcome } from "../helpers/app-harness";
import { CookieJar, signInOverHttp } from "../helpers/auth-http";
import { connectClient, secretOfUrl, textOf, uniqueEmail } from "../helpers/mcp";
import { type RunningEndpoint, startMcpEndpoint } from "../helpers/mcp-endpoint";
import { type RunningPlatform, startPlatform } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";
import { type RunningWorker, startWorker } from "../helpers/worker";

// biome-ignore lint/suspicious/noExplicitAny: answers are parsed JSON, checked by the assertions themselves
type Json = any;

const canary = "canary-7f3a9c1e5b2d4f6a8e0c1d2b3a4f5e6d";

async function everyRedisValue(): Promise<string> {
  const redis = await getRedis();
  const keys = await redis.keys(`*${getEnv().REDIS_PREFIX}*`);
  const values: string[] = [];
  for (const key of keys) {
    const type = await redis.type(key);
    const value =
      type === "string"
        ? await redis.get(key)
        : type === "hash"
          ? await redis.hgetall(key)
          : type === "list"
            ? await redis.lrange(key, 0, -1)
            : type === "zset"
              ? await redis.zrange(key, "0", "-1")
              : type === "set"
                ? await redis.smembers(key)
                : type === "stream"
                  ? await redis.xrange(key, "-", "+")
                  : null;
    values.push(`${key} ${JSON.stringify(value)}`);
  }
  return values.join("\n");
}

describe("a canary credential", () => {
  let emulator: Emulator;
  let harness: AppHarness;
  const outcomes: ToolOutcome[] = [];

  beforeAll(async () => {
    emulator = await startTodoistEmulator(canary);
    harness = await startAppHarness({ TODOIST_API_URL: emulator.url });
    await harness.connectWithKey("todoist", { api_token: canary });
    outcomes.push(await harness.call("todoist", "create_task", { content: "A task" }));
    // The app echoes the credential in an error message...
    emulator.injectOnce(
      { status: 400, json: { error: `Token ${canary} may not filter`, http_code: 400 } },
      "GET /api/v1/tasks/filter",
    );
    outcomes.push(await harness.call("todoist", "list_tasks", { filter: "today" }));
    // ...and in a result.
    emulator.injectOnce(
      { json: { results: [{ id: "1", content: `Remember ${canary}` }], next_cursor: null } },
      "GET /api/v1/tasks",
    );
    outcomes.push(await harness.call("todoist", "list_tasks", {}));
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
    await emulator?.stop();
  });

  it("reached the app, so the calls really used it", () => {
    expect(emulator.requests.every((request) => request.headers.authorization === `Bearer ${canary}`)).toBe(
      true,
    );
    expect(outcomes.map((outcome) => outcome.isError)).toEqual([false, true, false]);
  });

  it("is masked in tool results, even where the app echoed it", () => {
    for (const outcome of outcomes) expect(outcome.text).not.toContain(canary);
    expect(outcomes[1]?.text).toContain("Token [redacted] may not filter");
    expect(outcomes[2]?.text).toContain("Remember [redacted]");
  });

  it("is in no log line of the worker", () => {
    expect(harness.worker.output()).not.toContain(canary);
  });

  it("is in no job payload or other Redis value", async () => {
    const everything = await everyRedisValue();
    expect(everything).toContain("tool-calls"); // the queue's keys were read
    expect(everything).not.toContain(canary);
  });

  it("is in no ledger row, audit event or readable connection column", async () => {
    const db = getDb();
    const calls = await db.call.findMany({ where: { userId: harness.userId } });
    expect(calls).toHaveLength(3);
    expect(JSON.stringify(calls)).not.toContain(canary);
    const events = await db.auditEvent.findMany({});
    expect(JSON.stringify(events)).not.toContain(canary);
    const connections = await db.connection.findMany({ where: { userId: harness.userId } });
    for (const connection of connections) {
      expect(Buffer.from(connection.ciphertext).includes(canary)).toBe(false);
      const { ciphertext: _sealed, ...columns } = connection;
      expect(JSON.stringify(columns)).not.toContain(canary);
    }
  });
});

describe("canaries in fixed field values", () => {
  const stem = `fxcanary${randomBytes(6).toString("hex")}`;
  const canaries = { header: `${stem}hdr`, url: `${stem}url`, value: `${stem}val` };
  const password = "correct horse battery";
  let http: Emulator;
  let webhook: Emulator;
  let platform: RunningPlatform;
  let token: string;
  let server: { id: string; url: string };
  const answers: string[] = []; // every REST answer's text
  const results: Record<string, unknown> = {};
  let historyHtml: string;
  let email: string;

  async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
    const response = await fetch(`${platform.url}/api/v1${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body !== undefined && { "Content-Type": "application/json" }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    answers.push(text);
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  }

  async function addTool(body: Record<string, unknown>) {
    const answer = await api("POST", `/servers/${server.id}/tools`, body);
    expect(answer.status, JSON.stringify(answer.json)).toBe(201);
    return answer.json as { id: string; name: string; fields: Record<string, unknown> };
  }

  beforeAll(async () => {
    [http, webhook] = await Promise.all([startHttpEmulator(), startWebhookEmulator()]);
    platform = await startPlatform({
      env: { HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32", LOG_LEVEL: "debug" },
    });
    email = uniqueEmail("canary");
    const user = await createUser({ email, password });
    ({ token } = await createApiToken(user.id, { name: "canary" }));
    server = (await api("POST", "/servers", { name: "Canary" })).json;

    const headers = await addTool({
      integration: "http",
      action: "request",
      name: "fetch_headers",
      fields: {
        method: { mode: "fixed", value: "GET" },
        url: { mode: "fixed", value: `${http.url}/headers` },
        headers: {
          mode: "fixed",
          value: { Authorization: `Bearer ${canaries.header}`, Accept: "application/json" },
        },
      },
    });
    await addTool({
      integration: "webhook",
      action: "post_json",
      name: "notify",
      fields: { url: { mode: "fixed", value: `${webhook.url}/hooks/orders?token=${canaries.url}` } },
    });
    const note = await addTool({
      integration: "http",
      action: "request",
      name: "post_note",
      fields: {
        method: { mode: "fixed", value: "POST" },
        url: { mode: "fixed", value: `${http.url}/anything/notes` },
        body: { mode: "fixed", value: `note for ${canaries.value}`, secret: true },
      },
    });
    // Changes that give no new value keep the sealed ones.
    expect(
      (await api("PATCH", `/servers/${server.id}/tools/${headers.id}`, { name: "fetch_headers_2" })).status,
    ).toBe(200);
    const patched = await api("PATCH", `/servers/${server.id}/tools/${note.id}`, {
      fields: {
        method: { mode: "fixed", value: "POST" },
        url: { mode: "fixed", value: `${http.url}/anything/notes` },
        body: { mode: "fixed", secret: true },
      },
    });
    expect(patched.status, JSON.stringify(patched.json)).toBe(200);
    await api("GET", `/servers/${server.id}/tools`);

    const client = await connectClient(platform.url, secretOfUrl(server.url));
    results.headers = await client.callTool({ name: "fetch_headers_2", arguments: {} });
    results.notify = await client.callTool({ name: "notify", arguments: { payload: { order: 42 } } });
    results.note = await client.callTool({ name: "post_note", arguments: {} });
    await client.close();

    await api("GET", "/calls?limit=10");
    const { jar } = await signInOverHttp(platform.url, email, password, new CookieJar());
    historyHtml = await (
      await fetch(`${platform.url}/history`, { headers: { cookie: jar.header() } })
    ).text();
  }, 240_000);

  afterAll(async () => {
    await platform?.stop();
    await Promise.all([http?.stop(), webhook?.stop()]);
    await closeTestConnections();
  });

  it("reached their destinations", () => {
    for (const result of Object.values(results))
      expect((result as { isError?: boolean }).isError, textOf(result)).toBeFalsy();
    expect(http.requestsTo("GET /headers").at(-1)?.headers.authorization).toBe(`Bearer ${canaries.header}`);
    expect(webhook.requestsTo("POST /hooks/:name").at(-1)?.query.get("token")).toBe(canaries.url);
    expect(http.requestsTo("POST /anything/*").at(-1)?.rawBody).toBe(`note for ${canaries.value}`);
  });

  it("are masked in tool results, even where the destination echoed them", () => {
    expect(JSON.stringify(results)).not.toContain(stem);
    const echoed = results.headers as { structuredContent: { body: { headers: Record<string, string> } } };
    expect(echoed.structuredContent.body.headers.authorization).toBe("[redacted]");
    expect(echoed.structuredContent.body.headers.accept).toBe("application/json");
    expect(
      (results.note as { structuredContent: { body: { body: string } } }).structuredContent.body.body,
    ).toBe("[redacted]");
  });

  it("are in no REST answer, which shows them as set", async () => {
    expect(answers.join("\n")).not.toContain(stem);
    const tools = (await api("GET", `/servers/${server.id}/tools`)).json as {
      name: string;
      fields: object;
    }[];
    expect(Object.fromEntries(tools.map((tool) => [tool.name, tool.fields]))).toEqual({
      fetch_headers_2: {
        method: { mode: "fixed", value: "GET" },
        url: { mode: "fixed", value: `${http.url}/headers` },
        headers: { mode: "fixed", secret: true },
      },
      notify: { url: { mode: "fixed", secret: true } },
      post_note: {
        method: { mode: "fixed", value: "POST" },
        url: { mode: "fixed", value: `${http.url}/anything/notes` },
        body: { mode: "fixed", secret: true },
      },
    });
  });

  it("are in no history: the REST API's calls and the history page show them masked", () => {
    expect(historyHtml).toContain("fetch_headers_2");
    expect(historyHtml).toContain("[secret]");
    expect(historyHtml).not.toContain(stem);
  });

  it("are in no log line of the web server or the worker", () => {
    const output = platform.output();
    expect(output).toContain('"worker started"');
    expect(output).not.toContain(stem);
  });

  it("are in no Redis value: job data, sessions, or anything else", async () => {
    // Server snapshots are cached in each web process, not in Redis; a session is kept in Redis.
    const client = await connectClient(platform.url, secretOfUrl(server.url));
    expect((await client.listTools()).tools).toHaveLength(3);
    const everything = await everyRedisValue();
    await client.close();
    expect(everything).toContain(":mcp:session:");
    expect(everything).toContain("tool-calls");
    expect(everything).not.toContain(stem);
  });

  it("are in no database column but the sealed ones, which hold them only while needed", async () => {
    const db = getDb();
    const tables = await db.$queryRaw<{ name: string }[]>`
      SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`;
    expect(tables.map((table) => table.name)).toEqual(
      expect.arrayContaining(["Tool", "Call", "SealedFieldValue"]),
    );
    let dump = "";
    for (const { name } of tables) {
      // Every column as text, but the sealed ones (bytea, which JSON would show only as hex).
      const rows = await db.$queryRawUnsafe<{ row: string }[]>(
        `SELECT (to_jsonb(t) - 'ciphertext' - 'sealedInput')::text AS row FROM "${name}" t`,
      );
      dump += rows.map((row) => row.row).join("\n");
    }
    expect(dump).toContain("fetch_headers_2");
    expect(dump).toContain("[secret]");
    expect(dump).not.toContain(stem);

    const sealed = await db.sealedFieldValue.findMany({ where: { tool: { serverId: server.id } } });
    expect(sealed.map((row) => row.field).sort()).toEqual(["body", "headers", "url"]);
    for (const row of sealed) expect(Buffer.from(row.ciphertext).includes(stem)).toBe(false);
    const calls = await db.call.findMany({ where: { serverId: server.id } });
    expect(calls.map((call) => call.status)).toEqual(["SUCCESS", "SUCCESS", "SUCCESS"]);
    for (const call of calls) expect(call.sealedInput).toBeNull();
  });
});

// docs/security.md 6: the MCP client's own credential, here an OAuth access token (tga_...) of the
// platform's authorization server, opens the endpoint and goes no further. Tools that reach third
// parties (an HTTP request that echoes its headers and body, a webhook, an upstream MCP server)
// are called with it through the endpoint and the real worker; neither the access token nor its
// refresh token reaches any of them, in headers, query or body, nor any log line, job payload or
// other Redis value, history record (the call rows) or other database column.
describe("an MCP access token, the client's credential", () => {
  const redirectUri = "https://app.example.com/oauth/callback";
  let http: Emulator;
  let webhook: Emulator;
  let upstream: McpUpstream;
  let endpoint: RunningEndpoint;
  let worker: RunningWorker;
  let userId: string;
  let serverId: string;
  let tokens: { access_token: string; refresh_token: string };
  const results: Record<string, unknown> = {};
  const allowedBefore = process.env.HTTP_ALLOWED_PRIVATE_CIDRS ?? "";

  async function signIn(): Promise<{ access_token: string; refresh_token: string }> {
    const registered = await registerClient(
      { client_name: "Canary app", redirect_uris: [redirectUri] },
      `test-${randomBytes(6).toString("hex")}`,
    );
    const client = await getDb().mcpClient.findUniqueOrThrow({ where: { clientId: registered.client_id } });
    const grant = await getDb().mcpGrant.create({ data: { clientId: client.id, userId, serverId } });
    const verifier = randomBytes(32).toString("base64url");
    const code = await issueAuthorizationCode({
      grantId: grant.id,
      redirectUri,
      codeChallenge: createHash("sha256").update(verifier).digest("base64url"),
      resource: `${endpoint.url}/mcp`,
    });
    const answer = await serveToken(
      new Request("http://127.0.0.1/oauth/token", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code,
          code_verifier: verifier,
          redirect_uri: redirectUri,
          client_id: registered.client_id,
        }),
      }),
    );
    expect(answer.status).toBe(200);
    return (await answer.json()) as { access_token: string; refresh_token: string };
  }

  beforeAll(async () => {
    setEnv({ HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32" });
    // A queue of its own, so that only this worker, with these settings, takes these calls.
    const settings = {
      HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32",
      LOG_LEVEL: "debug",
      REDIS_PREFIX: `${getEnv().REDIS_PREFIX}-p6${randomBytes(3).toString("hex")}`,
    };
    [http, webhook, upstream, endpoint, worker] = await Promise.all([
      startHttpEmulator(),
      startWebhookEmulator(),
      startMcpUpstream(),
      startMcpEndpoint(settings),
      startWorker(settings),
    ]);
    userId = (await createUser({ email: uniqueEmail("p6") })).id;
    serverId = (await createServer(userId, "Reaches third parties")).id;
    const app = await createApp(userId, { kind: "mcp", name: "Upstream", url: upstream.url });
    for (const tool of [
      {
        integration: "http",
        action: "request",
        name: "fetch_headers",
        fields: {
          method: { mode: "fixed", value: "GET" },
          url: { mode: "fixed", value: `${http.url}/headers` },
        },
      },
      {
        integration: "http",
        action: "request",
        name: "post_note",
        fields: {
          method: { mode: "fixed", value: "POST" },
          url: { mode: "fixed", value: `${http.url}/anything/notes?from=ai` },
        },
      },
      {
        integration: "webhook",
        action: "post_json",
        name: "notify",
        fields: { url: { mode: "fixed", value: `${webhook.url}/hooks/orders` } },
      },
      { integration: app.slug, action: "echo", name: "echo" },
    ])
      await addTool(userId, serverId, addToolSchema.parse(tool));
    tokens = await signIn();
    expect(tokens.access_token).toMatch(/^tga_/);

    const client = await connectClient(endpoint.url, tokens.access_token, "bearer");
    try {
      results.headers = await client.callTool({ name: "fetch_headers", arguments: {} });
      results.note = await client.callTool({ name: "post_note", arguments: { body: "a note" } });
      results.notify = await client.callTool({ name: "notify", arguments: { payload: { order: 42 } } });
      results.echo = await client.callTool({ name: "echo", arguments: { message: "hello" } });
    } finally {
      await client.close();
    }
  }, 180_000);

  afterAll(async () => {
    setEnv({ HTTP_ALLOWED_PRIVATE_CIDRS: allowedBefore });
    await Promise.all([endpoint?.stop(), worker?.stop()]);
    await Promise.all([http?.stop(), webhook?.stop(), upstream?.stop()]);
    await closeTestConnections();
  });

  /** Whether `text` holds either token, or any part of one long enough to matter. */
  const leaks = (text: string) =>
    [tokens.access_token, tokens.refresh_token].some(
      (token) => text.includes(token) || text.includes(token.slice(4, 24)),
    );

  it("opened the endpoint, and every tool reached its third party", () => {
    for (const [name, result] of Object.entries(results))
      expect((result as { isError?: boolean }).isError, `${name}: ${textOf(result)}`).toBeFalsy();
    expect(http.requestsTo("GET /headers")).toHaveLength(1);
    expect(http.requestsTo("POST /anything/*").at(-1)?.rawBody).toBe("a note");
    expect(webhook.requestsTo("POST /hooks/:name")).toHaveLength(1);
    expect(upstream.toolCalls).toEqual(["echo"]);
    expect(textOf(results.echo)).toContain("hello");
  });

  it("reaches no third party: no header, query or body carries it", () => {
    const sent = [...http.requests, ...webhook.requests].map((request) => ({
      path: request.path,
      query: [...request.query],
      headers: request.headers,
      body: request.rawBody,
    }));
    const upstreamSent = upstream.requests.map((request) => ({
      path: request.path,
      headers: request.headers,
    }));
    expect(sent.length + upstreamSent.length).toBeGreaterThanOrEqual(4);
    expect(leaks(JSON.stringify([sent, upstreamSent]))).toBe(false);
    // Not even as another scheme's credential: the tools that carry no credential send none.
    for (const request of [...http.requests, ...webhook.requests])
      expect(request.headers.authorization).toBeUndefined();
    for (const request of upstream.requests) expect(request.headers.authorization).toBeUndefined();
  });

  it("is in no tool result, and no log line of the endpoint or the worker", () => {
    expect(leaks(JSON.stringify(results))).toBe(false);
    expect(worker.output()).toContain('"worker started"');
    expect(leaks(endpoint.output())).toBe(false);
    expect(leaks(worker.output())).toBe(false);
  });

  it("is in no job payload or other Redis value", async () => {
    const everything = await everyRedisValue();
    expect(everything).toContain("tool-calls");
    expect(leaks(everything)).toBe(false);
  });

  it("is in no history record or other database column, which keep only its hash", async () => {
    const calls = await getDb().call.findMany({ where: { serverId } });
    expect(calls.map((call) => call.status)).toEqual(["SUCCESS", "SUCCESS", "SUCCESS", "SUCCESS"]);
    const db = getDb();
    const tables = await db.$queryRaw<{ name: string }[]>`
      SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`;
    let dump = "";
    for (const { name } of tables)
      dump += (
        await db.$queryRawUnsafe<{ row: string }[]>(`SELECT to_jsonb(t)::text AS row FROM "${name}" t`)
      )
        .map((row) => row.row)
        .join("\n");
    expect(dump).toContain("fetch_headers");
    expect(leaks(dump)).toBe(false);
  });
});
