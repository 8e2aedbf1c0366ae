// OAuth clients an administrator set on the Integrations page, one row per settings prefix (SLACK,
// GOOGLE). The secret is sealed in the vault, bound to its prefix, and leaves this module only
// for the token endpoint: pages get whether it is set and since when. Every change is audited,
// without the secret. There is no cache to invalidate: each reader (connecting, a token refresh,
// a page) reads the row when it needs it, so every replica uses a change at once.
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { open, seal } from "@/lib/vault/vault";
import { type ClientSettingInput, clientSettingSchema } from "./client-setting-input";

export type StoredClientSummary = {
  prefix: string;
  clientId: string;
  secretSetAt: Date;
  updatedAt: Date;
  updatedByEmail: string;
};

const summaryFields = {
  prefix: true,
  clientId: true,
  secretSetAt: true,
  updatedAt: true,
  updatedByEmail: true,
} as const;

const sealContext = (prefix: string) => ({ oauthClient: prefix });

/** The stored client's id and opened secret, for the authorize and token requests. */
export async function readStoredClient(
  prefix: string,
): Promise<{ clientId: string; clientSecret: string } | undefined> {
  const row = await getDb().integrationClient.findUnique({
    where: { prefix },
    select: { clientId: true, secretCiphertext: true },
  });
  if (!row) return undefined;
  const clientSecret = await open<string>(row.secretCiphertext, sealContext(prefix));
  return { clientId: row.clientId, clientSecret };
}

export async function hasStoredClient(prefix: string): Promise<boolean> {
  return (await getDb().integrationClient.count({ where: { prefix } })) > 0;
}

/** Every stored client, without its secret. */
export async function listStoredClients(): Promise<StoredClientSummary[]> {
  return getDb().integrationClient.findMany({ select: summaryFields, orderBy: { prefix: "asc" } });
}

/**
 * Sets the client for `prefix`: a new secret is sealed; an empty one keeps the stored secret
 * (refused when there is none yet).
 */
export async function saveStoredClient(
  prefix: string,
  input: ClientSettingInput,
  actor: { email: string },
  context: AuditContext,
): Promise<StoredClientSummary> {
  const { clientId, clientSecret } = clientSettingSchema.parse(input);
  const db = getDb();
  const now = new Date();
  let summary: StoredClientSummary;
  if (clientSecret === "") {
    const updated = await db.integrationClient.updateMany({
      where: { prefix },
      data: { clientId, updatedByEmail: actor.email },
    });
    if (updated.count === 0)
      throw new AppError("validation_failed", "Enter the client secret.", { field: "clientSecret" });
    summary = await db.integrationClient.findUniqueOrThrow({ where: { prefix }, select: summaryFields });
  } else {
    const { ciphertext, keyVersion } = await seal(clientSecret, sealContext(prefix));
    const data = {
      clientId,
      secretCiphertext: ciphertext,
      keyVersion,
      secretSetAt: now,
      updatedByEmail: actor.email,
    };
    summary = await db.integrationClient.upsert({
      where: { prefix },
      create: { prefix, ...data },
      update: data,
      select: summaryFields,
    });
  }
  await recordAuditEvent(
    context,
    "integration_client.saved",
    { type: "oauth_client", id: prefix },
    { clientId, secretReplaced: clientSecret !== "" },
  );
  return summary;
}

/** Removes the stored client; false when there was none. */
export async function removeStoredClient(prefix: string, context: AuditContext): Promise<boolean> {
  const { count } = await getDb().integrationClient.deleteMany({ where: { prefix } });
  if (count > 0)
    await recordAuditEvent(context, "integration_client.removed", { type: "oauth_client", id: prefix });
  return count > 0;
}
