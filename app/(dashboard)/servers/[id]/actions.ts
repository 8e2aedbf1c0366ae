"use server";
// A server's page: a new URL (shown once, returned only in the result), rename, delete, and
// removing a tool (from the page's list or from the tool's own page). Every call is scoped to the
// signed-in user by the lib functions.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import {
  createServerSchema,
  deleteServer,
  renameServer,
  rotateServerSecret,
  updateServer,
} from "@/lib/servers/manage-servers";
import { deleteTool } from "@/lib/tools/manage-tools";
import { type ActionResult, runServerAction } from "@/lib/web/server-action";
import { revalidateServer } from "./revalidate-server";

export async function rotateServerUrlAction(serverId: string): Promise<ActionResult<{ url: string }>> {
  const result = await runServerAction("servers.rotate", async ({ workspace, audit }) => {
    const server = await rotateServerSecret(workspace, serverId, audit);
    return { url: server.url };
  });
  if (result.ok) revalidateServer(serverId);
  return result;
}

export type RenameServerState = (ActionResult<{ name: string }> & { values?: { name: string } }) | null;

export async function renameServerAction(
  serverId: string,
  _previous: RenameServerState,
  form: FormData,
): Promise<RenameServerState> {
  const name = String(form.get("name") ?? "");
  const result = await runServerAction("servers.rename", async ({ workspace, audit }) => {
    const input = createServerSchema.parse({ name });
    const server = await renameServer(workspace, serverId, input.name, audit);
    return { name: server.name };
  });
  if (result.ok) revalidateServer(serverId);
  return { ...result, values: { name: result.ok ? result.data.name : name } };
}

export async function deleteServerAction(serverId: string): Promise<ActionResult> {
  const result = await runServerAction("servers.delete", async ({ workspace, audit }) => {
    await deleteServer(workspace, serverId, audit);
    return undefined;
  });
  if (!result.ok) return result;
  revalidatePath("/servers");
  // Outside runServerAction: redirect() works by throwing, which the wrapper would catch.
  redirect("/servers");
}

export async function deleteToolAction(serverId: string, toolId: string): Promise<ActionResult> {
  const result = await runServerAction("tools.delete", async ({ workspace, audit }) => {
    await deleteTool(workspace, String(serverId), String(toolId), audit);
    return undefined;
  });
  if (result.ok) revalidateServer(serverId);
  return result;
}

/** An organization's server: tools that change data callable by owners and admins only, or not. */
export async function setWritesAdminOnlyAction(
  serverId: string,
  form: FormData,
): Promise<ActionResult<boolean>> {
  const writesAdminOnly = form.get("writesAdminOnly") === "on";
  const result = await runServerAction("servers.writes-admin-only", async ({ workspace, audit }) => {
    const server = await updateServer(workspace, String(serverId), { writesAdminOnly }, audit);
    return server.writesAdminOnly;
  });
  if (result.ok) revalidateServer(serverId);
  return result;
}
