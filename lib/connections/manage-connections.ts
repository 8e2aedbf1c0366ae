// A user's connected third-party accounts. Every query is scoped by the owner's id, and
// credentials exist in the database only as vault ciphertext bound to the owner and the row.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { findIntegration } from "@/integrations/registry";
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { storableString } from "@/lib/db/storable-text";
import { AppError } from "@/lib/errors/app-error";
import { seal } from "@/lib/vault/vault";
import { checkCredentials } from "./check-credentials";

export const createConnectionSchema = z.object({
  integration: storableString().min(1).max(100).describe("The app's slug, from GET /integrations."),
  label: storableString()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe("Tells several accounts of one app apart."),
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
  userId: string,
  input: CreateConnectionInput,
  context: AuditContext = {},
) {
  const integration = findIntegration(input.integration);
  if (!integration)
    throw new AppError(
      "validation_failed",
      `Unknown integration "${input.integration}". GET /api/v1/integrations lists them.`,
      { field: "integration" },
    );
  const credentials = checkCredentials(integration, input.credentials);
  // The id is chosen before the insert because the ciphertext is bound to it.
  const id = randomUUID();
  const { ciphertext, keyVersion } = await seal(credentials, { userId, connectionId: id });
  const connection = await getDb().connection.create({
    data: {
      id,
      userId,
      integration: integration.slug,
      label: input.label ?? integration.name,
      authType: integration.auth.type,
      ciphertext,
      keyVersion,
    },
    select: connectionView,
  });
  await recordAuditEvent(
    { ...context, actorId: context.actorId ?? userId },
    "connection.created",
    { type: "connection", id },
    { integration: integration.slug, label: connection.label },
  );
  return connection;
}

export async function deleteConnection(userId: string, connectionId: string, context: AuditContext = {}) {
  const db = getDb();
  const connection = await db.connection.findFirst({
    where: { id: connectionId, userId },
    select: { id: true, integration: true, label: true },
  });
  if (!connection) throw new AppError("not_found", "No such connection.");
  // Tools that used it keep existing without a connection (the schema sets theirs to null).
  await db.connection.delete({ where: { id: connection.id } });
  await recordAuditEvent(
    { ...context, actorId: context.actorId ?? userId },
    "connection.deleted",
    { type: "connection", id: connection.id },
    { integration: connection.integration, label: connection.label },
  );
}

async function findOwnedConnection(userId: string, connectionId: string) {
  const connection = await getDb().connection.findFirst({
    where: { id: connectionId, userId },
    select: { id: true, integration: true, label: true },
  });
  if (!connection) throw new AppError("not_found", "No such connection.");
  return connection;
}

export const renameConnectionSchema = z.object({
  label: storableString()
    .trim()
    .min(1, "Enter a name for this account.")
    .max(100, "Use at most 100 characters for the name."),
});

export async function renameConnection(
  userId: string,
  connectionId: string,
  label: string,
  context: AuditContext = {},
) {
  const input = renameConnectionSchema.parse({ label });
  const existing = await findOwnedConnection(userId, connectionId);
  const connection = await getDb().connection.update({
    where: { id: existing.id },
    data: { label: input.label },
    select: connectionView,
  });
  await recordAuditEvent(
    { ...context, actorId: context.actorId ?? userId },
    "connection.renamed",
    { type: "connection", id: existing.id },
    { integration: existing.integration, from: existing.label, to: input.label },
  );
  return connection;
}

export const replaceCredentialsSchema = createConnectionSchema.shape.credentials;

/**
 * New credentials for an existing key-style connection (a rotated API key, say). The connection
 * keeps its id, so tools that use it keep working; whether the new ones work is for a test to say.
 */
export async function replaceConnectionCredentials(
  userId: string,
  connectionId: string,
  credentials: Record<string, string>,
  context: AuditContext = {},
) {
  const existing = await findOwnedConnection(userId, connectionId);
  const integration = findIntegration(existing.integration);
  if (!integration) throw new AppError("conflict", `${existing.integration} is no longer available.`);
  const checked = checkCredentials(integration, replaceCredentialsSchema.parse(credentials));
  const { ciphertext, keyVersion } = await seal(checked, { userId, connectionId: existing.id });
  const connection = await getDb().connection.update({
    where: { id: existing.id },
    data: { ciphertext, keyVersion, status: "OK", statusMessage: null },
    select: connectionView,
  });
  await recordAuditEvent(
    { ...context, actorId: context.actorId ?? userId },
    "connection.credentials_replaced",
    { type: "connection", id: existing.id },
    { integration: existing.integration },
  );
  return connection;
}
