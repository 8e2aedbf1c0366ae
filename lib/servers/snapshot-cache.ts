// Each process keeps the server snapshots it has resolved, keyed by the secret's hash, so a
// request usually needs neither PostgreSQL nor Redis to know its server. Every process subscribes
// to one Redis channel on which each write that can change a snapshot is announced (before and
// after it commits, see invalidate-on-write.ts); an announcement drops the snapshots it reaches.
// The cache is trusted only while the subscription is live: it is emptied whenever the subscriber
// (re)connects, since announcements made meanwhile were lost, and bypassed while it is down. An
// entry also lives at most SERVER_SNAPSHOT_MAX_AGE_MS, which bounds how long a change can go
// unseen should an announcement be lost on a connection that still looks live.
import { randomBytes } from "node:crypto";
import { getEnv } from "@/env";
import { createLogger } from "@/lib/log/logger";
import { createRedis, getRedis, type RedisClient, redisKey } from "@/lib/redis/client";
import { hashesMatch, hashServerSecret, looksLikeServerSecret } from "./server-secrets";
import { loadServerSnapshot, type ServerSnapshot } from "./server-snapshot";
import { parseInvalidation, reaches, type SnapshotInvalidation } from "./snapshot-invalidation";

const maxEntries = 10_000;
const invalidationChannel = () => redisKey("servers", "snapshot-invalidations");

type Entry = { snapshot: ServerSnapshot; loadedAt: number };
type Feed = { subscriber: RedisClient; live: boolean };

/** `tag` marks this process's own announcements, applied when made, so their echo is skipped. */
type Cache = {
  entries: Map<string, Entry>;
  epoch: number;
  tag: string;
  feed?: Feed;
  /** Other per-process caches that the same announcements keep (lib/mcp/sessions.ts). */
  listeners: ((invalidation: SnapshotInvalidation) => void)[];
};

// On globalThis, so that Next.js's separately bundled route modules share one cache and one feed.
const state = globalThis as unknown as { serverSnapshots?: Cache };
state.serverSnapshots ??= {
  entries: new Map(),
  epoch: 0,
  tag: randomBytes(8).toString("hex"),
  listeners: [],
};
const cache: Cache = state.serverSnapshots;

/** Drops what an invalidation reaches; a load that began before it will not be kept. */
export function forgetSnapshots(invalidation: SnapshotInvalidation): void {
  cache.epoch += 1;
  for (const listener of cache.listeners) listener(invalidation);
  if (invalidation.all) {
    cache.entries.clear();
    return;
  }
  for (const [secretHash, entry] of cache.entries)
    if (reaches(invalidation, secretHash, entry.snapshot)) cache.entries.delete(secretHash);
}

function distrust(): void {
  if (cache.feed) cache.feed.live = false;
  forgetSnapshots({ all: true });
}

// The subscriber is made on first use, never at module load (`next build` imports this).
function startFeed(): Feed {
  const subscriber = createRedis();
  const feed: Feed = { subscriber, live: false };
  subscriber.on("message", (channel: string, message: string) => {
    if (channel === invalidationChannel() && !message.startsWith(`${cache.tag} `))
      forgetSnapshots(parseInvalidation(message.slice(message.indexOf(" ") + 1)));
  });
  subscriber.on("ready", () => {
    // Named, so that an operator (or a test) can tell this connection apart in CLIENT LIST; a
    // connection that ioredis already resubscribed takes subscriber commands only, and stays unnamed.
    subscriber
      .client("SETNAME", feedConnectionName())
      .catch(() => {})
      .then(() => subscriber.subscribe(invalidationChannel()))
      .then(
        () => {
          forgetSnapshots({ all: true });
          feed.live = subscriber.status === "ready";
        },
        (error: Error) =>
          createLogger({ module: "server-snapshots" }).warn(
            { err: error.message },
            "snapshot feed: subscribe failed",
          ),
      );
  });
  for (const event of ["close", "reconnecting", "end"]) subscriber.on(event, distrust);
  return feed;
}

function feedIsLive(): boolean {
  cache.feed ??= startFeed();
  return cache.feed.live;
}

