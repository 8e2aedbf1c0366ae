// The AI apps people let use their servers (grants), as people and administrators see and end
// them. Revoking a grant sets its revokedAt (which verifyAccessToken refuses at once) and revokes
// every token issued under it, so that neither an access token nor a refresh token outlives it.
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client.ts";
import { AppError } from "@/lib/errors/app-error";
import { ownedBy, resolveWorkspace, type Workspace, workspaceCan } from "@/lib/orgs/workspace";
import { announceRevocation } from "./access-token-cache";

const grantSelect = {
  id: true,
  userId: true,
  createdAt: true,
  lastUsedAt: true,
  client: { select: { name: true, kind: true, redirectUris: true } },
  server: { select: { id: true, name: true, org: { select: { name: true } } } },
  user: { select: { email: true } },
} as const satisfies Prisma.McpGrantSelect;

type StoredGrant = Prisma.McpGrantGetPayload<{ select: typeof grantSelect }>;

export type ConnectedApp = {
  id: string;
  appName: string;
  /** The host the app's sign-in returns to (its first redirect URI's), to tell apps apart. */
  redirectHost: string | null;
  clientKind: string;
  server: { id: string; name: string; orgName: string | null };
  /** Who let the app in. */
  user: { id: string; email: string };
  createdAt: Date;
  lastUsedAt: Date | null;
};

function hostOf(uri: string | undefined): string | null {
  if (!uri || !URL.canParse(uri)) return null;
  return new URL(uri).host || null;
}

function toConnectedApp(grant: StoredGrant): ConnectedApp {
  return {
    id: grant.id,
    appName: grant.client.name,
    redirectHost: hostOf(grant.client.redirectUris[0]),
    clientKind: grant.client.kind,
    server: { id: grant.server.id, name: grant.server.name, orgName: grant.server.org?.name ?? null },
    user: { id: grant.userId, email: grant.user.email },
    createdAt: grant.createdAt,
    lastUsedAt: grant.lastUsedAt,
  };
}

async function findActiveGrants(where: Prisma.McpGrantWhereInput): Promise<ConnectedApp[]> {
  const grants = await getDb().mcpGrant.findMany({
    where: { ...where, revokedAt: null },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: grantSelect,
  });
  return grants.map(toConnectedApp);
}

/** The apps a person let in, on any of their servers (personal or an organization's). */
export async function listUserGrants(userId: string): Promise<ConnectedApp[]> {
  return findActiveGrants({ userId });
}

/**
 * The apps using one of the workspace's servers. In an organization its owners and admins see
 * every member's; anyone else sees only the apps they let in themselves.
 */
export async function listServerGrants(workspace: Workspace, serverId: string): Promise<ConnectedApp[]> {
  const server = await getDb().mcpServer.findFirst({
    where: { id: serverId, ...ownedBy(workspace) },
    select: { id: true },
  });
  if (!server) throw new AppError("not_found", "No such server.");
  const seesEveryone = workspaceCan(workspace, "manage_shared");
  return findActiveGrants({ serverId: server.id, ...(seesEveryone ? {} : { userId: workspace.userId }) });
}

/**
 * Whether `actorId` may end this grant: the person who made it, the owner of the personal server
 * it is for, an owner or admin of the organization whose server it is, or a platform administrator.
 */
async function mayRevoke(
  actorId: string,
  grant: { userId: string; server: { userId: string; orgId: string | null } },
): Promise<boolean> {
  if (grant.userId === actorId) return true;
  const { server } = grant;
  if (server.orgId === null && server.userId === actorId) return true;
  if (server.orgId !== null) {
    const workspace = await resolveWorkspace(actorId, server.orgId).catch(() => null);
    if (workspace && workspaceCan(workspace, "manage_shared")) return true;
  }
  const actor = await getDb().user.findUnique({ where: { id: actorId }, select: { role: true } });
  return actor?.role === "ADMIN";
}

/**
 * Ends an app's access at once: the grant and every token issued under it are revoked. Someone
 * who may not revoke it is told it does not exist, as for an unknown or already revoked id.
 */
export async function revokeGrant(
  actorId: string,
  grantId: string,
  context: AuditContext = {},
): Promise<void> {
  const db = getDb();
  const grant = await db.mcpGrant.findFirst({
    where: { id: grantId, revokedAt: null },
    select: {
      id: true,
      userId: true,
      client: { select: { name: true } },
      server: { select: { id: true, name: true, userId: true, orgId: true } },
    },
  });
  if (!grant || !(await mayRevoke(actorId, grant)))
    throw new AppError("not_found", "No such connected app (its access may already be revoked).");
  const now = new Date();
  const revoked = await db.$transaction(async (tx) => {
    const { count } = await tx.mcpGrant.updateMany({
      where: { id: grant.id, revokedAt: null },
      data: { revokedAt: now, revokedById: actorId },
    });
    await tx.mcpToken.updateMany({ where: { grantId: grant.id, revokedAt: null }, data: { revokedAt: now } });
    return count;
  });
  // Revoked meanwhile by someone else: their event stands for it.
  if (revoked === 0) return;
  await announceRevocation([grant.id]);
  await recordAuditEvent(
    { ...context, actorId, orgId: grant.server.orgId },
    "mcp_grant.revoked",
    { type: "mcp_grant", id: grant.id },
    {
      name: grant.client.name,
      serverId: grant.server.id,
      serverName: grant.server.name,
      userId: grant.userId,
    },
  );
}
