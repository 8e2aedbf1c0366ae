// MCP sessions in Redis, so that any web replica can serve any request of a session. A session
// belongs to the server (secret) that created it: presented with another server's secret it is
// unknown, which makes one user's session id useless to everyone else. Each server keeps at most
// MCP_MAX_SESSIONS_PER_SERVER sessions, in a sorted set by last use: a new one beyond that ends
// the least recently used, so initializing in a loop cannot fill Redis. A session idle for a day
// expires; use renews it (at most once a minute, to keep requests free of writes). Each process
// keeps the sessions it has read, as it keeps server snapshots (lib/servers/snapshot-cache.ts):
// trusted only while the invalidation feed is live, dropped wherever a session is deleted,
// evicted or changed once that is announced, and at most SERVER_SNAPSHOT_MAX_AGE_MS old.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { getEnv } from "@/env";
import { getRedis, redisKey } from "@/lib/redis/client";
import { announceInvalidation, invalidationFeed } from "@/lib/servers/snapshot-cache";

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

type CachedSession = { session: McpSession; cachedAt: number };

const maxCachedSessions = 10_000;
// On globalThis, so that the web process's two module copies (tsx's, Next.js's) share it.
const shared = globalThis as unknown as { mcpSessions?: Map<string, CachedSession> };
shared.mcpSessions ??= new Map();
const cachedSessions = shared.mcpSessions;
let listening = false;

function listenForInvalidations(): void {
  if (listening) return;
  listening = true;
  invalidationFeed.listen("mcp-sessions", (invalidation) => {
    if (invalidation.all) cachedSessions.clear();
    else for (const id of invalidation.sessionIds ?? []) cachedSessions.delete(id);
  });
}

function rememberSession(session: McpSession, cachedAt: number): void {
  if (cachedSessions.size >= maxCachedSessions) {
    const oldest = cachedSessions.keys().next().value;
    if (oldest !== undefined) cachedSessions.delete(oldest);
  }
  cachedSessions.set(session.id, { session, cachedAt });
}

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
    if (evicted.length > 0) {
      await Promise.all(evicted.map((evictedId) => redis.del(keyOf(evictedId))));
      await announceInvalidation({ sessionIds: evicted });
    }
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
  listenForInvalidations();
  const maxAgeMs = getEnv().SERVER_SNAPSHOT_MAX_AGE_MS;
  const cacheable = maxAgeMs > 0 && invalidationFeed.isLive();
  const cached = cacheable ? cachedSessions.get(id) : undefined;
  const now = Date.now();
  if (cached && now - cached.cachedAt < maxAgeMs)
    return cached.session.serverId === serverId ? cached.session : null;
  const epoch = invalidationFeed.epoch();
  const session = parseSession(id, await (await getRedis()).get(keyOf(id)), serverId);
  // Kept only if nothing was announced while it was read: it may predate a deletion.
  if (session && cacheable && invalidationFeed.epoch() === epoch && invalidationFeed.isLive())
    rememberSession(session, now);
  return session;
}

/** Renews a session in use (its expiry and its place among the server's sessions), once a minute. */
export async function renewSession(session: McpSession): Promise<void> {
  const now = Date.now();
  if (session.touchedAt !== undefined && now - session.touchedAt < renewEveryMs) return;
  await writeSession({ ...session, touchedAt: now });
}

export async function updateSessionLogLevel(session: McpSession, logLevel: string): Promise<void> {
  await writeSession({ ...session, logLevel, touchedAt: Date.now() });
  await announceInvalidation({ sessionIds: [session.id] });
}

// Only a session that still exists is written: one ended meanwhile (evicted, deleted) stays ended.
async function writeSession(session: McpSession): Promise<void> {
  const redis = await getRedis();
  await Promise.all([
    redis.set(keyOf(session.id), storedValue(session), "EX", idleSeconds, "XX"),
    redis.zadd(indexOf(session.serverId), "XX", session.touchedAt ?? Date.now(), session.id),
  ]);
  // This process's copy learns the renewal, so that it is not renewed again on every request.
  const cached = cachedSessions.get(session.id);
  if (cached) cachedSessions.set(session.id, { session, cachedAt: cached.cachedAt });
}

export async function deleteSession(session: Pick<McpSession, "id" | "serverId">): Promise<void> {
  const redis = await getRedis();
  await Promise.all([redis.del(keyOf(session.id)), redis.zrem(indexOf(session.serverId), session.id)]);
  await announceInvalidation({ sessionIds: [session.id] });
}
