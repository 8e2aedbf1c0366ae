// A call's admission, whichever surface asks (MCP's tools/call, "Run it once"): its arguments
// checked against the tool, its owner's suspension and quota (on an organization's server: the
// calling member's suspension, and the organization's quota with the member's share of it), its
// row in the ledger; then its job is queued and awaited (await-call.ts). Every way a call can end is a CallOutcome, never a
// protocol's result; only a broken installation (no default plan) throws.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { ActionDefinition } from "@/integrations/sdk/define";
import { findSnapshotAction } from "@/lib/apps/app-registry";
import { createLogger } from "@/lib/log/logger";
import type { Limits } from "@/lib/quota/effective-limits";
import { type Reservation, refundQuota, reserveOrgQuota, reserveQuota } from "@/lib/quota/quota-store";
import { type Clock, systemClock, type WindowName } from "@/lib/quota/windows";
import { isRedisUnavailable } from "@/lib/redis/client";
import {
  type OrgSnapshot,
  orgLimits,
  ownerLimits,
  type ServerSnapshot,
  type ToolSnapshot,
} from "@/lib/servers/server-snapshot";
import { buildActionInput, type FieldSettings } from "@/lib/tools/field-settings";
import { awaitCall, type WaitHooks } from "./await-call";
import { buildDisplayInput, describeInvalidArguments, sealCallInput } from "./call-input";
import { type CallOutcome, describeCallOutcome, failedOutcome, type RunOutcome } from "./call-outcome";
import { createPendingCall, type NewCall, recordRefusedCall } from "./ledger";

export type CallContext = WaitHooks & {
  /** A log message for the client (sent only if its session asked for that level). */
  log?: (level: "info", message: string) => Promise<void>;
  clock?: Clock;
};

/**
 * What a call runs: a saved tool, or (a try from the tool editor) settings not saved yet, with the
 * account chosen there; such a draft may belong to a saved tool, whose kept secret values it uses.
 */
export type CallTarget = Pick<ToolSnapshot, "name" | "integration" | "action" | "fields"> & {
  id: string | null;
  draft?: { connectionId: string | null };
};

/** A call whose arguments do not fit its tool: refused, and recorded so that history shows it. */
type InvalidCall = { invalid: NewCall; outcome: RunOutcome };

/** A call ready for the quota: its ledger row, and what its worker will run. */
type PreparedCall = {
  call: NewCall;
  action: ActionDefinition;
  fields: FieldSettings;
  input: Record<string, unknown>;
  limits: Limits;
  /** Set for a call on an organization's server: its quota is the organization's and the member's. */
  org: OrgSnapshot | null;
};

export async function admitCall(
  snapshot: ServerSnapshot,
  tool: CallTarget,
  args: unknown,
  context: CallContext,
): Promise<CallOutcome> {
  const prepared = prepareCall(snapshot, tool, args, (context.clock ?? systemClock)());
  if ("status" in prepared) return prepared;
  if ("invalid" in prepared) return recordInvalidCall(prepared);
  const admitted = await reserveAndRecord(prepared);
  if ("status" in admitted) return admitted;
  const quotaLeft = describeQuotaLeft(prepared.limits, admitted.used);
  await context.log?.("info", `${tool.name} is queued; ${quotaLeft}`).catch(() => {});
  return awaitCall(prepared.call.id, prepared.action, context);
}

function prepareCall(
  snapshot: ServerSnapshot,
  tool: CallTarget,
  args: unknown,
  now: Date,
): PreparedCall | InvalidCall | RunOutcome {
  const found = findSnapshotAction(snapshot.addedApps, tool.integration, tool.action);
  if (!found)
    return failedOutcome(
      "unknown_action",
      `This tool's action (${tool.integration}/${tool.action}) is no longer available. Ask the server's owner to remove it.`,
    );
  // The owner's (or calling member's) suspension and limits come with the snapshot, which every
  // write to either invalidates (lib/servers); a missing default plan fails the call with an
  // internal error.
  const { org } = snapshot;
  const limits = org ? orgLimits(org) : ownerLimits(snapshot);
  if (org ? org.caller.suspended : snapshot.owner.suspended)
    return failedOutcome(
      "suspended",
      "This account is suspended, so its tools cannot run. Contact the administrator.",
    );
  const newCall = (input: Record<string, unknown>): NewCall => ({
    id: randomUUID(),
    userId: org ? org.caller.userId : snapshot.userId,
    orgId: org ? org.id : null,
    serverId: snapshot.serverId,
    toolId: tool.id,
    toolName: tool.name,
    integration: tool.integration,
    action: tool.action,
    input: buildDisplayInput(found.action, tool.fields, input),
    startedAt: now,
    ...(tool.draft && { draft: tool.draft }),
  });
  const read = readArguments(found.action, tool.fields, args);
  if ("status" in read) return { invalid: shownAsSent(newCall, args), outcome: read };
  return {
    call: newCall(read.input),
    action: found.action,
    fields: tool.fields,
    input: read.input,
    limits,
    org,
  };
}

