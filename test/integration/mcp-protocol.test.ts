// The MCP endpoint as a protocol (docs/security.md 4, 13, 14): malformed and hostile requests get the
// right JSON-RPC or HTTP error and never a 500; logging levels persist in a session; progress of
// a running call reaches the client; clients of both SDK generations list and call tools.
// Cancellation has its own file (mcp-cancellation.test.ts).
import {
  Client as ClientV2,
  StreamableHTTPClientTransport as TransportV2,
} from "@modelcontextprotocol/client";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getUsage } from "@/lib/quota/usage";
import { withDefaultPlanLock } from "../helpers/default-plan-lock";
import {
  acceptBoth,
  callRequest,
  connectClient,
  createTenant,
  postRpc,
  rawHttp,
  responseOf,
  type Tenant,
  textOf,
} from "../helpers/mcp";
import { type RunningPlatform, startPlatform } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

const maxBodyBytes = 4_096;
let platform: RunningPlatform;
let tenant: Tenant;
const statuses: number[] = [];

beforeAll(async () => {
  platform = await startPlatform({ env: { MCP_MAX_BODY_BYTES: String(maxBodyBytes) } });
  tenant = await createTenant(platform.url, "protocol");
});

afterAll(async () => {
  await platform?.stop();
  await closeTestConnections();
});

async function post(body: unknown, headers: Record<string, string> = {}) {
  const reply = await postRpc(tenant.url, body, headers);
  statuses.push(reply.status);
  return reply;
}

const initialize = (protocolVersion = "2025-06-18") => ({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion, capabilities: {}, clientInfo: { name: "raw", version: "1" } },
});

