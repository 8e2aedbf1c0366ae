// tools/call: validate the arguments, reserve quota, record the call, queue a job that carries
// only the call's id, and wait for its result, relaying progress. Every failure becomes a tool
// error the model can read; nothing here throws to the transport except protocol errors.
import { randomUUID } from "node:crypto";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { findAction } from "@/integrations/registry";
import { buildDisplayInput, describeInvalidArguments, sealCallInput } from "@/lib/calls/call-input";
import { cancelledBeforeStartMessage, claimCallCancel } from "@/lib/calls/call-start";
import {
  createPendingCall,
  finishCall,
  getCall,
  recordCancelRequest,
  recordRefusedCall,
} from "@/lib/calls/ledger";
import { createLogger } from "@/lib/log/logger";
import { type FinishedState, JobFailedError, JobWaitTimeoutError, runAndWait } from "@/lib/queue/job-results";
import { callWaitMs, type ToolCallResult, toolCallJob } from "@/lib/queue/jobs/tool-call";
import { enqueueJob } from "@/lib/queue/queues";
import type { Limits } from "@/lib/quota/effective-limits";
import { refundQuota, reserveQuota } from "@/lib/quota/quota-store";
import { type Clock, systemClock, type WindowName, windowAdjectives } from "@/lib/quota/windows";
import { isRedisUnavailable } from "@/lib/redis/client";
import { buildActionInput } from "@/lib/tools/field-settings";
import { ownerLimits, type ServerSnapshot, type ToolSnapshot } from "./resolve-server";

export type CallContext = {
  signal: AbortSignal;
  onProgress?: (progress: number, total?: number, message?: string) => Promise<void>;
  /** A log message for the client (sent only if its session asked for that level). */
  log?: (level: "info", message: string) => Promise<void>;
  clock?: Clock;
};

function describeQuotaLeft(limits: Limits, used: Limits): string {
  const left = (window: WindowName) => `${Math.max(0, limits[window] - used[window])} of ${limits[window]}`;
  return `${left("hour")} calls left this hour, ${left("day")} today, ${left("month")} this month`;
}

function toolError(text: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text }] };
}

const progressSchema = z.object({
  progress: z.number(),
  total: z.number().optional(),
  message: z.string().optional(),
});

