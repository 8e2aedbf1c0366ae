// The hourly maintenance job that applies CALL_RETENTION_DAYS (0 keeps every call).
import { z } from "zod";
import { getEnv } from "@/env";
import { pruneOldCalls } from "@/lib/calls/retention";
import { createLogger } from "@/lib/log/logger";
import { defineJob } from "@/lib/queue/define-job";
import { getQueue } from "@/lib/queue/queues";

export const pruneCallsJob = defineJob({
  queue: "maintenance",
  name: "prune-calls",
  payload: z.object({}),
  handle: async () => {
    const days = getEnv().CALL_RETENTION_DAYS;
    if (days === 0) return { deleted: 0 };
    const deleted = await pruneOldCalls(days);
    if (deleted > 0) createLogger({ module: "retention" }).info({ deleted, days }, "old calls deleted");
    return { deleted };
  },
});

export const pruneCallsSchedulerId = "prune-calls-hourly";

/** Schedules the job once an hour; every worker does this, and BullMQ keeps one schedule. */
export async function schedulePruneCalls(): Promise<void> {
  await getQueue(pruneCallsJob.queue).upsertJobScheduler(
    pruneCallsSchedulerId,
    { every: 3_600_000 },
    { name: pruneCallsJob.name, data: {}, opts: { removeOnComplete: 24, removeOnFail: 100 } },
  );
}
