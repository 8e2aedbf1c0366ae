// A user's MCP servers. Every query is scoped by the owner's id: a server id alone never
// reaches another user's server.
import { z } from "zod";
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { storableString } from "@/lib/db/storable-text";
import { AppError } from "@/lib/errors/app-error";
import { buildMcpUrl, generateServerSecret, hashServerSecret } from "./server-secrets";

export const serverNameSchema = storableString()
  .trim()
  .min(1, "Give the server a name.")
  .max(100, "Use at most 100 characters.");
export const createServerSchema = z.object({ name: serverNameSchema });

const serverSummary = {
  id: true,
  name: true,
  createdAt: true,
  rotatedAt: true,
  _count: { select: { tools: true } },
} as const;

export async function createServer(userId: string, name: string, context: AuditContext = {}) {
  const secret = generateServerSecret();
  const server = await getDb().mcpServer.create({
    data: { userId, name, secretHash: hashServerSecret(secret) },
    select: { id: true, name: true, createdAt: true },
  });
  await recordAuditEvent(
    { ...context, actorId: context.actorId ?? userId },
    "server.created",
    { type: "server", id: server.id },
    { name },
  );
  return { ...server, url: buildMcpUrl(secret) };
}

export async function listServers(userId: string) {
  const servers = await getDb().mcpServer.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: serverSummary,
  });
  return servers.map(({ _count, ...server }) => ({ ...server, toolCount: _count.tools }));
}

export async function getServerOrThrow(userId: string, serverId: string) {
  const server = await getDb().mcpServer.findFirst({
    where: { id: serverId, userId },
    select: serverSummary,
  });
  if (!server) throw new AppError("not_found", "No such server.");
  const { _count, ...rest } = server;
  return { ...rest, toolCount: _count.tools };
}

/** Renames a server; its URL and tools stay as they are. */
export async function renameServer(
  userId: string,
  serverId: string,
  name: string,
  context: AuditContext = {},
) {
  const newName = serverNameSchema.parse(name);
  const db = getDb();
  const existing = await db.mcpServer.findFirst({
    where: { id: serverId, userId },
    select: { id: true, name: true },
  });
  if (!existing) throw new AppError("not_found", "No such server.");
  const server = await db.mcpServer.update({
    where: { id: existing.id },
    data: { name: newName },
    select: { id: true, name: true, createdAt: true },
  });
  await recordAuditEvent(
    { ...context, actorId: context.actorId ?? userId },
    "server.renamed",
    { type: "server", id: server.id },
    { from: existing.name, to: newName },
  );
  return server;
}

/** Replaces the secret: the old URL stops working at once. Returns the new URL (shown once). */
export async function rotateServerSecret(userId: string, serverId: string, context: AuditContext = {}) {
  const db = getDb();
  const existing = await db.mcpServer.findFirst({
    where: { id: serverId, userId },
    select: { id: true },
  });
  if (!existing) throw new AppError("not_found", "No such server.");
  const secret = generateServerSecret();
  const server = await db.mcpServer.update({
    where: { id: existing.id },
    data: { secretHash: hashServerSecret(secret), rotatedAt: new Date() },
    select: { id: true, name: true, createdAt: true },
  });
  await recordAuditEvent({ ...context, actorId: context.actorId ?? userId }, "server.secret_rotated", {
    type: "server",
    id: server.id,
  });
  return { ...server, url: buildMcpUrl(secret) };
}

export async function deleteServer(userId: string, serverId: string, context: AuditContext = {}) {
  const db = getDb();
  const existing = await db.mcpServer.findFirst({
    where: { id: serverId, userId },
    select: { id: true, name: true },
  });
  if (!existing) throw new AppError("not_found", "No such server.");
  await db.mcpServer.delete({ where: { id: existing.id } });
  await recordAuditEvent(
    { ...context, actorId: context.actorId ?? userId },
    "server.deleted",
    { type: "server", id: existing.id },
    { name: existing.name },
  );
}
