// The authorization server's bearer credentials: authorization codes, access tokens and refresh
// tokens are 256 random bits with a prefix that says what they are, shown once, stored only as
// SHA-256 (looked up by that hash: a value an attacker cannot choose).
import { createHash, randomBytes } from "node:crypto";

export const credentialPrefixes = { code: "tgc_", access: "tga_", refresh: "tgr_" } as const;
export type CredentialKind = keyof typeof credentialPrefixes;

export function newCredential(kind: CredentialKind): { value: string; hash: string } {
  const value = `${credentialPrefixes[kind]}${randomBytes(32).toString("base64url")}`;
  return { value, hash: hashCredential(value) };
}

export function hashCredential(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** Whether a presented value has the shape of this kind of credential, checked before any lookup. */
export function looksLike(kind: CredentialKind, value: string): boolean {
  return value.startsWith(credentialPrefixes[kind]) && /^[a-z]{3}_[A-Za-z0-9_-]{43}$/.test(value);
}
