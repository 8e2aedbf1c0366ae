// An organization's own audit trail, for its owners and admins: the events recorded with its id
// (never another organization's, nor the platform's), newest first, keyset-paged on (createdAt, id).
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client.ts";
import { requirePermission, type Workspace } from "./workspace";

export const orgAuditPageSize = 50;

export type OrgAuditEvent = {
  id: string;
  createdAt: Date;
  action: string;
  actorEmail: string | null;
  actorId: string | null;
  targetType: string | null;
  targetId: string | null;
  metadata: Prisma.JsonValue;
};

function encodeCursor(event: { createdAt: Date; id: string }): string {
  return `${event.createdAt.getTime().toString(36)}.${event.id}`;
}

/** The position a cursor names, or null for one that is not a cursor (the first page is shown). */
function decodeCursor(cursor: string | undefined): { createdAt: Date; id: string } | null {
  const match = cursor ? /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{1,100})$/.exec(cursor) : null;
  if (!match) return null;
  const time = Number.parseInt(match[1] ?? "", 36);
  return Number.isFinite(time) ? { createdAt: new Date(time), id: match[2] ?? "" } : null;
}

export async function listOrgAuditEvents(
  workspace: Workspace,
  options: { cursor?: string; limit?: number } = {},
): Promise<{ events: OrgAuditEvent[]; nextCursor: string | null }> {
  requirePermission(workspace, "see_audit");
  if (workspace.kind !== "org") return { events: [], nextCursor: null };
  const limit = Math.min(Math.max(options.limit ?? orgAuditPageSize, 1), 200);
  const after = decodeCursor(options.cursor);
  const rows = await getDb().auditEvent.findMany({
    where: {
      orgId: workspace.orgId,
      ...(after && {
        createdAt: { lte: after.createdAt },
        OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }],
      }),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: {
      id: true,
      createdAt: true,
      action: true,
      actorId: true,
      actor: { select: { email: true } },
      targetType: true,
      targetId: true,
      metadata: true,
    },
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    events: page.map(({ actor, ...row }) => ({ ...row, actorEmail: actor?.email ?? null })),
    nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
  };
}
