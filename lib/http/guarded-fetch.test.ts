// SECURITY.md item 12: the guarded client refuses private, loopback, link-local, metadata,
// unique-local and unspecified addresses in every spelling and at every redirect hop, and
// enforces a timeout and a size cap. Test servers listen on 127.0.0.2, which this file allows
// explicitly (HTTP_ALLOWED_PRIVATE_CIDRS), with 127.0.0.3 as "another origin",, so the refusals are about the address, not reachability.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setEnv } from "@/env";
import { isForbiddenAddress } from "./address-policy";
import { BlockedAddressError, guardedFetch, HttpTimeoutError, ResponseTooLargeError } from "./guarded-fetch";

let allowedServer: http.Server;
let allowedBase: string;
let otherOriginServer: http.Server;
let otherOriginBase: string;
let loopbackServer: http.Server;
let loopbackPort: number;
const seenByLoopback: string[] = [];
const seenAuthorization: (string | undefined)[] = [];

function listen(server: http.Server, host: string): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port)),
  );
}

beforeAll(async () => {
  setEnv({ HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.2/31" });
  loopbackServer = http.createServer((request, response) => {
    seenByLoopback.push(request.url ?? "");
    response.end("internal secret");
  });
  loopbackPort = await listen(loopbackServer, "127.0.0.1");
  allowedServer = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://x");
    seenAuthorization.push(request.headers.authorization);
    if (url.pathname === "/ok") return void response.end(JSON.stringify({ ok: true }));
    if (url.pathname === "/redirect") {
      response.writeHead(302, { location: url.searchParams.get("to") ?? "/" });
      return void response.end();
    }
    if (url.pathname === "/big") {
      response.writeHead(200, { "content-length": String(2 * 1024 * 1024) });
      return void response.end(Buffer.alloc(2 * 1024 * 1024));
    }
    if (url.pathname === "/big-chunked") {
      response.write(Buffer.alloc(800 * 1024));
      return void response.end(Buffer.alloc(800 * 1024));
    }
    if (url.pathname === "/slow") return; // never answers
    response.end("fallback");
  });
  allowedBase = `http://127.0.0.2:${await listen(allowedServer, "127.0.0.2")}`;
  otherOriginServer = http.createServer((request, response) => {
    seenAuthorization.push(request.headers.authorization);
    response.end("{}");
  });
  otherOriginBase = `http://127.0.0.3:${await listen(otherOriginServer, "127.0.0.3")}`;
});

afterAll(() => {
  allowedServer.closeAllConnections();
  allowedServer.close();
  loopbackServer.close();
  otherOriginServer.close();
});

describe("isForbiddenAddress", () => {
  it.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "::1",
    "::",
    "fd00::1",
    "fe80::1",
    "::ffff:a9fe:a9fe",
    "::ffff:127.0.0.1",
    "not-an-ip",
  ])("refuses %s", (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each(["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "127.0.0.2", "127.0.0.3"])(
    "allows %s",
    (address) => {
      expect(isForbiddenAddress(address)).toBe(false);
    },
  );
});

describe("guardedFetch", () => {
  it("fetches from an allowed address", async () => {
    const response = await guardedFetch(`${allowedBase}/ok`);
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ ok: true });
  });

  it.each([
    (port: number) => `http://127.0.0.1:${port}/`,
    (port: number) => `http://127.1:${port}/`,
    (port: number) => `http://0x7f000001:${port}/`,
    (port: number) => `http://2130706433:${port}/`,
    (port: number) => `http://017700000001:${port}/`,
    (port: number) => `http://0:${port}/`,
    (port: number) => `http://[::1]:${port}/`,
    (port: number) => `http://[::ffff:127.0.0.1]:${port}/`,
    (port: number) => `http://localhost:${port}/`,
    () => "http://169.254.169.254/latest/meta-data/",
    () => "http://[::ffff:a9fe:a9fe]/latest/meta-data/",
    () => "http://[fd00::1]/",
  ])("refuses %s", async (build) => {
    const before = seenByLoopback.length;
    await expect(guardedFetch(build(loopbackPort), { timeoutMs: 3_000 })).rejects.toBeInstanceOf(
      BlockedAddressError,
    );
    expect(seenByLoopback.length).toBe(before);
  });

  it("checks every redirect hop", async () => {
    const before = seenByLoopback.length;
    const target = encodeURIComponent(`http://127.0.0.1:${loopbackPort}/internal`);
    await expect(guardedFetch(`${allowedBase}/redirect?to=${target}`)).rejects.toBeInstanceOf(
      BlockedAddressError,
    );
    const metadata = encodeURIComponent("http://169.254.169.254/latest/meta-data/");
    await expect(guardedFetch(`${allowedBase}/redirect?to=${metadata}`)).rejects.toBeInstanceOf(
      BlockedAddressError,
    );
    expect(seenByLoopback.length).toBe(before);
  });

  it("follows allowed redirects and drops credentials when the origin changes", async () => {
    const sameOrigin = await guardedFetch(`${allowedBase}/redirect?to=/ok`, {
      headers: { authorization: "Bearer keep" },
    });
    expect(sameOrigin.json()).toEqual({ ok: true });
    expect(seenAuthorization.at(-1)).toBe("Bearer keep");
    seenAuthorization.length = 0;
    await guardedFetch(`${allowedBase}/redirect?to=${encodeURIComponent(`${otherOriginBase}/ok`)}`, {
      headers: { authorization: "Bearer drop" },
    });
    expect(seenAuthorization).toEqual(["Bearer drop", undefined]);
  });

  it("refuses non-http schemes and URLs with credentials", async () => {
    await expect(guardedFetch("file:///etc/passwd")).rejects.toThrow(/Only http and https/);
    await expect(guardedFetch(`http://user:pass@127.0.0.2:1/`)).rejects.toThrow(/embedded credentials/);
  });

  it("times out", async () => {
    await expect(guardedFetch(`${allowedBase}/slow`, { timeoutMs: 300 })).rejects.toBeInstanceOf(
      HttpTimeoutError,
    );
  });

  it("caps the response size, declared or streamed", async () => {
    await expect(
      guardedFetch(`${allowedBase}/big`, { maxResponseBytes: 1024 * 1024 }),
    ).rejects.toBeInstanceOf(ResponseTooLargeError);
    await expect(
      guardedFetch(`${allowedBase}/big-chunked`, { maxResponseBytes: 1024 * 1024 }),
    ).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it("lets an operator-configured destination be private", async () => {
    const response = await guardedFetch(`http://127.0.0.1:${loopbackPort}/configured`, {
      trustedDestination: true,
    });
    expect(response.text()).toBe("internal secret");
  });
});
