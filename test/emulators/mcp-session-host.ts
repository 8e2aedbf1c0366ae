// Serves the SDK's own Server over Streamable HTTP on loopback, one Server per session, as an
// upstream MCP server with sessions does: each session's GET stream is counted, and a notice can
// be sent to every open session. The upstream emulators differ only in the Server they make.
import { randomUUID } from "node:crypto";
import http, { type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";

export type McpSessionHost = {
  url: string;
  /** Open GET streams, on which the server's notices reach a client. */
  openStreams: () => number;
  toEverySession: (send: (server: Server) => Promise<void>) => Promise<void>;
  stop: () => Promise<void>;
};

export async function hostMcpSessions(
  createServer: () => Server,
  onRequest?: (request: IncomingMessage, sessionId: string | undefined) => void,
): Promise<McpSessionHost> {
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: Server }>();
  const streams = new Set<string>();
  const httpServer = http.createServer(async (request, response) => {
    const sessionId = request.headers["mcp-session-id"];
    const id = typeof sessionId === "string" ? sessionId : undefined;
    onRequest?.(request, id);
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
    openStreams: () => streams.size,
    toEverySession: (send) =>
      Promise.all([...sessions.values()].map(({ server }) => send(server).catch(() => {}))).then(() => {}),
    stop: async () => {
      await Promise.all([...sessions.values()].map(({ transport }) => transport.close().catch(() => {})));
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
