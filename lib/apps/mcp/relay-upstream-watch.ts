// In the worker: one open session with each upstream MCP server that some server's tools use, to
// hear its `notifications/tools/list_changed` (on the session's GET stream, or a legacy server's
// event stream). On one, the app is discovered again and the discovery applied with nothing
// accepted by itself: a changed definition stops being served until its owner accepts it, and the
// AppAction writes invalidate the server snapshots, which tells our clients (lib/mcp/session-stream.ts).
// The upstream's resources and prompts list_changed are announced on the same feed, for the
// servers relaying the app to tell their clients (lib/mcp/tool-list-watch.ts).
// Every 30 s the set of watched apps is brought up to date (a session whose stream ends is opened
// again by tool-list-watch.ts, after a pause). Across workers, one holds each app's watch (a lock
// in Redis, renewed each round), so a change is discovered once.

import { randomUUID } from "node:crypto";
import type { ConnectionContext } from "@/integrations/sdk/define";
import { withConnection } from "@/lib/connections/connection-context";
import { getDb } from "@/lib/db/client";
import { createLogger } from "@/lib/log/logger";
import { getRedis, redisKey } from "@/lib/redis/client";
import { announceInvalidation } from "@/lib/servers/snapshot-cache";
import { applyDiscovery } from "../app-definitions";
import type { AppRecord } from "../app-driver";
import { appRecordOf, appRecordWithHeadersSelect, integrationOfApp } from "../app-registry";
import { mcpDriver, targetOfApp } from "./mcp-driver";
import { isStdioSource } from "./stdio-source";
import { type CatalogList, watchToolListChanges } from "./tool-list-watch";

const watchIntervalMs = 30_000;
const lockTtlMs = 3 * watchIntervalMs;
// A session's GET stream can be cut without the session ending (a proxy's idle timeout), and an
// upstream may offer no stream at all: a watch is renewed this often, and each new watch
// discovers its app once, so such a change is found within this time at worst.
const renewWatchMs = 10 * 60_000;
const rediscoverDelayMs = 300;
// An upstream may repeat a notice many times a second: one announcement per app per pause.
const catalogNoticeDelayMs = 300;
const discoveryTimeoutMs = 60_000;
const log = createLogger({ module: "upstream-watch" });
const lockKey = (appId: string) => redisKey("apps", "watch", appId);

type Watch = {
  app: AppRecord;
  openedAt: number;
  connection: ConnectionContext<unknown> | null;
  /** Ends the watch: the session closes and its connection is released. */
  close: () => void;
  rediscovery?: NodeJS.Timeout;
  discovering: Promise<void>;
};

/** The MCP apps that some server's tools use, with their sealed headers opened. */
async function appsInUse(): Promise<AppRecord[]> {
  const db = getDb();
  const used = await db.tool.findMany({ distinct: ["integration"], select: { integration: true } });
  const rows = await db.app.findMany({
    where: { kind: "MCP", slug: { in: used.map((tool) => tool.integration) } },
    select: appRecordWithHeadersSelect,
  });
  // A command run on the workers' host (stdio) has no stream to watch: it is read again on a refresh.
  return Promise.all(rows.filter((row) => !isStdioSource(row.source)).map((row) => appRecordOf(row)));
}

async function rediscover(watch: Watch): Promise<void> {
  const { app } = watch;
  try {
    const found = await mcpDriver.discover(app, {
      connection: watch.connection,
      signal: AbortSignal.timeout(discoveryTimeoutMs),
    });
    const summary = await applyDiscovery(app.id, found, { acceptClean: false });
    log.info(
      { app: app.slug, added: summary.added, changed: summary.changed, removed: summary.removed },
      "upstream discovered again",
    );
  } catch (error) {
    log.warn({ app: app.slug, err: (error as Error).message }, "could not discover a changed upstream again");
  }
}

function scheduleRediscovery(watch: Watch): void {
  if (watch.rediscovery) return;
  watch.rediscovery = setTimeout(() => {
    watch.rediscovery = undefined;
    // One discovery at a time per app; a notice during one is served by the next.
    watch.discovering = watch.discovering.then(() => rediscover(watch));
  }, rediscoverDelayMs);
  watch.rediscovery.unref();
}

/** Announces the app's resource and prompt list changes, those heard within a pause at once. */
function catalogAnnouncer(app: AppRecord): { heard: (list: CatalogList) => void; stop: () => void } {
  const pending = new Set<CatalogList>();
  let timer: NodeJS.Timeout | undefined;
  const announce = () => {
    timer = undefined;
    const lists = [...pending];
    pending.clear();
    void announceInvalidation({
      ...(lists.includes("resources") && { resourceListsChanged: [app.id] }),
      ...(lists.includes("prompts") && { promptListsChanged: [app.id] }),
    }).then(
      () => log.info({ app: app.slug, lists }, "upstream's catalog changed"),
      (error: Error) =>
        log.warn({ app: app.slug, err: error.message }, "could not announce a catalog change"),
    );
  };
  return {
    heard: (list) => {
      pending.add(list);
      if (timer) return;
      timer = setTimeout(announce, catalogNoticeDelayMs);
      timer.unref();
    },
    stop: () => clearTimeout(timer),
  };
}

