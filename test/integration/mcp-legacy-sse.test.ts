// The older HTTP+SSE transport, driven by the SDK's own SSE client, at both the secret URL and
// the bearer URL; a cancellation sent over it reaches the running call; and the stream is
// refused without a valid secret.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { seedDemo } from "@/lib/demo/seed-demo";
import { addTool, deleteTool } from "@/lib/tools/manage-tools";
import { type RunningPlatform, startPlatform } from "../helpers/platform";

let platform: RunningPlatform;
let mcpUrl: string;
let userId: string;
let serverId: string;

beforeAll(async () => {
  platform = await startPlatform();
  process.env.APP_URL = platform.url;
  const { resetEnvCache } = await import("@/env");
  resetEnvCache();
  ({ mcpUrl, userId, serverId } = await seedDemo(`sse-${Date.now()}@example.com`));
});

afterAll(async () => {
  await platform?.stop();
});

async function listAndCall(transport: SSEClientTransport) {
  const client = new Client({ name: "legacy-sse-test", version: "1.0.0" });
  await client.connect(transport);
  const { tools } = await client.listTools();
  const result = await client.callTool({
    name: "formatter_count_text",
    arguments: { text: "one two three" },
  });
  await client.close();
  return { names: tools.map((tool) => tool.name), result };
}

describe("GET /mcp/<secret>/sse", () => {
  it("lists and calls tools over the HTTP+SSE transport", async () => {
    const { names, result } = await listAndCall(new SSEClientTransport(new URL(`${mcpUrl}/sse`)));
    expect(names).toContain("formatter_count_text");
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ characters: 13, words: 3, lines: 1 });
  });

  it("relays a cancellation to the running call, which runs to its end and notes it", async () => {
    const client = new Client({ name: "legacy-sse-test", version: "1.0.0" });
    await client.connect(new SSEClientTransport(new URL(`${mcpUrl}/sse`)));
    const controller = new AbortController();
    try {
      // Cancelled at its first progress report: the wait has started, so it runs to its end.
      const call = client.callTool({ name: "delay_wait", arguments: { seconds: 2 } }, undefined, {
        signal: controller.signal,
        onprogress: () => controller.abort("the user pressed stop"),
      });
      await expect(call).rejects.toThrow();
      const newest = () =>
        getDb().call.findFirst({ where: { userId, toolName: "delay_wait" }, orderBy: { startedAt: "desc" } });
      await expect.poll(async () => (await newest())?.cancelRequestedAt).not.toBeNull();
      await expect.poll(async () => (await newest())?.status).toBe("SUCCESS");
      expect(await newest()).toMatchObject({ counted: true, output: { waitedSeconds: 2 } });
    } finally {
      await client.close();
    }
  });

  it("tells the client on its stream when the server's tool list changes", async () => {
    const client = new Client({ name: "legacy-sse-test", version: "1.0.0" });
    let notified = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      notified++;
    });
    await client.connect(new SSEClientTransport(new URL(`${mcpUrl}/sse`)));
    try {
      expect(client.getServerCapabilities()?.tools?.listChanged).toBe(true);
      const before = (await client.listTools()).tools.length;
      const tool = await addTool(userId, serverId, {
        integration: "formatter",
        action: "count_text",
        name: "count_again",
        fields: {},
      });
      await expect.poll(() => notified, { timeout: 15_000 }).toBe(1);
      expect((await client.listTools()).tools).toHaveLength(before + 1);
      await deleteTool(userId, serverId, tool.id);
      await expect.poll(() => notified, { timeout: 15_000 }).toBe(2);
    } finally {
      await client.close();
    }
  });

  it("answers 401 for an unknown secret", async () => {
    const response = await fetch(`${platform.url}/mcp/tgs_${"x".repeat(43)}/sse`);
    expect(response.status).toBe(401);
  });

  it("refuses messages for a session it never opened", async () => {
    const response = await fetch(`${mcpUrl}/messages?sessionId=nope`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
    });
    expect(response.status).toBe(404);
  });
});

describe("GET /mcp/sse with a bearer secret", () => {
  it("serves the same server", async () => {
    const secret = new URL(mcpUrl).pathname.split("/").pop()!;
    const headers = { Authorization: `Bearer ${secret}` };
    const transport = new SSEClientTransport(new URL(`${platform.url}/mcp/sse`), {
      eventSourceInit: {
        fetch: (url, init) =>
          fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }),
      },
      requestInit: { headers },
    });
    const { result } = await listAndCall(transport);
    expect(result.structuredContent).toEqual({ characters: 13, words: 3, lines: 1 });
  });
});
