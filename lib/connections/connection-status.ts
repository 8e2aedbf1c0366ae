// A connection's status as stored: the verdict of its last check (with when it was checked) or of
// its last real call (with when it was last used). A call writes only when something changed.
import { getDb } from "@/lib/db/client";
import type { Verdict } from "./connection-verdict";
import type { ConnectionStatus } from "./status-words";

/** "Last used" is said to the minute: a busier connection is not written on every call. */
const lastUsedPrecisionMs = 60_000;

export async function markConnectionNeedsReconnect(connectionId: string, reason: string): Promise<void> {
  await getDb().connection.updateMany({
    where: { id: connectionId },
    data: { status: "NEEDS_RECONNECT", statusMessage: reason, lastCheckedAt: new Date() },
  });
}

/** A check's result; null (a rate limit, say) only says when it was tried. */
export async function recordCheck(connectionId: string, verdict: Verdict | null): Promise<void> {
  await getDb().connection.updateMany({
    where: { id: connectionId },
    data: {
      lastCheckedAt: new Date(),
      ...(verdict && { status: verdict.status, statusMessage: verdict.message }),
    },
  });
}

export type UsedConnection = {
  id: string;
  status: ConnectionStatus;
  statusMessage: string | null;
  lastUsedAt: Date | null;
};

/** What a real call changes: the status when the verdict differs, "last used" when it is stale. */
export function changesOfUse(
  connection: UsedConnection,
  verdict: Verdict | null,
  now: Date,
): { status?: ConnectionStatus; statusMessage?: string | null; lastUsedAt?: Date } {
  const changes: { status?: ConnectionStatus; statusMessage?: string | null; lastUsedAt?: Date } = {};
  if (verdict && (verdict.status !== connection.status || verdict.message !== connection.statusMessage)) {
    changes.status = verdict.status;
    changes.statusMessage = verdict.message;
  }
  if (!connection.lastUsedAt || now.getTime() - connection.lastUsedAt.getTime() >= lastUsedPrecisionMs)
    changes.lastUsedAt = now;
  return changes;
}

/** Records a real call through the connection (read when the call started). */
export async function recordUse(connection: UsedConnection, verdict: Verdict | null): Promise<void> {
  const changes = changesOfUse(connection, verdict, new Date());
  if (Object.keys(changes).length === 0) return;
  await getDb().connection.updateMany({ where: { id: connection.id }, data: changes });
}
