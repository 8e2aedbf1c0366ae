// A load balancer for replica tests: a node:http proxy on loopback that sends each new request to
// the next replica in turn, streaming bodies both ways (so an SSE stream stays open on the replica
// that took it), and remembers which replica served what, so a test can show that one client's
// requests really were split.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type ProxiedRequest = {
  /** Index of the replica that served it, in the order given to the proxy. */
  replica: number;
  method: string;
  path: string;
  /** The Mcp-Session-Id the client sent, if any. */
  sessionId?: string;
  status?: number;
};

export type RoundRobinProxy = {
  url: string;
  /** The replicas' base URLs; requests go to them in turn. */
  setReplicas: (urls: string[]) => void;
  /** Every request so far, oldest first. */
  served: ProxiedRequest[];
  close: () => Promise<void>;
};

export async function startRoundRobinProxy(): Promise<RoundRobinProxy> {
  let replicas: URL[] = [];
  let next = 0;
  const served: ProxiedRequest[] = [];

  const server = http.createServer((request, response) => {
    if (replicas.length === 0) {
      response.writeHead(503).end("no replicas yet");
      return;
    }
    const replica = next++ % replicas.length;
    const target = replicas[replica]!;
    const sessionHeader = request.headers["mcp-session-id"];
    const record: ProxiedRequest = {
      replica,
      method: request.method ?? "GET",
      path: request.url ?? "/",
      ...(typeof sessionHeader === "string" && { sessionId: sessionHeader }),
    };
    served.push(record);
    // The Host header is passed on as the client sent it: the replicas are published at the
    // proxy's address (their APP_URL), as behind a real load balancer.
    const upstream = http.request({
      host: target.hostname,
      port: target.port,
      method: request.method,
      path: request.url,
      headers: request.headers,
    });
    upstream.on("response", (answer) => {
      record.status = answer.statusCode;
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      // An event stream's headers must reach the client before its first event does.
      response.flushHeaders();
      answer.pipe(response);
      answer.on("error", () => response.destroy());
    });
    upstream.on("error", () => {
      if (!response.headersSent) response.writeHead(502).end("replica unreachable");
      else response.destroy();
    });
    // A client that goes away closes the replica's side too (the end of an SSE stream).
    response.on("close", () => {
      if (!response.writableFinished) upstream.destroy();
    });
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setReplicas: (urls) => {
      replicas = urls.map((url) => new URL(url));
    },
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
