// Which open streams of this process are told when their server's tool list changes, or when an
// upstream it relays says its resources or prompts changed (announced by the worker watching it). Every web
// process hears the snapshot invalidation feed (lib/servers/snapshot-cache.ts), so a stream is
// told wherever the change was made. An announcement that reaches a stream's snapshot reloads it
// (once for all the streams opened by the same secret), and the streams are told only when the
// tools listed actually differ: writes are announced before and after they commit, and most
// writes (a quota, a connection's status) change nothing a client lists.
import { relayedApps } from "@/lib/apps/mcp/relay-access";
import { createLogger } from "@/lib/log/logger";
import { loadServerSnapshot, type ServerSnapshot } from "@/lib/servers/server-snapshot";
import { invalidationFeed } from "@/lib/servers/snapshot-cache";
import type { SnapshotInvalidation } from "@/lib/servers/snapshot-invalidation";
import { reaches } from "@/lib/servers/snapshot-invalidation";
import { listToolDescriptions } from "./build-server";

export type WatchingStream = {
  sessionId: string;
  /** The tool list changed. */
  toolsChanged: () => void;
  /** An upstream the server relays said its resource or prompt list changed. */
  catalogChanged: (list: "resources" | "prompts") => void;
  /** The secret no longer opens the server: the stream ends. */
  end: () => void;
  /** An announcement named the stream's session (ended, or another stream took over). */
  sessionChanged: () => void;
};

type Group = {
  snapshot: ServerSnapshot;
  fingerprint: string;
  streams: Set<WatchingStream>;
  timer?: NodeJS.Timeout;
  reloading: boolean;
  reloadAgain: boolean;
};

// Announcements come in pairs around a commit: a short pause lets one reload serve both.
const reloadDelayMs = 50;
const log = createLogger({ module: "mcp-tool-list-watch" });

// On globalThis, so that the web process's module copies (tsx's, Next.js's) share the streams.
const shared = globalThis as unknown as { toolListGroups?: Map<string, Group> };
shared.toolListGroups ??= new Map();
const groups = shared.toolListGroups;

const fingerprintOf = (snapshot: ServerSnapshot) => JSON.stringify(listToolDescriptions(snapshot));

async function reload(secretHash: string, group: Group): Promise<void> {
  if (group.reloading) {
    group.reloadAgain = true;
    return;
  }
  group.reloading = true;
  try {
    const snapshot = await loadServerSnapshot({ secretHash });
    if (groups.get(secretHash) !== group) return;
    if (!snapshot) {
      for (const stream of group.streams) stream.end();
      groups.delete(secretHash);
      return;
    }
    group.snapshot = snapshot;
    const fingerprint = fingerprintOf(snapshot);
    if (fingerprint !== group.fingerprint) {
      group.fingerprint = fingerprint;
      for (const stream of group.streams) stream.toolsChanged();
    }
  } catch (error) {
    log.warn({ err: (error as Error).message }, "could not reload a server's tools for its streams");
  } finally {
    group.reloading = false;
    if (group.reloadAgain) {
      group.reloadAgain = false;
      scheduleReload(secretHash, group);
    }
  }
}

function scheduleReload(secretHash: string, group: Group): void {
  if (group.timer) return;
  group.timer = setTimeout(() => {
    group.timer = undefined;
    void reload(secretHash, group);
  }, reloadDelayMs);
  group.timer.unref();
}

/** Whether the snapshot's server relays (one of) these apps' resources and prompts. */
function relaysAny(snapshot: ServerSnapshot, appIds: string[] | undefined): boolean {
  return appIds !== undefined && relayedApps(snapshot).some((app) => appIds.includes(app.id));
}

function hear(invalidation: SnapshotInvalidation): void {
  for (const [secretHash, group] of groups) {
    if (reaches(invalidation, secretHash, group.snapshot)) scheduleReload(secretHash, group);
    if (invalidation.all) continue;
    for (const [list, appIds] of [
      ["resources", invalidation.resourceListsChanged],
      ["prompts", invalidation.promptListsChanged],
    ] as const)
      if (relaysAny(group.snapshot, appIds)) for (const stream of group.streams) stream.catalogChanged(list);
    for (const stream of group.streams)
      if (invalidation.sessionIds?.includes(stream.sessionId)) stream.sessionChanged();
  }
}

/** Tells `stream` of changes to the tools its snapshot lists; returns the way to stop. */
export function watchToolList(snapshot: ServerSnapshot, stream: WatchingStream): () => void {
  invalidationFeed.listen("mcp-tool-list-streams", hear);
  const secretHash = snapshot.secretHash;
  let group = groups.get(secretHash);
  if (!group) {
    group = {
      snapshot,
      fingerprint: fingerprintOf(snapshot),
      streams: new Set(),
      reloading: false,
      reloadAgain: false,
    };
    groups.set(secretHash, group);
  }
  group.streams.add(stream);
  const joined = group;
  return () => {
    joined.streams.delete(stream);
    if (joined.streams.size === 0 && groups.get(secretHash) === joined) {
      clearTimeout(joined.timer);
      groups.delete(secretHash);
    }
  };
}
