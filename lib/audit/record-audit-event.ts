// The audit trail: who did what, to what, from where. Metadata must never hold a secret.
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client.ts";

export type AuditContext = {
  actorId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /** The organization the change was made in, if any (its admins read its trail). */
  orgId?: string | null;
};

export async function recordAuditEvent(
  context: AuditContext,
  action: string,
  target?: { type: string; id: string },
  metadata?: Prisma.InputJsonValue,
): Promise<void> {
  await getDb().auditEvent.create({
    data: {
      actorId: context.actorId ?? null,
      orgId: context.orgId ?? null,
      action,
      targetType: target?.type ?? null,
      targetId: target?.id ?? null,
      metadata,
      ip: context.ip ?? null,
      userAgent: context.userAgent?.slice(0, 300) ?? null,
    },
  });
}
