// The signed-in user's server for this route, or the 404 page (also for another user's server,
// so nobody learns whether an id exists). Cached per request: the layout, the metadata and the
// page share one lookup.
import { notFound } from "next/navigation";
import { cache } from "react";
import { requireUser } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors/app-error";
import { getServerOrThrow } from "@/lib/servers/manage-servers";

export const loadServer = cache(async (serverId: string) => {
  const user = await requireUser();
  try {
    return { user, server: await getServerOrThrow(user.id, serverId) };
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
});
