// The workspace a request works in: a person's own (everything that belonged to them before
// organizations existed) or an organization they belong to, with their role there. Every page,
// REST call and CLI command resolves one, and every query of shared things is scoped by it.
import type { AuditContext } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { type OrgPermission, type OrgRole, roleCan, roleWords } from "./roles";

export type PersonalWorkspace = { kind: "personal"; userId: string; orgId: null };
export type OrgWorkspace = { kind: "org"; userId: string; orgId: string; orgName: string; role: OrgRole };
export type Workspace = PersonalWorkspace | OrgWorkspace;

export function personalWorkspace(userId: string): PersonalWorkspace {
  return { kind: "personal", userId, orgId: null };
}

/**
 * The workspace `orgId` names for this user (none: their personal one). An organization they do
 * not belong to is reported exactly like one that does not exist.
 */
export async function resolveWorkspace(userId: string, orgId?: string | null): Promise<Workspace> {
  if (!orgId) return personalWorkspace(userId);
  const membership = await getDb().membership.findUnique({
    where: { orgId_userId: { orgId, userId } },
    select: { role: true, org: { select: { name: true } } },
  });
  if (!membership) throw new AppError("not_found", "No such organization, or you are not a member of it.");
  return { kind: "org", userId, orgId, orgName: membership.org.name, role: membership.role };
}

/** Whether the workspace's user may do this there (in their personal workspace, everything). */
export function workspaceCan(workspace: Workspace, permission: OrgPermission): boolean {
  return workspace.kind === "personal" || roleCan(workspace.role, permission);
}

const refusals: Record<OrgPermission, string> = {
  manage_org: "only its owners can change the organization itself",
  manage_members: "only its owners and admins can manage members and invitations",
  manage_shared: "only its owners and admins can change its connections, servers and tools",
  use_servers: "this role cannot use the organization's servers",
  call_writes: "viewers can call only tools that read",
  see_all_calls: "only its owners and admins can see every member's calls and usage",
  see_audit: "only its owners and admins can read the organization's audit trail",
};

/** Throws "forbidden", naming the role and what it lacks, unless the workspace allows this. */
export function requirePermission(workspace: Workspace, permission: OrgPermission): void {
  if (workspaceCan(workspace, permission)) return;
  const role = workspace.kind === "org" ? roleWords[workspace.role] : "";
  throw new AppError(
    "forbidden",
    `You are ${/^[AEIOU]/.test(role) ? "an" : "a"} ${role.toLowerCase()} in ${(workspace as OrgWorkspace).orgName}: ${refusals[permission]}.`,
  );
}

/**
 * The rows that belong to a workspace, for `where` clauses of connections, servers and calls:
 * in an organization, the organization's; otherwise the user's own that belong to no organization.
 */
export function ownedBy(workspace: Workspace): { orgId: string } | { userId: string; orgId: null } {
  return workspace.kind === "org" ? { orgId: workspace.orgId } : { userId: workspace.userId, orgId: null };
}

/** The audit context's organization for a change made in this workspace. */
export function auditOrg(workspace: Workspace): { orgId: string | null } {
  return { orgId: workspace.orgId };
}

/**
 * A management function's first argument: a workspace, or a user id standing for that user's
 * personal workspace (scripts and tests that predate organizations).
 */
export type WorkspaceArg = Workspace | string;

export function workspaceOf(arg: WorkspaceArg): Workspace {
  return typeof arg === "string" ? personalWorkspace(arg) : arg;
}

/** The audit context of a change made in a workspace: its actor and its organization. */
export function auditIn(workspace: Workspace, context: AuditContext): AuditContext {
  return { ...context, actorId: context.actorId ?? workspace.userId, orgId: workspace.orgId };
}
