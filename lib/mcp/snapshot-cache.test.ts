// The cached server snapshot (resolve-server.ts): what it carries about the owner, and that
// every change to it takes effect on the next request (limits, suspension, tools, rotation),
// including a load that raced with the change. Runs against the test run's database and Redis.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { disconnectDb, getDb } from "@/lib/db/client";
import { disconnectRedis } from "@/lib/redis/client";
import { createServer, rotateServerSecret } from "@/lib/servers/manage-servers";
import { hashServerSecret } from "@/lib/servers/server-secrets";
import { addTool, addToolSchema } from "@/lib/tools/manage-tools";
import { createUser } from "@/lib/users/create-user";
import { setLimitOverrides } from "@/lib/users/set-limit-overrides";
import { handleMcpRequest } from "./handle-mcp-request";
import { matchMcpRequest } from "./node-http";
import {
  invalidateServerCache,
  invalidateUserServers,
  resolveServerBySecret,
  resolveServerWith,
} from "./resolve-server";

afterAll(async () => {
  await Promise.allSettled([disconnectDb(), disconnectRedis()]);
});

async function makeServer() {
  const email = `snapshot-${randomBytes(4).toString("hex")}@example.test`;
  const user = await createUser({ email, password: "correct horse battery staple" });
  const server = await createServer(user.id, "Snapshot test");
  await addTool(user.id, server.id, addToolSchema.parse({ integration: "formatter", action: "count_text" }));
  const secret = server.url.slice(server.url.lastIndexOf("/") + 1);
  return { userId: user.id, serverId: server.id, secret };
}

function callTool(secret: string, name: string, args: Record<string, unknown>) {
  const host = new URL(process.env.APP_URL ?? "http://localhost:3000").host;
  return handleMcpRequest(
    new Request(`http://${host}/mcp/${secret}`, {
      method: "POST",
      headers: {
        host,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: { name, arguments: args },
      }),
    }),
    secret,
  ).then((response) => response.text());
}

describe("server snapshot cache", () => {
  it("carries the owner's effective limits and follows limit changes at once", async () => {
    const { userId, secret } = await makeServer();
    const first = await resolveServerBySecret(secret);
    expect(first?.owner).toEqual({ suspended: false, limits: { hour: 80, day: 160, month: 300 } });

    await setLimitOverrides(userId, { hour: 5 });
    expect((await resolveServerBySecret(secret))?.owner.limits).toEqual({
      hour: 5,
      day: 160,
      month: 300,
    });

    await setLimitOverrides(userId, { hour: null, month: 1_000 });
    expect((await resolveServerBySecret(secret))?.owner.limits).toEqual({
      hour: 80,
      day: 160,
      month: 1_000,
    });
  });

  it("refuses tool calls once the owner is suspended and the servers are invalidated", async () => {
    const { userId, secret } = await makeServer();
    await resolveServerBySecret(secret); // cached while not suspended
    await getDb().user.update({ where: { id: userId }, data: { suspendedAt: new Date() } });
    await invalidateUserServers(userId);
    expect((await resolveServerBySecret(secret))?.owner.suspended).toBe(true);
    expect(await callTool(secret, "formatter_count_text", { text: "a b" })).toContain("suspended");
  });

  it("does not let a load that read the old state store it after an invalidation", async () => {
    const { serverId, secret } = await makeServer();
    const secretHash = hashServerSecret(secret);
    await invalidateServerCache(secretHash); // no entry: the next resolve loads from the database
    // A load reads the database, then stalls before storing; meanwhile the tools change and the
    // cache is invalidated. What it read must not be stored over the change.
    const delegate = getDb().mcpServer;
    const original = delegate.findUnique.bind(delegate);
    let release: () => void = () => {};
    const stalled = new Promise<void>((resolve) => {
      release = resolve;
    });
    let loaded: () => void = () => {};
    const hasLoaded = new Promise<void>((resolve) => {
      loaded = resolve;
    });
    const spy = vi.spyOn(delegate, "findUnique").mockImplementationOnce(((args: never) =>
      original(args).then(async (result: unknown) => {
        loaded();
        await stalled;
        return result;
      })) as never);
    const racing = resolveServerWith(secret);
    await hasLoaded;
    await getDb().tool.updateMany({ where: { serverId }, data: { description: "changed meanwhile" } });
    await invalidateServerCache(secretHash);
    release();
    expect((await racing).snapshot?.tools[0]?.description).toBeNull(); // it saw the old state
    spy.mockRestore();
    const after = await resolveServerBySecret(secret);
    expect(after?.tools[0]?.description).toBe("changed meanwhile");
  });

  it("refuses a rotated secret immediately, even with its snapshot cached", async () => {
    const { userId, serverId, secret } = await makeServer();
    expect(await resolveServerBySecret(secret)).not.toBeNull();
    const rotated = await rotateServerSecret(userId, serverId);
    expect(await resolveServerBySecret(secret)).toBeNull();
    const newSecret = rotated.url.slice(rotated.url.lastIndexOf("/") + 1);
    expect((await resolveServerBySecret(newSecret))?.serverId).toBe(serverId);
  });
});

describe("matchMcpRequest (the node:http adapter's routing)", () => {
  it("serves /mcp and /mcp/<secret> for GET, POST and DELETE only", () => {
    expect(matchMcpRequest("POST", "/mcp")).toBe("");
    expect(matchMcpRequest("POST", "/mcp?x=1")).toBe("");
    expect(matchMcpRequest("DELETE", "/mcp/tgs_abc")).toBe("tgs_abc");
    expect(matchMcpRequest("GET", "/mcp/tgs_a%2Bb")).toBe("tgs_a+b");
    expect(matchMcpRequest("OPTIONS", "/mcp")).toBeUndefined();
    expect(matchMcpRequest("POST", "/mcp/")).toBeUndefined();
    expect(matchMcpRequest("POST", "/mcp/a/b")).toBeUndefined();
    expect(matchMcpRequest("POST", "/mcpx")).toBeUndefined();
    expect(matchMcpRequest("POST", "/mcp/%E0%A4%A")).toBeUndefined();
    expect(matchMcpRequest("GET", "/api/health")).toBeUndefined();
  });

  it("leaves the legacy HTTP+SSE bearer routes to Next.js", () => {
    expect(matchMcpRequest("GET", "/mcp/sse")).toBeUndefined();
    expect(matchMcpRequest("POST", "/mcp/messages?sessionId=abc")).toBeUndefined();
  });
});
