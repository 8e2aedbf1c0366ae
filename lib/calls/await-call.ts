// A recorded call's job, queued and awaited. The job carries the call's id only; its progress is
// relayed as it comes; its outcome arrives from the queue's events, or from the ledger should
// Redis lose the job. A wait that runs out, a queue that fails and the client's cancellation each
// end in an outcome too.
import { z } from "zod";
import { type ActionDefinition, type ActionLogMessage, actionLogLevels } from "@/integrations/sdk/define";
import { createLogger } from "@/lib/log/logger";
import { type FinishedState, JobFailedError, JobWaitTimeoutError, runAndWait } from "@/lib/queue/job-results";
import { toolCallJob, toolCallJobOptions } from "@/lib/queue/jobs/tool-call";
import { enqueueJob } from "@/lib/queue/queues";
import { type CallOutcome, failedOutcome, type RunOutcome } from "./call-outcome";
import { callWaitMs } from "./call-timeouts";
import { cancelCall } from "./cancel-call";
import { finishCall, readCallOutcome } from "./ledger";

/** What the waiting side is told while it waits, and how it stops waiting. */
export type WaitHooks = {
  /** Aborted when the client cancels the call (or goes away). */
  signal: AbortSignal;
  onProgress?: (progress: number, total?: number, message?: string) => Promise<void>;
  /** A log message the action sent while it ran. */
  onLog?: (message: ActionLogMessage) => Promise<void>;
};

const logSchema = z.object({
  log: z.object({
    level: z.enum(actionLogLevels),
    logger: z.string().max(200).optional(),
    data: z.unknown(),
  }),
});

const progressSchema = z.object({
  progress: z.number(),
  total: z.number().optional(),
  message: z.string().optional(),
});

export async function awaitCall(
  callId: string,
  action: ActionDefinition,
  hooks: WaitHooks,
): Promise<CallOutcome> {
  const waitMs = callWaitMs(action);
  const options = toolCallJobOptions(callId, action.annotations.idempotent);
  try {
    return await runAndWait<RunOutcome>(
      toolCallJob.queue,
      callId,
      () => enqueueJob(toolCallJob, { callId }, options),
      {
        timeoutMs: waitMs,
        signal: hooks.signal,
        checkElsewhere: () => checkLedger(callId),
        onProgress: (data) => {
          const log = logSchema.safeParse(data);
          if (log.success) {
            void hooks.onLog?.(log.data.log as ActionLogMessage).catch(() => {});
            return;
          }
          const parsed = progressSchema.safeParse(data);
          if (parsed.success)
            void hooks
              .onProgress?.(parsed.data.progress, parsed.data.total, parsed.data.message)
              .catch(() => {});
        },
      },
    );
  } catch (error) {
    return outcomeOfFailedWait(callId, error, waitMs, hooks.signal);
  }
}

/** The call's outcome as the worker recorded it, for when its job's result cannot be read. */
async function checkLedger(callId: string): Promise<FinishedState> {
  const outcome = await readCallOutcome(callId);
  return outcome ? { done: true, value: outcome } : { done: false };
}

async function outcomeOfFailedWait(
  callId: string,
  error: unknown,
  waitMs: number,
  signal: AbortSignal,
): Promise<CallOutcome> {
  if (error instanceof JobWaitTimeoutError)
    return failedOutcome(
      "wait_timeout",
      `The action did not answer within ${Math.round(waitMs / 1000)} s. It may still finish; its result will appear in the history.`,
    );
  if (error instanceof JobFailedError) {
    await finishCall(callId, { status: "ERROR", errorCode: "platform_error", errorMessage: error.message });
    return failedOutcome("platform_error", `The action failed: ${error.message}`);
  }
  if (signal.aborted) return cancelCall(callId);
  createLogger({ module: "calls" }).error(
    { callId, err: (error as Error).message },
    "tool call failed in the platform",
  );
  await finishCall(callId, {
    status: "ERROR",
    errorCode: "platform_error",
    errorMessage: "The platform could not run the call.",
  }).catch(() => {});
  return failedOutcome(
    "platform_error",
    "The platform could not run the call (its queue may be unavailable); no quota was used. Try again in a minute.",
  );
}
