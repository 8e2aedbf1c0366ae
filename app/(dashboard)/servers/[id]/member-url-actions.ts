"use server";
// An organization's server: a member's own URL for it (new each time, shown once) and revoking one
// (one's own, or anyone's for owners and admins). The organization is the current workspace's.
import { revalidatePath } from "next/cache";
import { storableString } from "@/lib/db/storable-text";
import { currentWorkspaceOf } from "@/lib/orgs/current-workspace";
import { issueMemberUrl, revokeMemberUrl } from "@/lib/servers/server-access";
import { type ActionResult, runServerAction } from "@/lib/web/server-action";

const idSchema = storableString().min(1).max(100);

export async function issueMemberUrlAction(serverId: string): Promise<ActionResult<{ url: string }>> {
  return runServerAction("servers.member_url.issue", async ({ user, audit }) => {
    const issued = await issueMemberUrl(await currentWorkspaceOf(user), idSchema.parse(serverId), audit);
    revalidatePath(`/servers/${issued.id}`);
    return { url: issued.url };
  });
}

export async function revokeMemberUrlAction(serverId: string, memberId: string): Promise<ActionResult> {
  const result = await runServerAction("servers.member_url.revoke", async ({ user, audit }) => {
    await revokeMemberUrl(
      await currentWorkspaceOf(user),
      idSchema.parse(serverId),
      idSchema.parse(memberId),
      audit,
    );
    return undefined;
  });
  if (result.ok) revalidatePath(`/servers/${serverId}`);
  return result;
}
