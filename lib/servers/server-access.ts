// Members' own URLs for an organization's server. Each member has at most one; issuing it again
// replaces it (the old URL stops working), and removing the member or their access stops only
// them. Only the SHA-256 of the secret is stored, as for personal servers.
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client.ts";
import { AppError } from "@/lib/errors/app-error";
import { requirePermission, type Workspace } from "@/lib/orgs/workspace";
import { buildMcpUrl, generateServerSecret, hashServerSecret } from "./server-secrets";

/** Creates or replaces a member's access row; returns the URL (its only showing). */
export async function writeMemberAccess(
  tx: Prisma.TransactionClient,
  access: { serverId: string; userId: string },
): Promise<string> {
  const secret = generateServerSecret();
  const secretHash = hashServerSecret(secret);
  await tx.serverAccess.upsert({
    where: { serverId_userId: access },
    create: { ...access, secretHash },
    update: { secretHash, rotatedAt: new Date() },
  });
  return buildMcpUrl(secret);
}

/** The caller's own URL for one of their organization's servers, new each time it is asked for. */
export async function issueMemberUrl(workspace: Workspace, serverId: string, context: AuditContext = {}) {
  if (workspace.kind !== "org")
    throw new AppError("bad_request", "Personal servers have one URL: use rotate to replace it.");
  requirePermission(workspace, "use_servers");
  const db = getDb();
  const server = await db.mcpServer.findFirst({
    where: { id: serverId, orgId: workspace.orgId },
    select: { id: true, name: true, createdAt: true },
  });
  if (!server) throw new AppError("not_found", "No such server.");
  const url = await db.$transaction((tx) => writeMemberAccess(tx, { serverId, userId: workspace.userId }));
  await recordAuditEvent(
    { ...context, actorId: context.actorId ?? workspace.userId, orgId: workspace.orgId },
    "server.member_url_issued",
    { type: "server", id: server.id },
  );
  return { ...server, url };
}

/** Stops one member's URL for a server (their own, or anyone's for owners and admins). */
export async function revokeMemberUrl(
  workspace: Workspace,
  serverId: string,
  memberId: string,
  context: AuditContext = {},
) {
  if (workspace.kind !== "org") throw new AppError("bad_request", "Personal servers have no member URLs.");
  if (memberId !== workspace.userId) requirePermission(workspace, "manage_shared");
  const { count } = await getDb().serverAccess.deleteMany({
    where: { serverId, userId: memberId, server: { orgId: workspace.orgId } },
  });
  if (count === 0) throw new AppError("not_found", "That member has no URL for this server.");
  await recordAuditEvent(
    { ...context, actorId: context.actorId ?? workspace.userId, orgId: workspace.orgId },
    "server.member_url_revoked",
    { type: "server", id: serverId },
    { memberId },
  );
}

/** Who has a URL for a server, for its page (owners and admins see everyone; others themselves). */
export async function listMemberAccess(workspace: Workspace, serverId: string) {
  if (workspace.kind !== "org") return [];
  const seeAll = workspace.role === "OWNER" || workspace.role === "ADMIN";
  return getDb().serverAccess.findMany({
    where: { serverId, server: { orgId: workspace.orgId }, ...(seeAll ? {} : { userId: workspace.userId }) },
    orderBy: { createdAt: "asc" },
    select: { userId: true, createdAt: true, rotatedAt: true, user: { select: { email: true, name: true } } },
  });
}
