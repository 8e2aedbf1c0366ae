"use server";
// Revoking an AI app's access to this server from its page: one's own app's, or any member's for
// an organization's owners and admins (lib/authorization-server/grants.ts decides).
import { revalidatePath } from "next/cache";
import { revokeGrant } from "@/lib/authorization-server/grants";
import { storableString } from "@/lib/db/storable-text";
import { type ActionResult, runServerAction } from "@/lib/web/server-action";

const idSchema = storableString().min(1).max(100);

export async function revokeServerGrantAction(serverId: string, grantId: string): Promise<ActionResult> {
  const result = await runServerAction("servers.connected_apps.revoke", async ({ user, audit }) => {
    await revokeGrant(user.id, idSchema.parse(grantId), audit);
    return undefined;
  });
  if (result.ok) {
    revalidatePath(`/servers/${serverId}`);
    revalidatePath("/settings/connected-apps");
  }
  return result;
}
