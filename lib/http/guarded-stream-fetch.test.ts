// The streaming guarded fetch (an upstream MCP server's event streams): bodies arrive as they are
// sent, yet every address is checked as guarded-fetch.ts checks it (literal spellings, resolved
// names, every redirect hop), credentials never follow a redirect to another origin, and a body
// larger than the cap is cut. Test servers listen on 127.0.0.2 and 127.0.0.3, which this file
// allows (HTTP_ALLOWED_PRIVATE_CIDRS); 127.0.0.1 stands for the forbidden inside.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setEnv } from "@/env";
import { BlockedAddressError, ResponseTooLargeError } from "./guarded-fetch";
import { createGuardedStreamFetch } from "./guarded-stream-fetch";

let allowed: http.Server;
let allowedBase: string;
let other: http.Server;
let otherBase: string;
let inside: http.Server;
let insidePort: number;
const seenInside: string[] = [];
const seenHeaders: http.IncomingHttpHeaders[] = [];
let releaseStream: () => void = () => {};

function listen(server: http.Server, host: string): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port)),
  );
}

beforeAll(async () => {
  setEnv({ HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.2/31" });
  inside = http.createServer((request, response) => {
    seenInside.push(request.url ?? "");
    response.end("internal secret");
  });
  insidePort = await listen(inside, "127.0.0.1");
  allowed = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://x");
    seenHeaders.push(request.headers);
    if (url.pathname === "/events") {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write("data: first\n\n");
      releaseStream = () => response.end("data: last\n\n");
      return;
    }
    if (url.pathname === "/redirect") {
      response.writeHead(Number(url.searchParams.get("status") ?? "307"), {
        location: url.searchParams.get("to") ?? "/",
      });
      return void response.end();
    }
    if (url.pathname === "/big") {
      response.writeHead(200, { "content-length": String(64 * 1024) });
      return void response.end(Buffer.alloc(64 * 1024));
    }
    if (url.pathname === "/big-chunked") {
      response.write(Buffer.alloc(20 * 1024));
      return void response.end(Buffer.alloc(20 * 1024));
    }
    response.end(JSON.stringify({ path: url.pathname }));
  });
  allowedBase = `http://127.0.0.2:${await listen(allowed, "127.0.0.2")}`;
  other = http.createServer((request, response) => {
    seenHeaders.push(request.headers);
    response.end("other");
  });
  otherBase = `http://127.0.0.3:${await listen(other, "127.0.0.3")}`;
});

afterAll(() => {
  for (const server of [allowed, other, inside]) {
    server.closeAllConnections();
    server.close();
  }
});

const streamFetch = createGuardedStreamFetch({ maxResponseBytes: 32 * 1024 });

describe("createGuardedStreamFetch", () => {
  it("hands over the body as it arrives, before the upstream has finished", async () => {
    const response = await streamFetch(`${allowedBase}/events`);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("data: first\n\n");
    releaseStream();
    let rest = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    expect(rest).toBe("data: last\n\n");
  });

  it("refuses forbidden addresses in every spelling, and names that resolve to them, before connecting", async () => {
    for (const host of [
      `127.0.0.1:${insidePort}`,
      `127.1:${insidePort}`,
      `0x7f000001:${insidePort}`,
      `[::ffff:127.0.0.1]:${insidePort}`,
      `localhost:${insidePort}`,
      "169.254.169.254",
      "[::ffff:a9fe:a9fe]",
      "0",
    ]) {
      await expect(streamFetch(`http://${host}/mcp`), host).rejects.toBeInstanceOf(BlockedAddressError);
    }
    expect(seenInside).toEqual([]);
  });

  it("checks every redirect hop it follows", async () => {
    const to = encodeURIComponent(`http://127.0.0.1:${insidePort}/steal`);
    await expect(streamFetch(`${allowedBase}/redirect?to=${to}`)).rejects.toBeInstanceOf(BlockedAddressError);
    const metadata = encodeURIComponent("http://169.254.169.254/latest/meta-data/");
    await expect(streamFetch(`${allowedBase}/redirect?to=${metadata}`)).rejects.toBeInstanceOf(
      BlockedAddressError,
    );
    expect(seenInside).toEqual([]);
  });

  it("keeps credentials within the origin: another origin gets none of the caller's headers but the harmless ones", async () => {
    const headers = {
      authorization: "Bearer secret-token",
      "x-api-key": "secret-key",
      "mcp-protocol-version": "2025-06-18",
      accept: "text/event-stream",
    };
    const sameOrigin = await streamFetch(`${allowedBase}/redirect?to=/landing`, { headers });
    expect(await sameOrigin.json()).toEqual({ path: "/landing" });
    expect(seenHeaders.at(-1)).toMatchObject({
      authorization: "Bearer secret-token",
      "x-api-key": "secret-key",
    });

    const away = await streamFetch(`${allowedBase}/redirect?to=${encodeURIComponent(`${otherBase}/x`)}`, {
      headers,
    });
    expect(await away.text()).toBe("other");
    const seen = seenHeaders.at(-1)!;
    expect(seen.authorization).toBeUndefined();
    expect(seen["x-api-key"]).toBeUndefined();
    expect(seen).toMatchObject({ "mcp-protocol-version": "2025-06-18", accept: "text/event-stream" });
  });

  it('hands a redirect back as it is with redirect: "manual" (the SDK follows it through this fetch again)', async () => {
    const to = encodeURIComponent(`http://127.0.0.1:${insidePort}/steal`);
    const response = await streamFetch(`${allowedBase}/redirect?to=${to}`, { redirect: "manual" });
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe(`http://127.0.0.1:${insidePort}/steal`);
    expect(seenInside).toEqual([]);
  });

  it("a 303 after a POST becomes a GET without the body", async () => {
    const response = await streamFetch(`${allowedBase}/redirect?status=303&to=/after`, {
      method: "POST",
      body: "{}",
    });
    expect(await response.json()).toEqual({ path: "/after" });
  });

  it("cuts a body larger than the cap, declared or streamed", async () => {
    await expect(streamFetch(`${allowedBase}/big`)).rejects.toBeInstanceOf(ResponseTooLargeError);
    const chunked = await streamFetch(`${allowedBase}/big-chunked`);
    await expect(chunked.arrayBuffer()).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it("stops a stream when the caller's signal aborts", async () => {
    const controller = new AbortController();
    const response = await streamFetch(`${allowedBase}/events`, { signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toThrow();
    releaseStream();
  });
});
