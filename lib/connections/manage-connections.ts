// A user's connected third-party accounts. Every query is scoped by the owner's id. Listing and
// deleting work on the Connection table; storing new credentials needs the credential vault
// (issue 4), so creation validates the request fully and then stops with a clear refusal.
import { z } from "zod";
import { findIntegration } from "@/integrations/registry";
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { invalidateServerCacheById } from "@/lib/mcp/resolve-server";
import { checkCredentials } from "./check-credentials";

export const createConnectionSchema = z.object({
  integration: z.string().min(1).max(100).describe("The app's slug, from GET /integrations."),
  label: z.string().trim().min(1).max(100).optional().describe("Tells several accounts of one app apart."),
  credentials: z
    .record(z.string().max(100), z.string().max(10_000))
    .default({})
    .describe("The app's `auth.fields`, by name."),
});
export type CreateConnectionInput = z.output<typeof createConnectionSchema>;

// Never the ciphertext: credentials do not leave the vault through this module.
const connectionView = {
  id: true,
  integration: true,
  label: true,
  authType: true,
  status: true,
  statusMessage: true,
  lastUsedAt: true,
  createdAt: true,
} as const;

export async function listConnections(userId: string) {
  return getDb().connection.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: connectionView,
  });
}

export async function createConnection(
  _userId: string,
  input: CreateConnectionInput,
  _context: AuditContext = {},
): Promise<never> {
  const integration = findIntegration(input.integration);
  if (!integration)
    throw new AppError(
      "validation_failed",
      `Unknown integration "${input.integration}". GET /api/v1/integrations lists them.`,
      { field: "integration" },
    );
  checkCredentials(integration, input.credentials);
  // Reached only by key-style apps, and none is registered yet: refuse rather than store
  // credentials anywhere but the encrypted vault.
  throw new AppError(
    "validation_failed",
    `${integration.name} connections cannot be stored yet: this version has no credential vault.`,
    { field: "integration" },
  );
}

export async function deleteConnection(userId: string, connectionId: string, context: AuditContext = {}) {
  const db = getDb();
  const connection = await db.connection.findFirst({
    where: { id: connectionId, userId },
    select: { id: true, integration: true, label: true, tools: { select: { serverId: true } } },
  });
  if (!connection) throw new AppError("not_found", "No such connection.");
  // Tools that used it keep existing without a connection (the schema sets theirs to null).
  await db.connection.delete({ where: { id: connection.id } });
  const serverIds = new Set(connection.tools.map((tool) => tool.serverId));
  await Promise.all([...serverIds].map((serverId) => invalidateServerCacheById(serverId)));
  await recordAuditEvent(
    { ...context, actorId: context.actorId ?? userId },
    "connection.deleted",
    { type: "connection", id: connection.id },
    { integration: connection.integration, label: connection.label },
  );
}
