import { Server } from "@modelcontextprotocol/sdk/server/index.js";
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
import { hostMcpSessions } from "./mcp-session-host";

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

  const host = await hostMcpSessions(createServer);
  const { toEverySession } = host;
  return {
    url: host.url,
    calls,
    completions,
    subscriptions,
    openStreams: host.openStreams,
    announceResourcesChanged: () => toEverySession((server) => server.sendResourceListChanged()),
    announcePromptsChanged: () => toEverySession((server) => server.sendPromptListChanged()),
    announceResourceUpdated: (uri) => toEverySession((server) => server.sendResourceUpdated({ uri })),
    stop: host.stop,
  };
}
