// A user's call history, newest first, paged by cursor: `before` is the id of the last call of
// the previous page. Ordered by (startedAt, id) so calls that start in the same millisecond
// still page without gaps or repeats. Every query is scoped by the user's id; the optional
// filters each have an index that serves them: none [userId, startedAt desc], a server
// [serverId, startedAt desc], a status [userId, status, startedAt desc]. A tool name alone
// narrows rows read through the user's (or the server's) index.
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import type { CallStatus, Prisma } from "@/lib/db/generated/client.ts";
import { storableString } from "@/lib/db/storable-text";
import { AppError } from "@/lib/errors/app-error";

export const listCallsQuerySchema = z.object({
  limit: z.coerce
    .number({ error: "must be a whole number from 1 to 200" })
    .int("must be a whole number from 1 to 200")
    .min(1, "must be at least 1")
    .max(200, "must be at most 200")
    .default(50)
    .describe("How many calls to return, 1-200."),
  before: storableString()
    .min(1)
    .max(100)
    .optional()
    .describe("A call id: return the calls older than it (the next page)."),
});
export type ListCallsQuery = z.output<typeof listCallsQuerySchema>;

/** Optional narrowing of the history (the web page's filters; the REST API passes none). */
export type CallFilters = {
  serverId?: string;
  toolName?: string;
  status?: CallStatus;
};

const callView = {
  id: true,
  serverId: true,
  toolName: true,
  integration: true,
  action: true,
  status: true,
  durationMs: true,
  errorCode: true,
  errorMessage: true,
  startedAt: true,
  finishedAt: true,
  cancelRequestedAt: true,
  draft: true,
} as const;

/** The REST view plus the stored (redacted, size-capped) input and output, for the web page. */
const callWithPayloadsView = { ...callView, input: true, output: true } as const;

async function findCursor(userId: string, before: string | undefined) {
  if (!before) return undefined;
  const cursor = await getDb().call.findFirst({
    where: { id: before, userId },
    select: { startedAt: true, id: true },
  });
  if (!cursor)
    throw new AppError("validation_failed", `before: no call of yours has the id "${before}".`, {
      field: "before",
    });
  return cursor;
}

function buildWhere(
  userId: string,
  filters: CallFilters,
  olderThan: { startedAt: Date; id: string } | undefined,
): Prisma.CallWhereInput {
  return {
    userId,
    ...(filters.serverId !== undefined && { serverId: filters.serverId }),
    ...(filters.toolName !== undefined && { toolName: filters.toolName }),
    ...(filters.status !== undefined && { status: filters.status }),
    ...(olderThan && {
      OR: [
        { startedAt: { lt: olderThan.startedAt } },
        { startedAt: olderThan.startedAt, id: { lt: olderThan.id } },
      ],
    }),
  };
}

export async function listCalls(
  userId: string,
  { limit, before }: ListCallsQuery,
  filters: CallFilters = {},
) {
  const olderThan = await findCursor(userId, before);
  return getDb().call.findMany({
    where: buildWhere(userId, filters, olderThan),
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    take: limit,
    select: callView,
  });
}

/** Like listCalls, with each call's input and output (or error) for showing its details. */
export async function listCallsWithPayloads(
  userId: string,
  { limit, before }: ListCallsQuery,
  filters: CallFilters = {},
) {
  const olderThan = await findCursor(userId, before);
  return getDb().call.findMany({
    where: buildWhere(userId, filters, olderThan),
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    take: limit,
    select: callWithPayloadsView,
  });
}

export type CallWithPayloads = Awaited<ReturnType<typeof listCallsWithPayloads>>[number];

/**
 * What the history's filters offer: the user's servers, and the names of the tools on them.
 * Read from the servers and tools (small), never by scanning the ledger for distinct names.
 */
export async function listCallFilterChoices(userId: string) {
  const servers = await getDb().mcpServer.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, tools: { select: { name: true } } },
  });
  const toolNames = [...new Set(servers.flatMap((server) => server.tools.map((tool) => tool.name)))].sort();
  return { servers: servers.map(({ id, name }) => ({ id, name })), toolNames };
}
