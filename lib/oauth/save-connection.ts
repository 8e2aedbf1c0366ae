// Stores the tokens of a finished OAuth authorization: a new connection, or new tokens for the
// connection being reconnected (which keeps its id, so tools that pin it keep working). In an
// organization's workspace the connection is the organization's, sealed for it.
import { randomUUID } from "node:crypto";
import type { IntegrationDefinition } from "@/integrations/sdk/define";
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { auditIn, ownedBy, requirePermission, type WorkspaceArg, workspaceOf } from "@/lib/orgs/workspace";
import { seal, sealOwner } from "@/lib/vault/vault";
import { withCredentialsLock } from "./credentials-lock";
import type { StoredTokens } from "./token-endpoint";

export async function saveOAuthConnection(
  owner: WorkspaceArg,
  integration: IntegrationDefinition,
  tokens: StoredTokens,
  target: { label?: string; reconnectId?: string } = {},
  context: AuditContext = {},
): Promise<{ id: string; label: string }> {
  const workspace = workspaceOf(owner);
  requirePermission(workspace, "manage_shared");
  const { userId, orgId } = workspace;
  const db = getDb();
  const expiresAt = tokens.expiresAt ? new Date(tokens.expiresAt) : null;
  const actor = auditIn(workspace, context);
  if (target.reconnectId) {
    const existing = await db.connection.findFirst({
      where: { id: target.reconnectId, ...ownedBy(workspace), integration: integration.slug },
      select: { id: true, label: true },
    });
    if (!existing) throw new AppError("not_found", "The connection to reconnect no longer exists.");
    const { ciphertext, keyVersion } = await seal(tokens, {
      userId: sealOwner({ userId, orgId }),
      connectionId: existing.id,
    });
    // Not while a refresh is storing the old grant's rotated tokens, which would replace these.
    await withCredentialsLock(existing.id, () =>
      db.connection.update({
        where: { id: existing.id },
        data: {
          ciphertext,
          keyVersion,
          expiresAt,
          status: "OK",
          statusMessage: null,
          lastCheckedAt: new Date(),
        },
      }),
    );
    await recordAuditEvent(
      actor,
      "connection.reconnected",
      { type: "connection", id: existing.id },
      {
        integration: integration.slug,
      },
    );
    return existing;
  }
  const id = randomUUID();
  const label = target.label ?? integration.name;
  const { ciphertext, keyVersion } = await seal(tokens, {
    userId: sealOwner({ userId, orgId }),
    connectionId: id,
  });
  await db.connection.create({
    data: {
      id,
      userId,
      orgId,
      integration: integration.slug,
      label,
      authType: "oauth2",
      ciphertext,
      keyVersion,
      expiresAt,
      // The app has just granted these tokens: as good as a passed check.
      status: "OK",
      lastCheckedAt: new Date(),
    },
  });
  await recordAuditEvent(
    actor,
    "connection.created",
    { type: "connection", id },
    {
      integration: integration.slug,
      label,
    },
  );
  return { id, label };
}
