// Reading the audit trail for administrators: filtered pages of events (newest first, keyset
// paging on (createdAt, id), each filter served by one of AuditEvent's indexes) with the actor's
// email, and the same filters streamed out as CSV.
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client.ts";
import { storableString } from "@/lib/db/storable-text";
import { AppError } from "@/lib/errors/app-error";

export const auditPageSize = 50;
const exportBatchSize = 1_000;

/** Actions the platform records, for the filter's suggestions (the trail may hold others too). */
export const knownAuditActions = [
  "api_token.created",
  "api_token.revoked",
  "app.actions_accepted",
  "app.actions_offered",
  "app.added",
  "app.deleted",
  "app.oauth_client_removed",
  "app.oauth_client_set",
  "app.refreshed",
  "audit.exported",
  "connection.created",
  "connection.credentials_replaced",
  "connection.deleted",
  "connection.reconnected",
  "connection.renamed",
  "integration_client.removed",
  "integration_client.saved",
  "invitation.created",
  "invitation.revoked",
  "keys.rotated",
  "mcp_grant.created",
  "mcp_grant.revoked",
  "oauth.client_error",
  "oauth.token_endpoint_failed",
  "org.created",
  "org.deleted",
  "org.invitation_accepted",
  "org.invitation_created",
  "org.invitation_revoked",
  "org.member_added",
  "org.member_auto_joined",
  "org.member_left",
  "org.member_limits_changed",
  "org.member_removed",
  "org.member_role_changed",
  "org.plan_changed",
  "org.renamed",
  "org.sso_changed",
  "plan.created",
  "plan.default_changed",
  "plan.deleted",
  "plan.updated",
  "queue.failed.discarded",
  "queue.failed.retried",
  "queue.job.discarded",
  "queue.job.retried",
  "server.created",
  "server.deleted",
  "server.member_url_issued",
  "server.member_url_revoked",
  "server.permissions_changed",
  "server.renamed",
  "server.secret_rotated",
  "settings.sign_up_changed",
  "tool.added",
  "tool.deleted",
  "tool.updated",
  "user.created",
  "user.deleted",
  "user.identity_linked",
  "user.limits_changed",
  "user.password_changed",
  "user.plan_changed",
  "user.resumed",
  "user.sign_in_failed",
  "user.signed_in",
  "user.suspended",
] as const;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2025-01-31.")
  .refine((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)), "That is not a date.");

export const auditFiltersSchema = z
  .object({
    actor: storableString().trim().toLowerCase().max(254, "That email address is too long.").optional(),
    action: z
      .string()
      .trim()
      .max(100)
      .regex(/^[a-z0-9_.-]+$/i, "Actions look like “server.created”.")
      .optional(),
    targetType: z
      .string()
      .trim()
      .max(50)
      .regex(/^[a-z0-9_-]+$/i, "Target types look like “server”.")
      .optional(),
    targetId: storableString().trim().max(100).optional(),
    /** First day included (UTC). */
    from: isoDate.optional(),
    /** Last day included (UTC). */
    to: isoDate.optional(),
  })
  .refine((value) => !value.from || !value.to || value.from <= value.to, {
    message: "The first day must not be after the last day.",
    path: ["to"],
  });
export type AuditFilters = z.output<typeof auditFiltersSchema>;

const filterKeys = ["actor", "action", "targetType", "targetId", "from", "to"] as const;

/**
 * Filters from a query string (the page's GET form, the export link): empty values are dropped,
 * and a value that does not pass is dropped too and reported by field, so the rest still apply.
 */
export function parseAuditFilters(search: URLSearchParams | Record<string, string | string[] | undefined>): {
  filters: AuditFilters;
  errors: Record<string, string>;
} {
  const read = (key: string): string | undefined => {
    const value = search instanceof URLSearchParams ? search.get(key) : search[key];
    const text = Array.isArray(value) ? value[0] : value;
    return typeof text === "string" && text.trim() !== "" ? text : undefined;
  };
  const raw = Object.fromEntries(filterKeys.map((key) => [key, read(key)]));
  const errors: Record<string, string> = {};
  for (;;) {
    const parsed = auditFiltersSchema.safeParse(raw);
    if (parsed.success) return { filters: parsed.data, errors };
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "form");
      errors[key] ??= issue.message;
      delete raw[key];
    }
  }
}

