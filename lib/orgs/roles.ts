// What each role in an organization may do: the one table the code, the README's role table and
// the tests read. Owners manage the organization itself; admins manage what it shares; members use
// its servers; viewers use only tools that read.
import type { OrgRole } from "@/lib/db/generated/client.ts";

export type { OrgRole };

export const orgRoles = ["OWNER", "ADMIN", "MEMBER", "VIEWER"] as const satisfies readonly OrgRole[];

export type OrgPermission =
  /** Rename or delete the organization, set its single sign-on rules, make or unmake owners. */
  | "manage_org"
  /** Invite people, change roles (not owners'), remove members, set each member's limits. */
  | "manage_members"
  /** Create, change and delete the organization's connections, servers, tools and tool permissions. */
  | "manage_shared"
  /** Call the organization's servers through one's own URL (within the tools one is allowed). */
  | "use_servers"
  /** Call tools whose action changes data or is destructive (viewers may call read-only ones only). */
  | "call_writes"
  /** See every member's calls and the organization's usage (others see their own calls). */
  | "see_all_calls"
  /** Read the organization's audit trail. */
  | "see_audit";

const permissionsByRole: Record<OrgRole, readonly OrgPermission[]> = {
  OWNER: [
    "manage_org",
    "manage_members",
    "manage_shared",
    "use_servers",
    "call_writes",
    "see_all_calls",
    "see_audit",
  ],
  ADMIN: ["manage_members", "manage_shared", "use_servers", "call_writes", "see_all_calls", "see_audit"],
  MEMBER: ["use_servers", "call_writes"],
  VIEWER: ["use_servers"],
};

export function roleCan(role: OrgRole, permission: OrgPermission): boolean {
  return permissionsByRole[role].includes(permission);
}

export const roleWords: Record<OrgRole, string> = {
  OWNER: "Owner",
  ADMIN: "Admin",
  MEMBER: "Member",
  VIEWER: "Viewer",
};

/** Whether `actor` may give `target` role to someone, or change the role of someone who has it. */
export function mayAssignRole(actor: OrgRole, target: OrgRole): boolean {
  if (target === "OWNER") return roleCan(actor, "manage_org");
  return roleCan(actor, "manage_members");
}
