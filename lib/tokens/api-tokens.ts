// Personal API tokens for the REST API: 256 random bits, shown once, stored as SHA-256. A person
// lists and revokes their own; a revoked or expired token gets 401 on its next request.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { storableString } from "@/lib/db/storable-text";
import { AppError } from "@/lib/errors/app-error";

export const apiTokenPrefix = "tgp_";

/** The lifetimes a person can choose, in days; null never expires. */
export const tokenLifetimes = [30, 90, 365, null] as const;

export const createApiTokenSchema = z.object({
  name: storableString().trim().min(1, "Give the token a name.").max(100, "Use at most 100 characters."),
  expiresInDays: z
    .union([z.literal(30), z.literal(90), z.literal(365), z.null()], {
      error: "Choose 30, 90 or 365 days, or no expiry.",
    })
    .default(null),
});
export type CreateApiTokenInput = z.input<typeof createApiTokenSchema>;

export type ApiTokenSummary = {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
};

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

const dayMs = 86_400_000;

export async function createApiToken(
  userId: string,
  input: CreateApiTokenInput,
  context: AuditContext = {},
  now = new Date(),
) {
  const { name, expiresInDays } = createApiTokenSchema.parse(input);
  const token = `${apiTokenPrefix}${randomBytes(32).toString("base64url")}`;
  const expiresAt = expiresInDays === null ? null : new Date(now.getTime() + expiresInDays * dayMs);
  const record = await getDb().apiToken.create({
    data: { userId, name, tokenHash: hashToken(token), expiresAt },
    select: { id: true, name: true, createdAt: true, expiresAt: true },
  });
  await recordAuditEvent(
    { actorId: userId, ...context },
    "api_token.created",
    { type: "api_token", id: record.id },
    { name, expiresAt: expiresAt?.toISOString() ?? null },
  );
  return { ...record, token };
}

/** A person's tokens that still work or have merely expired, newest first; revoked ones are gone. */
export async function listApiTokens(userId: string): Promise<ApiTokenSummary[]> {
  return getDb().apiToken.findMany({
    where: { userId, revokedAt: null },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, name: true, createdAt: true, lastUsedAt: true, expiresAt: true },
  });
}

/** Revokes one of the person's tokens at once; another person's token id is "not found". */
export async function revokeApiToken(
  userId: string,
  tokenId: string,
  context: AuditContext = {},
): Promise<void> {
  const db = getDb();
  const revoked = await db.apiToken.updateManyAndReturn({
    where: { id: tokenId, userId, revokedAt: null },
    data: { revokedAt: new Date() },
    select: { id: true, name: true },
  });
  const token = revoked[0];
  if (!token) throw new AppError("not_found", "No such API token (it may already be revoked).");
  await recordAuditEvent(
    { actorId: userId, ...context },
    "api_token.revoked",
    { type: "api_token", id: token.id },
    { name: token.name },
  );
}
