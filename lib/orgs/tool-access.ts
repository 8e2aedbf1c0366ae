// Which tools of an organization's server a member may call: their role's permissions, the
// server's "changes are for owners and admins" switch, and the tool's own lists of roles and
// members. tools/list shows only what this allows, and tools/call of anything else is refused
// with the reason, in the member's words.
import type { ActionAnnotations } from "@/integrations/sdk/define";
import type { FieldSettings } from "@/lib/tools/field-settings";
import { toolAnnotations } from "@/lib/tools/tool-annotations";
import { type OrgRole, roleCan, roleWords } from "./roles";

export type ToolCaller = { userId: string; role: OrgRole };
export type ToolServer = { orgName: string; writesAdminOnly: boolean };
export type ToolPermissions = {
  allowedRoles: readonly OrgRole[];
  allowedUserIds: readonly string[];
  fields: FieldSettings;
};
export type ToolAction = {
  annotations: ActionAnnotations;
  annotationsByValue?: { field: string; values: Record<string, ActionAnnotations> };
};

export type ToolAccess = { allowed: true } | { allowed: false; reason: string };

const adminRoles: readonly OrgRole[] = ["OWNER", "ADMIN"];

function aRole(role: OrgRole): string {
  const word = roleWords[role].toLowerCase();
  return `${/^[aeiou]/.test(word) ? "an" : "a"} ${word}`;
}

/** Whether this member may call this tool of this organization's server, and if not, why. */
export function mayCallTool(
  caller: ToolCaller,
  server: ToolServer,
  tool: ToolPermissions,
  action: ToolAction,
): ToolAccess {
  const you = `You are ${aRole(caller.role)} in ${server.orgName}`;
  if (!roleCan(caller.role, "use_servers"))
    return { allowed: false, reason: `${you}: this role cannot use the organization's servers.` };
  const annotations = toolAnnotations(action, tool.fields);
  const changesData = !annotations.readOnly || annotations.destructive;
  if (changesData && !roleCan(caller.role, "call_writes"))
    return { allowed: false, reason: `${you}: viewers can call only tools that read.` };
  if (changesData && server.writesAdminOnly && !adminRoles.includes(caller.role))
    return {
      allowed: false,
      reason: `${you}: on this server, tools that change data are for owners and admins only.`,
    };
  const limited = tool.allowedRoles.length > 0 || tool.allowedUserIds.length > 0;
  if (limited && !tool.allowedRoles.includes(caller.role) && !tool.allowedUserIds.includes(caller.userId))
    return {
      allowed: false,
      reason: `${you}: this tool is limited to ${describeAllowed(tool)}, and you are not among them.`,
    };
  return { allowed: true };
}

function describeAllowed(tool: ToolPermissions): string {
  const parts: string[] = [];
  if (tool.allowedRoles.length > 0)
    parts.push(tool.allowedRoles.map((role) => `${roleWords[role].toLowerCase()}s`).join(", "));
  if (tool.allowedUserIds.length > 0)
    parts.push(tool.allowedUserIds.length === 1 ? "one named member" : "some named members");
  return parts.join(" and ");
}
