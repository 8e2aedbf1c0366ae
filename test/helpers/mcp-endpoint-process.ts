// The MCP endpoint on its own: the web process's node:http mounting of lib/mcp (scripts/web.ts
// serves APP_URL/mcp the same way, in front of Next.js), without the pages, so tests of the
// endpoint alone need no production build. Each one is a replica with its own caches and feed.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { matchMcpRequest, serveMcpOverNodeHttp } from "@/lib/mcp/node-http";

const server = http.createServer((request, response) => {
  const secret = matchMcpRequest(request.method, request.url);
  if (secret === undefined) {
    response.writeHead(404).end();
    return;
  }
  void serveMcpOverNodeHttp(request, response, secret);
});
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(`mcp endpoint listening on ${(server.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => process.exit(0));
