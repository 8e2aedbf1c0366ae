// A call's run on a worker (the tool-call job's body): read the call from the ledger, claim its
// start, open its sealed input, run the action with the tool's connection under the action's
// timeout, and record what came of it. Safe to deliver twice: a finished call is not run again,
// and an action that is not idempotent is not re-run after a worker died mid-way (it fails
// instead). A call whose client cancelled it before the start is not run; once started, it runs
// to its end.
import { DelayedError, type Job, UnrecoverableError } from "bullmq";
import type { ActionDefinition, IntegrationDefinition } from "@/integrations/sdk/define";
import {
  ActionError,
  CredentialsRejectedError,
  isRetriableError,
  RateLimitedError,
} from "@/integrations/sdk/errors";
import { findAppAction } from "@/lib/apps/app-registry";
import { checkAgainstJsonSchema } from "@/lib/apps/json-schema-checks";
import { NoConnectionError, withConnection } from "@/lib/connections/connection-context";
import { scrubError, scrubValue } from "@/lib/connections/secret-scrub";
import type { Prisma } from "@/lib/db/generated/client.ts";
import { readMcpToolOutput } from "@/lib/mcp/call-result";
import { isOAuthClientSetUp } from "@/lib/oauth/client-config";
import { notSetUpToolMessage } from "@/lib/oauth/not-set-up";
import { openCallInput } from "./call-input";
import { failedOutcome, type RunOutcome } from "./call-outcome";
import { cancelledBeforeStartMessage, claimCallStart, releaseCallStart } from "./call-start";
import { actionTimeoutMs, callWaitMs } from "./call-timeouts";
import { type CallToRun, finishCall, outcomeOfCall, readCallToRun } from "./ledger";
import { capForStorage, jsonSize, maxResultBytes } from "./payload-limits";

/** One delivery of a call's job: the call, its action, its opened input and the job itself. */
type Run = {
  call: CallToRun;
  integration: IntegrationDefinition;
  action: ActionDefinition;
  input: Record<string, unknown>;
  /** The secret strings in the input, masked in whatever comes back. */
  secrets: string[];
  job: Job;
  /** The worker's lock on the job, for moving it to delayed. */
  token: string | undefined;
};

/** The most of one log message's data relayed: it travels through Redis. */
const maxLogDataBytes = 8 * 1024;

function capLogData(data: unknown): unknown {
  if (jsonSize(data) <= maxLogDataBytes) return data;
  const text = typeof data === "string" ? data : JSON.stringify(data);
  return `${text.slice(0, maxLogDataBytes / 2)}… (cut: ${jsonSize(data)} bytes)`;
}

/** Records the call's failure and answers it. */
async function failCall(
  callId: string,
  code: string,
  message: string,
  status: "ERROR" | "TIMEOUT" = "ERROR",
): Promise<RunOutcome> {
  await finishCall(callId, { status, errorCode: code, errorMessage: message });
  return failedOutcome(code, message);
}

export async function runCall(callId: string, job: Job, token?: string): Promise<RunOutcome> {
  // The start is claimed while the call is read, one round trip fewer on every call. A claim on a
  // call that turns out finished, missing or of an unknown action changes nothing: the ledger's
  // outcome wins, and the claim only keeps a later cancellation from stopping it, as it would.
  const [call, start] = await Promise.all([readCallToRun(callId), claimCallStart(callId)]);
  if (!call) throw new UnrecoverableError(`Call ${callId} does not exist`);
  const recorded = outcomeOfCall(call);
  if (recorded) return recorded;
  // An added app is read afresh: what its owner accepted now, with its headers to reach it.
  const found = await findAppAction(call.integration, call.action, { withHeaders: true });
  if (!found)
    return failCall(
      callId,
      "unknown_action",
      `The action ${call.integration}/${call.action} no longer exists.`,
    );
  if (start === "stopped") return failCall(callId, "cancelled", cancelledBeforeStartMessage);
  if (start === "restarted" && !found.action.annotations.idempotent) {
    return failCall(
      callId,
      "interrupted",
      "The worker stopped while this action ran. It was not run again because it is not safe to repeat; check the app before retrying.",
    );
  }
  // The real input, whole, with the tool's secret values: opened here only, for this run.
  const opened = await openCallInput(call, found.action);
  if (!opened.ok) return failCall(callId, opened.code, opened.message);
  return runAction({ call, ...found, input: opened.input, secrets: opened.secrets, job, token });
}

/** Runs the action under its timeout and records its output, or classifies its failure. */
async function runAction(run: Run): Promise<RunOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error("timeout")), actionTimeoutMs(run.action));
  try {
    const output = scrubValue(await invokeAction(run, controller.signal), run.secrets);
    if (controller.signal.aborted) throw controller.signal.reason;
    return await recordOutput(run, output);
  } catch (caught) {
    const timedOut = controller.signal.aborted && (controller.signal.reason as Error)?.message === "timeout";
    return await classifyFailure(run, scrubError(caught, run.secrets), timedOut);
  } finally {
    clearTimeout(timer);
  }
}

