// The guarded client (docs/security.md 12) refuses private, loopback, link-local, metadata,
// unique-local and unspecified addresses in every spelling and at every redirect hop, and
// enforces a timeout and a size cap. Test servers listen on 127.0.0.2, which this file allows
// explicitly (HTTP_ALLOWED_PRIVATE_CIDRS), with 127.0.0.3 as "another origin", so the refusals are
// about the address, not reachability; an operator's (trusted) server listens on 127.0.0.1.
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
let operatorServer: http.Server;
let operatorBase: string;
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
  // An operator-configured destination on loopback (GitHub Enterprise on the LAN, say) that
  // redirects wherever it is told.
  operatorServer = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://x");
    if (url.pathname === "/redirect") {
      response.writeHead(302, { location: url.searchParams.get("to") ?? "/" });
      return void response.end();
    }
    response.end("operator");
  });
  operatorBase = `http://127.0.0.1:${await listen(operatorServer, "127.0.0.1")}`;
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
  operatorServer.close();
  otherOriginServer.close();
});

describe("isForbiddenAddress", () => {
  it.each([
    // IPv4: loopback, private, link-local and metadata, CGNAT, "this network", multicast, reserved.
    "127.0.0.1",
    "127.255.255.254",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "198.18.0.1",
    // IPv6 of its own: unspecified, loopback, unique-local, link-local (also with a zone id),
    // site-local, multicast, documentation, discard.
    "::",
    "::1",
    "fd00::1",
    "fc00::1",
    "fe80::1",
    "fe80::1%eth0",
    "fe80::1%25eth0",
    "fec0::1",
    "ff02::1",
    "2001:db8::1",
    "100::1",
    // IPv4-mapped, dotted and in hex.
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:a9fe:a9fe",
    "::ffff:10.0.0.1",
    "0:0:0:0:0:ffff:7f00:0001",
    // IPv4-compatible (deprecated): refused whatever it carries.
    "::127.0.0.1",
    "::7f00:1",
    "::a9fe:a9fe",
    "::8.8.8.8",
    // SIIT (RFC 6145).
    "::ffff:0:7f00:1",
    // NAT64, well-known prefix carrying a private IPv4, and the local-use prefix.
    "64:ff9b::127.0.0.1",
    "64:ff9b::7f00:1",
    "64:ff9b::a9fe:a9fe",
    "64:ff9b::a00:1",
    "64:ff9b:1::a00:1",
    "64:ff9b:1::808:808",
    // 6to4 carrying a private IPv4 (bits 16-47).
    "2002:7f00:1::1",
    "2002:a9fe:a9fe::1",
    "2002:c0a8:101::",
    "2002:a00:1::1",
    // Teredo (its IPv4 is hidden in the low bits).
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    "2001::1",
    // Not canonical addresses at all (the URL parser and DNS give canonical ones).
    "127.1",
    "0x7f000001",
    "0",
    "",
    "not-an-ip",
  ])("refuses %s", (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "2606:4700:4700::1111",
    "2a00:1450:4001:80b::200e",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1",
    // Opened for this file by HTTP_ALLOWED_PRIVATE_CIDRS, in every form that carries them.
    "127.0.0.2",
    "127.0.0.3",
    "::ffff:127.0.0.2",
  ])("allows %s", (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });
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
    (port: number) => `http://[::127.0.0.1]:${port}/`,
    (port: number) => `http://[::7f00:1]:${port}/`,
    (port: number) => `http://[::ffff:7f00:1]:${port}/`,
    (port: number) => `http://[0:0:0:0:0:ffff:7f00:1]:${port}/`,
    (port: number) => `http://[64:ff9b::7f00:1]:${port}/`,
    (port: number) => `http://[2002:7f00:1::1]:${port}/`,
    (port: number) => `http://[::]:${port}/`,
    (port: number) => `http://0.0.0.0:${port}/`,
    (port: number) => `http://[fe80::1]:${port}/`,
    (port: number) => `http://[fec0::1]:${port}/`,
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

  it("trusts an operator-configured destination's own origin only, not where it redirects", async () => {
    const sameOrigin = await guardedFetch(`${operatorBase}/redirect?to=/elsewhere`, {
      trustedDestination: true,
    });
    expect(sameOrigin.text()).toBe("operator");
    const before = seenByLoopback.length;
    for (const target of [
      `http://127.0.0.1:${loopbackPort}/internal`,
      `http://[::ffff:127.0.0.1]:${loopbackPort}/internal`,
      "http://169.254.169.254/latest/meta-data/",
      "http://10.0.0.1/",
    ]) {
      await expect(
        guardedFetch(`${operatorBase}/redirect?to=${encodeURIComponent(target)}`, {
          trustedDestination: true,
        }),
        target,
      ).rejects.toBeInstanceOf(BlockedAddressError);
    }
    expect(seenByLoopback.length).toBe(before);
    // A public-looking name that resolves to loopback is caught at connect time, after the hop.
    await expect(
      guardedFetch(`${operatorBase}/redirect?to=${encodeURIComponent(`http://localhost:${loopbackPort}/`)}`, {
        trustedDestination: true,
      }),
    ).rejects.toBeInstanceOf(BlockedAddressError);
    expect(seenByLoopback.length).toBe(before);
  });

  it("lets an operator-configured destination be private", async () => {
    const response = await guardedFetch(`http://127.0.0.1:${loopbackPort}/configured`, {
      trustedDestination: true,
    });
    expect(response.text()).toBe("internal secret");
  });
});
