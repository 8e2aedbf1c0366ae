// A workspace's connected third-party accounts (a person's own, or an organization's shared ones).
// Every query is scoped by the workspace, and credentials exist in the database only as vault
// ciphertext bound to the owner (the organization for its rows) and the row. Every member of an
// organization sees its connections, never their credentials; only owners and admins change them.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { IntegrationDefinition } from "@/integrations/sdk/define";
import { appNames, findApp } from "@/lib/apps/app-registry";
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
import { seal, sealOwner } from "@/lib/vault/vault";
import { checkCredentials } from "./check-credentials";
import type { Verdict } from "./connection-verdict";
import { type ConnectionStatus, describeConnectionStatus } from "./status-words";
import { checkNewCredentials } from "./test-connection";

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
  lastCheckedAt: true,
  lastUsedAt: true,
  createdAt: true,
} as const;

type ConnectionViewRow = { integration: string; status: ConnectionStatus };

/** A connection with its status in words ("Not working: can't reach GitHub"). */
function withStatusText<Row extends ConnectionViewRow>(
  row: Row,
  names: ReadonlyMap<string, string>,
): Row & { statusText: string } {
  const appName = names.get(row.integration) ?? row.integration;
  return { ...row, statusText: describeConnectionStatus(row.status, appName).label };
}

async function withStatusTexts<Row extends ConnectionViewRow>(rows: Row[]) {
  const names = await appNames(rows.map((row) => row.integration));
  return rows.map((row) => withStatusText(row, names));
}

export async function listConnections(owner: WorkspaceArg) {
  const rows = await getDb().connection.findMany({
    where: ownedBy(workspaceOf(owner)),
    orderBy: { createdAt: "asc" },
    select: connectionView,
  });
  return withStatusTexts(rows);
}

/** The app, built in or one the workspace added; with an added app's headers, to check credentials. */
async function requireIntegration(workspace: Workspace, slug: string): Promise<IntegrationDefinition> {
  const integration = await findApp(slug, { withHeaders: true, owner: workspace });
  if (!integration)
    throw new AppError(
      "validation_failed",
      `Unknown integration "${slug}". GET /api/v1/integrations lists them.`,
      {
        field: "integration",
      },
    );
  return integration;
}

/** Stores a checked set of credentials; `verdict` is its check's, when it had one. */
async function insertConnection(
  workspace: Workspace,
  integration: IntegrationDefinition,
  label: string,
  credentials: Record<string, string>,
  verdict: Verdict | null,
  context: AuditContext,
) {
  // The id is chosen before the insert because the ciphertext is bound to it.
  const id = randomUUID();
  const { userId, orgId } = workspace;
  const { ciphertext, keyVersion } = await seal(credentials, {
    userId: sealOwner({ userId, orgId }),
    connectionId: id,
  });
  const connection = await getDb().connection.create({
    data: {
      id,
      userId,
      orgId,
      integration: integration.slug,
      label,
      authType: integration.auth.type,
      ciphertext,
      keyVersion,
      ...(verdict && { status: verdict.status, statusMessage: verdict.message, lastCheckedAt: new Date() }),
    },
    select: connectionView,
  });
  await recordAuditEvent(
    auditIn(workspace, context),
    "connection.created",
    { type: "connection", id },
    { integration: integration.slug, label: connection.label },
  );
  return (await withStatusTexts([connection]))[0]!;
}

/** Saves a connection as given, not checked yet (the REST API's POST /connections). */
export async function createConnection(
  owner: WorkspaceArg,
  input: CreateConnectionInput,
  context: AuditContext = {},
) {
  const workspace = workspaceOf(owner);
  requirePermission(workspace, "manage_shared");
  const integration = await requireIntegration(workspace, input.integration);
  const credentials = checkCredentials(integration, input.credentials);
  return insertConnection(
    workspace,
    integration,
    input.label ?? integration.name,
    credentials,
    null,
    context,
  );
}

/**
 * Connecting from the form: the app's check runs first. A failed check saves nothing unless the
 * person chose to save anyway; then the connection is saved marked with the failure. A passed one
 * saves it as Working, named after the account when no name was given.
 */
