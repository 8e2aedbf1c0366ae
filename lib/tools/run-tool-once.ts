// "Try it" from the tool's page: one call of a configured tool by its owner, admitted by
// lib/calls as a call from an MCP client is (argument validation, quota, ledger, worker), so a
// try behaves exactly like the real thing and counts as a call.
import { admitCall, type CallContext } from "@/lib/calls/admit-call";
import type { CallOutcome } from "@/lib/calls/call-outcome";
import { AppError } from "@/lib/errors/app-error";
import { loadServerSnapshot } from "@/lib/servers/server-snapshot";

export async function runToolOnce(
  userId: string,
  serverId: string,
  toolId: string,
  args: unknown,
  context: Partial<CallContext> = {},
): Promise<CallOutcome> {
  const snapshot = await loadServerSnapshot({ id: serverId });
  // Someone else's server answers like a missing one: ids alone never reveal what exists.
  if (!snapshot || snapshot.userId !== userId) throw new AppError("not_found", "No such server.");
  const tool = snapshot.tools.find((candidate) => candidate.id === toolId);
  if (!tool) throw new AppError("not_found", "No such tool.");
  return admitCall(snapshot, tool, args ?? {}, {
    ...context,
    signal: context.signal ?? new AbortController().signal,
  });
}
