// "Try it" from the tool editor: one call by the server's owner (or, on an organization's server,
// by the member trying it, as their own URL would call it), of a saved tool or of the editor's
// settings before they are saved, admitted by lib/calls as a call from an MCP client is
// (permissions, argument validation, quota, ledger, worker), so a try behaves exactly like the
// real thing and counts as a call. A try must fill every field the tool needs: one left empty is
// refused first.
import type { z } from "zod";
import { findSnapshotAction, loadServedActions } from "@/lib/apps/app-registry";
import { admitCall, type CallContext, type CallTarget } from "@/lib/calls/admit-call";
import type { CallOutcome } from "@/lib/calls/call-outcome";
import { AppError } from "@/lib/errors/app-error";
import { toolAccessOf } from "@/lib/mcp/build-server";
import { personalWorkspace, type Workspace } from "@/lib/orgs/workspace";
import { loadServerSnapshot, type ServerSnapshot } from "@/lib/servers/server-snapshot";
import { type FieldSettings, isRequiredField } from "./field-settings";
import { checkToolDraft, type ToolDraft } from "./manage-tools";

/** A workspace, or a user id for their personal workspace. */
type WorkspaceOrUser = Workspace | string;

export async function runToolOnce(
  given: WorkspaceOrUser,
  serverId: string,
  toolId: string,
  args: unknown,
  context: Partial<CallContext> = {},
): Promise<CallOutcome> {
  const snapshot = await loadWorkspaceSnapshot(given, serverId);
  const tool = snapshot.tools.find((candidate) => candidate.id === toolId);
  if (!tool) throw new AppError("not_found", "No such tool.");
  return tryTarget(snapshot, tool, args, context);
}

/**
 * The editor's settings, checked as saving checks them, run once without saving anything; the
 * call is recorded as a draft's, with the account chosen in the editor.
 */
export async function runToolDraftOnce(
  given: WorkspaceOrUser,
  serverId: string,
  draft: ToolDraft,
  args: unknown,
  context: Partial<CallContext> = {},
): Promise<CallOutcome> {
  const workspace = typeof given === "string" ? personalWorkspace(given) : given;
  const { connectionId, ...checked } = await checkToolDraft(workspace.userId, serverId, draft);
  const snapshot = await loadWorkspaceSnapshot(workspace, serverId);
  return tryTarget(snapshot, { ...checked, draft: { connectionId } }, args, context);
}

/** The server as the workspace's user calls it: their own personal one, or their organization's. */
async function loadWorkspaceSnapshot(given: WorkspaceOrUser, serverId: string): Promise<ServerSnapshot> {
  const workspace = typeof given === "string" ? personalWorkspace(given) : given;
  const snapshot = await loadServerSnapshot({ id: serverId, callerId: workspace.userId });
  // Someone else's server, or another workspace's, answers like a missing one: ids alone never
  // reveal what exists.
  const inWorkspace =
    workspace.kind === "org"
      ? snapshot?.org?.id === workspace.orgId
      : snapshot !== null && snapshot.org === null && snapshot.userId === workspace.userId;
  if (!snapshot || !inWorkspace) throw new AppError("not_found", "No such server.");
  return snapshot;
}

/** The snapshot with the served actions of the target's app, which no saved tool may use yet. */
async function withTargetApp(snapshot: ServerSnapshot, target: CallTarget): Promise<ServerSnapshot> {
  if (snapshot.addedApps[target.integration]) return snapshot;
  const owner = { userId: snapshot.userId, orgId: snapshot.org?.id ?? null };
  const added = await loadServedActions([target.integration], owner);
  return { ...snapshot, addedApps: { ...snapshot.addedApps, ...added } };
}

async function tryTarget(
  saved: ServerSnapshot,
  target: CallTarget,
  args: unknown,
  context: Partial<CallContext>,
): Promise<CallOutcome> {
  const snapshot = await withTargetApp(saved, target);
  const found = findSnapshotAction(snapshot.addedApps, target.integration, target.action);
  if (found && "allowedRoles" in target) {
    // A saved tool of an organization's server: the member may try only what they may call.
    const access = toolAccessOf(snapshot, target as ServerSnapshot["tools"][number], found.action);
    if (!access.allowed) throw new AppError("forbidden", access.reason);
  }
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
