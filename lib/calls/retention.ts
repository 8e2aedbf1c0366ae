// How long the call ledger keeps calls (CALL_RETENTION_DAYS): older rows, with the inputs and
// outputs they hold, are deleted in batches. The hourly rollups stay, so dashboards keep their
// history; the limit's floor keeps every call of the current month, which quota rebuilds count.
import { getDb } from "@/lib/db/client";

export const minimumRetentionDays = 35;
const dayMs = 86_400_000;

/** Deletes the calls started more than `retentionDays` before `now`; returns how many. */
export async function pruneOldCalls(
  retentionDays: number,
  now = new Date(),
  batchSize = 5_000,
): Promise<number> {
  if (!Number.isInteger(retentionDays) || retentionDays < minimumRetentionDays)
    throw new Error(`Calls are kept for at least ${minimumRetentionDays} days.`);
  const cutoff = new Date(now.getTime() - retentionDays * dayMs);
  let deleted = 0;
  for (;;) {
    // Small batches keep each transaction short next to the calls being written meanwhile.
    const batch = await getDb().$executeRaw`
      DELETE FROM "Call" WHERE "id" IN (
        SELECT "id" FROM "Call" WHERE "startedAt" < ${cutoff} LIMIT ${batchSize}
      )`;
    deleted += batch;
    if (batch < batchSize) return deleted;
  }
}
