// The running platform's HTTP edge, for requests no well-behaved client sends: methods it serves
// nowhere, paths that do not decode, request targets that are not paths, cross-origin server
// actions; the icon every page links; and what the web server logs about such requests (never
// an MCP secret). One platform (web + worker) on the run's database and Redis.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { createRawHttpClient, type RawOutcome, type RawRequest } from "../helpers/raw-http";

vi.setConfig({ testTimeout: 60_000 });

let platform: RunningPlatform;
let client: ReturnType<typeof createRawHttpClient>;
const allMethods = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

beforeAll(async () => {
  platform = await startPlatform({ env: { LOG_LEVEL: "info" } });
  client = createRawHttpClient(platform.url, { connections: 2, timeoutMs: 20_000 });
});

afterAll(async () => {
  client?.close();
  if (platform) expect(await platform.stop()).toBe(0);
  await stopStartedPlatforms();
});

function send(request: Omit<RawRequest, "label">): Promise<RawOutcome> {
  return client.send(request);
}

const secretLike = () => `tgs_${randomBytes(32).toString("base64url")}`;

describe("methods the platform serves nowhere", () => {
  it("TRACE answers 405 with the methods it serves, on pages, the REST API and the MCP endpoint", async () => {
    const page = await send({ method: "TRACE", path: "/signin" });
    expect(page.status).toBe(405);
    expect(page.headers.allow).toBe(allMethods);
    expect(page.headers["x-frame-options"]).toBe("DENY");
    expect(page.body).toBe("The method TRACE is not allowed here.\n");

    const api = await send({ method: "TRACE", path: "/api/v1/servers" });
    expect(api.status).toBe(405);
    expect(api.headers.allow).toBe(allMethods);
    expect(JSON.parse(api.body)).toEqual({
      error: { code: "method_not_allowed", message: "The method TRACE is not allowed here." },
    });

    const mcp = await send({ method: "TRACE", path: `/mcp/${secretLike()}` });
    expect(mcp.status).toBe(405);
    expect(JSON.parse(mcp.body)).toMatchObject({ jsonrpc: "2.0", error: { code: -32600 }, id: null });
  });

  it("WebDAV's and other unknown methods answer 405 too", async () => {
    for (const method of ["PROPFIND", "SEARCH", "PURGE"]) {
      const answer = await send({ method, path: "/signin" });
      expect(answer.status, method).toBe(405);
      expect(answer.headers.allow).toBe(allMethods);
    }
  });

  it("CONNECT gets a 405 answer rather than a dropped connection", async () => {
    const answer = await send({ method: "CONNECT", path: "127.0.0.1:443", raw: true });
    expect(answer.error).toBeUndefined();
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe(allMethods);
  });
});

describe("request targets that do not decode", () => {
  it("a malformed percent-encoding in the path answers 400 saying so, wherever it is", async () => {
    const cases: [path: string, shape: "jsonrpc" | "api" | "text"][] = [
      ["/mcp/%zz", "jsonrpc"],
      [`/mcp/${secretLike()}/%E0%A4%A`, "jsonrpc"],
      ["/api/v1/servers/%E0%A4%A", "api"],
      ["/api/v1/servers/%/tools", "api"],
      ["/signin/%zz", "text"],
      ["/servers/%C0%AF", "text"],
    ];
    for (const [path, shape] of cases) {
      const answer = await send({ method: "GET", path });
      expect(answer.status, path).toBe(400);
      const message = "The request path is not valid: a %-escape is malformed or does not decode to UTF-8.";
      if (shape === "jsonrpc") expect(JSON.parse(answer.body).error).toEqual({ code: -32600, message });
      else if (shape === "api")
        expect(JSON.parse(answer.body).error).toEqual({ code: "bad_request", message });
      else expect(answer.body).toBe(`${message}\n`);
    }
  });

  it("the same path posted to the MCP endpoint gets the same 400", async () => {
    const answer = await send({
      method: "POST",
      path: "/mcp/%zz",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
    });
    expect(answer.status).toBe(400);
  });

  it("a request target that is not a path answers 400", async () => {
    const answer = await send({ method: "GET", path: "*", raw: true });
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("The request target must be a path");
  });
});

describe("server actions from another origin", () => {
  const action = (origin: string) =>
    send({
      method: "POST",
      path: "/servers",
      headers: {
        "next-action": "0".repeat(42),
        "content-type": "text/plain;charset=UTF-8",
        origin,
      },
      body: "[]",
    });

  it("are refused with 403 before Next.js sees them", async () => {
    for (const origin of ["https://evil.example", "null", `${platform.url}.evil.example`]) {
      const answer = await action(origin);
      expect(answer.status, origin).toBe(403);
      expect(JSON.parse(answer.body)).toEqual({
        error: { code: "forbidden", message: "Cross-origin requests are not allowed." },
      });
    }
  });

  it("from the platform's own origin are left to Next.js, which refuses an unknown action without a 5xx", async () => {
    const answer = await action(platform.url);
    expect(answer.status).not.toBe(403);
    expect(answer.status).toBeLessThan(500);
  });
});

describe("the icon", () => {
  it("every page links an icon that is served as an image, so browsers stop asking for /favicon.ico", async () => {
    const page = await fetch(`${platform.url}/signin`);
    const html = await page.text();
    const links = [...html.matchAll(/<link rel="icon" href="([^"]+)"[^>]*>/g)].map((match) => match[1]!);
    expect(links.length, "no <link rel=icon> on /signin").toBeGreaterThan(0);
    const types = [];
    for (const link of links) {
      const icon = await fetch(new URL(link.replaceAll("&amp;", "&"), platform.url));
      expect(icon.status, link).toBe(200);
      types.push(icon.headers.get("content-type")?.split(";")[0]);
    }
    // The favicon.ico browsers ask for by themselves, and the SVG that scales.
    expect(types.sort()).toEqual(["image/svg+xml", "image/x-icon"]);
  });
});

describe("what the web server logs about refused requests", () => {
  it("names the method and the path, with an MCP secret redacted", async () => {
    const canary = secretLike();
    await send({ method: "TRACE", path: `/mcp/${canary}/sse` });
    await send({ method: "GET", path: `/mcp/${canary}%zz/sse` });
    await send({ method: "PROPFIND", path: `/mcp/${canary}?token=${canary}` });
    const refusalsLogged = () =>
      platform
        .output()
        .split("\n")
        .filter((line) => line.includes('"url":"/mcp/'))
        .map((line) => JSON.parse(line) as { method: string; url: string; status: number });
    await expect
      .poll(refusalsLogged)
      .toEqual(
        expect.arrayContaining([
          expect.objectContaining({ method: "TRACE", url: "/mcp/[redacted]/sse", status: 405 }),
          expect.objectContaining({ method: "GET", url: "/mcp/[redacted]/sse", status: 400 }),
          expect.objectContaining({ method: "PROPFIND", url: "/mcp/[redacted]", status: 405 }),
        ]),
      );
    expect(platform.output()).not.toContain(canary);
  });
});
