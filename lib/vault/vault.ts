// Secrets at rest (a connection's credentials, a tool's secret field values, a pending call's
// input, an OAuth app's client secret set by an administrator): AES-256-GCM with a random 96-bit nonce, the owner and the row bound as associated data
// (a ciphertext copied to another row or user does not open), and the id of the sealing key in the
// header so keys can rotate.
//   layout: version (1 byte) | key id (4) | nonce (12) | tag (16) | ciphertext
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { getKeyring, type Key, loadKeyring } from "./keyring";

const formatVersion = 1;
const headerLength = 1 + 4 + 12 + 16;

export class VaultError extends Error {}

export type SealContext =
  | { userId: string; connectionId: string }
  | { userId: string; toolId: string; field: string }
  | { userId: string; callId: string }
  | { userId: string; appId: string }
  | { oauthClient: string };

/**
 * Whose secret a connection's credentials or a tool's secret values are, as their `userId` in a
 * SealContext: the organization's when the row is an organization's (so they stay readable
 * whoever of its members created them, and whoever leaves), else the user's.
 */
export function sealOwner(row: { userId: string; orgId: string | null }): string {
  return row.orgId ? `org:${row.orgId}` : row.userId;
}

function associatedData(context: SealContext): Buffer {
  if ("oauthClient" in context) return Buffer.from(`toolgate:oauth-client:v1:${context.oauthClient}`);
  if ("connectionId" in context)
    return Buffer.from(`toolgate:connection:v1:${context.userId}:${context.connectionId}`);
  if ("appId" in context) return Buffer.from(`toolgate:app-headers:v1:${context.userId}:${context.appId}`);
  if ("toolId" in context)
    return Buffer.from(`toolgate:tool-field:v1:${context.userId}:${context.toolId}:${context.field}`);
  return Buffer.from(`toolgate:call-input:v1:${context.userId}:${context.callId}`);
}

export function sealWithKey(key: Key, plaintext: string, context: SealContext): Uint8Array<ArrayBuffer> {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key.bytes, nonce);
  cipher.setAAD(associatedData(context));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const header = Buffer.alloc(5);
  header.writeUInt8(formatVersion, 0);
  header.writeUInt32BE(key.id, 1);
  return new Uint8Array(Buffer.concat([header, nonce, cipher.getAuthTag(), body]));
}

export async function seal(
  value: unknown,
  context: SealContext,
): Promise<{ ciphertext: Uint8Array<ArrayBuffer>; keyVersion: number }> {
  const { current } = await getKeyring();
  return { ciphertext: sealWithKey(current, JSON.stringify(value), context), keyVersion: current.id };
}

export function readKeyId(ciphertext: Uint8Array): number {
  const buffer = Buffer.from(ciphertext);
  if (buffer.length < headerLength || buffer.readUInt8(0) !== formatVersion)
    throw new VaultError("Unreadable sealed data (unknown format).");
  return buffer.readUInt32BE(1);
}

export async function open<T = unknown>(ciphertext: Uint8Array, context: SealContext): Promise<T> {
  const buffer = Buffer.from(ciphertext);
  const keyId = readKeyId(buffer);
  let key = (await getKeyring()).byId.get(keyId);
  // Another process may have rotated keys since this one loaded them.
  key ??= (await loadKeyring()).byId.get(keyId);
  if (!key)
    throw new VaultError("The key that sealed this data is not configured (see ENCRYPTION_OLD_KEYS).");
  const decipher = createDecipheriv("aes-256-gcm", key.bytes, buffer.subarray(5, 17));
  decipher.setAAD(associatedData(context));
  decipher.setAuthTag(buffer.subarray(17, headerLength));
  try {
    const plaintext = Buffer.concat([
      decipher.update(buffer.subarray(headerLength)),
      decipher.final(),
    ]).toString("utf8");
    return JSON.parse(plaintext) as T;
  } catch {
    throw new VaultError(
      "Sealed data failed to decrypt: it was altered, or belongs to another connection, tool or call.",
    );
  }
}
