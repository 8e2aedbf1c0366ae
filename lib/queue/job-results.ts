// Waiting for a job's result from the web process: one QueueEvents subscription per queue feeds
// every waiting request (results and progress), with a periodic state check as a safety net in
// case an event is missed while Redis reconnects, or the job is lost with Redis itself.
import { Job, type QueueEvents } from "bullmq";
import { getQueue, getQueueEvents } from "./queues";

type Waiter = {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onProgress?: (progress: unknown) => void;
};

const globalForWaiters = globalThis as unknown as {
  jobWaiters?: Map<string, Map<string, Waiter>>;
  subscribed?: Map<string, Promise<QueueEvents>>;
};

export class JobFailedError extends Error {}
export class JobWaitTimeoutError extends Error {}

function waitersFor(queue: string): Map<string, Waiter> {
  globalForWaiters.jobWaiters ??= new Map();
  let waiters = globalForWaiters.jobWaiters.get(queue);
  if (!waiters) {
    waiters = new Map();
    globalForWaiters.jobWaiters.set(queue, waiters);
  }
  return waiters;
}

/** Subscribes (once per process) to a queue's events; must complete before jobs are added. */
export function subscribeToQueue(queue: string): Promise<QueueEvents> {
  globalForWaiters.subscribed ??= new Map();
  let subscription = globalForWaiters.subscribed.get(queue);
  if (!subscription) {
    const events = getQueueEvents(queue);
    const waiters = waitersFor(queue);
    events.on("completed", ({ jobId, returnvalue }) => waiters.get(jobId)?.resolve(returnvalue));
    events.on("failed", ({ jobId, failedReason }) =>
      waiters.get(jobId)?.reject(new JobFailedError(failedReason)),
    );
    events.on("progress", ({ jobId, data }) => waiters.get(jobId)?.onProgress?.(data));
    subscription = events.waitUntilReady().then(() => events);
    subscription.catch(() => globalForWaiters.subscribed?.delete(queue));
    globalForWaiters.subscribed.set(queue, subscription);
  }
  return subscription;
}

export type FinishedState = { done: boolean; value?: unknown; error?: string };

async function checkFinished(queue: string, jobId: string): Promise<FinishedState> {
  const job = await Job.fromId(getQueue(queue), jobId);
  if (!job) return { done: false };
  if (job.finishedOn && job.failedReason === undefined) return { done: true, value: job.returnvalue };
  if (job.failedReason && (await job.isFailed())) return { done: true, error: job.failedReason };
  return { done: false };
}

/**
 * Registers interest in a job before it is added (call `add` inside `start`), then resolves with
 * its return value, rejects with JobFailedError, or JobWaitTimeoutError after timeoutMs.
 */
export async function runAndWait<T>(
  queue: string,
  jobId: string,
  start: () => Promise<unknown>,
  options: {
    timeoutMs: number;
    onProgress?: (progress: unknown) => void;
    signal?: AbortSignal;
    /** Another record of the outcome, polled with the job's state, for when Redis lost the job. */
    checkElsewhere?: () => Promise<FinishedState>;
  },
): Promise<T> {
  await subscribeToQueue(queue);
  const waiters = waitersFor(queue);
  const result = new Promise<T>((resolve, reject) => {
    waiters.set(jobId, {
      resolve: resolve as (value: unknown) => void,
      reject,
      onProgress: options.onProgress,
    });
  });
  const timers: NodeJS.Timeout[] = [];
  try {
    await start();
    const timedOut = new Promise<never>((_, reject) => {
      timers.push(
        setTimeout(
          () => reject(new JobWaitTimeoutError(`no result within ${options.timeoutMs} ms`)),
          options.timeoutMs,
        ),
      );
    });
    const polled = new Promise<T>((resolve, reject) => {
      timers.push(
        setInterval(async () => {
          let state: FinishedState = await checkFinished(queue, jobId).catch(() => ({ done: false }));
          if (!state.done && options.checkElsewhere)
            state = await options.checkElsewhere().catch(() => ({ done: false }));
          if (!state.done) return;
          if ("error" in state && state.error !== undefined) reject(new JobFailedError(state.error));
          else resolve(("value" in state ? state.value : undefined) as T);
        }, 2_000),
      );
    });
    const aborted = new Promise<never>((_, reject) => {
      if (!options.signal) return;
      if (options.signal.aborted) reject(options.signal.reason);
      options.signal.addEventListener("abort", () => reject(options.signal?.reason), { once: true });
    });
    return await Promise.race([result, timedOut, polled, aborted]);
  } finally {
    for (const timer of timers) clearTimeout(timer);
    waiters.delete(jobId);
  }
}
