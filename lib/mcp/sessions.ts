// MCP sessions in Redis, so that any web replica can serve any request of a session. A session
// belongs to the server (secret) that created it: presented with another server's secret it is
// unknown, which makes one user's session id useless to everyone else. Each server keeps at most
// MCP_MAX_SESSIONS_PER_SERVER sessions, in a sorted set by last use: a new one beyond that ends
// the least recently used, so initializing in a loop cannot fill Redis. A session idle for a day
// expires; use renews it (at most once a minute, to keep requests free of writes).
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { getEnv } from "@/env";
import { getRedis, redisKey } from "@/lib/redis/client";

const sessionSchema = z.object({
  serverId: z.string(),
  logLevel: z.string().optional(),
  /** When the session was last renewed (ms since the epoch). */
  touchedAt: z.number().optional(),
});
export type McpSession = z.infer<typeof sessionSchema> & { id: string };

const idleSeconds = 24 * 60 * 60;
const renewEveryMs = 60_000;
const keyOf = (id: string) => redisKey("mcp", "session", id);
const indexOf = (serverId: string) => redisKey("mcp", "sessions", serverId);

function storedValue(session: Omit<McpSession, "id">): string {
  return JSON.stringify({
    serverId: session.serverId,
    logLevel: session.logLevel,
    touchedAt: session.touchedAt,
  });
}

export async function createSession(serverId: string): Promise<string> {
  const id = randomBytes(24).toString("base64url");
  const now = Date.now();
  const redis = await getRedis();
  const index = indexOf(serverId);
  // Sent together (one round trip), not as one pipeline: on Redis Cluster a session and its
  // server's index may live on different nodes.
  const [, , , , count] = await Promise.all([
    redis.set(keyOf(id), storedValue({ serverId, touchedAt: now }), "EX", idleSeconds),
    redis.zadd(index, now, id),
    redis.zremrangebyscore(index, "-inf", now - idleSeconds * 1_000),
    redis.expire(index, idleSeconds),
    redis.zcard(index),
  ]);
  const excess = count - getEnv().MCP_MAX_SESSIONS_PER_SERVER;
  if (excess > 0) {
    // [id, score, id, score, ...], least recently used first.
    const evicted = (await redis.zpopmin(index, excess)).filter((_, position) => position % 2 === 0);
    await Promise.all(evicted.map((evictedId) => redis.del(keyOf(evictedId))));
  }
  return id;
}

/** The Redis key a session is kept under (for reading it together with other keys). */
export const sessionKey = keyOf;

/** Whether a session id has a plausible shape, checked before any lookup. */
export function looksLikeSessionId(id: string): boolean {
  return /^[A-Za-z0-9_-]{1,128}$/.test(id);
}

/** A session from its stored value, if it belongs to `serverId`. */
export function parseSession(id: string, raw: string | null, serverId: string): McpSession | null {
  const parsed = raw ? sessionSchema.safeParse(JSON.parse(raw)) : undefined;
  if (!parsed?.success || parsed.data.serverId !== serverId) return null;
  return { id, ...parsed.data };
}

export async function findSession(id: string, serverId: string): Promise<McpSession | null> {
  if (!looksLikeSessionId(id)) return null;
  return parseSession(id, await (await getRedis()).get(keyOf(id)), serverId);
}

/** Renews a session in use (its expiry and its place among the server's sessions), once a minute. */
export async function renewSession(session: McpSession): Promise<void> {
  const now = Date.now();
  if (session.touchedAt !== undefined && now - session.touchedAt < renewEveryMs) return;
  await writeSession({ ...session, touchedAt: now });
}

export async function updateSessionLogLevel(session: McpSession, logLevel: string): Promise<void> {
  await writeSession({ ...session, logLevel, touchedAt: Date.now() });
}

// Only a session that still exists is written: one ended meanwhile (evicted, deleted) stays ended.
async function writeSession(session: McpSession): Promise<void> {
  const redis = await getRedis();
  await Promise.all([
    redis.set(keyOf(session.id), storedValue(session), "EX", idleSeconds, "XX"),
    redis.zadd(indexOf(session.serverId), "XX", session.touchedAt ?? Date.now(), session.id),
  ]);
}

export async function deleteSession(session: Pick<McpSession, "id" | "serverId">): Promise<void> {
  const redis = await getRedis();
  await Promise.all([redis.del(keyOf(session.id)), redis.zrem(indexOf(session.serverId), session.id)]);
}
