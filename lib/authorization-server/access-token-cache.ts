// Each process keeps the access tokens it has looked up for a few seconds, so that an AI app's
// requests do not each cost a PostgreSQL round trip (the benchmark measured a quarter of the
// secret URL's throughput without it). The cache rides on the server snapshots' invalidation
// feed (lib/servers/snapshot-cache.ts): it is trusted only while the feed is live, an entry lives
// at most SERVER_SNAPSHOT_MAX_AGE_MS, and every revocation announces its grant, which drops that
// grant's tokens here and in every other process before the revoking request is answered.
import { getEnv } from "@/env";
import { createLogger } from "@/lib/log/logger";
import { announceInvalidation, invalidationFeed } from "@/lib/servers/snapshot-cache";

export type AccessTokenRow = {
  kind: string;
  resource: string;
  expiresAt: Date;
  revokedAt: Date | null;
  grant: {
    id: string;
    userId: string;
    serverId: string;
    clientId: string;
    revokedAt: Date | null;
    lastUsedAt: Date | null;
  };
};

type Entry = { row: AccessTokenRow; loadedAt: number };

const maxEntries = 10_000;
// On globalThis, so that Next.js's separately bundled route modules share one cache.
const state = globalThis as unknown as { mcpAccessTokens?: Map<string, Entry> };
state.mcpAccessTokens ??= new Map();
const entries = state.mcpAccessTokens;

let listening = false;
function listenForRevocations(): void {
  if (listening) return;
  listening = true;
  invalidationFeed.listen("mcp-access-tokens", (invalidation) => {
    if (invalidation.all) {
      entries.clear();
      return;
    }
    const grants = new Set(invalidation.grantIds ?? []);
    if (grants.size === 0) return;
    for (const [tokenHash, entry] of entries) if (grants.has(entry.row.grant.id)) entries.delete(tokenHash);
  });
}

/** The token's row from this process's cache while it is fresh and trusted; otherwise `load`ed. */
export async function findAccessTokenRow(
  tokenHash: string,
  load: () => Promise<AccessTokenRow | null>,
): Promise<AccessTokenRow | null> {
  listenForRevocations();
  const maxAgeMs = getEnv().SERVER_SNAPSHOT_MAX_AGE_MS;
  const cacheable = maxAgeMs > 0 && invalidationFeed.isLive();
  const now = Date.now();
  const entry = cacheable ? entries.get(tokenHash) : undefined;
  if (entry && now - entry.loadedAt < maxAgeMs) return entry.row;
  const epoch = invalidationFeed.epoch();
  const row = await load();
  if (!row) {
    entries.delete(tokenHash);
    return null;
  }
  // Kept only if no announcement arrived while it loaded: it may have read the state before one.
  if (cacheable && invalidationFeed.epoch() === epoch && invalidationFeed.isLive()) {
    if (entries.size >= maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest !== undefined) entries.delete(oldest);
    }
    entries.set(tokenHash, { row, loadedAt: now });
  }
  return row;
}

/**
 * Tells every process that these grants' tokens were revoked. Called after the revocation has
 * committed; this process forgets them at once. Should Redis not take the announcement, another
 * process may accept a revoked token for at most SERVER_SNAPSHOT_MAX_AGE_MS (and none while its
 * feed is down, when it bypasses its cache).
 */
export async function announceRevocation(grantIds: string[]): Promise<void> {
  if (grantIds.length === 0) return;
  await announceInvalidation({ grantIds }).catch((error: Error) =>
    createLogger({ module: "authorization-server" }).warn(
      { err: error.message },
      "could not announce a token revocation; caches are bypassed while Redis is down",
    ),
  );
}
