// The job of one admitted tool call. Its payload is the call's id only (everything else is in the
// ledger), its id is the call's too, so a call is queued once; its body is lib/calls/run-call.ts.
import type { JobsOptions } from "bullmq";
import { z } from "zod";
import { runCall } from "@/lib/calls/run-call";
import { defineJob } from "@/lib/queue/define-job";

export const toolCallJob = defineJob({
  queue: "tool-calls",
  name: "call",
  payload: z.object({ callId: z.string().min(1) }),
  handle: ({ callId }, job, token) => runCall(callId, job, token),
});

/** Only an idempotent action is retried after a failure a retry can fix (run-call.ts decides). */
export function toolCallJobOptions(callId: string, idempotent: boolean): JobsOptions {
  return { jobId: callId, attempts: idempotent ? 3 : 1, backoff: { type: "exponential", delay: 1_000 } };
}
