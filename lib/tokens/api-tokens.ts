// Personal API tokens for the REST API: 256 random bits, shown once, stored as SHA-256.
import { createHash, randomBytes } from "node:crypto";
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";

export const apiTokenPrefix = "tgp_";

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createApiToken(userId: string, name: string, context: AuditContext = {}) {
  const token = `${apiTokenPrefix}${randomBytes(32).toString("base64url")}`;
  const record = await getDb().apiToken.create({
    data: { userId, name, tokenHash: hashToken(token) },
    select: { id: true, name: true, createdAt: true },
  });
  await recordAuditEvent(
    { actorId: userId, ...context },
    "api_token.created",
    { type: "api_token", id: record.id },
    { name },
  );
  return { ...record, token };
}