/**
 * Listens to the upstream as the app's owner (their workspace's default connection, for an
 * upstream that takes credentials), keeping the connection until the watch is closed. The session
 * itself is tool-list-watch.ts's: opened again, after a pause, whenever its stream ends.
 */
function openWatch(app: AppRecord, onError: (error: unknown) => void): Promise<Watch> {
  const abort = new AbortController();
  return new Promise<Watch>((resolve, reject) => {
    let ended = () => {};
    const closed = new Promise<void>((resolveClosed) => {
      ended = resolveClosed;
    });
    withConnection(
      { userId: app.userId, orgId: app.orgId },
      integrationOfApp(app, []),
      null,
      abort.signal,
      async (connection) => {
        const catalog = catalogAnnouncer(app);
        const watch: Watch = {
          app,
          openedAt: Date.now(),
          connection: connection.auth === undefined ? null : connection,
          close: () => {
            if (watch.rediscovery) clearTimeout(watch.rediscovery);
            catalog.stop();
            abort.abort(new Error("the watch ended"));
            ended();
          },
          discovering: Promise.resolve(),
        };
        const listening = watchToolListChanges(
          targetOfApp(app, connection.auth),
          () => scheduleRediscovery(watch),
          { onError, onCatalogChanged: catalog.heard },
        );
        resolve(watch);
        await closed;
        await listening.stop();
      },
      { purpose: "check" },
    ).catch(reject);
  });
}

export type UpstreamWatcher = { stop: () => Promise<void>; round: () => Promise<void> };

/** Starts watching (a first round at once); `stop` closes every session. */
export function startUpstreamWatch(): UpstreamWatcher {
  const holder = randomUUID();
  const watches = new Map<string, Watch>();
  // An upstream that cannot be watched (down, or its owner has no account of it) is tried every
  // round but reported once, until it is watched again.
  const reported = new Set<string>();
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const holdLock = async (appId: string): Promise<boolean> => {
    const redis = await getRedis();
    const key = lockKey(appId);
    if ((await redis.set(key, holder, "PX", lockTtlMs, "NX")) === "OK") return true;
    if ((await redis.get(key)) !== holder) return false;
    await redis.pexpire(key, lockTtlMs);
    return true;
  };

  const releaseLock = async (appId: string) => {
    const redis = await getRedis();
    if ((await redis.get(lockKey(appId))) === holder) await redis.del(lockKey(appId));
  };

  const drop = async (appId: string) => {
    reported.delete(appId);
    watches.get(appId)?.close();
    watches.delete(appId);
    await releaseLock(appId).catch(() => {});
  };

  const roundOnce = async () => {
    const apps = await appsInUse();
    const wanted = new Map(apps.map((app) => [app.id, app]));
    for (const appId of watches.keys()) if (!wanted.has(appId)) await drop(appId);
    await Promise.all(
      [...wanted.values()].map(async (app) => {
        const existing = watches.get(app.id);
        if (existing) {
          const unchanged = JSON.stringify(existing.app) === JSON.stringify(app);
          const fresh = Date.now() - existing.openedAt < renewWatchMs;
          if (unchanged && fresh && (await holdLock(app.id).catch(() => false))) return;
          await drop(app.id);
        }
        if (stopped || !(await holdLock(app.id).catch(() => false))) return;
        const report = (error: unknown) => {
          if (reported.has(app.id)) return;
          reported.add(app.id);
          log.warn(
            { app: app.slug, err: error instanceof Error ? error.message : String(error) },
            "could not open a session to watch an upstream",
          );
        };
        try {
          const watch = await openWatch(app, report);
          if (stopped) return watch.close();
          watches.set(app.id, watch);
          // What changed while nobody listened (before this worker started, while the session
          // was down) is found now.
          scheduleRediscovery(watch);
          log.info({ app: app.slug }, "watching an upstream for changes to its tools");
        } catch (error) {
          await releaseLock(app.id).catch(() => {});
          report(error);
        }
      }),
    );
  };

  const round = () => {
    running = running.then(() =>
      stopped
        ? undefined
        : roundOnce().catch((error: Error) =>
            log.warn({ err: error.message }, "upstream watch round failed"),
          ),
    );
    return running;
  };

  void round();
  const timer = setInterval(() => void round(), watchIntervalMs);
  timer.unref();
  return {
    round,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
      await Promise.all([...watches.keys()].map((appId) => drop(appId)));
    },
  };
}
