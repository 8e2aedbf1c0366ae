"use server";
// Accepting an invitation to an organization as the signed-in account (only the address it was
// made out to can), which then becomes the current workspace.
import { redirect } from "next/navigation";
import { storableString } from "@/lib/db/storable-text";
import { chooseWorkspace } from "@/lib/orgs/choose-workspace";
import { acceptOrgInvitation } from "@/lib/orgs/org-invitations";
import { type ActionResult, runServerAction } from "@/lib/web/server-action";

export async function joinOrgAction(token: string): Promise<ActionResult | undefined> {
  const result = await runServerAction("org.invitations.accept", async ({ user, audit }) => {
    const joined = await acceptOrgInvitation(user.id, storableString().min(1).max(200).parse(token), audit);
    await chooseWorkspace(user.id, joined.orgId);
    return undefined;
  });
  if (!result.ok) return result;
  redirect("/org");
}
