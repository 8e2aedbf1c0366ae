// MCP endpoint secrets: 256 random bits, shown once, stored only as SHA-256. Lookups go by hash
// (an indexed equality on a value the attacker cannot choose), then the hashes are compared
// again in constant time.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { getAppUrl } from "@/env";

export const serverSecretPrefix = "tgs_";

export function generateServerSecret(): string {
  return `${serverSecretPrefix}${randomBytes(32).toString("base64url")}`;
}

export function hashServerSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function hashesMatch(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A secret's plausible shape, checked before any lookup. */
export function looksLikeServerSecret(value: string): boolean {
  return /^tgs_[A-Za-z0-9_-]{43}$/.test(value);
}

export function buildMcpUrl(secret: string): string {
  return `${getAppUrl()}/mcp/${secret}`;
}
