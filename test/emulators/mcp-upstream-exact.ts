// An upstream MCP server on loopback with sessions (Streamable HTTP, the SDK's own server classes),
// for what the relay passes on exactly: a tool whose input and output schemas use `$defs`/`$ref`,
// formats and draft 2020-12, returning structured content; one whose structured content does not
// fit its own output schema; a prompt and a resource template that complete their arguments (and
// refuse a completion for anything else, as the SDK's McpServer does); resource subscriptions;
// and, on demand, resources/prompts list_changed and resources/updated on every session's stream.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  type Tool,
  UnsubscribeRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";

export const tripPromptName = "trip_brief";
export const cityTemplate = "trips://{city}/summary";
export const cities = ["Paris", "Porto", "Prague", "Lisbon"];

export const bookTripTool: Tool = {
  name: "book_trip",
  description: "Books a trip for one traveller.",
  inputSchema: {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    properties: {
      traveller: { $ref: "#/$defs/traveller" },
      date: { type: "string", format: "date", description: "Day of departure" },
      seats: { type: "integer", minimum: 1, maximum: 9, default: 1 },
      cabin: { type: "string", enum: ["economy", "business"] },
    },
    required: ["traveller", "date", "cabin"],
    $defs: {
      traveller: {
        type: "object",
        properties: { name: { type: "string", minLength: 1 }, email: { type: "string", format: "email" } },
        required: ["name", "email"],
      },
    },
  },
  outputSchema: {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    properties: { booking: { $ref: "#/$defs/booking" } },
    required: ["booking"],
    $defs: {
      booking: {
        type: "object",
        properties: { id: { type: "string" }, seats: { type: "integer" }, cabin: { type: "string" } },
        required: ["id", "seats", "cabin"],
      },
    },
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
};

export const misshapenTool: Tool = {
  name: "misshapen",
  description: "Declares a number and sends a word.",
  inputSchema: { type: "object", properties: {} },
  outputSchema: { type: "object", properties: { n: { type: "number" } }, required: ["n"] },
};

export type ExactUpstream = {
  url: string;
  /** The arguments of every tool call, in order. */
  calls: { name: string; arguments: Record<string, unknown> }[];
  /** Every completion request as received. */
  completions: unknown[];
  /** The resource URIs subscribed to now. */
  subscriptions: Set<string>;
  /** Sessions whose GET stream is open now. */
  openStreams: () => number;
  announceResourcesChanged: () => Promise<void>;
  announcePromptsChanged: () => Promise<void>;
  announceResourceUpdated: (uri: string) => Promise<void>;
  stop: () => Promise<void>;
};

function completeCity(value: string): string[] {
  return cities.filter((city) => city.toLowerCase().startsWith(value.toLowerCase()));
}

export async function startExactUpstream(): Promise<ExactUpstream> {
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: Server }>();
  const streams = new Set<string>();
  const calls: ExactUpstream["calls"] = [];
  const completions: unknown[] = [];
  const subscriptions = new Set<string>();

  const createServer = () => {
    const server = new Server(
      { name: "exact-upstream", version: "1.0.0" },
      {
        capabilities: {
          tools: {},
          prompts: { listChanged: true },
          resources: { listChanged: true, subscribe: true },
          completions: {},
        },
      },
    );
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [bookTripTool, misshapenTool] }));
    server.setRequestHandler(CallToolRequestSchema, (request) => {
      const args = (request.params.arguments ?? {}) as Record<string, unknown>;
      calls.push({ name: request.params.name, arguments: args });
      if (request.params.name === "misshapen")
        return { content: [{ type: "text", text: "n is a word" }], structuredContent: { n: "a word" } };
      const booking = { id: "BK-1", seats: Number(args.seats ?? 1), cabin: String(args.cabin) };
      return {
        content: [{ type: "text", text: JSON.stringify({ booking }) }],
        structuredContent: { booking },
      };
    });
    server.setRequestHandler(ListPromptsRequestSchema, () => ({
      prompts: [{ name: tripPromptName, arguments: [{ name: "city", required: true }] }],
    }));
    server.setRequestHandler(GetPromptRequestSchema, (request) => ({
      messages: [
        { role: "user", content: { type: "text", text: `Plan a trip to ${request.params.arguments?.city}` } },
      ],
    }));
    server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: [] }));
    server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
      resourceTemplates: [{ uriTemplate: cityTemplate, name: "City summary", mimeType: "text/plain" }],
    }));
    server.setRequestHandler(ReadResourceRequestSchema, (request) => ({
      contents: [{ uri: request.params.uri, mimeType: "text/plain", text: `About ${request.params.uri}` }],
    }));
    server.setRequestHandler(CompleteRequestSchema, (request) => {
      completions.push(request.params);
      const { ref, argument } = request.params;
      const known =
        (ref.type === "ref/prompt" && ref.name === tripPromptName) ||
        (ref.type === "ref/resource" && ref.uri === cityTemplate);
      if (!known || argument.name !== "city")
        throw new McpError(ErrorCode.InvalidParams, `No completion for ${JSON.stringify(ref)}`);
      const values = completeCity(argument.value);
      return { completion: { values, total: values.length, hasMore: false } };
    });
    server.setRequestHandler(SubscribeRequestSchema, (request) => {
      subscriptions.add(request.params.uri);
      return {};
    });
    server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
      subscriptions.delete(request.params.uri);
      return {};
    });
    return server;
  };

  const httpServer = http.createServer(async (request, response) => {
    const sessionId = request.headers["mcp-session-id"];
    const id = typeof sessionId === "string" ? sessionId : undefined;
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
  const toEverySession = (send: (server: Server) => Promise<void>) =>
    Promise.all([...sessions.values()].map(({ server }) => send(server).catch(() => {}))).then(() => {});
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    calls,
    completions,
    subscriptions,
    openStreams: () => streams.size,
    announceResourcesChanged: () => toEverySession((server) => server.sendResourceListChanged()),
    announcePromptsChanged: () => toEverySession((server) => server.sendPromptListChanged()),
    announceResourceUpdated: (uri) => toEverySession((server) => server.sendResourceUpdated({ uri })),
    stop: async () => {
      await Promise.all([...sessions.values()].map(({ transport }) => transport.close().catch(() => {})));
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
