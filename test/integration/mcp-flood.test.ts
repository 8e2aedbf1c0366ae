// One URL cannot fill Redis for everyone (docs/security.md 29): a flood of thousands of
// initialize, cancellation and tools/list requests on one server's URL gets 429s with Retry-After
// once it passes MCP_RATE_LIMIT_PER_MINUTE, keeps at most MCP_MAX_SESSIONS_PER_SERVER sessions and
// no cancellation keys in Redis, and meanwhile another user's server lists and calls tools as usual.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEnv } from "@/env";
import { getDb } from "@/lib/db/client";
import { addMembership, createOrg } from "@/lib/orgs/manage-orgs";
import { resolveWorkspace } from "@/lib/orgs/workspace";
import { getRedis, redisKey } from "@/lib/redis/client";
import { createServer } from "@/lib/servers/manage-servers";
import { writeMemberAccess } from "@/lib/servers/server-access";
import { createUser } from "@/lib/users/create-user";
import {
  acceptBoth,
  connectClient,
  createTenant,
  secretOfUrl,
  type Tenant,
  uniqueEmail,
} from "../helpers/mcp";
import { type RunningPlatform, startPlatform } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

const perMinute = 200;
const maxSessions = 10;
const floodSize = 3_000;
const concurrency = 40;
let platform: RunningPlatform;
let flooder: Tenant;
let neighbour: Tenant;

beforeAll(async () => {
  platform = await startPlatform({
    env: { MCP_RATE_LIMIT_PER_MINUTE: String(perMinute), MCP_MAX_SESSIONS_PER_SERVER: String(maxSessions) },
  });
  flooder = await createTenant(platform.url, "flooder");
  neighbour = await createTenant(platform.url, "neighbour");
});

afterAll(async () => {
  await platform?.stop();
  await closeTestConnections();
});

const floodMessages = [
  (index: number) => ({
    jsonrpc: "2.0",
    id: index,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "flood", version: "1" } },
  }),
  (index: number) => ({
    jsonrpc: "2.0",
    method: "notifications/cancelled",
    params: { requestId: `made-up-${index}`, reason: "flood" },
  }),
  (index: number) => ({ jsonrpc: "2.0", id: index, method: "tools/list" }),
];

type FloodReply = { status: number; retryAfter: string | null; body: string };

async function send(index: number): Promise<FloodReply> {
  const response = await fetch(flooder.url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: acceptBoth },
    body: JSON.stringify(floodMessages[index % floodMessages.length]!(index)),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    body: await response.text(),
  };
}

/** Every key of this platform's Redis prefix that holds MCP state or request counters. */
async function mcpKeys(): Promise<string[]> {
  const redis = await getRedis();
  return [...(await redis.keys(redisKey("mcp", "*"))), ...(await redis.keys(redisKey("ratelimit", "*")))];
}

describe("a flood from one URL", () => {
  it("is refused with 429s, stays bounded in Redis, and leaves another user's server working", async () => {
    const keysBefore = await mcpKeys();
    const replies: FloodReply[] = [];
    let neighbourDone = false;

    // The flood goes on until the neighbour has finished, so the two overlap whatever the timing.
    const flood = (async () => {
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < floodSize || !neighbourDone) replies.push(await send(next++));
        }),
      );
    })();
    const neighbourWork = (async () => {
      while (replies.length < 500) await new Promise((resolve) => setTimeout(resolve, 20));
      const client = await connectClient(platform.url, neighbour.secret);
      try {
        const tools = (await client.listTools()).tools.map((tool) => tool.name);
        expect(tools).toContain("formatter_calculate");
        for (let round = 0; round < 3; round++) {
          const result = await client.callTool({
            name: "formatter_calculate",
            arguments: { operation: "add", numbers: [round, 40] },
          });
          expect(result.structuredContent).toEqual({ result: round + 40 });
        }
      } finally {
        await client.close();
        neighbourDone = true;
      }
    })();
    await Promise.all([flood, neighbourWork]);

    expect(replies.length).toBeGreaterThanOrEqual(floodSize);
    expect(new Set(replies.map((reply) => reply.status))).toEqual(new Set([200, 202, 429]));
    const refusals = replies.filter((reply) => reply.status === 429);
    // A fixed one-minute window: at most two windows' worth get through in a flood this short.
    expect(replies.length - refusals.length).toBeLessThanOrEqual(2 * perMinute);
    for (const refused of refusals) {
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
      expect(JSON.parse(refused.body)).toMatchObject({
        jsonrpc: "2.0",
        id: null,
        error: { code: -32003, message: expect.stringContaining(`accepts ${perMinute} requests a minute`) },
      });
    }

    // Bounded: the flooder's sessions are capped and none of its cancellations took a key.
    const redis = await getRedis();
    const keysAfter = await mcpKeys();
    const added = keysAfter.filter((key) => !keysBefore.includes(key));
    const sessionKeys = added.filter((key) => key.startsWith(redisKey("mcp", "session", "")));
    expect(await redis.zcard(redisKey("mcp", "sessions", flooder.serverId))).toBeLessThanOrEqual(maxSessions);
    expect(sessionKeys.length).toBeLessThanOrEqual(maxSessions + 1); // and the neighbour's, if it lingers
    expect(added.filter((key) => key.includes("cancelled"))).toEqual([]);
    // Besides sessions, each of the two servers has at most its cached snapshot, its index of
    // sessions and its request counter.
    const others = added.filter((key) => !sessionKeys.includes(key));
    expect(others.length).toBeLessThanOrEqual(2 * 3);
    console.log(
      `flood: ${replies.length} requests, ${refusals.length} refused; MCP keys added: ${sessionKeys.length} sessions and ${others.map((key) => key.replace(`${getEnv().REDIS_PREFIX}:`, "")).join(", ")}`,
    );
  });

  it("gives each member's URL of an organization's server a budget of its own", async () => {
    const [owner, member] = await Promise.all(
      ["flood-owner", "flood-member"].map((label) =>
        createUser({ email: uniqueEmail(label), password: "correct horse battery" }),
      ),
    );
    const org = await createOrg(owner!.id, "Flood");
    await getDb().$transaction((tx) =>
      addMembership(tx, { orgId: org.id, userId: member!.id, role: "MEMBER" }),
    );
    const server = await createServer(await resolveWorkspace(owner!.id, org.id), "Shared");
    const memberUrl = await getDb().$transaction((tx) =>
      writeMemberAccess(tx, { serverId: server.id, userId: member!.id }),
    );
    const list = async (url: string) =>
      (
        await fetch(`${platform.url}/mcp/${secretOfUrl(url)}`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: acceptBoth },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
        })
      ).status;
    // Twice the budget and more: whichever minute boundary falls inside, one window overflows.
    const statuses: number[] = [];
    for (let sent = 0; sent < 2 * perMinute + 40; sent += 20)
      statuses.push(...(await Promise.all(Array.from({ length: 20 }, () => list(server.url)))));
    expect(statuses).toContain(429);
    expect(await list(memberUrl)).toBe(200);
  });
});
