// The header's choice of workspace, written as the tg_workspace cookie that current-workspace.ts
// reads back. Only an organization the person belongs to can be chosen; choosing their personal
// workspace removes the cookie.
import { cookies } from "next/headers";
import { getAppUrl } from "@/env";
import { workspaceCookie } from "./current-workspace";
import { resolveWorkspace, type Workspace } from "./workspace";

const yearSeconds = 365 * 86_400;

/** Makes `orgId` (null: the personal workspace) the current one; not a member: "not_found". */
export async function chooseWorkspace(userId: string, orgId: string | null): Promise<Workspace> {
  const workspace = await resolveWorkspace(userId, orgId);
  const jar = await cookies();
  if (workspace.kind === "personal") jar.delete(workspaceCookie);
  else
    jar.set(workspaceCookie, workspace.orgId, {
      httpOnly: true,
      sameSite: "lax",
      secure: getAppUrl().startsWith("https:"),
      path: "/",
      maxAge: yearSeconds,
    });
  return workspace;
}
