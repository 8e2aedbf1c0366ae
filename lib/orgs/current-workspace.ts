// The workspace the signed-in person chose in the header, for pages and server actions. The choice
// is a cookie holding an organization id; it is checked against their memberships on every
// request, so a stale or forged one falls back to the personal workspace.
import { cookies } from "next/headers";
import { type CurrentUser, requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors/app-error";
import { personalWorkspace, resolveWorkspace, type Workspace } from "./workspace";

export const workspaceCookie = "tg_workspace";

export async function currentWorkspaceOf(user: CurrentUser): Promise<Workspace> {
  const orgId = (await cookies()).get(workspaceCookie)?.value;
  if (!orgId) return personalWorkspace(user.id);
  try {
    return await resolveWorkspace(user.id, orgId);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return personalWorkspace(user.id);
    throw error;
  }
}

/** The signed-in user (or a redirect to sign in) and the workspace they work in. */
export async function requireWorkspace(): Promise<{ user: CurrentUser; workspace: Workspace }> {
  const user = await requireUser();
  return { user, workspace: await currentWorkspaceOf(user) };
}
