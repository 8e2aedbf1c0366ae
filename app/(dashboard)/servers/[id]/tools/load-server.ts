// The server a tool page belongs to, or the 404 page when it is not the signed-in user's.
import { notFound } from "next/navigation";
import { isAppError } from "@/lib/errors/app-error";
import { getServerOrThrow } from "@/lib/servers/manage-servers";

export async function getServerOrNotFound(userId: string, serverId: string) {
  try {
    return await getServerOrThrow(userId, serverId);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
}
