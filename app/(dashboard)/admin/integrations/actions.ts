"use server";
// The Integrations page's mutations, for administrators only (runAdminAction refuses anyone else):
// setting an OAuth app's client and removing it, audited with the admin as actor. The next
// connection or token refresh on any process uses the change; nothing needs a restart.
import { revalidatePath } from "next/cache";
import { assertOAuthClientPrefix } from "@/lib/oauth/client-overview";
import { removeStoredClient, saveStoredClient } from "@/lib/oauth/stored-client";
import { type ActionResult, formText, runAdminAction } from "@/lib/web/server-action";

/** What the form shows again after a refusal: never the secret. */
export type ClientFormState = (ActionResult & { clientId?: string }) | null;

function revalidateApps(): void {
  revalidatePath("/admin/integrations");
  // Every page that lists apps says whether they can be connected.
  revalidatePath("/", "layout");
}

export async function saveClientAction(
  prefix: string,
  _previous: ClientFormState,
  form: FormData,
): Promise<ClientFormState> {
  const clientId = formText(form, "clientId");
  const result = await runAdminAction("integrations.save-client", async ({ user, audit }) => {
    assertOAuthClientPrefix(prefix);
    await saveStoredClient(prefix, { clientId, clientSecret: formText(form, "clientSecret") }, user, audit);
    return undefined;
  });
  if (result.ok) revalidateApps();
  return { ...result, clientId };
}

export async function removeClientAction(prefix: string): Promise<ActionResult> {
  const result = await runAdminAction("integrations.remove-client", async ({ audit }) => {
    assertOAuthClientPrefix(prefix);
    await removeStoredClient(prefix, audit);
    return undefined;
  });
  if (result.ok) revalidateApps();
  return result;
}
