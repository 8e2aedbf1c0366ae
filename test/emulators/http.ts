// A stand-in for "any web server" that the HTTP request app calls: it echoes what it received
// (method, path, query, body; the request headers at /headers, as httpbin does), answers with a
// chosen status, redirects where told, and serves HTML, binary and oversized bodies.
import { type EmulatedRequest, type Reply, route, startEmulator } from "./emulator";

const methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

function echo(request: EmulatedRequest): Reply {
  return {
    headers: { "x-echo": "yes", "set-cookie": "session=secret; HttpOnly" },
    json: {
      method: request.method,
      path: request.path,
      query: Object.fromEntries(request.query),
      contentType: request.contentType || null,
      body: request.rawBody,
    },
  };
}

function redirect(request: EmulatedRequest): Reply {
  return {
    status: Number(request.query.get("status") ?? 302),
    headers: { location: request.query.get("to") ?? "/" },
  };
}

export async function startHttpEmulator() {
  return startEmulator({
    name: "http",
    routes: [
      ...methods.map((method) => route(method, "/anything/*", echo)),
      ...methods.map((method) =>
        route(method, "/status/:code", (_request, params) => ({
          status: Number(params.code),
          json: { message: `answered with ${params.code}` },
        })),
      ),
      route("GET", "/headers", (request) => ({ json: { headers: request.headers } })),
      route("GET", "/redirect", redirect),
      route("POST", "/redirect", redirect),
      route("GET", "/html", () => ({
        headers: { "content-type": "text/html; charset=utf-8" },
        text: "<h1>Hello</h1>",
      })),
      route("GET", "/bytes", () => ({
        headers: { "content-type": "image/png" },
        text: "\u0089PNG\r\n\u001a\n0000",
      })),
      route("GET", "/large", () => ({
        headers: { "content-type": "application/json" },
        text: JSON.stringify({ data: "x".repeat(100_000) }),
      })),
    ],
  });
}
