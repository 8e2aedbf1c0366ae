// A workspace's MCP servers. Every query is scoped by the workspace (a person's own servers, or an
// organization's): a server id alone never reaches another workspace's server. In an organization
// every member sees its servers; only owners and admins create, change or delete them.
import { z } from "zod";
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { storableString } from "@/lib/db/storable-text";
import { AppError } from "@/lib/errors/app-error";
import {
  auditIn,
  ownedBy,
  requirePermission,
  type Workspace,
  type WorkspaceArg,
  workspaceOf,
} from "@/lib/orgs/workspace";
import { issueMemberUrl, writeMemberAccess } from "./server-access";
import { buildMcpUrl, generateServerSecret, hashServerSecret } from "./server-secrets";

export const serverNameSchema = storableString()
  .trim()
  .min(1, "Give the server a name.")
  .max(100, "Use at most 100 characters.");
export const createServerSchema = z.object({ name: serverNameSchema });

const serverSummary = {
  id: true,
  name: true,
  orgId: true,
  writesAdminOnly: true,
  createdAt: true,
  rotatedAt: true,
  _count: { select: { tools: true } },
} as const;

export async function createServer(owner: WorkspaceArg, name: string, context: AuditContext = {}) {
  const workspace = workspaceOf(owner);
  requirePermission(workspace, "manage_shared");
  const secret = generateServerSecret();
  const db = getDb();
  // In an organization the server's own secret is never shown (it opens nothing): each member
  // calls it through their own URL, the creator's made here with the server.
  const { server, url } = await db.$transaction(async (tx) => {
    const server = await tx.mcpServer.create({
      data: { userId: workspace.userId, orgId: workspace.orgId, name, secretHash: hashServerSecret(secret) },
      select: { id: true, name: true, createdAt: true },
    });
    const url =
      workspace.kind === "org"
        ? await writeMemberAccess(tx, { serverId: server.id, userId: workspace.userId })
        : buildMcpUrl(secret);
    return { server, url };
  });
  await recordAuditEvent(
    auditIn(workspace, context),
    "server.created",
    { type: "server", id: server.id },
    { name },
  );
  return { ...server, url };
}

export async function listServers(owner: WorkspaceArg) {
  const servers = await getDb().mcpServer.findMany({
    where: ownedBy(workspaceOf(owner)),
    orderBy: { createdAt: "asc" },
    select: serverSummary,
  });
  return servers.map(({ _count, ...server }) => ({ ...server, toolCount: _count.tools }));
}

export async function getServerOrThrow(owner: WorkspaceArg, serverId: string) {
  const server = await getDb().mcpServer.findFirst({
    where: { id: serverId, ...ownedBy(workspaceOf(owner)) },
    select: serverSummary,
  });
  if (!server) throw new AppError("not_found", "No such server.");
  const { _count, ...rest } = server;
  return { ...rest, toolCount: _count.tools };
}

/** The workspace's server for a change: not found outside it, forbidden to members and viewers. */
async function findServerToChange(workspace: Workspace, serverId: string) {
  const existing = await getDb().mcpServer.findFirst({
    where: { id: serverId, ...ownedBy(workspace) },
    select: { id: true, name: true, writesAdminOnly: true },
  });
  if (!existing) throw new AppError("not_found", "No such server.");
  requirePermission(workspace, "manage_shared");
  return existing;
}

/** Renames a server; its URL and tools stay as they are. */
export async function renameServer(
  owner: WorkspaceArg,
  serverId: string,
  name: string,
  context: AuditContext = {},
) {
  const workspace = workspaceOf(owner);
  const newName = serverNameSchema.parse(name);
  const existing = await findServerToChange(workspace, serverId);
  const server = await getDb().mcpServer.update({
    where: { id: existing.id },
    data: { name: newName },
    select: { id: true, name: true, createdAt: true },
  });
  await recordAuditEvent(
    auditIn(workspace, context),
    "server.renamed",
    { type: "server", id: server.id },
    { from: existing.name, to: newName },
  );
  return server;
}

export const updateServerSchema = z
  .object({
    name: serverNameSchema.optional(),
    writesAdminOnly: z
      .boolean()
      .optional()
      .describe(
        "An organization's server only: tools whose action changes data or is destructive may be called by owners and admins only.",
      ),
  })
  .refine((value) => Object.keys(value).length > 0, "Give at least one of name, writesAdminOnly.");

/** Renames a server and/or makes its writing tools admin-only (an organization's server only). */
export async function updateServer(
  owner: WorkspaceArg,
  serverId: string,
  input: z.output<typeof updateServerSchema>,
  context: AuditContext = {},
) {
  const workspace = workspaceOf(owner);
  const existing = await findServerToChange(workspace, serverId);
  if (input.writesAdminOnly !== undefined && workspace.kind !== "org")
    throw new AppError(
      "validation_failed",
      "Only an organization's servers have admin-only tools: a personal server has one user.",
      { field: "writesAdminOnly" },
    );
  if (input.name !== undefined) await renameServer(workspace, serverId, input.name, context);
  if (input.writesAdminOnly !== undefined && input.writesAdminOnly !== existing.writesAdminOnly) {
    await getDb().mcpServer.update({
      where: { id: existing.id },
      data: { writesAdminOnly: input.writesAdminOnly },
    });
    await recordAuditEvent(
      auditIn(workspace, context),
      "server.permissions_changed",
      { type: "server", id: existing.id },
      { writesAdminOnly: input.writesAdminOnly },
    );
  }
  return getServerOrThrow(workspace, serverId);
}

/**
 * Replaces the secret: the old URL stops working at once. Returns the new URL (shown once). In an
 * organization it is the caller's own URL that is replaced (anyone else's keeps working).
 */
export async function rotateServerSecret(owner: WorkspaceArg, serverId: string, context: AuditContext = {}) {
  const workspace = workspaceOf(owner);
  if (workspace.kind === "org") return issueMemberUrl(workspace, serverId, context);
  const db = getDb();
  const existing = await db.mcpServer.findFirst({
    where: { id: serverId, ...ownedBy(workspace) },
    select: { id: true },
  });
  if (!existing) throw new AppError("not_found", "No such server.");
  const secret = generateServerSecret();
  const server = await db.mcpServer.update({
    where: { id: existing.id },
    data: { secretHash: hashServerSecret(secret), rotatedAt: new Date() },
    select: { id: true, name: true, createdAt: true },
  });
  await recordAuditEvent(auditIn(workspace, context), "server.secret_rotated", {
    type: "server",
    id: server.id,
  });
  return { ...server, url: buildMcpUrl(secret) };
}

export async function deleteServer(owner: WorkspaceArg, serverId: string, context: AuditContext = {}) {
  const workspace = workspaceOf(owner);
  const existing = await findServerToChange(workspace, serverId);
  await getDb().mcpServer.delete({ where: { id: existing.id } });
  await recordAuditEvent(
    auditIn(workspace, context),
    "server.deleted",
    { type: "server", id: existing.id },
    { name: existing.name },
  );
}
