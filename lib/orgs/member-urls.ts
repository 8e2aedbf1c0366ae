// What the server page's "Your own URL" section shows in an organization: whether the server is
// the organization's, and who has a URL for it (lib/servers/server-access.ts listMemberAccess).
import { getDb } from "@/lib/db/client";
import { listMemberAccess } from "@/lib/servers/server-access";
import { type Workspace, workspaceCan } from "./workspace";

export async function getMemberUrlView(workspace: Workspace, serverId: string) {
  if (workspace.kind !== "org") return null;
  const server = await getDb().mcpServer.findFirst({
    where: { id: serverId, orgId: workspace.orgId },
    select: { id: true, name: true },
  });
  if (!server) return null;
  const accesses = await listMemberAccess(workspace, serverId);
  return {
    server,
    orgName: workspace.orgName,
    mine: accesses.find((access) => access.userId === workspace.userId) ?? null,
    /** Everyone's URLs for owners and admins; only one's own for others. */
    accesses,
    seesEveryone: workspaceCan(workspace, "manage_shared"),
    mayUse: workspaceCan(workspace, "use_servers"),
  };
}
