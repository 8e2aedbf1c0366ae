// The maintenance job that checks the added apps' upstreams not checked lately
// (lib/apps/app-health.ts), every minute, so each app's page shows a recent answer and calls to an
// upstream found down fail at once.
import { z } from "zod";
import { probeStaleApps } from "@/lib/apps/app-health";
import { defineJob } from "@/lib/queue/define-job";
import { getQueue } from "@/lib/queue/queues";

export const probeAppsJob = defineJob({
  queue: "maintenance",
  name: "probe-apps",
  payload: z.object({}),
  handle: async () => {
    const reports = await probeStaleApps();
    return { checked: reports.size, down: [...reports.values()].filter((report) => !report.healthy).length };
  },
});

export const probeAppsSchedulerId = "probe-apps-every-minute";

/** Schedules the checks once a minute; every worker does this, and BullMQ keeps one schedule. */
export async function scheduleProbeApps(): Promise<void> {
  await getQueue(probeAppsJob.queue).upsertJobScheduler(
    probeAppsSchedulerId,
    { every: 60_000 },
    { name: probeAppsJob.name, data: {}, opts: { removeOnComplete: 10, removeOnFail: 100 } },
  );
}
