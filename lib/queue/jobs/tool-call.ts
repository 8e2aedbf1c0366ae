// Runs one tools/call on a worker. The payload is the call's id only; everything else is read
// from the ledger. Safe to deliver twice: a finished call is not run again, and an action that
// is not idempotent is not re-run after a worker died mid-way (it fails instead). A call whose
// client cancelled it before the start is not run; once started, it runs to its end.
import { DelayedError, type Job, UnrecoverableError } from "bullmq";
import { z } from "zod";
import { findAction } from "@/integrations/registry";
import type { ActionDefinition, IntegrationDefinition } from "@/integrations/sdk/define";
import {
  ActionError,
  CredentialsRejectedError,
  isRetriableError,
  RateLimitedError,
} from "@/integrations/sdk/errors";
import { openCallInput } from "@/lib/calls/call-input";
import { cancelledBeforeStartMessage, claimCallStart, releaseCallStart } from "@/lib/calls/call-start";
import { finishCall, getCall } from "@/lib/calls/ledger";
import { capForStorage, jsonSize, maxResultBytes } from "@/lib/calls/payload-limits";
import { withConnection } from "@/lib/connections/connection-context";
import { scrubError, scrubValue } from "@/lib/connections/secret-scrub";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client.ts";
import { defineJob } from "@/lib/queue/define-job";

export const defaultActionTimeoutMs = 30_000;

export type ToolCallResult = { ok: true; output: unknown } | { ok: false; code: string; message: string };

export function actionTimeoutMs(action: ActionDefinition): number {
  return action.timeoutMs ?? defaultActionTimeoutMs;
}

/** The room for queueing that tools/call gives a job on top of its action's timeout. */
export const queueRoomMs = 15_000;

/** How long tools/call waits for the job: the action's timeout plus room for queueing. */
export function callWaitMs(action: ActionDefinition): number {
  return actionTimeoutMs(action) + queueRoomMs;
}

async function pinnedConnectionId(
  integration: IntegrationDefinition,
  toolId: string | null,
): Promise<string | null> {
  // An app without accounts has no connection to pin.
  if (!toolId || integration.auth.type === "none") return null;
  const tool = await getDb().tool.findUnique({ where: { id: toolId }, select: { connectionId: true } });
  return tool?.connectionId ?? null;
}

/**
 * A 429 (or a connection paused by one): the job waits and runs again, without using up an
 * attempt, if that still fits in the time tools/call waits; the request was not carried out, so
 * even an action that is not safe to repeat may run again, and a cancellation that came meanwhile
 * stops it. Answers "delayed", "stopped" (cancelled) or "too-late".
 */
async function delayForRateLimit(
  job: Job,
  token: string | undefined,
  callId: string,
  startedAt: Date,
  action: ActionDefinition,
  error: RateLimitedError,
): Promise<"delayed" | "stopped" | "too-late"> {
  const waitLeftMs = startedAt.getTime() + callWaitMs(action) - Date.now();
  if (!token || error.retryAfterMs > waitLeftMs - 1_000) return "too-late";
  if ((await releaseCallStart(callId)) === "stopped") return "stopped";
  await job.moveToDelayed(Date.now() + error.retryAfterMs, token);
  return "delayed";
}

async function fail(
  callId: string,
  code: string,
  message: string,
  status: "ERROR" | "TIMEOUT" = "ERROR",
): Promise<ToolCallResult> {
  await finishCall(callId, { status, errorCode: code, errorMessage: message });
  return { ok: false, code, message };
}

export const toolCallJob = defineJob({
  queue: "tool-calls",
  name: "call",
  payload: z.object({ callId: z.string().min(1) }),
  handle: async ({ callId }, job, token): Promise<ToolCallResult> => {
    const call = await getCall(callId);
    if (!call) throw new UnrecoverableError(`Call ${callId} does not exist`);
    if (call.status !== "PENDING") {
      return call.status === "SUCCESS"
        ? { ok: true, output: call.output }
        : { ok: false, code: call.errorCode ?? "error", message: call.errorMessage ?? "The call failed." };
    }
    const found = findAction(call.integration, call.action);
    if (!found)
      return fail(
        callId,
        "unknown_action",
        `The action ${call.integration}/${call.action} no longer exists.`,
      );
    const { integration, action } = found;

    const start = await claimCallStart(callId);
    if (start === "stopped") return fail(callId, "cancelled", cancelledBeforeStartMessage);
    if (start === "restarted" && !action.annotations.idempotent) {
      return fail(
        callId,
        "interrupted",
        "The worker stopped while this action ran. It was not run again because it is not safe to repeat; check the app before retrying.",
      );
    }

    // The real input, whole, with the tool's secret values: opened here only, for this run.
    const opened = await openCallInput(call, action);
    if (!opened.ok) return fail(callId, opened.code, opened.message);

    const controller = new AbortController();
    const timeoutMs = actionTimeoutMs(action);
    const timer = setTimeout(() => controller.abort(new Error("timeout")), timeoutMs);
    try {
      const connectionId = await pinnedConnectionId(integration, call.toolId);
      const output = scrubValue(
        await withConnection(call.userId, integration, connectionId, controller.signal, (context) =>
          action.run({
            ...context,
            input: opened.input,
            // Progress is best effort: while Redis is unreachable the update would wait for it (the
            // worker's connection never gives up on a command) and stall the action with it.
            progress: async (done, total, message) => {
              void job.updateProgress({ progress: done, total, message }).catch(() => {});
            },
          }),
        ),
        opened.secrets,
      );
      if (controller.signal.aborted) throw controller.signal.reason;
      if (action.output && !action.output.safeParse(output).success) {
        return fail(callId, "bad_output", `${integration.name} answered with data in an unexpected shape.`);
      }
      if (jsonSize(output) > maxResultBytes) {
        return fail(
          callId,
          "result_too_large",
          `The result is larger than ${maxResultBytes / 1024} KiB; narrow the request.`,
        );
      }
      await finishCall(callId, { status: "SUCCESS", output: capForStorage(output) as Prisma.InputJsonValue });
      return { ok: true, output };
    } catch (caught) {
      const error = scrubError(caught, opened.secrets);
      const reason = controller.signal.aborted
        ? String((controller.signal.reason as Error)?.message)
        : undefined;
      if (reason === "timeout")
        return fail(callId, "timeout", `The action did not finish within ${timeoutMs / 1000} s.`, "TIMEOUT");
      if (error instanceof RateLimitedError) {
        const delay = await delayForRateLimit(job, token, callId, call.startedAt, action, error);
        if (delay === "delayed") throw new DelayedError();
        if (delay === "stopped")
          return fail(
            callId,
            "cancelled",
            `The client cancelled the call while ${integration.name} asked to wait (HTTP 429); it was not carried out and no quota was used.`,
          );
        const retryAt = new Date(Date.now() + error.retryAfterMs).toISOString();
        return fail(callId, "rate_limited", `${error.message} Try again after ${retryAt}.`);
      }
      if (error instanceof CredentialsRejectedError) return fail(callId, "reconnect_needed", error.message);
      if (error instanceof ActionError) return fail(callId, "action_failed", error.message);
      const attemptsLeft = (job.opts.attempts ?? 1) - job.attemptsMade - 1;
      if (action.annotations.idempotent && isRetriableError(error) && attemptsLeft > 0) throw error;
      return fail(callId, "action_failed", (error as Error).message || "The action failed.");
    } finally {
      clearTimeout(timer);
    }
  },
});
