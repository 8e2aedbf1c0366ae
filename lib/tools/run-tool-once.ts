// "Try it" from the tool editor: one call by the server's owner, of a saved tool or of the
// editor's settings before they are saved, admitted by lib/calls as a call from an MCP client is
// (argument validation, quota, ledger, worker), so a try behaves exactly like the real thing and
// counts as a call. A try must fill every field the tool needs: one left empty is refused first.
import type { z } from "zod";
import { findAction } from "@/integrations/registry";
import { admitCall, type CallContext, type CallTarget } from "@/lib/calls/admit-call";
import type { CallOutcome } from "@/lib/calls/call-outcome";
import { AppError } from "@/lib/errors/app-error";
import { loadServerSnapshot, type ServerSnapshot } from "@/lib/servers/server-snapshot";
import { type FieldSettings, isRequiredField } from "./field-settings";
import { checkToolDraft, type ToolDraft } from "./manage-tools";

export async function runToolOnce(
  userId: string,
  serverId: string,
  toolId: string,
  args: unknown,
  context: Partial<CallContext> = {},
): Promise<CallOutcome> {
  const snapshot = await loadOwnSnapshot(userId, serverId);
  const tool = snapshot.tools.find((candidate) => candidate.id === toolId);
  if (!tool) throw new AppError("not_found", "No such tool.");
  return tryTarget(snapshot, tool, args, context);
}

/**
 * The editor's settings, checked as saving checks them, run once without saving anything; the
 * call is recorded as a draft's, with the account chosen in the editor.
 */
export async function runToolDraftOnce(
  userId: string,
  serverId: string,
  draft: ToolDraft,
  args: unknown,
  context: Partial<CallContext> = {},
): Promise<CallOutcome> {
  const { connectionId, ...checked } = await checkToolDraft(userId, serverId, draft);
  const snapshot = await loadOwnSnapshot(userId, serverId);
  return tryTarget(snapshot, { ...checked, draft: { connectionId } }, args, context);
}

async function loadOwnSnapshot(userId: string, serverId: string): Promise<ServerSnapshot> {
  const snapshot = await loadServerSnapshot({ id: serverId });
  // Someone else's server answers like a missing one: ids alone never reveal what exists.
  if (!snapshot || snapshot.userId !== userId) throw new AppError("not_found", "No such server.");
  return snapshot;
}

function tryTarget(
  snapshot: ServerSnapshot,
  target: CallTarget,
  args: unknown,
  context: Partial<CallContext>,
): Promise<CallOutcome> {
  const found = findAction(target.integration, target.action);
  if (found) refuseEmptyRequired(found.action.input.shape, target.fields, args);
  return admitCall(snapshot, target, args ?? {}, {
    ...context,
    signal: context.signal ?? new AbortController().signal,
  });
}

/** A field the AI fills and the action needs, sent empty (or blank text): refused, by its name. */
export function refuseEmptyRequired(
  shape: Record<string, z.ZodType>,
  settings: FieldSettings,
  args: unknown,
): void {
  const sent = (typeof args === "object" && args !== null ? args : {}) as Record<string, unknown>;
  for (const [name, field] of Object.entries(shape)) {
    if ((settings[name]?.mode ?? "ai") !== "ai" || !isRequiredField(field)) continue;
    const value = sent[name];
    if (value === undefined || (typeof value === "string" && value.trim() === ""))
      throw new AppError(
        "validation_failed",
        `"${name}" is required: fill it in to try the tool, as the AI would.`,
        { field: `args.${name}` },
      );
  }
}
