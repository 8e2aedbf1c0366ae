// Sends HTTP requests exactly as given, which fetch would not: any method (TRACE), a path with
// broken percent-encoding, junk header values, a body of raw bytes. Requests that Node's own
// client refuses to write (a NUL in the request line, CONNECT) go out as bytes on a socket.
import http from "node:http";
import net from "node:net";

export type RawRequest = {
  /** What kind of request this is, for a summary: "mcp tools/call", "rest POST /servers". */
  label?: string;
  method: string;
  /** The request target exactly as sent, malformed or not. */
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** Write the request as bytes on a socket rather than through node:http. */
  raw?: boolean;
};

export type RawOutcome = {
  /** null when no HTTP answer came back (a reset, a timeout). */
  status: number | null;
  headers: http.IncomingHttpHeaders;
  /** The body, or its first 64 KiB. */
  body: string;
  error?: string;
};

const keptBodyChars = 65_536;

export function createRawHttpClient(baseUrl: string, options: { connections: number; timeoutMs: number }) {
  const { hostname, port } = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });

  function sendThroughNode(request: RawRequest): Promise<RawOutcome> {
    return new Promise((resolve) => {
      let settled = false;
      const finish = (outcome: RawOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      // Framed explicitly: for GET, DELETE and OPTIONS Node's client sends neither Content-Length
      // nor chunked encoding on its own, and an unframed body reads as the next request.
      const headers =
        request.body === undefined
          ? request.headers
          : { "content-length": String(Buffer.byteLength(request.body)), ...request.headers };
      const outgoing = http.request(
        { host: hostname, port, method: request.method, path: request.path, headers, agent },
        (response) => {
          const status = response.statusCode ?? null;
          // A GET that opened an event stream (the legacy transport's) would stay open: the
          // status and headers are the answer.
          if (request.method === "GET" && response.headers["content-type"]?.includes("text/event-stream")) {
            response.destroy();
            finish({ status, headers: response.headers, body: "" });
            return;
          }
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => {
            if (body.length < keptBodyChars) body += chunk.slice(0, keptBodyChars - body.length);
          });
          response.on("end", () => finish({ status, headers: response.headers, body }));
          response.on("error", (error) =>
            finish({ status, headers: response.headers, body, error: `response: ${error.message}` }),
          );
        },
      );
      const timer = setTimeout(() => {
        outgoing.destroy(new Error(`no complete answer within ${options.timeoutMs} ms`));
      }, options.timeoutMs);
      outgoing.on("error", (error: NodeJS.ErrnoException) =>
        finish({ status: null, headers: {}, body: "", error: `${error.code ?? ""} ${error.message}`.trim() }),
      );
      outgoing.end(request.body);
    });
  }

  function sendRaw(request: RawRequest): Promise<RawOutcome> {
    return new Promise((resolve) => {
      const socket = net.connect({ host: hostname, port: Number(port) });
      const chunks: Buffer[] = [];
      const timer = setTimeout(
        () => socket.destroy(new Error(`no answer within ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
      const finish = (error?: Error) => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString("latin1");
        const status = /^HTTP\/1\.[01] (\d{3})/.exec(text);
        const headEnd = text.indexOf("\r\n\r\n");
        const headers: http.IncomingHttpHeaders = {};
        for (const line of text.slice(0, Math.max(0, headEnd)).split("\r\n").slice(1)) {
          const colon = line.indexOf(":");
          if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        resolve({
          status: status ? Number(status[1]) : null,
          headers,
          body: headEnd === -1 ? "" : text.slice(headEnd + 4, headEnd + 4 + keptBodyChars),
          ...(!status && { error: error?.message ?? "the connection closed without an answer" }),
        });
      };
      socket.on("data", (chunk: Buffer) => chunks.push(chunk));
      socket.on("close", () => finish());
      socket.on("error", (error) => finish(error));
      const headerLines = Object.entries(request.headers ?? {}).flatMap(([name, value]) =>
        (Array.isArray(value) ? value : [value]).map((item) => `${name}: ${item}\r\n`),
      );
      const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
      socket.end(
        Buffer.concat([
          Buffer.from(
            `${request.method} ${request.path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n` +
              `${headerLines.join("")}Content-Length: ${body.length}\r\n\r\n`,
            "latin1",
          ),
          body,
        ]),
      );
    });
  }

  return {
    send: (request: RawRequest) => (request.raw ? sendRaw(request) : sendThroughNode(request)),
    close: () => agent.destroy(),
  };
}
