// The production web process that `npm start` runs: one node:http server on PORT that serves the
// MCP endpoint (APP_URL/mcp and APP_URL/mcp/<secret>) directly through lib/mcp, and hands every
// other request to Next.js (pages, REST API, auth), exactly as `next start` would. The route
// handlers under app/mcp stay in place for `npm run dev` and for deployments that run
// `next start` themselves; both paths call the same handleMcpRequest.
import http from "node:http";
import type { Duplex } from "node:stream";
import next from "next";
import { getEnv, getListenHost, requireSettings } from "@/env";
import { disconnectDb } from "@/lib/db/client";
import { pinClientAddress } from "@/lib/http/client-address";
import { refuseRequestLine, servedMethods, writeRefusal } from "@/lib/http/request-line";
import { createLogger, redactUrlPath } from "@/lib/log/logger";
import { matchMcpRequest, serveMcpOverNodeHttp } from "@/lib/mcp/node-http";
import { orphanGraceMs, whenSupervisorGone } from "@/lib/runtime/parent-watch";
import { findProjectRoot } from "@/lib/runtime/project-root";

const projectRoot = findProjectRoot(import.meta.dirname);
const log = createLogger({ process: "web" });

// Until the server runs, there is nothing to finish: stopping is exiting.
let stop: (exitCode: number, deadlineMs: number) => void = (exitCode) => process.exit(exitCode);
whenSupervisorGone(() => stop(1, orphanGraceMs));

/** A request's path as it may be logged: no query, no MCP secret, no more than 300 characters. */
function loggedPath(url: string | undefined): string {
  return redactUrlPath((url ?? "").split("?")[0]!).slice(0, 300);
}

async function main(): Promise<void> {
  // Sessions are signed, call inputs sealed, calls recorded and queued: without any of these the
  // server would start and then fail its requests.
  requireSettings(["DATABASE_URL", "REDIS_URL", "AUTH_SECRET", "ENCRYPTION_KEY"], "The web server");
  const { PORT, TRUST_PROXY, SHUTDOWN_GRACE_MS } = getEnv();
  const host = getListenHost();
  const app = next({ dev: false, dir: projectRoot, port: PORT, hostname: host });
  const handleWithNext = app.getRequestHandler();
  await app.prepare();

  const server = http.createServer((request, response) => {
    pinClientAddress(request, TRUST_PROXY);
    const refusal = refuseRequestLine(request.method, request.url);
    if (refusal) {
      log.warn(
        { method: request.method, url: loggedPath(request.url), status: refusal.status },
        refusal.message,
      );
      writeRefusal(response, refusal, request.url);
      return;
    }
    const mcpSecret = matchMcpRequest(request.method, request.url);
    if (mcpSecret !== undefined) {
      void serveMcpOverNodeHttp(request, response, mcpSecret);
      return;
    }
    handleWithNext(request, response).catch((error: Error) => {
      log.error({ err: redactUrlPath(error.message), url: loggedPath(request.url) }, "request failed");
      if (!response.headersSent) response.writeHead(500).end("Internal Server Error");
    });
  });
  // CONNECT (a proxy tunnel) never reaches the request handler; without this Node would drop the
  // connection without an answer.
  server.on("connect", (_request: http.IncomingMessage, socket: Duplex) => {
    log.warn({ method: "CONNECT", status: 405 }, "The method CONNECT is not allowed here.");
    socket.end(
      `HTTP/1.1 405 Method Not Allowed\r\nAllow: ${servedMethods.join(", ")}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
    );
  });
  server.on("error", (error) => {
    log.fatal({ err: error.message }, "the web server could not listen");
    process.exit(1);
  });
  server.listen(PORT, host, () =>
    log.info({ host: host ?? "all interfaces", port: PORT }, "web server listening"),
  );

  // As `next start` does: stop accepting, let pending requests finish, close Next, exit; requests
  // still open at the deadline are cut.
  stop = (exitCode, deadlineMs) => {
    stop = () => {}; // once
    const exit = () => process.exit(exitCode);
    setTimeout(() => {
      server.closeAllConnections();
      exit();
    }, deadlineMs).unref();
    server.close(() => {
      void Promise.allSettled([app.close(), disconnectDb()]).finally(exit);
    });
  };
  process.once("SIGTERM", () => stop(143, SHUTDOWN_GRACE_MS));
  process.once("SIGINT", () => stop(130, SHUTDOWN_GRACE_MS));
}

main().catch((error: Error) => {
  log.fatal({ err: error.message }, "the web server failed to start");
  process.exit(1);
});
