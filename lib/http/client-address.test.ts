import { describe, expect, it } from "vitest";
import { resolveClientAddress, unpinnedClientAddress } from "./client-address";

describe("resolveClientAddress", () => {
  it("uses the socket's peer and ignores X-Forwarded-For when no proxy is trusted", () => {
    expect(resolveClientAddress("198.51.100.1", "192.0.2.10", 0)).toBe("192.0.2.10");
    expect(resolveClientAddress(undefined, "::ffff:127.0.0.1", 0)).toBe("127.0.0.1");
    expect(resolveClientAddress(undefined, "::1", 0)).toBe("::1");
  });

  it("takes the entry the outermost trusted proxy appended, not what the client sent", () => {
    // client sent "198.51.100.1"; the proxy (the peer, 10.0.0.2) appended the client's real address.
    expect(resolveClientAddress("198.51.100.1, 203.0.113.7", "10.0.0.2", 1)).toBe("203.0.113.7");
    expect(resolveClientAddress("203.0.113.7", "10.0.0.2", 1)).toBe("203.0.113.7");
    // Two proxies: a CDN appended the client, the load balancer appended the CDN.
    expect(resolveClientAddress("spoofed, 203.0.113.7, 10.0.0.9", "10.0.0.2", 2)).toBe("203.0.113.7");
  });

  it("falls back to the farthest address known when there are fewer entries than trusted proxies", () => {
    expect(resolveClientAddress(undefined, "10.0.0.2", 1)).toBe("10.0.0.2");
    expect(resolveClientAddress("203.0.113.7", "10.0.0.2", 3)).toBe("203.0.113.7");
    expect(resolveClientAddress(" , ", "10.0.0.2", 1)).toBe("10.0.0.2");
    expect(resolveClientAddress(undefined, undefined, 0)).toBeUndefined();
  });
});

describe("unpinnedClientAddress (next start, next dev: no front server, no socket peer)", () => {
  it("believes nothing when no proxy is trusted", () => {
    expect(unpinnedClientAddress("198.51.100.1", 0)).toBeNull();
    expect(unpinnedClientAddress(null, 1)).toBeNull();
  });

  it("takes the entry the outermost trusted proxy appended (the peer is not in the header)", () => {
    expect(unpinnedClientAddress("198.51.100.1, 203.0.113.7", 1)).toBe("203.0.113.7");
    expect(unpinnedClientAddress("spoofed, 203.0.113.7, 10.0.0.9", 2)).toBe("203.0.113.7");
    expect(unpinnedClientAddress("::ffff:203.0.113.7", 1)).toBe("203.0.113.7");
    expect(unpinnedClientAddress("203.0.113.7", 3)).toBe("203.0.113.7");
  });
});