function invokeAction(run: Run, signal: AbortSignal): Promise<unknown> {
  // An app without accounts has no connection to pin.
  const connectionId = run.integration.auth.type === "none" ? null : run.call.connectionId;
  // An organization's call runs with the organization's connections only, never the caller's own.
  return withConnection(
    { userId: run.call.userId, orgId: run.call.orgId },
    run.integration,
    connectionId,
    signal,
    (context) =>
      run.action.run({
        ...context,
        input: run.input,
        // Progress is best effort: while Redis is unreachable the update would wait for it (the
        // worker's connection never gives up on a command) and stall the action with it.
        progress: async (done, total, message) => {
          void run.job.updateProgress({ progress: done, total, message }).catch(() => {});
        },
        // A log message travels as a progress event of its own kind (the job's events are the one
        // channel from the worker to the waiting request); its text is scrubbed like the output.
        log: async (entry) => {
          const data = capLogData(scrubValue(entry.data, run.secrets));
          void run.job.updateProgress({ log: { ...entry, data } }).catch(() => {});
        },
      }),
    { purpose: "call" },
  );
}

async function recordOutput(run: Run, output: unknown): Promise<RunOutcome> {
  const callId = run.call.id;
  if (run.action.output && !run.action.output.safeParse(output).success)
    return failCall(
      callId,
      "bad_output",
      `${run.integration.name} answered with data in an unexpected shape.`,
    );
  const misfit = run.action.outputJsonSchema && structuredContentMisfit(run.action.outputJsonSchema, output);
  if (misfit)
    return failCall(
      callId,
      "bad_output",
      // Ajv's words name a path in the upstream's data, which can be long.
      `${run.integration.name} answered with structured content that does not fit its output schema: ${misfit.slice(0, 500)}.`,
    );
  if (jsonSize(output) > maxResultBytes)
    return failCall(
      callId,
      "result_too_large",
      `The result is larger than ${maxResultBytes / 1024} KiB; narrow the request.`,
    );
  await finishCall(callId, { status: "SUCCESS", output: capForStorage(output) as Prisma.InputJsonValue });
  return { status: "succeeded", output };
}

/**
 * Why an upstream MCP tool's result does not fit the output schema we declare for it, or undefined:
 * the endpoint promises clients structured content that fits, so a misfit is the call's failure.
 */
function structuredContentMisfit(schema: Record<string, unknown>, output: unknown): string | undefined {
  const result = readMcpToolOutput(output);
  if (!result) return undefined;
  if (result.structuredContent === undefined) return "it sent none";
  return checkAgainstJsonSchema(schema, result.structuredContent);
}

/**
 * What a failed run comes to: recorded as a timeout, a 429 to wait out, a connection to
 * reconnect or an action's error; or thrown again, for the queue to retry an idempotent action
 * that failed in a way a retry can fix while it has attempts left.
 */
async function classifyFailure(run: Run, error: unknown, timedOut: boolean): Promise<RunOutcome> {
  const callId = run.call.id;
  if (timedOut)
    return failCall(
      callId,
      "timeout",
      `The action did not finish within ${actionTimeoutMs(run.action) / 1000} s.`,
      "TIMEOUT",
    );
  if (error instanceof RateLimitedError) return waitOutRateLimit(run, error);
  // No account, because none can be connected: only the administrator can fix that.
  if (error instanceof NoConnectionError && !(await isOAuthClientSetUp(run.integration)))
    return failCall(callId, "app_not_set_up", notSetUpToolMessage(run.integration));
  if (error instanceof CredentialsRejectedError) return failCall(callId, "reconnect_needed", error.message);
  if (error instanceof ActionError) return failCall(callId, "action_failed", error.message);
  const attemptsLeft = (run.job.opts.attempts ?? 1) - run.job.attemptsMade - 1;
  if (run.action.annotations.idempotent && isRetriableError(error) && attemptsLeft > 0) throw error;
  return failCall(callId, "action_failed", (error as Error).message || "The action failed.");
}

/**
 * A 429 (or a connection paused by one): the job waits and runs again, without using up an
 * attempt, if that still fits in the time the admitting side waits; the request was not carried
 * out, so even an action that is not safe to repeat may run again, and a cancellation that came
 * meanwhile stops it.
 */
async function waitOutRateLimit(run: Run, error: RateLimitedError): Promise<RunOutcome> {
  const { call, job, token } = run;
  const waitLeftMs = call.startedAt.getTime() + callWaitMs(run.action) - Date.now();
  if (token && error.retryAfterMs <= waitLeftMs - 1_000) {
    if ((await releaseCallStart(call.id)) === "stopped")
      return failCall(
        call.id,
        "cancelled",
        `The client cancelled the call while ${run.integration.name} asked to wait (HTTP 429); it was not carried out and no quota was used.`,
      );
    await job.moveToDelayed(Date.now() + error.retryAfterMs, token);
    throw new DelayedError();
  }
  const retryAt = new Date(Date.now() + error.retryAfterMs).toISOString();
  return failCall(call.id, "rate_limited", `${error.message} Try again after ${retryAt}.`);
}
