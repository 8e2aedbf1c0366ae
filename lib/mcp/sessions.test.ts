// MCP sessions in the run's Redis (sessions.ts): a server keeps at most MCP_MAX_SESSIONS_PER_SERVER
// of them, a new one beyond that ends the least recently used, use renews a session at most once a
// minute, and nothing here touches another server's sessions.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setEnv } from "@/env";
import { disconnectRedis, getRedis, redisKey } from "@/lib/redis/client";
import { createSession, deleteSession, findSession, renewSession, sessionKey } from "./sessions";

const cap = 5;

beforeAll(() => {
  setEnv({ MCP_MAX_SESSIONS_PER_SERVER: String(cap) });
});

afterAll(async () => {
  await disconnectRedis();
});

const newServerId = () => `server-${randomBytes(4).toString("hex")}`;

async function exists(id: string): Promise<boolean> {
  return (await (await getRedis()).exists(sessionKey(id))) === 1;
}

async function indexSize(serverId: string): Promise<number> {
  return (await getRedis()).zcard(redisKey("mcp", "sessions", serverId));
}

/** Sessions created one after another, so each has its own time of last use. */
async function createSessions(serverId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    ids.push(await createSession(serverId));
    await new Promise((resolve) => setTimeout(resolve, 3));
  }
  return ids;
}

describe("sessions per server", () => {
  it("keeps at most the cap, ending the oldest, and leaves other servers alone", async () => {
    const other = newServerId();
    const [otherSession] = await createSessions(other, 1);
    const serverId = newServerId();
    const ids = await createSessions(serverId, cap + 7);
    expect(await indexSize(serverId)).toBe(cap);
    const alive = await Promise.all(ids.map(exists));
    expect(alive).toEqual([...Array(7).fill(false), ...Array(cap).fill(true)]);
    expect(await findSession(ids[0]!, serverId)).toBeNull();
    expect(await findSession(otherSession!, other)).toMatchObject({ id: otherSession, serverId: other });
  });

  it("ends the least recently used: a session in use outlives newer idle ones", async () => {
    const serverId = newServerId();
    const [first, second] = await createSessions(serverId, cap);
    const session = (await findSession(first!, serverId))!;
    // Used again a while after it was last renewed: it becomes the most recently used.
    await renewSession({ ...session, touchedAt: Date.now() - 120_000 });
    await createSessions(serverId, 1);
    expect(await exists(first!)).toBe(true);
    expect(await exists(second!)).toBe(false);
  });

  it("renews a session's expiry at most once a minute", async () => {
    const serverId = newServerId();
    const id = await createSession(serverId);
    const redis = await getRedis();
    await redis.expire(sessionKey(id), 100);
    const fresh = (await findSession(id, serverId))!;
    await renewSession(fresh);
    expect(await redis.ttl(sessionKey(id))).toBeLessThanOrEqual(100);
    await renewSession({ ...fresh, touchedAt: Date.now() - 61_000 });
    expect(await redis.ttl(sessionKey(id))).toBeGreaterThan(86_000);
  });

  it("does not bring back an ended session when it is renewed", async () => {
    const serverId = newServerId();
    const id = await createSession(serverId);
    const session = (await findSession(id, serverId))!;
    await deleteSession(session);
    expect(await indexSize(serverId)).toBe(0);
    await renewSession({ ...session, touchedAt: 0 });
    expect(await exists(id)).toBe(false);
    expect(await indexSize(serverId)).toBe(0);
  });
});