export function hasAuditFilters(filters: AuditFilters): boolean {
  return filterKeys.some((key) => filters[key] !== undefined);
}

/** The filters as query parameters (for links that keep them), empty ones left out. */
export function auditFiltersQuery(filters: AuditFilters, extra: Record<string, string | undefined> = {}) {
  const query = new URLSearchParams();
  for (const key of filterKeys) {
    const value = filters[key];
    if (value) query.set(key, value);
  }
  for (const [key, value] of Object.entries(extra)) if (value) query.set(key, value);
  return query;
}

const dayMs = 86_400_000;

function encodeCursor(event: { createdAt: Date; id: string }): string {
  return `${event.createdAt.getTime().toString(36)}.${event.id}`;
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const match = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{1,100})$/.exec(cursor);
  const time = match ? Number.parseInt(match[1]!, 36) : Number.NaN;
  if (!match || !Number.isFinite(time))
    throw new AppError("validation_failed", "That page of the audit trail does not exist.", {
      field: "cursor",
    });
  return { createdAt: new Date(time), id: match[2]! };
}

/** The where clause, or null when the actor filter names no account (nothing can match). */
async function buildWhere(
  filters: AuditFilters,
  cursor?: string,
): Promise<Prisma.AuditEventWhereInput | null> {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (filters.actor) {
    const actor = await getDb().user.findUnique({
      where: { email: filters.actor.trim().toLowerCase() },
      select: { id: true },
    });
    if (!actor) return null;
    and.push({ actorId: actor.id });
  }
  if (filters.action) and.push({ action: filters.action });
  if (filters.targetType) and.push({ targetType: filters.targetType });
  if (filters.targetId) and.push({ targetId: filters.targetId });
  if (filters.from) and.push({ createdAt: { gte: new Date(`${filters.from}T00:00:00Z`) } });
  if (filters.to) and.push({ createdAt: { lt: new Date(Date.parse(`${filters.to}T00:00:00Z`) + dayMs) } });
  if (cursor) {
    const after = decodeCursor(cursor);
    // The bound on createdAt alone lets the index range stop there; the OR breaks ties by id.
    and.push({ createdAt: { lte: after.createdAt } });
    and.push({
      OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }],
    });
  }
  return { AND: and };
}

const eventSelect = {
  id: true,
  createdAt: true,
  action: true,
  actorId: true,
  actor: { select: { email: true } },
  targetType: true,
  targetId: true,
  metadata: true,
  ip: true,
  userAgent: true,
} as const;

type StoredEvent = Prisma.AuditEventGetPayload<{ select: typeof eventSelect }>;

export type AuditEventRow = Omit<StoredEvent, "actor"> & {
  actorEmail: string | null;
  /** A readable name of the target (a user's email, a plan's or server's name) when known. */
  targetLabel: string | null;
};

async function queryEvents(
  filters: AuditFilters,
  options: { cursor?: string; limit: number },
): Promise<{ rows: StoredEvent[]; nextCursor: string | null }> {
  const where = await buildWhere(filters, options.cursor);
  if (!where) return { rows: [], nextCursor: null };
  const rows = await getDb().auditEvent.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.limit + 1,
    select: eventSelect,
  });
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > options.limit && last ? encodeCursor(last) : null };
}

function metadataText(metadata: Prisma.JsonValue, ...keys: string[]): string | null {
  if (!metadata || typeof metadata !== "object" || Array.isArray(metadata)) return null;
  for (const key of keys) {
    const value = (metadata as Record<string, unknown>)[key];
    if (typeof value === "string" && value) return value;
  }
  return null;
}