/**
 * For another per-process cache kept by the same announcements: whether it may be trusted now
 * (the feed is live), a counter that moves with every announcement (a load that began before a
 * move must not be kept), and a way to hear each announcement. Register once per process.
 */
export const invalidationFeed = {
  isLive: feedIsLive,
  epoch: () => cache.epoch,
  listen(key: string, listener: (invalidation: SnapshotInvalidation) => void): void {
    const tagged = Object.assign(listener, { key });
    const index = cache.listeners.findIndex((existing) => (existing as { key?: string }).key === key);
    if (index === -1) cache.listeners.push(tagged);
    else cache.listeners[index] = tagged;
  },
};

/** The Redis client name of this process's invalidation subscriber. */
export function feedConnectionName(): string {
  return `snapshot-feed-${process.pid}`;
}

/** Starts the invalidation feed if needed and waits until it is live (false if not in time). */
export async function whenSnapshotFeedLive(timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!feedIsLive()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

/** Stops listening for invalidations (tests, shutdown); the cache is bypassed from then on. */
export async function closeSnapshotFeed(): Promise<void> {
  const feed = cache.feed;
  cache.feed = undefined;
  forgetSnapshots({ all: true });
  feed?.subscriber.disconnect();
}

/** Keys are secret hashes, or `grant:<id>` for servers opened by an AI app's grant. */
function remember(key: string, snapshot: ServerSnapshot, loadedAt: number): void {
  if (cache.entries.size >= maxEntries) {
    // The oldest entry (Map keeps insertion order) makes room.
    const oldest = cache.entries.keys().next().value;
    if (oldest !== undefined) cache.entries.delete(oldest);
  }
  cache.entries.set(key, { snapshot, loadedAt });
}

/**
 * The snapshot cached under `key`, or `load`ed and kept when `accept` takes it. From this
 * process's cache while it is fresh and the invalidation feed is live; otherwise from the database.
 */
async function resolveCached(
  key: string,
  load: () => Promise<ServerSnapshot | null>,
  accept: (snapshot: ServerSnapshot) => boolean,
): Promise<ServerSnapshot | null> {
  const maxAgeMs = getEnv().SERVER_SNAPSHOT_MAX_AGE_MS;
  const cacheable = maxAgeMs > 0 && feedIsLive();
  const entry = cacheable ? cache.entries.get(key) : undefined;
  const now = Date.now();
  if (entry && now - entry.loadedAt < maxAgeMs) return entry.snapshot;
  const epoch = cache.epoch;
  const snapshot = await load();
  if (!snapshot || !accept(snapshot)) {
    cache.entries.delete(key);
    return null;
  }
  // Kept only if no invalidation arrived while it loaded: it may have read the state before one.
  if (cacheable && cache.epoch === epoch && feedIsLive()) remember(key, snapshot, now);
  return snapshot;
}

/** The server a secret opens, or null. */
export async function resolveServerBySecret(secret: string): Promise<ServerSnapshot | null> {
  if (!looksLikeServerSecret(secret)) return null;
  const secretHash = hashServerSecret(secret);
  return resolveCached(
    secretHash,
    () => loadServerSnapshot({ secretHash }),
    (snapshot) => hashesMatch(snapshot.secretHash, secretHash),
  );
}

/**
 * The server an AI app's grant (checked by the caller) opens: the person's own server, or an
 * organization's server called as that member, while they still are one.
 */
export async function resolveServerByGrant(grant: {
  grantId: string;
  serverId: string;
  userId: string;
}): Promise<ServerSnapshot | null> {
  return resolveCached(
    `grant:${grant.grantId}`,
    () => loadServerSnapshot({ id: grant.serverId, callerId: grant.userId }),
    (snapshot) => (snapshot.org ? snapshot.org.caller.userId : snapshot.userId) === grant.userId,
  );
}

/**
 * Announces an invalidation to every process and applies it here at once, so the process that
 * made a change sees it on its next request. Throws if Redis cannot take the announcement.
 */
export async function announceInvalidation(invalidation: SnapshotInvalidation): Promise<void> {
  forgetSnapshots(invalidation);
  await (await getRedis()).publish(invalidationChannel(), `${cache.tag} ${JSON.stringify(invalidation)}`);
}