/**
 * The refused call with what was sent, as history shows it; arguments nested too deeply to even
 * serialise (JSON.stringify runs out of stack) are described instead of shown.
 */
function shownAsSent(newCall: (input: Record<string, unknown>) => NewCall, args: unknown): NewCall {
  const sent = typeof args === "object" && args !== null && !Array.isArray(args) ? args : {};
  try {
    return newCall(sent as Record<string, unknown>);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return newCall({ unshown: "The arguments were nested too deeply to show." });
  }
}

/** History shows what was sent (secret fields masked) and why it was refused; it costs nothing. */
async function recordInvalidCall({ invalid, outcome }: InvalidCall): Promise<RunOutcome> {
  await recordRefusedCall(invalid, describeCallOutcome(outcome), "invalid_arguments").catch((error: Error) =>
    createLogger({ module: "calls" }).warn({ err: error.message }, "could not record a refused call"),
  );
  return outcome;
}

/** The action's input: the client's arguments with the tool's fixed values, or why not. */
function readArguments(
  action: ActionDefinition,
  fields: FieldSettings,
  args: unknown,
): { input: Record<string, unknown> } | RunOutcome {
  try {
    return { input: buildActionInput(action, fields, args) };
  } catch (error) {
    if (error instanceof z.ZodError)
      return failedOutcome("invalid_arguments", describeInvalidArguments(error));
    throw error;
  }
}

/** Reserves the call's quota and records it: each window's use with it, or how the call ends here. */
async function reserveAndRecord(prepared: PreparedCall): Promise<{ used: Limits } | CallOutcome> {
  const { call } = prepared;
  let reservation: Reservation;
  try {
    const { org } = prepared;
    reservation = org
      ? await reserveOrgQuota(org.id, call.userId, prepared.limits, org.memberLimits, call.startedAt)
      : await reserveQuota(call.userId, prepared.limits, call.startedAt);
  } catch (error) {
    if (!isRedisUnavailable(error)) throw error;
    return failedOutcome(
      "queue_unavailable",
      "The platform's queue is unavailable right now, so the tool did not run and no quota was used. Try again in a minute.",
    );
  }
  if (!reservation.admitted) return refuseCall(call, reservation, prepared.org);
  if (await recordPendingCall(prepared)) return { used: reservation.used };
  return failedOutcome(
    "platform_error",
    "The platform could not record the call, so it did not run and no quota was used. Try again shortly.",
  );
}

async function refuseCall(
  call: NewCall,
  refusal: Extract<Reservation, { admitted: false }>,
  org: OrgSnapshot | null,
): Promise<CallOutcome> {
  const { window, limit } = refusal;
  const outcome: CallOutcome = {
    status: "refused",
    window: window.name,
    limit,
    resetsAt: window.resetsAt,
    ...(org && { org: { name: org.name, member: refusal.scope === "member" } }),
  };
  // The refusal stands even if the ledger cannot take its row right now.
  await recordRefusedCall(call, describeCallOutcome(outcome)).catch((error: Error) =>
    createLogger({ module: "calls" }).warn({ err: error.message }, "could not record a refused call"),
  );
  return outcome;
}

async function recordPendingCall({ call, fields, input }: PreparedCall): Promise<boolean> {
  try {
    await createPendingCall({ ...call, sealedInput: await sealCallInput(call, fields, input) });
    return true;
  } catch (error) {
    // Admitted but not recorded: the call will not run, so its reservation goes back at once.
    await refundQuota({ userId: call.userId, orgId: call.orgId ?? null }, call.startedAt).catch(() => {});
    createLogger({ module: "calls" }).error({ err: (error as Error).message }, "could not record a call");
    return false;
  }
}

function describeQuotaLeft(limits: Limits, used: Limits): string {
  const left = (window: WindowName) => `${Math.max(0, limits[window] - used[window])} of ${limits[window]}`;
  return `${left("hour")} calls left this hour, ${left("day")} today, ${left("month")} this month`;
}