/** Names for the page's targets: users' emails and plans' names in two queries, else metadata. */
async function labelTargets(rows: StoredEvent[]): Promise<Map<string, string>> {
  const idsOf = (type: string) => [
    ...new Set(rows.filter((row) => row.targetType === type && row.targetId).map((row) => row.targetId!)),
  ];
  const userIds = idsOf("user");
  const planIds = idsOf("plan");
  const db = getDb();
  const [users, plans] = await Promise.all([
    userIds.length
      ? db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } })
      : [],
    planIds.length
      ? db.plan.findMany({ where: { id: { in: planIds } }, select: { id: true, name: true } })
      : [],
  ]);
  return new Map([
    ...users.map((user) => [`user:${user.id}`, user.email] as const),
    ...plans.map((plan) => [`plan:${plan.id}`, plan.name] as const),
  ]);
}

export async function listAuditEvents(
  filters: AuditFilters,
  options: { cursor?: string; limit?: number } = {},
): Promise<{ events: AuditEventRow[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(options.limit ?? auditPageSize, 1), 200);
  const { rows, nextCursor } = await queryEvents(filters, { cursor: options.cursor, limit });
  const labels = await labelTargets(rows);
  return {
    events: rows.map(({ actor, ...row }) => ({
      ...row,
      actorEmail: actor?.email ?? null,
      targetLabel:
        (row.targetType && row.targetId && labels.get(`${row.targetType}:${row.targetId}`)) ||
        metadataText(row.metadata, "name", "label", "email"),
    })),
    nextCursor,
  };
}

/** Actions and target types present in the trail, read by skipping through their indexes. */
export async function listAuditFilterChoices(): Promise<{ actions: string[]; targetTypes: string[] }> {
  const db = getDb();
  const [actions, targetTypes] = await Promise.all([
    db.$queryRaw<{ value: string }[]>`
      WITH RECURSIVE skip AS (
        (SELECT "action" AS value FROM "AuditEvent" ORDER BY "action" LIMIT 1)
        UNION ALL
        SELECT (SELECT "action" FROM "AuditEvent" WHERE "action" > skip.value ORDER BY "action" LIMIT 1)
        FROM skip WHERE skip.value IS NOT NULL
      )
      SELECT value FROM skip WHERE value IS NOT NULL LIMIT 500`,
    db.$queryRaw<{ value: string }[]>`
      WITH RECURSIVE skip AS (
        (SELECT "targetType" AS value FROM "AuditEvent" WHERE "targetType" IS NOT NULL ORDER BY "targetType" LIMIT 1)
        UNION ALL
        SELECT (SELECT "targetType" FROM "AuditEvent" WHERE "targetType" > skip.value ORDER BY "targetType" LIMIT 1)
        FROM skip WHERE skip.value IS NOT NULL
      )
      SELECT value FROM skip WHERE value IS NOT NULL LIMIT 100`,
  ]);
  return {
    actions: [...new Set([...knownAuditActions, ...actions.map((row) => row.value)])].sort(),
    targetTypes: targetTypes.map((row) => row.value),
  };
}

// ---- CSV ----

export const auditCsvColumns = [
  "time",
  "actor_email",
  "actor_id",
  "action",
  "target_type",
  "target_id",
  "ip",
  "user_agent",
  "details",
] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, with quotes doubled.
 * A value a spreadsheet would run as a formula (starting with = + - @, or a tab or CR, which some
 * programs strip first) gets a leading single quote, so it is shown as text.
 */
export function csvField(value: string | null | undefined): string {
  let text = value ?? "";
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRecord(fields: (string | null | undefined)[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}

function eventRecord(row: StoredEvent): string {
  return csvRecord([
    row.createdAt.toISOString(),
    row.actor?.email,
    row.actorId,
    row.action,
    row.targetType,
    row.targetId,
    row.ip,
    row.userAgent,
    row.metadata === null ? "" : JSON.stringify(row.metadata),
  ]);
}

/**
 * The events matching the filters as CSV (a header line, then newest first), read from the
 * database a batch at a time as the consumer pulls, so an export of any size holds one batch.
 */
export function exportAuditCsv(filters: AuditFilters): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(csvRecord([...auditCsvColumns])));
          return;
        }
        const { rows, nextCursor } = await queryEvents(filters, { cursor, limit: exportBatchSize });
        if (rows.length > 0) controller.enqueue(encoder.encode(rows.map(eventRecord).join("")));
        if (!nextCursor) controller.close();
        else cursor = nextCursor;
      },
    },
    { highWaterMark: 1 },
  );
}
