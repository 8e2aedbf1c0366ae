// The server of the signed-in user's workspace for this route, or the 404 page (also for a server
// of another workspace, so nobody learns whether an id exists). Cached per request: the layout, the metadata and the
// page share one lookup.
import { notFound } from "next/navigation";
import { cache } from "react";
import { isAppError } from "@/lib/errors/app-error";
import { requireWorkspace } from "@/lib/orgs/current-workspace";
import { getServerOrThrow } from "@/lib/servers/manage-servers";

export const loadServer = cache(async (serverId: string) => {
  const { user, workspace } = await requireWorkspace();
  try {
    return { user, workspace, server: await getServerOrThrow(workspace, serverId) };
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
});
