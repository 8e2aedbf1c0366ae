// The `orgId` every workspace-scoped endpoint takes: in the query string, or for a POST with a body
// in the body too. Without it the call works in the token owner's personal workspace.
import { z } from "zod";
import { idSchema } from "@/lib/api/common-schemas";
import { resolveWorkspace, type Workspace } from "@/lib/orgs/workspace";

export const orgIdSchema = idSchema.describe(
  "Work in this organization (you must be a member; otherwise 404). Without it: your personal workspace.",
);

export const orgQuery = z.object({ orgId: orgIdSchema.optional() });

/** The workspace a request names: the organization, checked against the caller's memberships. */
export function workspaceOfRequest(
  userId: string,
  ...orgIds: (string | undefined | null)[]
): Promise<Workspace> {
  return resolveWorkspace(userId, orgIds.find((orgId) => orgId) ?? null);
}