export async function connectAccount(
  owner: WorkspaceArg,
  input: CreateConnectionInput,
  { saveAnyway = false }: { saveAnyway?: boolean },
  context: AuditContext = {},
) {
  const workspace = workspaceOf(owner);
  requirePermission(workspace, "manage_shared");
  const integration = await requireIntegration(workspace, input.integration);
  const credentials = checkCredentials(integration, input.credentials);
  const checked = await checkNewCredentials(integration, credentials);
  const outcome = checked?.outcome;
  if (outcome && !outcome.ok && !saveAnyway) return { saved: false as const, outcome };
  const account = outcome?.ok ? outcome.account : undefined;
  const label = input.label ?? account ?? integration.name;
  const connection = await insertConnection(
    workspace,
    integration,
    label,
    credentials,
    checked?.verdict ?? null,
    context,
  );
  return { saved: true as const, connection, outcome };
}

export async function deleteConnection(
  owner: WorkspaceArg,
  connectionId: string,
  context: AuditContext = {},
) {
  const workspace = workspaceOf(owner);
  const connection = await findOwnedConnection(workspace, connectionId);
  // Tools that used it keep existing without a connection (the schema sets theirs to null).
  await getDb().connection.delete({ where: { id: connection.id } });
  await recordAuditEvent(
    auditIn(workspace, context),
    "connection.deleted",
    { type: "connection", id: connection.id },
    { integration: connection.integration, label: connection.label },
  );
}

/** The workspace's connection for a change: not found outside it, forbidden to members and viewers. */
async function findOwnedConnection(workspace: Workspace, connectionId: string) {
  const connection = await getDb().connection.findFirst({
    where: { id: connectionId, ...ownedBy(workspace) },
    select: { id: true, integration: true, label: true, userId: true, orgId: true },
  });
  if (!connection) throw new AppError("not_found", "No such connection.");
  requirePermission(workspace, "manage_shared");
  return connection;
}

export const renameConnectionSchema = z.object({
  label: storableString()
    .trim()
    .min(1, "Enter a name for this account.")
    .max(100, "Use at most 100 characters for the name."),
});

export async function renameConnection(
  owner: WorkspaceArg,
  connectionId: string,
  label: string,
  context: AuditContext = {},
) {
  const input = renameConnectionSchema.parse({ label });
  const workspace = workspaceOf(owner);
  const existing = await findOwnedConnection(workspace, connectionId);
  const connection = await getDb().connection.update({
    where: { id: existing.id },
    data: { label: input.label },
    select: connectionView,
  });
  await recordAuditEvent(
    auditIn(workspace, context),
    "connection.renamed",
    { type: "connection", id: existing.id },
    { integration: existing.integration, from: existing.label, to: input.label },
  );
  return (await withStatusTexts([connection]))[0]!;
}

export const replaceCredentialsSchema = createConnectionSchema.shape.credentials;

/**
 * New credentials for an existing key-style connection (a rotated API key, say). The connection
 * keeps its id, so tools that use it keep working; whether the new ones work is for a test to say.
 */
export async function replaceConnectionCredentials(
  owner: WorkspaceArg,
  connectionId: string,
  credentials: Record<string, string>,
  context: AuditContext = {},
) {
  const workspace = workspaceOf(owner);
  const existing = await findOwnedConnection(workspace, connectionId);
  const integration = await findApp(existing.integration, { owner: existing });
  if (!integration) throw new AppError("conflict", `${existing.integration} is no longer available.`);
  const checked = checkCredentials(integration, replaceCredentialsSchema.parse(credentials));
  const { ciphertext, keyVersion } = await seal(checked, {
    userId: sealOwner(existing),
    connectionId: existing.id,
  });
  const connection = await getDb().connection.update({
    where: { id: existing.id },
    // Not checked yet: the caller's test says whether the new ones work.
    data: { ciphertext, keyVersion, status: "UNCHECKED", statusMessage: null, lastCheckedAt: null },
    select: connectionView,
  });
  await recordAuditEvent(
    auditIn(workspace, context),
    "connection.credentials_replaced",
    { type: "connection", id: existing.id },
    { integration: existing.integration },
  );
  return (await withStatusTexts([connection]))[0]!;
}
