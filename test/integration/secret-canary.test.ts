// A canary credential, planted in a connection and echoed back by the app in an error and in a
// result, must not appear in any log line, job payload or other Redis value, ledger row, audit
// event, tool result, or in the stored ciphertext. Canaries in fixed field values (a fixed
// Authorization header of the HTTP request, a webhook URL's query string, and a value its owner
// marked secret), set and called through the REST API and the MCP endpoint of the running
// platform, reach their destinations and appear nowhere else: not in any database column but the
// sealed ones, Redis, the web server's or the worker's logs, REST answers, history or results.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEnv } from "@/env";
import { getDb } from "@/lib/db/client";
import { getRedis } from "@/lib/redis/client";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { createUser } from "@/lib/users/create-user";
import type { Emulator } from "../emulators/emulator";
import { startHttpEmulator } from "../emulators/http";
import { startTodoistEmulator } from "../emulators/todoist";
import { startWebhookEmulator } from "../emulators/webhook";
import { type AppHarness, startAppHarness, type ToolOutcome } from "../helpers/app-harness";
import { CookieJar, signInOverHttp } from "../helpers/auth-http";
import { connectClient, secretOfUrl, textOf, uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

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
