// Key rotation. On embedded defaults (the key lives in DATA_DIR/secrets.json) a new key is
// generated and the old one kept for reading; with ENCRYPTION_KEY set by the operator, the
// operator sets the new key and lists the old one in ENCRYPTION_OLD_KEYS. Either way every
// connection, every secret field value of a tool, every added app's headers and OAuth client secret,
// and every OAuth client secret set on the admin page not sealed by the current key is re-encrypted under it. A pending call's sealed input is not: it lives only until the call finishes, and the
// old key still opens it meanwhile.
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { getEnv, setEnv } from "@/env";
import { appOAuthClientSealContext } from "@/lib/apps/app-oauth";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { readStoredSecrets } from "@/lib/runtime/secrets";
import { forgetKeyring, getKeyring, type Key } from "./keyring";
import { open, sealOwner, sealWithKey } from "./vault";

async function generateStoredKey(): Promise<boolean> {
  const dataDir = path.resolve(getEnv().DATA_DIR);
  const stored = await readStoredSecrets(dataDir);
  if (!stored || stored.ENCRYPTION_KEY !== getEnv().ENCRYPTION_KEY) return false;
  const next = randomBytes(32).toString("base64");
  const updated = {
    ...stored,
    ENCRYPTION_KEY: next,
    PREVIOUS_ENCRYPTION_KEYS: [stored.ENCRYPTION_KEY, ...(stored.PREVIOUS_ENCRYPTION_KEYS ?? [])],
  };
  await writeFile(path.join(dataDir, "secrets.json"), `${JSON.stringify(updated, null, 2)}\n`, {
    mode: 0o600,
  });
  setEnv({ ENCRYPTION_KEY: next });
  forgetKeyring();
  return true;
}

async function reencryptConnections(current: Key): Promise<number> {
  const db = getDb();
  let reencrypted = 0;
  let cursor: string | undefined;
  for (;;) {
    const batch = await db.connection.findMany({
      where: { keyVersion: { not: current.id }, ...(cursor && { id: { gt: cursor } }) },
      orderBy: { id: "asc" },
      take: 200,
      select: { id: true, userId: true, orgId: true, ciphertext: true, keyVersion: true },
    });
    if (batch.length === 0) break;
    for (const row of batch) {
      const context = { userId: sealOwner(row), connectionId: row.id };
      const plaintext = JSON.stringify(await open(row.ciphertext, context));
      // Only if nobody changed the credentials meanwhile: a refresh in a process that still
      // seals with the old key writes new tokens under the same key version.
      const updated = await db.connection.updateMany({
        where: { id: row.id, keyVersion: row.keyVersion, ciphertext: { equals: row.ciphertext } },
        data: { ciphertext: sealWithKey(current, plaintext, context), keyVersion: current.id },
      });
      reencrypted += updated.count;
    }
    cursor = batch.at(-1)?.id;
  }
  return reencrypted;
}

async function reencryptFieldValues(current: Key): Promise<number> {
  const db = getDb();
  let reencrypted = 0;
  let cursor: { toolId: string; field: string } | undefined;
  for (;;) {
    const batch = await db.sealedFieldValue.findMany({
      where: { keyVersion: { not: current.id } },
      orderBy: [{ toolId: "asc" }, { field: "asc" }],
      ...(cursor && { cursor: { toolId_field: cursor }, skip: 1 }),
      take: 200,
      select: {
        toolId: true,
        field: true,
        ciphertext: true,
        keyVersion: true,
        tool: { select: { server: { select: { userId: true, orgId: true } } } },
      },
    });
    if (batch.length === 0) break;
    for (const row of batch) {
      const context = { userId: sealOwner(row.tool.server), toolId: row.toolId, field: row.field };
      const plaintext = JSON.stringify(await open(row.ciphertext, context));
      // Only if nobody replaced the value meanwhile.
      const updated = await db.sealedFieldValue.updateMany({
        where: { toolId: row.toolId, field: row.field, keyVersion: row.keyVersion },
        data: { ciphertext: sealWithKey(current, plaintext, context), keyVersion: current.id },
      });
      reencrypted += updated.count;
    }
    const last = batch.at(-1);
    cursor = last && { toolId: last.toolId, field: last.field };
  }
  return reencrypted;
}

