// From `Authorization: Bearer <personal API token>` to the user it acts for. The token is looked
// up by its SHA-256 (an indexed equality on a value the caller cannot choose) and the hashes are
// compared again in constant time; revoked, expired and malformed tokens all get the same 401.
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { hashesMatch } from "@/lib/servers/server-secrets";
import { hashToken } from "./api-tokens";

export type ApiUser = {
  id: string;
  email: string;
  name: string | null;
  role: "USER" | "ADMIN";
  isDemo: boolean;
};

// Writing lastUsedAt on every request would turn each read into a write; a minute is precise
// enough to tell a person which tokens are still in use.
const lastUsedPrecisionMs = 60_000;

const invalidToken = () => new AppError("unauthorized", "Invalid, expired or revoked API token.");

export function readBearerToken(authorization: string | null): string {
  if (!authorization)
    throw new AppError(
      "unauthorized",
      "Missing API token: send `Authorization: Bearer <token>` (create one under “API tokens” in the web app, or with `npm run cli -- tokens create`).",
    );
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match?.[1]) throw invalidToken();
  return match[1];
}

export function looksLikeApiToken(value: string): boolean {
  return /^tgp_[A-Za-z0-9_-]{43}$/.test(value);
}

export async function authenticateApiToken(authorization: string | null, now = new Date()): Promise<ApiUser> {
  const token = readBearerToken(authorization);
  if (!looksLikeApiToken(token)) throw invalidToken();
  const tokenHash = hashToken(token);
  const db = getDb();
  const record = await db.apiToken.findUnique({
    where: { tokenHash },
    select: {
      id: true,
      tokenHash: true,
      revokedAt: true,
      expiresAt: true,
      lastUsedAt: true,
      user: {
        select: { id: true, email: true, name: true, role: true, isDemo: true, suspendedAt: true },
      },
    },
  });
  if (!record || !hashesMatch(record.tokenHash, tokenHash)) throw invalidToken();
  if (record.revokedAt || (record.expiresAt && record.expiresAt <= now)) throw invalidToken();
  const { suspendedAt, ...user } = record.user;
  if (suspendedAt) throw new AppError("suspended", "This account is suspended.");
  const staleBefore = new Date(now.getTime() - lastUsedPrecisionMs);
  if (!record.lastUsedAt || record.lastUsedAt < staleBefore) {
    // Conditional, so concurrent requests with the same token write at most once a minute.
    await db.apiToken.updateMany({
      where: { id: record.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: staleBefore } }] },
      data: { lastUsedAt: now },
    });
  }
  return user;
}
