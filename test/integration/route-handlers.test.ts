// The route handlers as `next start` and `npm run dev` run them, where scripts/web.ts does not
// front the requests: the MCP endpoint reads its body as a stream capped at MCP_MAX_BODY_BYTES,
// and X-Forwarded-For counts only as TRUST_PROXY says. The handlers are called as Next.js calls
// them, on the run's PostgreSQL and Redis.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST as createServerRoute } from "@/app/api/v1/servers/route";
import { POST as postLegacyMessage } from "@/app/mcp/[secret]/messages/route";
import { POST as postToMcp } from "@/app/mcp/[secret]/route";
import { getEnv, setEnv } from "@/env";
import { getDb } from "@/lib/db/client";
import { createSession } from "@/lib/mcp/sessions";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { acceptBoth, createTenant, type Tenant } from "../helpers/mcp";
import { closeTestConnections } from "../helpers/teardown";

const limit = 64 * 1024;
const chunkBytes = 16 * 1024;
const hugeBytes = 32 * 1024 * 1024;
let tenant: Tenant;
let token: string;
const originalEnv = { MCP_MAX_BODY_BYTES: String(getEnv().MCP_MAX_BODY_BYTES), TRUST_PROXY: "0" };

beforeAll(async () => {
  setEnv({ MCP_MAX_BODY_BYTES: String(limit) });
  tenant = await createTenant("http://localhost:3000", "route-handlers");
  token = (await createApiToken(tenant.userId, { name: "route handlers" })).token;
});

afterEach(() => setEnv({ TRUST_PROXY: "0" }));

afterAll(async () => {
  setEnv(originalEnv);
  await closeTestConnections();
});

/** A body of `totalBytes` made on demand, as a client uploads it, counting what was read. */
function countedBody(totalBytes: number): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= totalBytes) return controller.close();
      pulled += chunkBytes;
      // A JSON-RPC message padded with spaces: valid all the way, so only its size is wrong.
      const chunk = new Uint8Array(chunkBytes).fill(0x20);
      if (pulled === chunkBytes)
        chunk.set(new TextEncoder().encode('{"jsonrpc":"2.0","id":1,"method":"ping"}'));
      controller.enqueue(chunk);
    },
  });
  return { body, pulled: () => pulled };
}

function mcpPost(url: string, body: BodyInit, headers: Record<string, string> = {}): Request {
  return new Request(url, {
    method: "POST",
    headers: { accept: acceptBoth, "content-type": "application/json", ...headers },
    body,
    duplex: "half",
  } as RequestInit);
}

const routeContext = () => ({ params: Promise.resolve({ secret: tenant.secret }) });

describe("POST /mcp/<secret> through its route handler", () => {
  it("stops reading a body over MCP_MAX_BODY_BYTES and answers 413", async () => {
    const { body, pulled } = countedBody(hugeBytes);
    const response = await postToMcp(mcpPost(tenant.url, body), routeContext());
    expect(response.status).toBe(413);
    expect((await response.json()).error).toEqual({
      code: -32600,
      message: `Request body larger than ${limit} bytes`,
    });
    expect(pulled()).toBeLessThanOrEqual(limit + 2 * chunkBytes);
  });

  it("still serves a body within the limit", async () => {
    const response = await postToMcp(
      mcpPost(tenant.url, JSON.stringify({ jsonrpc: "2.0", id: 7, method: "ping" })),
      routeContext(),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ jsonrpc: "2.0", id: 7, result: {} });
  });
});

describe("POST /mcp/<secret>/messages (the legacy SSE transport) through its route handler", () => {
  it("stops reading a body over MCP_MAX_BODY_BYTES and answers 413", async () => {
    const sessionId = await createSession(tenant.serverId);
    const { body, pulled } = countedBody(hugeBytes);
    const response = await postLegacyMessage(
      mcpPost(`${tenant.url}/messages?sessionId=${sessionId}`, body),
      routeContext(),
    );
    expect(response.status).toBe(413);
    expect(pulled()).toBeLessThanOrEqual(limit + 2 * chunkBytes);
  });
});

describe("the client address the route handlers record", () => {
  /** Creates a server through POST /api/v1/servers's handler; returns the audit event's address. */
  async function recordedAddress(headers: Record<string, string>): Promise<string | null> {
    const response = await createServerRoute(
      new Request("http://localhost:3000/api/v1/servers", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
        body: JSON.stringify({ name: "Address check" }),
      }),
      { params: Promise.resolve({}) },
    );
    expect(response.status, await response.clone().text()).toBe(201);
    const { id } = (await response.json()) as { id: string };
    const event = await getDb().auditEvent.findFirstOrThrow({
      where: { action: "server.created", targetId: id },
    });
    return event.ip;
  }

  it("is not taken from X-Forwarded-For when no proxy is trusted", async () => {
    expect(await recordedAddress({ "x-forwarded-for": "198.51.100.7" })).toBeNull();
    // Nor from a claim to have been pinned by the front server.
    expect(
      await recordedAddress({ "x-forwarded-for": "198.51.100.8", "x-toolgate-client-pin": "guessed" }),
    ).toBeNull();
  });

  it("is the entry the trusted proxy appended with TRUST_PROXY=1", async () => {
    setEnv({ TRUST_PROXY: "1" });
    expect(await recordedAddress({ "x-forwarded-for": "198.51.100.1, 203.0.113.7" })).toBe("203.0.113.7");
    setEnv({ TRUST_PROXY: "2" });
    expect(await recordedAddress({ "x-forwarded-for": "spoofed, 203.0.113.9, 10.0.0.9" })).toBe(
      "203.0.113.9",
    );
  });
});
