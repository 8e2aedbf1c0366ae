// The tool-calls queue as an administrator sees it: job counts, the failed jobs (ids, the call id
// and why they failed; payloads hold ids only), retrying or discarding them, and which workers
// are alive (their heartbeats).
import type { Job } from "bullmq";
import { z } from "zod";
import { getEnv } from "@/env";
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors/app-error";
import { listLiveWorkers } from "@/lib/health/heartbeat";
import { toolCallJob } from "@/lib/queue/jobs/tool-call";
import { getQueue } from "@/lib/queue/queues";
import { getRedis, isRedisUnavailable } from "@/lib/redis/client";

export const failedJobsPageSize = 50;
const countedStates = ["waiting", "active", "delayed", "failed", "completed"] as const;

export type QueueCounts = Record<(typeof countedStates)[number], number>;

export type FailedJob = {
  id: string;
  /** The ledger's call id from the payload; null if the payload is not a tool call's. */
  callId: string | null;
  reason: string;
  attemptsMade: number;
  /** When it failed (ISO 8601); null if BullMQ did not record it. */
  failedAt: string | null;
};

export type QueueHealth =
  | {
      available: true;
      queue: string;
      counts: QueueCounts;
      failed: FailedJob[];
      workers: { id: string; lastBeat: string }[];
    }
  | { available: false; queue: string; message: string };

const payloadSchema = z.object({ callId: z.string() });
const jobIdSchema = z.string().min(1).max(200);

function toolCallsQueue() {
  return getQueue(toolCallJob.queue);
}

/**
 * A failure reason fit to show: one line's worth, without a URL's credentials or query (where
 * tokens travel). Handlers put no secrets in errors, but a driver's message could carry one.
 */
export function describeFailure(reason: string | undefined): string {
  const text = (reason ?? "").trim() || "No reason was recorded.";
  return text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi, "$1[redacted]@")
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s?#]*)\?\S*/gi, "$1?[redacted]")
    .slice(0, 500);
}

function toFailedJob(job: Job): FailedJob {
  const payload = payloadSchema.safeParse(job.data);
  const failedAt = job.finishedOn ?? job.processedOn ?? job.timestamp;
  return {
    id: String(job.id),
    callId: payload.success ? payload.data.callId : null,
    reason: describeFailure(job.failedReason),
    attemptsMade: job.attemptsMade,
    failedAt: failedAt ? new Date(failedAt).toISOString() : null,
  };
}

/** Counts, the newest failed jobs (a page of 50) and the live workers; "unavailable" without Redis. */
export async function getQueueHealth(): Promise<QueueHealth> {
  const queue = toolCallsQueue();
  try {
    const redis = await getRedis();
    const [counts, failed, workers] = await Promise.all([
      queue.getJobCounts(...countedStates),
      queue.getFailed(0, failedJobsPageSize - 1),
      listLiveWorkers(redis, getEnv().HEARTBEAT_INTERVAL_MS),
    ]);
    return {
      available: true,
      queue: queue.name,
      counts: Object.fromEntries(countedStates.map((state) => [state, counts[state] ?? 0])) as QueueCounts,
      // A job removed between listing and reading comes back empty.
      failed: failed.filter((job): job is Job => Boolean(job?.id)).map(toFailedJob),
      workers: workers.map((worker) => ({
        id: worker.id,
        lastBeat: new Date(worker.lastBeat).toISOString(),
      })),
    };
  } catch (error) {
    if (!isRedisUnavailable(error)) throw error;
    return {
      available: false,
      queue: queue.name,
      message: "The queue service (Redis) is unavailable, so the queue cannot be shown right now.",
    };
  }
}

async function getFailedJobOrThrow(jobId: string): Promise<Job> {
  const queue = toolCallsQueue();
  const id = jobIdSchema.parse(jobId);
  const job = await queue.getJob(id);
  if (!job || (await job.getState()) !== "failed")
    throw new AppError("not_found", "That job is no longer in the failed list. Reload to see the queue now.");
  return job;
}

/**
 * Runs a failed job again, with its attempts reset. The tool-call handler runs a call only if
 * the ledger still has it pending; one already finished (as most failed jobs' calls are) is not
 * run twice.
 */
export async function retryFailedJob(jobId: string, audit: AuditContext): Promise<void> {
  const job = await getFailedJobOrThrow(jobId);
  await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
  await recordAuditEvent(
    audit,
    "queue.job.retried",
    { type: "job", id: String(job.id) },
    {
      queue: job.queueName,
      callId: toFailedJob(job).callId,
    },
  );
}

/** Removes a failed job from the queue; the call's ledger row stays as it is. */
export async function discardFailedJob(jobId: string, audit: AuditContext): Promise<void> {
  const job = await getFailedJobOrThrow(jobId);
  await job.remove();
  await recordAuditEvent(
    audit,
    "queue.job.discarded",
    { type: "job", id: String(job.id) },
    {
      queue: job.queueName,
      callId: toFailedJob(job).callId,
    },
  );
}

/** Moves every failed job back to waiting; returns how many were failed when it started. */
export async function retryAllFailedJobs(audit: AuditContext): Promise<number> {
  const queue = toolCallsQueue();
  const count = await queue.getFailedCount();
  if (count > 0) await queue.retryJobs({ state: "failed", count: 1_000 });
  await recordAuditEvent(audit, "queue.failed.retried", { type: "queue", id: queue.name }, { count });
  return count;
}

/** Removes every failed job, a thousand at a time; returns how many were removed. */
export async function discardAllFailedJobs(audit: AuditContext): Promise<number> {
  const queue = toolCallsQueue();
  let removed = 0;
  for (;;) {
    const ids = await queue.clean(0, 1_000, "failed");
    removed += ids.length;
    if (ids.length < 1_000) break;
  }
  await recordAuditEvent(
    audit,
    "queue.failed.discarded",
    { type: "queue", id: queue.name },
    { count: removed },
  );
  return removed;
}