describe("malformed and hostile requests", () => {
  it("answers a body that is not JSON with 400 and -32700", async () => {
    for (const body of ["{not json", "", "[1, 2", "\u0000"]) {
      const reply = await post(body);
      expect(reply.status).toBe(400);
      expect(responseOf(reply).error?.code).toBe(-32700);
    }
  });

  it("answers an unknown method with -32601", async () => {
    const reply = await post({ jsonrpc: "2.0", id: 7, method: "tools/explode", params: {} });
    expect(reply.status).toBe(200);
    expect(responseOf(reply)).toMatchObject({ id: 7, error: { code: -32601 } });
  });

  it("answers params of the wrong type with -32602", async () => {
    const cases = [
      { jsonrpc: "2.0", id: 11, method: "tools/call", params: { name: 5 } },
      {
        jsonrpc: "2.0",
        id: 12,
        method: "tools/call",
        params: { name: "formatter_calculate", arguments: [1, 2] },
      },
      { jsonrpc: "2.0", id: 13, method: "tools/call" },
      { jsonrpc: "2.0", id: 14, method: "logging/setLevel", params: { level: "loud" } },
      { jsonrpc: "2.0", id: 15, method: "tools/list", params: { cursor: 5 } },
    ];
    for (const request of cases) {
      const reply = await post(request);
      expect(reply.status).toBe(200);
      expect(responseOf(reply)).toMatchObject({ id: request.id, error: { code: -32602 } });
    }
  });

  it("refuses messages that are not JSON-RPC requests without crashing", async () => {
    const invalid = [
      { id: 21, method: "tools/list" }, // no jsonrpc member
      { jsonrpc: "1.0", id: 22, method: "tools/list" },
      { jsonrpc: "2.0", id: 23 }, // no method
      { jsonrpc: "2.0", id: { nested: true }, method: "tools/list" },
      42,
      [],
    ];
    for (const body of invalid) {
      const reply = await post(body);
      expect({ body, status: reply.status }).toEqual({ body, status: 400 });
      expect([-32700, -32600]).toContain(responseOf(reply).error?.code);
    }
    // Without an id a message is a notification: accepted, and nothing is answered.
    const notification = await post({ jsonrpc: "2.0", method: "notifications/initialized" });
    expect(notification.status).toBe(202);
    expect(notification.text).toBe("");
  });

  it("answers a batch with one response per request", async () => {
    const reply = await post([
      { jsonrpc: "2.0", id: 31, method: "ping" },
      { jsonrpc: "2.0", id: 32, method: "tools/list" },
    ]);
    expect(reply.status).toBe(200);
    const ids = reply.messages.map((message) => message.id).sort();
    expect(ids).toEqual([31, 32]);
  });

  it("refuses a body over MCP_MAX_BODY_BYTES with 413, declared or streamed", async () => {
    const big = callRequest("formatter_transform_text", {
      text: "x".repeat(maxBodyBytes),
      operation: "trim",
    });
    const declared = await post(big);
    expect(declared.status).toBe(413);
    expect(responseOf(declared).error?.message).toContain(`${maxBodyBytes} bytes`);

    const encoded = new TextEncoder().encode(JSON.stringify(big));
    const streamed = await fetch(tenant.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: acceptBoth },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(encoded.slice(0, 1_000));
          controller.enqueue(encoded.slice(1_000));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    statuses.push(streamed.status);
    expect(streamed.status).toBe(413);
    expect(streamed.headers.get("content-length")).not.toBe(String(encoded.length));

    const justFits = await post(
      callRequest("formatter_transform_text", { text: "y".repeat(3_000), operation: "trim" }),
    );
    expect(justFits.status).toBe(200);
  });

  it("refuses a foreign Origin and a foreign Host with 403 (DNS rebinding)", async () => {
    const foreign = await post(initialize(), { Origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(responseOf(foreign).error?.message).toContain("Origin");
    const own = await post(initialize(), { Origin: platform.url });
    expect(own.status).toBe(200);
    const localhost = await post(initialize(), { Origin: `http://localhost:${platform.port}` });
    expect(localhost.status).toBe(200);

    for (const host of ["evil.example", `evil.example:${platform.port}`, "127.0.0.1:1"]) {
      const reply = await rawHttp(tenant.url, {
        method: "POST",
        headers: { Host: host, "Content-Type": "application/json", Accept: acceptBoth },
        body: JSON.stringify(initialize()),
      });
      statuses.push(reply.status);
      expect(reply.status).toBe(403);
      expect(reply.text).toContain("Host");
    }
  });

  it("answers other HTTP methods and media types with 4xx", async () => {
    const get = await fetch(tenant.url, { headers: { Accept: "text/event-stream" } });
    statuses.push(get.status);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toContain("POST");
    const put = await fetch(tenant.url, { method: "PUT", body: "{}" });
    statuses.push(put.status);
    expect(put.status).toBe(405);

    const textPlain = await post(initialize(), { "Content-Type": "text/plain" });
    expect(textPlain.status).toBe(415);
    const noAccept = await post(initialize(), { Accept: "text/html" });
    expect(noAccept.status).toBe(406);
    const deleteWithoutSession = await fetch(tenant.url, { method: "DELETE" });
    statuses.push(deleteWithoutSession.status);
    expect(deleteWithoutSession.status).toBe(400);
    const unknownSession = await post(
      { jsonrpc: "2.0", id: 41, method: "tools/list" },
      { "Mcp-Session-Id": "nope" },
    );
    expect(unknownSession.status).toBe(404);
  });

  it("answers an unknown tool with a JSON-RPC error and bad arguments with a tool error naming the field", async () => {
    const unknown = responseOf(await post(callRequest("no_such_tool", {})));
    expect(unknown.error?.code).toBe(-32602);
    expect(unknown.error?.message).toContain("no_such_tool");

    const client = await connectClient(platform.url, tenant.secret);
    try {
      const result = await client.callTool({
        name: "formatter_calculate",
        arguments: { operation: "add", numbers: ["one"] },
      });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/^Invalid arguments\. numbers\.0: /);
    } finally {
      await client.close();
    }
  });

  it("never answered any of the above with a 5xx", () => {
    expect(statuses.length).toBeGreaterThan(25);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
  });
});

describe("protocol features", () => {
  it("keeps the logging level of a session and sends log messages at or above it", async () => {
    const client = await connectClient(platform.url, tenant.secret, "bearer");
    const messages: { level: string; data: unknown }[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
      messages.push({ level: notification.params.level, data: notification.params.data });
    });
    try {
      const call = (numbers: number[], operation = "add") =>
        client.callTool({ name: "formatter_calculate", arguments: { operation, numbers } });
      await call([1, 2]);
      expect(messages).toEqual([]); // nothing before a level is set

      await client.setLoggingLevel("info"); // one HTTP request...
      // The limits in the message and in GET /usage come from the default plan, which the admin
      // plans tests flip: neither may change in between.
      await withDefaultPlanLock(async () => {
        await call([3, 4]); // ...remembered by the next, through the session
        // The queued message counts this call: what is left is what GET /usage says now.
        const usage = await getUsage(tenant.userId);
        const left = (window: keyof typeof usage) =>
          `${usage[window].limit - usage[window].used} of ${usage[window].limit}`;
        expect(messages).toEqual([
          { level: "info", data: "Running formatter_calculate" },
          {
            level: "info",
            data: `formatter_calculate is queued; ${left("hour")} calls left this hour, ${left("day")} today, ${left("month")} this month`,
          },
          { level: "info", data: "formatter_calculate finished" },
        ]);
        expect(usage.hour.used).toBeGreaterThan(0);
      });

      // The level belongs to the session: another session of the same server hears nothing.
      const other = await connectClient(platform.url, tenant.secret);
      const otherMessages: unknown[] = [];
      other.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
        otherMessages.push(notification.params);
      });
      await other.callTool({ name: "formatter_calculate", arguments: { operation: "add", numbers: [5] } });
      await other.close();
      expect(otherMessages).toEqual([]);

      messages.length = 0;
      await client.setLoggingLevel("warning");
      await call([1, 2]);
      await call([1, 0], "divide");
      expect(messages).toEqual([{ level: "warning", data: "formatter_calculate failed" }]);
    } finally {
      await client.close();
    }
  });

  it("relays progress of a running call to the client", async () => {
    const client = await connectClient(platform.url, tenant.secret);
    const progress: { progress: number; total?: number }[] = [];
    try {
      const result = await client.callTool({ name: "delay_wait", arguments: { seconds: 3 } }, undefined, {
        onprogress: (update) => progress.push({ progress: update.progress, total: update.total }),
      });
      expect(result.structuredContent).toEqual({ waitedSeconds: 3 });
      expect(progress.length).toBeGreaterThanOrEqual(2);
      expect(progress.every((update) => update.total === 3)).toBe(true);
      const values = progress.map((update) => update.progress);
      expect(values).toEqual([...values].sort((a, b) => a - b));
      expect(values.at(-1)).toBeCloseTo(3, 1);
    } finally {
      await client.close();
    }
  });
});

