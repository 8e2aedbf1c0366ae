// A connection's health as the user sees it: OK, or needing reconnection with the reason.
import { getDb } from "@/lib/db/client";

export async function markConnectionNeedsReconnect(connectionId: string, reason: string): Promise<void> {
  await getDb().connection.updateMany({
    where: { id: connectionId },
    data: { status: "NEEDS_RECONNECT", statusMessage: reason, lastCheckedAt: new Date() },
  });
}

export async function markConnectionOk(connectionId: string): Promise<void> {
  await getDb().connection.updateMany({
    where: { id: connectionId },
    data: { status: "OK", statusMessage: null, lastCheckedAt: new Date() },
  });
}
