// The one wrapper of every signed-in server action: the signed-in user (or a refusal), an audit
// context from the request, and every failure turned into a result the form can show: an
// AppError's message (and field), zod's first issue per field, or a generic message for a fault.
// Next.js itself refuses server actions whose Origin does not match the host.
import { headers } from "next/headers";
import { z } from "zod";
import type { AuditContext } from "@/lib/audit/record-audit-event";
import { type CurrentUser, getCurrentUser } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors/app-error";
import { forwardedClientIp } from "@/lib/http/client-address";
import { createLogger } from "@/lib/log/logger";
import { currentWorkspaceOf } from "@/lib/orgs/current-workspace";
import type { Workspace } from "@/lib/orgs/workspace";

export type ActionResult<T = undefined> =
  | { ok: true; data: T }
  | { ok: false; message: string; fieldErrors?: Record<string, string> };

/** `workspace`: the one chosen in the header (lib/orgs/current-workspace.ts), checked per call. */
export type ActionContext = { user: CurrentUser; workspace: Workspace; audit: AuditContext };

function firstIssuePerField(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.join(".") || "form";
    errors[field] ??= issue.message;
  }
  return errors;
}

export async function runServerAction<T>(
  name: string,
  work: (context: ActionContext) => Promise<T>,
  { adminOnly = false }: { adminOnly?: boolean } = {},
): Promise<ActionResult<T>> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, message: "Your session has ended. Sign in again." };
  if (adminOnly && user.role !== "ADMIN") return { ok: false, message: "Only administrators can do this." };
  const requestHeaders = await headers();
  const audit: AuditContext = {
    actorId: user.id,
    ip: forwardedClientIp(requestHeaders),
    userAgent: requestHeaders.get("user-agent"),
  };
  try {
    // The audit context stays without the organization: the functions that change an
    // organization's things add it, so a personal change is never in an organization's trail.
    const workspace = await currentWorkspaceOf(user);
    return { ok: true, data: await work({ user, workspace, audit }) };
  } catch (error) {
    if (error instanceof z.ZodError)
      return { ok: false, message: "Some fields need attention.", fieldErrors: firstIssuePerField(error) };
    if (isAppError(error)) {
      const field = typeof error.details?.field === "string" ? error.details.field : undefined;
      return { ok: false, message: error.message, ...(field && { fieldErrors: { [field]: error.message } }) };
    }
    createLogger({ action: name }).error({ err: (error as Error).message }, "server action failed");
    return { ok: false, message: "Something went wrong on our side. Try again in a minute." };
  }
}

/** A server action of the admin pages: refused to anyone but an administrator. */
export function runAdminAction<T>(name: string, work: (context: ActionContext) => Promise<T>) {
  return runServerAction(name, work, { adminOnly: true });
}

/**
 * A text field of a submitted form, or "" when the action was called with something else (a
 * crafted request): reading the form must never fail before the action's own checks run.
 */
export function formText(form: unknown, name: string): string {
  if (!(form instanceof FormData)) return "";
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}
