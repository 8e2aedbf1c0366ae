"use server";
// An added app's page: accepting an action's definition as shown (its hash), offering an action or
// not, reading the upstream again, checking whether it answers, and deleting the app. Every call
// is scoped to the workspace by the lib functions, which also refuse members and viewers of an
// organization what only its owners and admins may do.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { type CheckReport, checkApp } from "@/lib/apps/app-health";
import { acceptAppActions, deleteApp, refreshApp, setOfferedActions } from "@/lib/apps/manage-apps";
import { type ActionResult, runServerAction } from "@/lib/web/server-action";

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
