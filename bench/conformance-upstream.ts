// An upstream MCP server (the SDK's Server, Streamable HTTP, stateless, loopback only) serving
// the official conformance suite's fixture tools as its scenarios describe them
// (@modelcontextprotocol/conformance 0.1.16): text, image, audio, an embedded resource, mixed
// content, a tool error, logging and progress during a call, and a JSON Schema 2020-12 input.
// The platform fronts it as an MCP app (bench/conformance-upstream-app.ts), so the suite checks
// what reaches a client through our endpoint. test/integration/apps-content.test.ts uses it too.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  ListToolsRequestSchema,
  type ProgressToken,
  type ServerNotification,
  type ServerRequest,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";

/** A 1×1 red PNG. */
export const redPixelPng =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

/** A WAV file of eight silent 8-bit samples at 8 kHz, mono. */
function silentWav(): string {
  const samples = Buffer.alloc(8, 0x80);
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + samples.length, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(8_000, 24); // sample rate
  header.writeUInt32LE(8_000, 28); // byte rate
  header.writeUInt16LE(1, 32); // block align
  header.writeUInt16LE(8, 34); // bits per sample
  header.write("data", 36);
  header.writeUInt32LE(samples.length, 40);
  return Buffer.concat([header, samples]).toString("base64");
}
export const silentWavBase64 = silentWav();

export const embeddedResource = {
  uri: "test://embedded-resource",
  mimeType: "text/plain",
  text: "This is an embedded resource content.",
} as const;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The suite's JSON Schema 2020-12 fixture, listed exactly as its scenario gives it. */
const jsonSchema2020Input = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object" as const,
  $defs: {
    address: { type: "object", properties: { street: { type: "string" }, city: { type: "string" } } },
  },
  properties: { name: { type: "string" }, address: { $ref: "#/$defs/address" } },
  additionalProperties: false,
};

const noArguments = { type: "object" as const, properties: {} };

/** The tools with a fixed result, by name. */
const fixedResults: Record<string, { description: string; result: CallToolResult }> = {
  test_simple_text: {
    description: "Returns a fixed text.",
    result: { content: [{ type: "text", text: "This is a simple text response for testing." }] },
  },
  test_image_content: {
    description: "Returns a 1×1 red PNG.",
    result: { content: [{ type: "image", data: redPixelPng, mimeType: "image/png" }] },
  },
  test_audio_content: {
    description: "Returns a short silent WAV.",
    result: { content: [{ type: "audio", data: silentWavBase64, mimeType: "audio/wav" }] },
  },
  test_embedded_resource: {
    description: "Returns an embedded text resource.",
    result: { content: [{ type: "resource", resource: { ...embeddedResource } }] },
  },
  test_multiple_content_types: {
    description: "Returns text, an image and an embedded resource.",
    result: {
      content: [
        { type: "text", text: "Multiple content types test:" },
        { type: "image", data: redPixelPng, mimeType: "image/png" },
        {
          type: "resource",
          resource: {
            uri: "test://mixed-content-resource",
            mimeType: "application/json",
            text: JSON.stringify({ test: "data", value: 123 }),
          },
        },
      ],
    },
  },
  test_error_handling: {
    description: "Always fails, as a tool error.",
    result: {
      isError: true,
      content: [{ type: "text", text: "This tool intentionally returns an error for testing" }],
    },
  },
};

const tools: Tool[] = [
  ...Object.entries(fixedResults).map(([name, { description }]) => ({
    name,
    description,
    inputSchema: noArguments,
  })),
  {
    name: "test_tool_with_logging",
    description: "Sends three log messages while it runs.",
    inputSchema: noArguments,
  },
  {
    name: "test_tool_with_progress",
    description: "Reports progress 0, 50 and 100 of 100.",
    inputSchema: noArguments,
  },
  {
    name: "json_schema_2020_12_tool",
    description: "Tool with JSON Schema 2020-12 features",
    inputSchema: jsonSchema2020Input,
  },
];

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

async function logThrice(extra: Extra): Promise<CallToolResult> {
  const messages = ["Tool execution started", "Tool processing data", "Tool execution completed"];
  for (const [index, data] of messages.entries()) {
    if (index > 0) await pause(50);
    await extra.sendNotification({
      method: "notifications/message",
      params: { level: "info", logger: "conformance-fixtures", data },
    });
  }
  return { content: [{ type: "text", text: "Logging tool finished." }] };
}

async function reportProgress(
  extra: Extra,
  progressToken: ProgressToken | undefined,
): Promise<CallToolResult> {
  for (const [index, progress] of [0, 50, 100].entries()) {
    if (index > 0) await pause(50);
    if (progressToken !== undefined)
      await extra.sendNotification({
        method: "notifications/progress",
        params: { progressToken, progress, total: 100 },
      });
  }
  return { content: [{ type: "text", text: "Progress tool finished." }] };
}

function createFixtureServer(): Server {
  const server = new Server(
    { name: "conformance-fixtures", version: "1.0.0" },
    { capabilities: { tools: {}, logging: {} } },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name } = request.params;
    const fixed = fixedResults[name];
    if (fixed) return fixed.result;
    if (name === "test_tool_with_logging") return logThrice(extra);
    if (name === "test_tool_with_progress") return reportProgress(extra, request.params._meta?.progressToken);
    if (name === "json_schema_2020_12_tool")
      return { content: [{ type: "text", text: JSON.stringify(request.params.arguments ?? {}) }] };
    return { isError: true, content: [{ type: "text", text: `Unknown tool: ${name}` }] };
  });
  return server;
}

export type ConformanceUpstream = { url: string; stop: () => Promise<void> };

/** Starts the fixture server on 127.0.0.1 (a fresh server and stateless transport per request). */
export async function startConformanceUpstream(port = 0): Promise<ConformanceUpstream> {
  const httpServer = http.createServer(async (request, response) => {
    if (new URL(request.url ?? "/", "http://upstream").pathname !== "/mcp") {
      response.writeHead(404).end();
      return;
    }
    const server = createFixtureServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    response.on("close", () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(request, response);
    } catch (error) {
      if (!response.headersSent) response.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => httpServer.listen(port, "127.0.0.1", resolve));
  const { port: bound } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/mcp`,
    stop: () =>
      new Promise((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
}
