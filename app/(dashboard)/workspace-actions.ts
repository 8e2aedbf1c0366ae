"use server";
// The header's workspace switcher: makes an organization the signed-in person belongs to (or their
// personal workspace) the current one. The cookie is checked against memberships again on every
// request (lib/orgs/current-workspace.ts), so this is a convenience, not the guard.
import { z } from "zod";
import { storableString } from "@/lib/db/storable-text";
import { chooseWorkspace } from "@/lib/orgs/choose-workspace";
import { type ActionResult, runServerAction } from "@/lib/web/server-action";

const orgIdSchema = z.union([storableString().min(1).max(100), z.null()]);

export async function switchWorkspaceAction(
  orgId: string | null,
): Promise<ActionResult<{ name: string | null }>> {
  return runServerAction("workspace.switch", async ({ user }) => {
    const workspace = await chooseWorkspace(user.id, orgIdSchema.parse(orgId));
    return { name: workspace.kind === "org" ? workspace.orgName : null };
  });
}
