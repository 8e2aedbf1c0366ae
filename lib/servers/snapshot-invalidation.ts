// Which cached server snapshots a database write can change, read from the write's own arguments
// (no query): the servers, owners, tools, connections, organizations and members' URLs it names, or
// every snapshot when it names none that can be told apart (a plan's limits, the default plan, a
// filter on other columns).
import type { ServerSnapshot } from "./server-snapshot";

export type SnapshotInvalidation =
  | { all: true }
  | {
      all?: false;
      secretHashes?: string[];
      serverIds?: string[];
      userIds?: string[];
      toolIds?: string[];
      connectionIds?: string[];
      /** Organizations whose name, limits or memberships changed. */
      orgIds?: string[];
      /** MCP sessions ended or changed (lib/mcp/sessions.ts keeps them beside the snapshots). */
      sessionIds?: string[];
      /**
       * AI apps' grants whose access tokens were revoked: no snapshot changes, the cached tokens
       * go (lib/authorization-server/access-token-cache.ts).
       */
      grantIds?: string[];
      /**
       * Added apps (by id) whose upstream said its resource list changed: no snapshot changes, the
       * clients of the servers relaying them are told (lib/mcp/tool-list-watch.ts).
       */
      resourceListsChanged?: string[];
      /** Added apps (by id) whose upstream said its prompt list changed: told likewise. */
      promptListsChanged?: string[];
    };

const everything: SnapshotInvalidation = { all: true };

// The operations that write; reads never invalidate.
const creates = new Set(["create", "createMany", "createManyAndReturn"]);
const updates = new Set(["update", "updateMany", "updateManyAndReturn", "upsert"]);
const deletes = new Set(["delete", "deleteMany"]);

// The user columns (and relations, for nested writes) a snapshot carries something of.
const userFieldsInSnapshots = new Set([
  "planId",
  "plan",
  "suspendedAt",
  "hourlyLimitOverride",
  "dailyLimitOverride",
  "monthlyLimitOverride",
  "servers",
  "connections",
  "memberships",
  "serverAccesses",
]);
// The columns of an added app a snapshot carries (its health and refresh times are not).
const appFieldsInSnapshots = new Set([
  "slug",
  "kind",
  "name",
  "description",
  "source",
  "auth",
  "userId",
  "orgId",
  "actions",
]);
const planFieldsInSnapshots = new Set(["hourlyLimit", "dailyLimit", "monthlyLimit", "isDefault"]);

type Args = { where?: unknown; data?: unknown; create?: unknown; update?: unknown };

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

/** The values a filter pins a column to (`x`, `{equals: x}`, `{in: [...]}`), or undefined. */
function pinnedValues(where: unknown, column: string): string[] | undefined {
  const condition = record(where)[column];
  if (typeof condition === "string") return [condition];
  const { equals, in: within } = record(condition);
  if (typeof equals === "string") return [equals];
  if (Array.isArray(within) && within.every((value) => typeof value === "string")) return within;
  return undefined;
}

/** The rows' data of a create or update (an array for createMany, both halves of an upsert). */
function dataOf(args: Args): Record<string, unknown>[] {
  const data = [args.data, args.create, args.update].flatMap((value) =>
    Array.isArray(value) ? value : [value],
  );
  return data.filter((value) => value !== undefined).map(record);
}

function touches(args: Args, fields: Set<string>): boolean {
  return dataOf(args).some((data) => Object.keys(data).some((key) => fields.has(key)));
}

function serverIdsOfToolData(args: Args): string[] | undefined {
  const ids: string[] = [];
  for (const data of dataOf(args)) {
    const id = data.serverId ?? record(record(data.server).connect).id;
    if (typeof id === "string") ids.push(id);
    else if (data.server !== undefined) return undefined;
  }
  return ids;
}

function ofServerWrite(operation: string, args: Args): SnapshotInvalidation | null {
  if (creates.has(operation)) return null; // a new secret has nothing cached
  const serverIds = pinnedValues(args.where, "id");
  if (serverIds) return { serverIds };
  const secretHashes = pinnedValues(args.where, "secretHash");
  if (secretHashes) return { secretHashes };
  const userIds = pinnedValues(args.where, "userId");
  return userIds ? { userIds } : everything;
}

function ofToolWrite(operation: string, args: Args): SnapshotInvalidation {
  const movedTo = serverIdsOfToolData(args);
  if (movedTo === undefined) return everything;
  if (creates.has(operation)) return { serverIds: movedTo };
  const toolIds = pinnedValues(args.where, "id");
  if (toolIds) return { toolIds, serverIds: movedTo };
  const serverIds = pinnedValues(args.where, "serverId");
  if (serverIds) return { serverIds: [...serverIds, ...movedTo] };
  const connectionIds = pinnedValues(args.where, "connectionId");
  return connectionIds ? { connectionIds, serverIds: movedTo } : everything;
}

function ofUserWrite(operation: string, args: Args): SnapshotInvalidation | null {
  if (creates.has(operation)) return null; // a new user has no servers yet
  if (updates.has(operation) && !touches(args, userFieldsInSnapshots)) return null;
  const userIds = pinnedValues(args.where, "id");
  return userIds ? { userIds } : everything;
}