export async function executeToolCall(
  snapshot: ServerSnapshot,
  tool: ToolSnapshot,
  args: unknown,
  context: CallContext,
): Promise<CallToolResult> {
  const found = findAction(tool.integration, tool.action);
  if (!found)
    return toolError(
      `This tool's action (${tool.integration}/${tool.action}) is no longer available. Ask the server's owner to remove it.`,
    );
  const { action } = found;

  let input: Record<string, unknown>;
  try {
    input = buildActionInput(action, tool.fields, args);
  } catch (error) {
    if (error instanceof z.ZodError) return toolError(describeInvalidArguments(error));
    throw error;
  }

  // The owner's suspension and limits come with the snapshot, which changes to either invalidate
  // (invalidateUserServers); a missing default plan fails the call with an internal error.
  const limits = ownerLimits(snapshot);
  if (snapshot.owner.suspended)
    return toolError("This account is suspended, so its tools cannot run. Contact the administrator.");

  const now = (context.clock ?? systemClock)();
  const call = {
    id: randomUUID(),
    userId: snapshot.userId,
    serverId: snapshot.serverId,
    toolId: tool.id,
    toolName: tool.name,
    integration: tool.integration,
    action: tool.action,
    input: buildDisplayInput(action, tool.fields, input),
    startedAt: now,
  };

  let used: Limits;
  try {
    const reservation = await reserveQuota(snapshot.userId, limits, now);
    if (!reservation.admitted) {
      const { window, limit } = reservation;
      const message = `Quota exceeded: the ${windowAdjectives[window.name]} limit of ${limit} tool calls is used up. It resets at ${window.resetsAt.toISOString()}.`;
      // The refusal stands even if the ledger cannot take its row right now.
      await recordRefusedCall(call, message).catch((error: Error) =>
        createLogger({ module: "mcp" }).warn({ err: error.message }, "could not record a refused call"),
      );
      return toolError(message);
    }
    used = reservation.used;
    try {
      await createPendingCall({ ...call, sealedInput: await sealCallInput(call, tool.fields, input) });
    } catch (error) {
      // Admitted but not recorded: the call will not run, so its reservation goes back at once.
      await refundQuota(snapshot.userId, now).catch(() => {});
      createLogger({ module: "mcp" }).error({ err: (error as Error).message }, "could not record a call");
      return toolError(
        "The platform could not record the call, so it did not run and no quota was used. Try again shortly.",
      );
    }
  } catch (error) {
    if (isRedisUnavailable(error)) {
      return toolError(
        "The platform's queue is unavailable right now, so the tool did not run and no quota was used. Try again in a minute.",
      );
    }
    throw error;
  }

  await context.log?.("info", `${tool.name} is queued; ${describeQuotaLeft(limits, used)}`).catch(() => {});

  const waitMs = callWaitMs(action);
  try {
    const result = await runAndWait<ToolCallResult>(
      toolCallJob.queue,
      call.id,
      () =>
        enqueueJob(
          toolCallJob,
          { callId: call.id },
          {
            jobId: call.id,
            attempts: action.annotations.idempotent ? 3 : 1,
            backoff: { type: "exponential", delay: 1_000 },
          },
        ),
      {
        timeoutMs: waitMs,
        signal: context.signal,
        checkElsewhere: () => outcomeFromLedger(call.id),
        onProgress: (data) => {
          const parsed = progressSchema.safeParse(data);
          if (parsed.success)
            void context
              .onProgress?.(parsed.data.progress, parsed.data.total, parsed.data.message)
              .catch(() => {});
        },
      },
    );
    if (!result.ok) return toolError(result.message);
    const text = JSON.stringify(result.output, null, 2) ?? "null";
    return {
      content: [{ type: "text", text }],
      ...(action.output && { structuredContent: result.output as Record<string, unknown> }),
    };
  } catch (error) {
    return handleWaitFailure(call.id, error, waitMs, context.signal);
  }
}

/** The call's outcome as the worker recorded it, for when its job's result cannot be read. */
async function outcomeFromLedger(callId: string): Promise<FinishedState> {
  const call = await getCall(callId);
  if (!call || call.status === "PENDING" || call.status === "REFUSED") return { done: false };
  const value: ToolCallResult =
    call.status === "SUCCESS"
      ? { ok: true, output: call.output }
      : { ok: false, code: call.errorCode ?? "error", message: call.errorMessage ?? "The call failed." };
  return { done: true, value };
}

async function handleWaitFailure(
  callId: string,
  error: unknown,
  waitMs: number,
  signal: AbortSignal,
): Promise<CallToolResult> {
  if (error instanceof JobWaitTimeoutError) {
    return toolError(
      `The action did not answer within ${Math.round(waitMs / 1000)} s. It may still finish; its result will appear in the history.`,
    );
  }
  if (error instanceof JobFailedError) {
    await finishCall(callId, { status: "ERROR", errorCode: "platform_error", errorMessage: error.message });
    return toolError(`The action failed: ${error.message}`);
  }
  if (!signal.aborted) {
    createLogger({ module: "mcp" }).error(
      { callId, err: (error as Error).message },
      "tool call failed in the platform",
    );
    await finishCall(callId, {
      status: "ERROR",
      errorCode: "platform_error",
      errorMessage: "The platform could not run the call.",
    }).catch(() => {});
    return toolError(
      "The platform could not run the call (its queue may be unavailable); no quota was used. Try again in a minute.",
    );
  }
  return cancelCall(callId);
}

/**
 * The client cancelled. Before its action starts that stops the call, which gives its quota
 * back; once the action has started it runs to its end, and the worker records the outcome (a
 * success counts). Either way the client gets the cancellation's answer and the history notes it.
 */
async function cancelCall(callId: string): Promise<CallToolResult> {
  const log = createLogger({ module: "mcp" });
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
    return toolError("The call was cancelled before its action started; no quota was used.");
  }
  log.info({ callId }, "call cancelled by the client after it started; it runs to its end");
  return toolError(
    "The call was cancelled, but its action had already started, so it runs to its end; its outcome will appear in the history.",
  );
}
