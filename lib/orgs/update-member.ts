// One member's settings in an organization changed at once: their role and their own limits, each
// with the permission it needs (lib/orgs/manage-orgs.ts, lib/orgs/org-limits.ts).
import { z } from "zod";
import type { AuditContext } from "@/lib/audit/record-audit-event";
import { changeMemberRole, listMembers, orgRoleSchema } from "./manage-orgs";
import { limitSettingsSchema, setMemberLimits } from "./org-limits";
import type { Workspace } from "./workspace";

export const updateMemberSchema = z
  .object({
    role: orgRoleSchema.optional(),
    limits: limitSettingsSchema
      .optional()
      .describe("This member's own limits inside the organization's; null for a window: the default."),
  })
  .refine((value) => value.role !== undefined || value.limits !== undefined, "Give role, limits or both.");

export async function updateMember(
  workspace: Workspace,
  memberId: string,
  input: z.output<typeof updateMemberSchema>,
  context: AuditContext = {},
) {
  if (input.role !== undefined) await changeMemberRole(workspace, memberId, input.role, context);
  if (input.limits !== undefined) await setMemberLimits(workspace, memberId, input.limits, context);
  const member = (await listMembers(workspace)).find((one) => one.userId === memberId);
  if (!member) throw new Error("the member changed a moment ago is gone");
  return member;
}
