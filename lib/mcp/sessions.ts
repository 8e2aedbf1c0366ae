// MCP sessions in Redis, so that any web replica can serve any request of a session. A session
// belongs to the server (secret) that created it: presented with another server's secret it is
// unknown, which makes one user's session id useless to everyone else.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { getRedis, redisKey } from "@/lib/redis/client";

const sessionSchema = z.object({ serverId: z.string(), logLevel: z.string().optional() });
export type McpSession = z.infer<typeof sessionSchema> & { id: string };

const ttlSeconds = 24 * 60 * 60;
const keyOf = (id: string) => redisKey("mcp", "session", id);

export async function createSession(serverId: string): Promise<string> {
  const id = randomBytes(24).toString("base64url");
  await (await getRedis()).set(keyOf(id), JSON.stringify({ serverId }), "EX", ttlSeconds);
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

export async function updateSessionLogLevel(session: McpSession, logLevel: string): Promise<void> {
  await (await getRedis()).set(
    keyOf(session.id),
    JSON.stringify({ serverId: session.serverId, logLevel }),
    "EX",
    ttlSeconds,
  );
}

export async function deleteSession(id: string): Promise<void> {
  await (await getRedis()).del(keyOf(id));
}
