// The explicit list of jobs this worker process runs, grouped by queue.
import type { AnyJobDefinition } from "@/lib/queue/define-job";
import { pruneCallsJob } from "@/lib/queue/jobs/prune-calls";
import { sweepLostCallsJob } from "@/lib/queue/jobs/sweep-lost-calls";
import { systemPing } from "@/lib/queue/jobs/system-ping";
import { toolCallJob } from "@/lib/queue/jobs/tool-call";

export const jobs: AnyJobDefinition[] = [systemPing, toolCallJob, pruneCallsJob, sweepLostCallsJob];

export function jobsByQueue(): Map<string, Map<string, AnyJobDefinition>> {
  const byQueue = new Map<string, Map<string, AnyJobDefinition>>();
  for (const job of jobs) {
    const named = byQueue.get(job.queue) ?? new Map<string, AnyJobDefinition>();
    named.set(job.name, job);
    byQueue.set(job.queue, named);
  }
  return byQueue;
}
