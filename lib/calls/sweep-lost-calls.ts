// Calls whose job was lost: still pending well past the time tools/call waits for them, with no
// job left in the queue to finish them (Redis lost it, or the web process died before queueing
// it). They are failed with a platform error, which gives their quota back. A call whose job is
// still queued (waiting, or delayed by a 429) is left alone, however old.
import { findAction, findIntegration } from "@/integrations/registry";
import { getDb } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client.ts";
import { createLogger } from "@/lib/log/logger";
import { toolCallJob } from "@/lib/queue/jobs/tool-call";
import { getQueue } from "@/lib/queue/queues";
import { stopCallIfNotStarted } from "./call-start";
import { actionTimeoutMs, addedActionTimeoutMs, defaultActionTimeoutMs, queueRoomMs } from "./call-timeouts";
import { finishCall } from "./ledger";

/** How long past its wait a pending call may be before it counts as lost. */
export const lostCallMarginMs = 60_000;

const finishedStates = new Set(["completed", "failed", "unknown"]);

type PendingCall = { id: string; integration: string; action: string; startedAt: Date };

function isPastItsWait(call: PendingCall, now: Date): boolean {
  const action = findAction(call.integration, call.action)?.action;
  // Not a built-in app: an added one, whose actions all have the same timeout.
  const builtIn = findIntegration(call.integration) !== undefined;
  const timeoutMs = action
    ? actionTimeoutMs(action)
    : builtIn
      ? defaultActionTimeoutMs
      : addedActionTimeoutMs;
  return call.startedAt.getTime() + timeoutMs + queueRoomMs + lostCallMarginMs < now.getTime();
}

/** Whether the call's job can still finish it: it exists and is not finished. */
async function hasLiveJob(callId: string): Promise<boolean> {
  const job = await getQueue(toolCallJob.queue).getJob(callId);
  if (!job) return false;
  return !finishedStates.has(await job.getState());
}

async function failLostCall(callId: string): Promise<boolean> {
  // A job that turns up after this must not start the action.
  const started = (await stopCallIfNotStarted(callId)) === "started";
  return finishCall(callId, {
    status: "ERROR",
    errorCode: "platform_error",
    errorMessage: started
      ? "The platform lost this call's job after its action had started, so its outcome is unknown: check the app before retrying. No quota was used."
      : "The platform lost this call's job before its action started, so nothing ran and no quota was used. Try again.",
  });
}

/** A page of pending calls started before `cutoff`, oldest first, after the call `after`. */
function readPendingCalls(cutoff: Date, after: PendingCall | undefined, limit: number) {
  // The literal status lets PostgreSQL use the partial index on pending calls (migration
  // call_cancel_requested), which a bound parameter would not.
  return getDb().$queryRaw<PendingCall[]>`
    SELECT "id", "integration", "action", "startedAt" FROM "Call"
    WHERE "status" = 'PENDING' AND "startedAt" < ${cutoff}
      ${after ? Prisma.sql`AND ("startedAt", "id") > (${after.startedAt}, ${after.id})` : Prisma.empty}
    ORDER BY "startedAt", "id"
    LIMIT ${limit}`;
}

/**
 * Fails the lost calls among those pending at `now`, reading them in batches, oldest first;
 * returns how many it failed. Safe to run in several workers at once: a call is finished once.
 */
export async function sweepLostCalls(now = new Date(), batchSize = 200): Promise<number> {
  // Calls younger than the shortest possible wait are not even read.
  const cutoff = new Date(now.getTime() - queueRoomMs - lostCallMarginMs);
  let after: PendingCall | undefined;
  let failed = 0;
  for (;;) {
    const batch = await readPendingCalls(cutoff, after, batchSize);
    const due = batch.filter((call) => isPastItsWait(call, now));
    const live = await Promise.all(due.map((call) => hasLiveJob(call.id)));
    for (const [index, call] of due.entries()) {
      if (!live[index] && (await failLostCall(call.id))) failed++;
    }
    if (batch.length < batchSize) break;
    after = batch.at(-1);
  }
  if (failed > 0) createLogger({ module: "sweeper" }).warn({ failed }, "failed calls whose job was lost");
  return failed;
}
