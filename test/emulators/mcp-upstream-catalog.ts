// An upstream MCP server on loopback with sessions (Streamable HTTP, the SDK's own server classes),
// for what the relay needs and the reference server does not give on demand: a prompt and a
// resource under names every instance shares (two instances, two apps: do they collide?), and a
// tool list that changes on demand, announced with `notifications/tools/list_changed` on every
// open session's GET stream, as the specification says a server with `tools.listChanged` does.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import {
  CallToolRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";

export type CatalogUpstream = {
  url: string;
  /** Requests seen: method and whether they carried a session. */
  requests: { method: string; session: boolean }[];
  /** Sessions whose GET stream is open now. */
  openStreams: () => number;
  /** Changes the "echo" tool's description and tells every session its tool list changed. */
  changeEchoDescription: (description: string) => Promise<void>;
  stop: () => Promise<void>;
};

export const sharedPromptName = "simple-prompt";
export const sharedResourceUri = "file:///README.md";

export async function startCatalogUpstream(label: string): Promise<CatalogUpstream> {
  const state = { echoDescription: "Says back what it is given." };
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: Server }>();
  const streams = new Set<string>();
  const requests: CatalogUpstream["requests"] = [];

  const createServer = () => {
    const server = new Server(
      { name: `catalog-${label}`, version: "1.0.0" },
      { capabilities: { tools: { listChanged: true }, prompts: {}, resources: {} } },
    );
    server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: [
        {
          name: "echo",
          description: state.echoDescription,
          inputSchema: { type: "object", properties: { message: { type: "string" } }, required: ["message"] },
        },
      ],
    }));
    server.setRequestHandler(CallToolRequestSchema, (request) => ({
      content: [{ type: "text", text: `${label}: ${String(request.params.arguments?.message)}` }],
    }));
    server.setRequestHandler(ListPromptsRequestSchema, () => ({
      prompts: [{ name: sharedPromptName, description: `A greeting from ${label}.` }],
    }));
    server.setRequestHandler(GetPromptRequestSchema, (request) => {
      if (request.params.name !== sharedPromptName) throw new Error(`Unknown prompt ${request.params.name}`);
      return { messages: [{ role: "user", content: { type: "text", text: `Hello from ${label}` } }] };
    });
    // Three resources, two to a page.
    server.setRequestHandler(ListResourcesRequestSchema, (request) => {
      const resources = [
        { uri: sharedResourceUri, name: "README", mimeType: "text/markdown" },
        { uri: "file:///notes/1.txt", name: "Note 1", mimeType: "text/plain" },
        { uri: "file:///notes/2.txt", name: "Note 2", mimeType: "text/plain" },
      ];
      const start = request.params?.cursor === "page-2" ? 2 : 0;
      return { resources: resources.slice(start, start + 2), ...(start === 0 && { nextCursor: "page-2" }) };
    });
    server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: [] }));
    server.setRequestHandler(ReadResourceRequestSchema, (request) => {
      if (request.params.uri !== sharedResourceUri) throw new Error(`No resource ${request.params.uri}`);
      return { contents: [{ uri: sharedResourceUri, mimeType: "text/markdown", text: `# ${label} readme` }] };
    });
    return server;
  };

  const httpServer = http.createServer(async (request, response) => {
    const sessionId = request.headers["mcp-session-id"];
    const id = typeof sessionId === "string" ? sessionId : undefined;
    requests.push({ method: request.method ?? "", session: id !== undefined });
    try {
      const existing = id ? sessions.get(id) : undefined;
      if (existing) {
        if (request.method === "GET" && id) {
          streams.add(id);
          response.on("close", () => streams.delete(id));
        }
        return await existing.transport.handleRequest(request, response);
      }
      if (id || request.method !== "POST") {
        response.writeHead(id ? 404 : 400, { "content-type": "application/json" });
        return void response.end(
          JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32000, message: "No session" } }),
        );
      }
      const server = createServer();
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        onsessioninitialized: (newId) => {
          sessions.set(newId, { transport, server });
        },
      });
      transport.onclose = () => {
        if (transport.sessionId) sessions.delete(transport.sessionId);
      };
      await server.connect(transport);
      await transport.handleRequest(request, response);
    } catch (error) {
      if (!response.headersSent) response.writeHead(500);
      response.end(String(error));
    }
  });
  const port = await new Promise<number>((resolve) =>
    httpServer.listen(0, "127.0.0.1", () => resolve((httpServer.address() as AddressInfo).port)),
  );
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    requests,
    openStreams: () => streams.size,
    changeEchoDescription: async (description) => {
      state.echoDescription = description;
      await Promise.all(
        [...sessions.values()].map(({ server }) => server.sendToolListChanged().catch(() => {})),
      );
    },
    stop: async () => {
      await Promise.all([...sessions.values()].map(({ transport }) => transport.close().catch(() => {})));
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
