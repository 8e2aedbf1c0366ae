// The direct tools/list answer is the SDK's answer, byte for byte, and is given only to requests
// the SDK would answer the same way.
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { describe, expect, it } from "vitest";
import type { ServerSnapshot } from "@/lib/servers/server-snapshot";
import { buildMcpServer } from "./build-server";
import { answerToolsListDirectly } from "./direct-tools-list";

const snapshot: ServerSnapshot = {
  serverId: "server-1",
  serverName: "Direct",
  userId: "user-1",
  secretHash: "00",
  owner: { suspended: false, limits: { hour: 80, day: 160, month: 300 } },
  org: null,
  addedApps: {},
  tools: [
    {
      id: "tool-1",
      name: "formatter_transform_text",
      description: null,
      integration: "formatter",
      action: "transform_text",
      connectionId: null,
      fields: { operation: { mode: "fixed", value: "slugify" } },
      allowedRoles: [],
      allowedUserIds: [],
    },
    {
      id: "tool-2",
      name: "count_words",
      description: "Counts “words”, with a description of its own",
      integration: "formatter",
      action: "count_text",
      connectionId: null,
      fields: {},
      allowedRoles: [],
      allowedUserIds: [],
    },
  ],
};

const plainHeaders = {
  accept: "application/json, text/event-stream",
  "content-type": "application/json",
  "mcp-protocol-version": "2025-06-18",
};

function requestOf(body: unknown, headers: Record<string, string> = plainHeaders): Request {
  return new Request("http://127.0.0.1/mcp", { method: "POST", headers, body: JSON.stringify(body) });
}

async function answerOfSdk(body: unknown, headers?: Record<string, string>) {
  const server = buildMcpServer(snapshot);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  const response = await transport.handleRequest(requestOf(body, headers), { parsedBody: body });
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
}

describe("answerToolsListDirectly", () => {
  it.each([
    { jsonrpc: "2.0", id: 7, method: "tools/list" },
    { jsonrpc: "2.0", id: 'req-"quoted"', method: "tools/list", params: {} },
  ])("answers %j exactly as the SDK does", async (body) => {
    const direct = answerToolsListDirectly(requestOf(body), body, snapshot);
    expect(direct).not.toBeNull();
    const expected = await answerOfSdk(body);
    expect({
      status: direct!.status,
      type: direct!.headers.get("content-type"),
      text: await direct!.text(),
    }).toEqual(expected);
    expect(JSON.parse(expected.text).result.tools.map((tool: { name: string }) => tool.name)).toEqual([
      "formatter_transform_text",
      "count_words",
    ]);
  });

  it("leaves every other request to the SDK", () => {
    const plain = { jsonrpc: "2.0", id: 1, method: "tools/list" };
    const others: [unknown, Record<string, string>?][] = [
      [[plain]],
      [{ ...plain, params: { cursor: "x" } }],
      [{ ...plain, params: { _meta: { progressToken: 1 } } }],
      [{ ...plain, id: null }],
      [{ ...plain, id: 1.5 }],
      [{ ...plain, extra: true }],
      [{ ...plain, method: "tools/call" }],
      [{ ...plain, jsonrpc: "1.0" }],
      [plain, { ...plainHeaders, accept: "application/json" }],
      [plain, { ...plainHeaders, "content-type": "text/plain" }],
      [plain, { ...plainHeaders, "mcp-protocol-version": "1999-01-01" }],
    ];
    for (const [body, headers] of others)
      expect(answerToolsListDirectly(requestOf(body, headers), body, snapshot)).toBeNull();
  });
});
