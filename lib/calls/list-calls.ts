// Call history in a workspace, newest first, paged by cursor: `before` is the id of the last call
// of the previous page. Ordered by (startedAt, id) so calls that start in the same millisecond
// still page without gaps or repeats. Personal: the user's own calls on personal servers (orgId
// null). In an organization: every member's calls there for owners and admins (see_all_calls),
// each with who called; one's own calls there for everyone else. The optional filters each have
// an index that serves them: none [userId, startedAt desc] or [orgId, startedAt desc], a server
// [serverId, startedAt desc], a status [userId, status, startedAt desc]. A tool name alone
// narrows rows read through the user's (or the server's) index.
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import type { CallStatus, Prisma } from "@/lib/db/generated/client.ts";
import { storableString } from "@/lib/db/storable-text";
import { AppError } from "@/lib/errors/app-error";
import { personalWorkspace, type Workspace, workspaceCan } from "@/lib/orgs/workspace";

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
  userId: true,
  orgId: true,
  user: { select: { email: true } },
} as const;

/** The REST view plus the stored (redacted, size-capped) input and output, for the web page. */
const callWithPayloadsView = { ...callView, input: true, output: true } as const;

/** A workspace, or a user id for their personal workspace. */
type WorkspaceOrUser = Workspace | string;

const workspaceOf = (given: WorkspaceOrUser): Workspace =>
  typeof given === "string" ? personalWorkspace(given) : given;

/** The calls a workspace's user may see there. */
function visibleCalls(workspace: Workspace): Prisma.CallWhereInput {
  if (workspace.kind === "personal") return { userId: workspace.userId, orgId: null };
  return workspaceCan(workspace, "see_all_calls")
    ? { orgId: workspace.orgId }
    : { orgId: workspace.orgId, userId: workspace.userId };
}

async function findCursor(workspace: Workspace, before: string | undefined) {
  if (!before) return undefined;
  const cursor = await getDb().call.findFirst({
    where: { id: before, ...visibleCalls(workspace) },
    select: { startedAt: true, id: true },
  });
  if (!cursor)
    throw new AppError("validation_failed", `before: no call of yours has the id "${before}".`, {
      field: "before",
    });
  return cursor;
}

function buildWhere(
  workspace: Workspace,
  filters: CallFilters,
  olderThan: { startedAt: Date; id: string } | undefined,
): Prisma.CallWhereInput {
  return {
    ...visibleCalls(workspace),
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

/** `calledBy`: the caller's email (in an organization, who of its members made the call). */
function withCaller<Row extends { user: { email: string } }>({ user, ...row }: Row) {
  return { ...row, calledBy: user.email };
}

export async function listCalls(
  given: WorkspaceOrUser,
  { limit, before }: ListCallsQuery,
  filters: CallFilters = {},
) {
  const workspace = workspaceOf(given);
  const olderThan = await findCursor(workspace, before);
  const rows = await getDb().call.findMany({
    where: buildWhere(workspace, filters, olderThan),
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    take: limit,
    select: callView,
  });
  return rows.map(withCaller);
}

/** Like listCalls, with each call's input and output (or error) for showing its details. */
export async function listCallsWithPayloads(
  given: WorkspaceOrUser,
  { limit, before }: ListCallsQuery,
  filters: CallFilters = {},
) {
  const workspace = workspaceOf(given);
  const olderThan = await findCursor(workspace, before);
  const rows = await getDb().call.findMany({
    where: buildWhere(workspace, filters, olderThan),
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    take: limit,
    select: callWithPayloadsView,
  });
  return rows.map(withCaller);
}

export type CallWithPayloads = Awaited<ReturnType<typeof listCallsWithPayloads>>[number];

/**
 * What the history's filters offer: the workspace's servers, and the names of the tools on them.
 * Read from the servers and tools (small), never by scanning the ledger for distinct names.
 */
export async function listCallFilterChoices(given: WorkspaceOrUser) {
  const workspace = workspaceOf(given);
  const servers = await getDb().mcpServer.findMany({
    where: workspace.kind === "org" ? { orgId: workspace.orgId } : { userId: workspace.userId, orgId: null },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, tools: { select: { name: true } } },
  });
  const toolNames = [...new Set(servers.flatMap((server) => server.tools.map((tool) => tool.name)))].sort();
  return { servers: servers.map(({ id, name }) => ({ id, name })), toolNames };
}
