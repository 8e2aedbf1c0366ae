// From an endpoint secret to everything a request needs: the server, its owner (suspension and
// quota limits) and its tools. The result is cached in Redis under the secret's hash for a
// minute. Rotation and deletion replace the entry with a "revoked" marker that a loader racing
// with them cannot overwrite (it writes only if no entry exists), so a revoked secret stops
// working immediately. Changes to tools, limits or suspension delete the entry and bump the
// secret's generation counter; a loader writes only if the generation is still the one it saw
// before reading the database, so a loader that read the old state cannot put it back.
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { combineLimits, type Limits, planOrDefault } from "@/lib/quota/effective-limits";
import { getRedis, type RedisClient, redisKey } from "@/lib/redis/client";
import { hashesMatch, hashServerSecret, looksLikeServerSecret } from "@/lib/servers/server-secrets";
import { fieldSettingsSchema } from "@/lib/tools/field-settings";
import { readFieldSettings, toolConfigSelect } from "@/lib/tools/tool-select";

const snapshotSchema = z.object({
  serverId: z.string(),
  serverName: z.string(),
  userId: z.string(),
  secretHash: z.string(),
  owner: z.object({
    suspended: z.boolean(),
    /** null when the owner has no plan and no default plan exists (a broken installation). */
    limits: z.object({ hour: z.number(), day: z.number(), month: z.number() }).nullable(),
  }),
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
const revokedMarker = "revoked";
// One hash tag per secret: the store script and the invalidation touch both keys (Redis Cluster).
const cacheKey = (secretHash: string) => redisKey("mcp", "server", `{${secretHash}}`);
const generationKey = (secretHash: string) => redisKey("mcp", "server-generation", `{${secretHash}}`);

// Writes a loaded snapshot unless the secret was revoked meanwhile or the generation moved on
// since the load began (an entry that could not be parsed, say from an older version, is replaced).
const storeIfCurrentScript = `
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[1] then return 0 end
if redis.call('GET', KEYS[1]) == ARGV[4] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
`;

type SnapshotRedis = RedisClient & {
  storeSnapshotIfCurrent(
    key: string,
    generation: string,
    seenGeneration: string,
    value: string,
    seconds: number,
    revoked: string,
  ): Promise<number>;
};

function withScripts(redis: RedisClient): SnapshotRedis {
  if (!("storeSnapshotIfCurrent" in redis))
    redis.defineCommand("storeSnapshotIfCurrent", { numberOfKeys: 2, lua: storeIfCurrentScript });
  return redis as SnapshotRedis;
}

async function loadSnapshot(where: { secretHash: string } | { id: string }): Promise<ServerSnapshot | null> {
  const server = await getDb().mcpServer.findUnique({
    where,
    select: {
      id: true,
      name: true,
      userId: true,
      secretHash: true,
      user: {
        select: {
          suspendedAt: true,
          hourlyLimitOverride: true,
          dailyLimitOverride: true,
          monthlyLimitOverride: true,
          plan: { select: { name: true, hourlyLimit: true, dailyLimit: true, monthlyLimit: true } },
        },
      },
      tools: {
        orderBy: { createdAt: "asc" },
        select: toolConfigSelect,
      },
    },
  });
  if (!server) return null;
  const plan = await planOrDefault(server.user.plan);
  const limits = plan ? combineLimits(server.user, plan) : null;
  return snapshotSchema.parse({
    serverId: server.id,
    serverName: server.name,
    userId: server.userId,
    secretHash: server.secretHash,
    owner: {
      suspended: server.user.suspendedAt !== null,
      limits: limits && { hour: limits.hour, day: limits.day, month: limits.month },
    },
    tools: server.tools.map((tool) => ({ ...tool, fields: readFieldSettings(tool) })),
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
  const redis = withScripts(await getRedis());
  // Sent together, so still one round trip; the other keys may live in other slots of a cluster.
  const [[cached = null, generation = null], values] = await Promise.all([
    redis.mget(cacheKey(secretHash), generationKey(secretHash)),
    Promise.all(alsoRead.map((key) => redis.get(key))),
  ]);
  if (cached === revokedMarker) return { snapshot: null, values };
  let snapshot = cached ? parseCachedSnapshot(secretHash, cached) : null;
  if (!snapshot) {
    snapshot = await loadSnapshot({ secretHash });
    if (snapshot)
      await redis.storeSnapshotIfCurrent(
        cacheKey(secretHash),
        generationKey(secretHash),
        generation ?? "0",
        JSON.stringify(snapshot),
        cacheSeconds,
        revokedMarker,
      );
  }
  return { snapshot: snapshot && hashesMatch(snapshot.secretHash, secretHash) ? snapshot : null, values };
}

/** A server's snapshot read fresh from the database (for its owner's pages), or null; not cached. */
export async function loadServerSnapshotById(serverId: string): Promise<ServerSnapshot | null> {
  return loadSnapshot({ id: serverId });
}

/** The server a secret opens, or null. Throws (503) only if storage is unreachable. */
export async function resolveServerBySecret(secret: string): Promise<ServerSnapshot | null> {
  return (await resolveServerWith(secret)).snapshot;
}

/** Marks a secret revoked (rotation, deletion) for longer than any cached entry could live. */
export async function revokeServerSecret(secretHash: string): Promise<void> {
  await (await getRedis()).set(cacheKey(secretHash), revokedMarker, "EX", cacheSeconds * 5);
}

/**
 * Drops a server's cached snapshot after a change (its tools, its owner's limits or suspension),
 * so the next request reloads it, and stops loads that began before the change from storing.
 */
export async function invalidateServerCache(secretHash: string): Promise<void> {
  await (await getRedis())
    .multi()
    .incr(generationKey(secretHash))
    .expire(generationKey(secretHash), 86_400)
    .del(cacheKey(secretHash))
    .exec();
}

export async function invalidateServerCacheById(serverId: string): Promise<void> {
  const server = await getDb().mcpServer.findUnique({
    where: { id: serverId },
    select: { secretHash: true },
  });
  if (server) await invalidateServerCache(server.secretHash);
}

/**
 * After a change to what the snapshots of a user's servers hold about the user (limits,
 * suspension, plan): every code path that changes those must call this, or tool calls may use
 * the old values for up to a minute.
 */
export async function invalidateUserServers(userId: string): Promise<void> {
  const servers = await getDb().mcpServer.findMany({ where: { userId }, select: { secretHash: true } });
  await Promise.all(servers.map((server) => invalidateServerCache(server.secretHash)));
}

/** The owner's quota limits, as getEffectiveLimits would give them. */
export function ownerLimits(snapshot: ServerSnapshot): Limits {
  if (!snapshot.owner.limits)
    throw new AppError("internal_error", "No default plan exists; run the migrations.");
  return snapshot.owner.limits;
}