function ofPlanWrite(operation: string, args: Args): SnapshotInvalidation | null {
  // A plan's users are not listed: a change of limits or of the default reaches every snapshot.
  if (deletes.has(operation)) return everything;
  if (creates.has(operation)) return dataOf(args).some((data) => data.isDefault === true) ? everything : null;
  return touches(args, planFieldsInSnapshots) ? everything : null;
}

function ofConnectionWrite(operation: string, args: Args): SnapshotInvalidation | null {
  // Deleting a connection clears the tools' connectionId (ON DELETE SET NULL); nothing else about
  // a connection is in a snapshot.
  if (!deletes.has(operation)) return null;
  const connectionIds = pinnedValues(args.where, "id");
  return connectionIds ? { connectionIds } : everything;
}

function ofOrganizationWrite(operation: string, args: Args): SnapshotInvalidation | null {
  if (creates.has(operation)) return null; // a new organization has no servers yet
  const orgIds = pinnedValues(args.where, "id");
  return orgIds ? { orgIds } : everything;
}

function ofMembershipWrite(operation: string, args: Args): SnapshotInvalidation | null {
  // A new member has no URL yet; a role, a limit or a removal changes what their URLs may do.
  if (creates.has(operation)) return null;
  const orgIds = pinnedValues(args.where, "orgId") ?? pinnedValues(record(args.where).orgId_userId, "orgId");
  return orgIds ? { orgIds } : everything;
}

function ofAppWrite(operation: string, args: Args): SnapshotInvalidation | null {
  if (creates.has(operation)) return null; // no tool uses a new app yet
  if (updates.has(operation) && !touches(args, appFieldsInSnapshots)) return null;
  // Snapshots name apps by slug, not by id: a change to one reaches every snapshot. Apps change
  // when their owner accepts, refreshes or deletes, which is rare.
  return everything;
}

function ofAppActionWrite(operation: string): SnapshotInvalidation | null {
  // A new action is used by no tool yet; a definition changed, accepted, offered or withdrawn is
  // one whose served form any snapshot of the app may carry.
  return creates.has(operation) ? null : everything;
}

function ofServerAccessWrite(operation: string, args: Args): SnapshotInvalidation | null {
  if (creates.has(operation)) return null; // a new secret has nothing cached
  const where = record(args.where);
  const secretHashes = pinnedValues(where, "secretHash");
  if (secretHashes) return { secretHashes };
  // An access replaced or removed by server and member: the old secret's snapshot, whichever it was.
  const serverIds = pinnedValues(where, "serverId") ?? pinnedValues(where.serverId_userId, "serverId");
  if (serverIds) return { serverIds };
  const userIds = pinnedValues(where, "userId");
  return userIds ? { userIds } : everything;
}

/** What a write through Prisma can change in cached snapshots; null when it changes none. */
export function invalidationOfWrite(
  model: string | undefined,
  operation: string,
  args: unknown,
): SnapshotInvalidation | null {
  if (!creates.has(operation) && !updates.has(operation) && !deletes.has(operation)) return null;
  const given = record(args) as Args;
  switch (model) {
    case "McpServer":
      return ofServerWrite(operation, given);
    case "Tool":
      return ofToolWrite(operation, given);
    case "User":
      return ofUserWrite(operation, given);
    case "Plan":
      return ofPlanWrite(operation, given);
    case "Connection":
      return ofConnectionWrite(operation, given);
    case "Organization":
      return ofOrganizationWrite(operation, given);
    case "Membership":
      return ofMembershipWrite(operation, given);
    case "ServerAccess":
      return ofServerAccessWrite(operation, given);
    case "App":
      return ofAppWrite(operation, given);
    case "AppAction":
      return ofAppActionWrite(operation);
    default:
      return null;
  }
}

/** Whether an invalidation reaches this snapshot (cached under `secretHash`). */
export function reaches(
  invalidation: SnapshotInvalidation,
  secretHash: string,
  snapshot: ServerSnapshot,
): boolean {
  if (invalidation.all) return true;
  return (
    invalidation.secretHashes?.includes(secretHash) === true ||
    invalidation.serverIds?.includes(snapshot.serverId) === true ||
    invalidation.userIds?.includes(snapshot.userId) === true ||
    (snapshot.org !== null &&
      (invalidation.orgIds?.includes(snapshot.org.id) === true ||
        invalidation.userIds?.includes(snapshot.org.caller.userId) === true)) ||
    snapshot.tools.some(
      (tool) =>
        invalidation.toolIds?.includes(tool.id) === true ||
        (tool.connectionId !== null && invalidation.connectionIds?.includes(tool.connectionId) === true),
    )
  );
}

const invalidationSchemaKeys = [
  "secretHashes",
  "serverIds",
  "userIds",
  "toolIds",
  "connectionIds",
  "orgIds",
  "sessionIds",
  "grantIds",
  "resourceListsChanged",
  "promptListsChanged",
] as const;

/** An invalidation from a message, or every snapshot when the message cannot be read. */
export function parseInvalidation(text: string): SnapshotInvalidation {
  try {
    const parsed = record(JSON.parse(text));
    if (parsed.all === true) return everything;
    const lists = invalidationSchemaKeys.map((key) => [key, parsed[key]] as const);
    if (
      lists.some(
        ([, value]) =>
          value !== undefined && !(Array.isArray(value) && value.every((item) => typeof item === "string")),
      )
    )
      return everything;
    return Object.fromEntries(lists.filter(([, value]) => value !== undefined));
  } catch {
    return everything;
  }
}