describe("both SDK generations", () => {
  it("serves the 1.x client at its latest protocol revision", async () => {
    const client = await connectClient(platform.url, tenant.secret);
    try {
      expect(client.getServerVersion()?.name).toBe("toolgate");
      const tools = (await client.listTools()).tools;
      const calculate = tools.find((tool) => tool.name === "formatter_calculate");
      expect(calculate?.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true });
      expect(calculate?.outputSchema).toBeDefined();
      const result = await client.callTool({
        name: "formatter_calculate",
        arguments: { operation: "max", numbers: [3, 9, 4] },
      });
      expect(result.structuredContent).toEqual({ result: 9 });
    } finally {
      await client.close();
    }
  });

  it("serves the 2.x client (@modelcontextprotocol/client), by URL and by bearer header", async () => {
    for (const via of ["path", "bearer"] as const) {
      const client = new ClientV2({ name: "toolgate-tests-v2", version: "2.0.0" });
      const transport =
        via === "path"
          ? new TransportV2(new URL(tenant.url))
          : new TransportV2(new URL(`${platform.url}/mcp`), {
              requestInit: { headers: { Authorization: `Bearer ${tenant.secret}` } },
            });
      await client.connect(transport);
      try {
        const tools = (await client.listTools()).tools.map((tool) => tool.name);
        expect(tools).toContain("formatter_transform_text");
        const result = await client.callTool({
          name: "formatter_transform_text",
          arguments: { text: "Both Generations", operation: "slugify" },
        });
        expect(result.isError).toBeFalsy();
        expect(result.structuredContent).toEqual({ result: "both-generations" });
      } finally {
        await client.close();
      }
    }
  });

  it("negotiates each protocol revision the server supports", async () => {
    for (const version of ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"]) {
      const reply = await post(initialize(version));
      expect(reply.status).toBe(200);
      expect(responseOf(reply).result?.protocolVersion).toBe(version);
    }
    const future = await post(initialize("2099-01-01"));
    expect(future.status).toBe(200);
    expect(typeof responseOf(future).result?.protocolVersion).toBe("string");
  });
});
