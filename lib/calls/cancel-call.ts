// A client's cancellation of a call it waits for. Before the call's action starts, that stops the
// call, which gives its quota back; once the action has started it runs to its end, and the worker
// records the outcome (a success counts). Either way the history notes the request.
import { createLogger } from "@/lib/log/logger";
import type { CallOutcome } from "./call-outcome";
import { cancelledBeforeStartMessage, claimCallCancel } from "./call-start";
import { finishCall, recordCancelRequest } from "./ledger";

export async function cancelCall(callId: string): Promise<CallOutcome> {
  const log = createLogger({ module: "calls" });
  await recordCancelRequest(callId).catch((error: Error) =>
    log.warn({ callId, err: error.message }, "could not record a cancellation"),
  );
  // If Redis cannot say, the call is treated as started: the worker decides when it gets the job.
  const claim = await claimCallCancel(callId).catch(() => "started" as const);
  if (claim === "stopped") {
    await finishCall(callId, {
      status: "ERROR",
      errorCode: "cancelled",
      errorMessage: cancelledBeforeStartMessage,
    }).catch((error: Error) => log.warn({ callId, err: error.message }, "could not record a cancelled call"));
    log.info({ callId }, "call cancelled by the client before it started");
    return { status: "cancelled", started: false };
  }
  log.info({ callId }, "call cancelled by the client after it started; it runs to its end");
  return { status: "cancelled", started: true };
}
