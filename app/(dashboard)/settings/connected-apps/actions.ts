"use server";
// Revoking one of the signed-in person's connected AI apps from Settings.
import { revalidatePath } from "next/cache";
import { revokeGrant } from "@/lib/authorization-server/grants";
import { storableString } from "@/lib/db/storable-text";
import { type ActionResult, runServerAction } from "@/lib/web/server-action";

const grantIdSchema = storableString().min(1).max(100);

export async function revokeConnectedAppAction(grantId: string): Promise<ActionResult> {
  const result = await runServerAction("connected_apps.revoke", async ({ user, audit }) => {
    await revokeGrant(user.id, grantIdSchema.parse(grantId), audit);
    return undefined;
  });
  if (result.ok) revalidatePath("/settings/connected-apps");
  return result;
}
