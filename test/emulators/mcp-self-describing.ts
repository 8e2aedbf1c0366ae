// An upstream MCP server on loopback that says things about itself: `instructions` in its
// initialize result and a `description` in its serverInfo, as the MCP specification lets a server
// do (both set on demand, so a test can poison them). One stateless Streamable HTTP endpoint (/mcp)
// with one clean tool; it can be stopped and started again on the same port, as a server that
// goes down and comes back.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";

export type SelfDescribingUpstream = {
  url: string;
  /** What the next handshakes say. */
  say: (texts: { instructions?: string; description?: string }) => void;
  /** Stops listening (connections are refused) until `start` is called again. */
  stop: () => Promise<void>;
  start: () => Promise<void>;
};

function createMcpServer(texts: { instructions?: string; description?: string }): Server {
  const server = new Server(
    {
      name: "self-describing",
      version: "1.0.0",
      ...(texts.description && { description: texts.description }),
    },
    { capabilities: { tools: {} }, ...(texts.instructions && { instructions: texts.instructions }) },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: [
      {
        name: "lookup",
        description: "Looks a word up in the dictionary.",
        inputSchema: { type: "object", properties: { word: { type: "string" } }, required: ["word"] },
        annotations: { readOnlyHint: true },
      },
    ],
  }));
  server.setRequestHandler(CallToolRequestSchema, (request) => ({
    content: [{ type: "text", text: `A word: ${String(request.params.arguments?.word)}` }],
  }));
  return server;
}

export async function startSelfDescribingUpstream(): Promise<SelfDescribingUpstream> {
  let texts: { instructions?: string; description?: string } = {};
  let port = 0;
  let listening: http.Server | undefined;

  const start = async () => {
    const server = http.createServer(async (request, response) => {
      if (request.url !== "/mcp") {
        response.writeHead(404).end();
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : undefined;
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      const mcp = createMcpServer(texts);
      response.on("close", () => {
        void transport.close();
        void mcp.close();
      });
      await mcp.connect(transport);
      await transport.handleRequest(request, response, body);
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
    listening = server;
  };

  const stop = async () => {
    const server = listening;
    listening = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  await start();
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    say: (next) => {
      texts = next;
    },
    stop,
    start,
  };
}
