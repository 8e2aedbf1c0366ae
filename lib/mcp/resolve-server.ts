// From an endpoint secret to everything a request needs: the server, its owner and its tools.
// The result is cached in Redis under the secret's hash for a minute. Rotation and deletion
// replace the entry with a "revoked" marker that a loader racing with them cannot overwrite
// (it writes only if no entry exists), so a revoked secret stops working immediately.
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { getRedis, redisKey } from "@/lib/redis/client";
import { hashesMatch, hashServerSecret, looksLikeServerSecret } from "@/lib/servers/server-secrets";
import { fieldSettingsSchema } from "@/lib/tools/field-settings";

const snapshotSchema = z.object({
  serverId: z.string(),
  serverName: z.string(),
  userId: z.string(),
  secretHash: z.string(),
  tools: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      description: z.string().nullable(),
      integration: z.string(),
      action: z.string(),
      connectionId: z.string().nullable(),
      fields: fieldSettingsSchema,
    }),
  ),
});
export type ServerSnapshot = z.infer<typeof snapshotSchema>;
export type ToolSnapshot = ServerSnapshot["tools"][number];

const cacheSeconds = 60;
const cacheKey = (secretHash: string) => redisKey("mcp", "server", secretHash);

async function loadSnapshot(secretHash: string): Promise<ServerSnapshot | null> {
  const server = await getDb().mcpServer.findUnique({
    where: { secretHash },
    select: {
      id: true,
      name: true,
      userId: true,
      secretHash: true,
      tools: {
        orderBy: { createdAt: "asc" },
        select: {
          id: true,
          name: true,
          description: true,
          integration: true,
          action: true,
          connectionId: true,
          fields: true,
        },
      },
    },
  });
  if (!server) return null;
  return snapshotSchema.parse({
    serverId: server.id,
    serverName: server.name,
    userId: server.userId,
    secretHash: server.secretHash,
    tools: server.tools,
  });
}

// The last snapshot parsed for each secret, with the cached text it came from: while Redis holds
// the same text, the parsed object is reused instead of parsed and validated again. Redis is
// still read on every request, so revocation and invalidation take effect at once.
const parsedSnapshots = new Map<string, { text: string; snapshot: ServerSnapshot }>();

function parseCachedSnapshot(secretHash: string, text: string): ServerSnapshot | null {
  const memo = parsedSnapshots.get(secretHash);
  if (memo?.text === text) return memo.snapshot;
  const snapshot = snapshotSchema.safeParse(JSON.parse(text)).data ?? null;
  if (snapshot) {
    if (parsedSnapshots.size >= 1_000) parsedSnapshots.clear();
    parsedSnapshots.set(secretHash, { text, snapshot });
  }
  return snapshot;
}

/**
 * The server a secret opens (or null), together with the raw values of `alsoRead` keys, fetched
 * in the same Redis round trip. Throws (503) only if storage is unreachable.
 */
export async function resolveServerWith(
  secret: string,
  alsoRead: string[] = [],
): Promise<{ snapshot: ServerSnapshot | null; values: (string | null)[] }> {
  if (!looksLikeServerSecret(secret)) return { snapshot: null, values: alsoRead.map(() => null) };
  const secretHash = hashServerSecret(secret);
  const redis = await getRedis();
  const [cached = null, ...values] =
    alsoRead.length === 0
      ? [await redis.get(cacheKey(secretHash))]
      : await redis.mget(cacheKey(secretHash), ...alsoRead);
  if (cached === revokedMarker) return { snapshot: null, values };
  let snapshot = cached ? parseCachedSnapshot(secretHash, cached) : null;
  if (!snapshot) {
    snapshot = await loadSnapshot(secretHash);
    if (snapshot) await redis.set(cacheKey(secretHash), JSON.stringify(snapshot), "EX", cacheSeconds, "NX");
  }
  return { snapshot: snapshot && hashesMatch(snapshot.secretHash, secretHash) ? snapshot : null, values };
}

/** The server a secret opens, or null. Throws (503) only if storage is unreachable. */
export async function resolveServerBySecret(secret: string): Promise<ServerSnapshot | null> {
  return (await resolveServerWith(secret)).snapshot;
}

const revokedMarker = "revoked";

/** Marks a secret revoked (rotation, deletion) for longer than any cached entry could live. */
export async function revokeServerSecret(secretHash: string): Promise<void> {
  await (await getRedis()).set(cacheKey(secretHash), revokedMarker, "EX", cacheSeconds * 5);
}

/** Drops a server's cached tools after a change, so the next request reloads them. */
export async function invalidateServerCache(secretHash: string): Promise<void> {
  await (await getRedis()).del(cacheKey(secretHash));
}

export async function invalidateServerCacheById(serverId: string): Promise<void> {
  const server = await getDb().mcpServer.findUnique({
    where: { id: serverId },
    select: { secretHash: true },
  });
  if (server) await invalidateServerCache(server.secretHash);
}
