// Encryption keys for stored secrets (credentials, secret field values, queued calls' inputs).
// The current key (ENCRYPTION_KEY) seals everything new; older keys (ENCRYPTION_OLD_KEYS, or those
// kept in DATA_DIR/secrets.json by `npm run cli -- keys rotate`) still open what they sealed until
// it is re-encrypted. A key's id, stored in every ciphertext, is derived from the key itself.
import { createHash } from "node:crypto";
import path from "node:path";
import { getEnv, requireEnv } from "@/env";
import { readStoredSecrets } from "@/lib/runtime/secrets";

export type Key = { id: number; bytes: Buffer };
export type Keyring = { current: Key; byId: Map<number, Key> };

export function keyIdOf(bytes: Buffer): number {
  // 31 bits, so it fits PostgreSQL's signed integer column.
  return createHash("sha256").update(bytes).digest().readUInt32BE(0) & 0x7fffffff;
}

export function parseKey(base64: string, name: string): Key {
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length !== 32) throw new Error(`${name} must be 32 bytes in base64.`);
  return { id: keyIdOf(bytes), bytes };
}

let cached: Keyring | undefined;

export async function loadKeyring(): Promise<Keyring> {
  const env = getEnv();
  const current = parseKey(requireEnv("ENCRYPTION_KEY"), "ENCRYPTION_KEY");
  const stored = await readStoredSecrets(path.resolve(env.DATA_DIR)).catch(() => undefined);
  // The stored current key is included too: after `keys rotate` it is newer than the one this
  // process was started with.
  const older = [
    ...env.ENCRYPTION_OLD_KEYS,
    ...(stored ? [stored.ENCRYPTION_KEY, ...(stored.PREVIOUS_ENCRYPTION_KEYS ?? [])] : []),
  ];
  const byId = new Map<number, Key>([[current.id, current]]);
  for (const [index, base64] of older.entries()) {
    const key = parseKey(base64, `old encryption key #${index + 1}`);
    if (!byId.has(key.id)) byId.set(key.id, key);
  }
  cached = { current, byId };
  return cached;
}

export async function getKeyring(): Promise<Keyring> {
  return cached ?? loadKeyring();
}

export function forgetKeyring(): void {
  cached = undefined;
}
