"use server";
// An added app's page: accepting an action's definition as shown (its hash), offering an action or
// not, reading the upstream again, checking whether it answers, setting or removing its OAuth
// client, and deleting the app. Every call is scoped to the workspace by the lib functions, which
// also refuse members and viewers of an organization what only its owners and admins may do.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { type CheckReport, checkApp } from "@/lib/apps/app-health";
import { deleteAppOAuthClient, setAppOAuthClient } from "@/lib/apps/app-oauth-client";
import { acceptAppActions, deleteApp, refreshApp, setOfferedActions } from "@/lib/apps/manage-apps";
import { type ActionResult, formText, runServerAction } from "@/lib/web/server-action";

export async function acceptActionAction(slug: string, key: string, hash: string): Promise<ActionResult> {
  const result = await runServerAction("apps.accept", async ({ workspace, audit }) => {
    await acceptAppActions(workspace, String(slug), { [String(key)]: String(hash) }, audit);
    return undefined;
  });
  if (result.ok) revalidatePath(`/apps/${slug}`);
  return result;
}

export async function setOfferedAction(slug: string, key: string, offered: boolean): Promise<ActionResult> {
  const result = await runServerAction("apps.offer", async ({ workspace, audit }) => {
    await setOfferedActions(workspace, String(slug), { [String(key)]: offered === true }, audit);
    return undefined;
  });
  if (result.ok) revalidatePath(`/apps/${slug}`);
  return result;
}

export type RefreshSummary = { added: number; changed: number; removed: number };

export async function refreshAppAction(slug: string): Promise<ActionResult<RefreshSummary>> {
  const result = await runServerAction("apps.refresh", async ({ workspace, audit }) => {
    const { discovery } = await refreshApp(workspace, String(slug), audit);
    return {
      added: discovery.added.length,
      changed: discovery.changed.length,
      removed: discovery.removed.length,
    };
  });
  if (result.ok) revalidatePath(`/apps/${slug}`);
  return result;
}

export async function deleteAppAction(slug: string): Promise<ActionResult> {
  const result = await runServerAction("apps.delete", async ({ workspace, audit }) => {
    await deleteApp(workspace, String(slug), audit);
    return undefined;
  });
  if (!result.ok) return result;
  revalidatePath("/apps");
  // Outside runServerAction: redirect() works by throwing, which the wrapper would catch.
  redirect("/apps");
}

/** What the OAuth client form shows again after a refusal: never the secret. */
export type AppClientFormState = (ActionResult & { clientId?: string }) | null;

export async function setAppOAuthClientAction(
  slug: string,
  _previous: AppClientFormState,
  form: FormData,
): Promise<AppClientFormState> {
  const clientId = formText(form, "clientId");
  const result = await runServerAction("apps.set-oauth-client", async ({ workspace, audit }) => {
    await setAppOAuthClient(
      workspace,
      String(slug),
      { clientId, clientSecret: formText(form, "clientSecret") },
      audit,
    );
    return undefined;
  });
  // Every page that lists apps says whether they can be connected.
  if (result.ok) revalidatePath("/", "layout");
  return { ...result, clientId };
}

export async function removeAppOAuthClientAction(slug: string): Promise<ActionResult> {
  const result = await runServerAction("apps.remove-oauth-client", async ({ workspace, audit }) => {
    await deleteAppOAuthClient(workspace, String(slug), audit);
    return undefined;
  });
  if (result.ok) revalidatePath("/", "layout");
  return result;
}

export async function checkAppAction(
  slug: string,
): Promise<ActionResult<Pick<CheckReport, "healthy" | "latencyMs" | "error">>> {
  const result = await runServerAction("apps.check", async ({ workspace }) => {
    const { healthy, latencyMs, error } = await checkApp(workspace, String(slug));
    return { healthy, latencyMs, error };
  });
  if (result.ok) revalidatePath(`/apps/${slug}`);
  return result;
}