// A handful of rows at most (one per OAuth app): no batches.
async function reencryptIntegrationClients(current: Key): Promise<number> {
  const db = getDb();
  let reencrypted = 0;
  const rows = await db.integrationClient.findMany({
    where: { keyVersion: { not: current.id } },
    select: { prefix: true, secretCiphertext: true, keyVersion: true },
  });
  for (const row of rows) {
    const context = { oauthClient: row.prefix };
    const plaintext = JSON.stringify(await open(row.secretCiphertext, context));
    // Only if nobody replaced the secret meanwhile.
    const updated = await db.integrationClient.updateMany({
      where: {
        prefix: row.prefix,
        keyVersion: row.keyVersion,
        secretCiphertext: { equals: row.secretCiphertext },
      },
      data: { secretCiphertext: sealWithKey(current, plaintext, context), keyVersion: current.id },
    });
    reencrypted += updated.count;
  }
  return reencrypted;
}

// An added app's OAuth client secret: one per app that signs in with a confidential client.
async function reencryptAppOAuthClients(current: Key): Promise<number> {
  const db = getDb();
  let reencrypted = 0;
  const rows = await db.appOAuthClient.findMany({
    where: { secretCiphertext: { not: null }, keyVersion: { not: current.id } },
    select: { appId: true, secretCiphertext: true, keyVersion: true },
  });
  for (const row of rows) {
    if (!row.secretCiphertext) continue;
    const context = appOAuthClientSealContext(row.appId);
    const plaintext = JSON.stringify(await open(row.secretCiphertext, context));
    // Only if nobody replaced the secret meanwhile.
    const updated = await db.appOAuthClient.updateMany({
      where: {
        appId: row.appId,
        keyVersion: row.keyVersion,
        secretCiphertext: { equals: row.secretCiphertext },
      },
      data: { secretCiphertext: sealWithKey(current, plaintext, context), keyVersion: current.id },
    });
    reencrypted += updated.count;
  }
  return reencrypted;
}

// Only apps with headers of their own have a ciphertext; a few per workspace at most: no batches.
async function reencryptAppHeaders(current: Key): Promise<number> {
  const db = getDb();
  let reencrypted = 0;
  const rows = await db.app.findMany({
    where: { sealedHeaders: { not: null }, keyVersion: { not: current.id } },
    select: { id: true, userId: true, orgId: true, sealedHeaders: true, keyVersion: true },
  });
  for (const row of rows) {
    if (!row.sealedHeaders) continue;
    const context = { userId: sealOwner(row), appId: row.id };
    const plaintext = JSON.stringify(await open(row.sealedHeaders, context));
    // Only if nobody replaced the headers meanwhile.
    const updated = await db.app.updateMany({
      where: { id: row.id, keyVersion: row.keyVersion, sealedHeaders: { equals: row.sealedHeaders } },
      data: { sealedHeaders: sealWithKey(current, plaintext, context), keyVersion: current.id },
    });
    reencrypted += updated.count;
  }
  return reencrypted;
}

export async function rotateEncryptionKeys(): Promise<{
  generatedKey: boolean;
  reencrypted: number;
  reencryptedFieldValues: number;
  reencryptedClients: number;
  reencryptedAppHeaders: number;
}> {
  const generatedKey = await generateStoredKey();
  const { current } = await getKeyring();
  const reencrypted = await reencryptConnections(current);
  const reencryptedFieldValues = await reencryptFieldValues(current);
  const reencryptedClients =
    (await reencryptIntegrationClients(current)) + (await reencryptAppOAuthClients(current));
  const reencryptedAppHeaders = await reencryptAppHeaders(current);
  // From the command line: no signed-in actor. The key id is a fingerprint, not the key.
  await recordAuditEvent(
    { userAgent: "cli" },
    "keys.rotated",
    { type: "key", id: String(current.id) },
    { generatedKey, reencrypted, reencryptedFieldValues, reencryptedClients, reencryptedAppHeaders },
  );
  return { generatedKey, reencrypted, reencryptedFieldValues, reencryptedClients, reencryptedAppHeaders };
}
