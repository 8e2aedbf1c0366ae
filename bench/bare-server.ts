// The baseline: an official-SDK MCP server with one echo tool, as the SDK's own stateless example
// builds it (a new McpServer and transport per request on node:http), with one shared JSON
// Schema validator. Run as its own process so that it does not share an event loop with the
// load generator; prints "listening <url>" when ready.
import http from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { z } from "zod";

const jsonSchemaValidator = new AjvJsonSchemaValidator();

function buildServer(): McpServer {
  const server = new McpServer({ name: "bare-echo", version: "1.0.0" }, { jsonSchemaValidator });
  server.registerTool(
    "echo",
    {
      title: "Echo",
      description: "Returns the text it is given.",
      inputSchema: { text: z.string().describe("The text to echo.") },
    },
    async ({ text }) => ({ content: [{ type: "text", text }] }),
  );
  return server;
}

function readBody(request: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch (error) {
        reject(error);
      }
    });
    request.on("error", reject);
  });
}

const httpServer = http.createServer(async (request, response) => {
  if (request.method !== "POST" || request.url !== "/mcp") {
    response.writeHead(request.url === "/mcp" ? 405 : 404).end();
    return;
  }
  try {
    const body = await readBody(request);
    const server = buildServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    response.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request, response, body);
  } catch (error) {
    if (!response.headersSent) response.writeHead(400, { "content-type": "application/json" });
    response.end(
      JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32700, message: String(error) } }),
    );
  }
});
httpServer.keepAliveTimeout = 65_000;

const port = Number(process.argv[2] ?? 0);
httpServer.listen(port, "127.0.0.1", () => {
  const address = httpServer.address();
  if (typeof address === "object" && address) console.log(`listening http://127.0.0.1:${address.port}/mcp`);
});
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => process.exit(0));
