// The maintenance job that fails calls whose job was lost (lib/calls/sweep-lost-calls.ts), once
// a minute.
import { z } from "zod";
import { sweepLostCalls } from "@/lib/calls/sweep-lost-calls";
import { defineJob } from "@/lib/queue/define-job";
import { getQueue } from "@/lib/queue/queues";

export const sweepLostCallsJob = defineJob({
  queue: "maintenance",
  name: "sweep-lost-calls",
  payload: z.object({}),
  handle: async () => ({ failed: await sweepLostCalls() }),
});

export const sweepLostCallsSchedulerId = "sweep-lost-calls-every-minute";

/** Schedules the sweep once a minute; every worker does this, and BullMQ keeps one schedule. */
export async function scheduleSweepLostCalls(): Promise<void> {
  await getQueue(sweepLostCallsJob.queue).upsertJobScheduler(
    sweepLostCallsSchedulerId,
    { every: 60_000 },
    { name: sweepLostCallsJob.name, data: {}, opts: { removeOnComplete: 10, removeOnFail: 100 } },
  );
}
