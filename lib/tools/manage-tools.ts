// Configured actions on a server. Each becomes one MCP tool; see field-settings.ts for the
// field modes, sealed-field-values.ts for secret fixed values and tool-name.ts for naming. An
// organization's server is changed by its owners and admins only, uses only the organization's
// connections, and its tools may be limited to roles or named members.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import {
  type AppActionsBySlug,
  findAppAction,
  findSnapshotAction,
  loadServedActions,
} from "@/lib/apps/app-registry";
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client.ts";
import { storableString } from "@/lib/db/storable-text";
import { AppError } from "@/lib/errors/app-error";
import { orgRoles } from "@/lib/orgs/roles";
import {
  auditIn,
  ownedBy,
  requirePermission,
  type Workspace,
  type WorkspaceArg,
  workspaceOf,
} from "@/lib/orgs/workspace";
import { sealOwner } from "@/lib/vault/vault";
import {
  buildToolInputSchema,
  type FieldSettings,
  fieldSettingsSchema,
  isSealedSetting,
  type JsonSchemaObject,
  separateSecretValues,
  validateFieldSettings,
} from "./field-settings";
import { listSealedFields, replaceSealedFieldValues, sealFieldValues } from "./sealed-field-values";
import { deriveToolName, makeUniqueToolName, toolNamePattern } from "./tool-name";
import { readFieldSettings, toolConfigSelect } from "./tool-select";

const toolNameSchema = z.string().regex(toolNamePattern, "1-64 letters, digits, '_' or '-'");
const descriptionSchema = storableString().trim().max(2_000, "Use at most 2000 characters.");

const allowedRolesSchema = z
  .array(z.enum(orgRoles))
  .max(orgRoles.length)
  .describe(
    "An organization's server only: the roles that may call the tool. Empty (and allowedUserIds empty): every member the server allows.",
  );
const allowedUserIdsSchema = z
  .array(storableString().min(1).max(100))
  .max(1_000)
  .describe(
    "An organization's server only: members (user ids) who may call the tool, besides the roles in allowedRoles.",
  );

export const addToolSchema = z.object({
  integration: storableString().min(1).max(100),
  action: storableString().min(1).max(100),
  connectionId: storableString().max(100).nullish(),
  name: toolNameSchema.optional(),
  description: descriptionSchema.optional(),
  fields: fieldSettingsSchema.default({}),
  allowedRoles: allowedRolesSchema.optional(),
  allowedUserIds: allowedUserIdsSchema.optional(),
});
export type AddToolInput = z.input<typeof addToolSchema>;

export const updateToolSchema = z
  .object({
    name: toolNameSchema.optional(),
    description: descriptionSchema.nullable().optional(),
    connectionId: storableString().max(100).nullable().optional(),
    fields: fieldSettingsSchema.optional(),
    allowedRoles: allowedRolesSchema.optional(),
    allowedUserIds: allowedUserIdsSchema.optional(),
  })
  .refine(
    (value) => Object.keys(value).length > 0,
    "Give at least one of name, description, connectionId, fields, allowedRoles, allowedUserIds.",
  );
export type UpdateToolInput = z.input<typeof updateToolSchema>;

/** The tool editor's settings as they stand, tried before saving; `toolId` is the tool edited. */
export const toolDraftSchema = addToolSchema.extend({
  toolId: storableString().max(100).optional(),
  name: toolNameSchema,
  description: descriptionSchema.nullish(),
});
export type ToolDraft = z.output<typeof toolDraftSchema>;

const toolView = {
  ...toolConfigSelect,
  allowedRoles: true,
  allowedUserIds: true,
  createdAt: true,
  updatedAt: true,
} as const;

type StoredTool = Prisma.ToolGetPayload<{ select: typeof toolView }>;

/**
 * A tool as callers see it, with the inputSchema its MCP clients get, so that a configuration can
 * be previewed; null if its action is no longer offered. Secret fixed values are never in it.
 */
function presentTool(
  tool: StoredTool,
  added: AppActionsBySlug,
): Omit<StoredTool, "fields"> & {
  fields: FieldSettings;
  inputSchema: JsonSchemaObject | null;
} {
  const fields = readFieldSettings(tool);
  const found = findSnapshotAction(added, tool.integration, tool.action);
  return { ...tool, fields, inputSchema: found ? buildToolInputSchema(found.action, fields) : null };
}

type ServerOwner = { id: string; userId: string; orgId: string | null };

/** The settings to store, and the rows of the secret values among them, sealed for the tool. */
async function sealSettings(server: ServerOwner, toolId: string, fields: FieldSettings) {
  const { settings, secretValues } = separateSecretValues(fields);
  const keep = Object.keys(settings).filter(
    (name) => isSealedSetting(settings[name]) && !(name in secretValues),
  );
  // An organization's secrets are sealed for it, not for whichever member set them.
  return { settings, keep, rows: await sealFieldValues(sealOwner(server), toolId, secretValues) };
}

/** The workspace's server; for a change (`write`), only owners and admins of an organization. */
async function findWorkspaceServer(
  workspace: Workspace,
  serverId: string,
  { write }: { write: boolean },
): Promise<ServerOwner> {
  const server = await getDb().mcpServer.findFirst({
    where: { id: serverId, ...ownedBy(workspace) },
    select: { id: true, userId: true, orgId: true },
  });
  if (!server) throw new AppError("not_found", "No such server.");
  if (write) requirePermission(workspace, "manage_shared");
  return server;
}

type ToolPermissions = { allowedRoles?: string[]; allowedUserIds?: string[] };

/** Who may call the tool: only on an organization's server, and only its members by id. */
async function checkToolPermissions(server: ServerOwner, input: ToolPermissions) {
  const given = input.allowedRoles !== undefined || input.allowedUserIds !== undefined;
  if (!given) return {};
  const roles = [...new Set(input.allowedRoles ?? [])] as (typeof orgRoles)[number][];
  const userIds = [...new Set(input.allowedUserIds ?? [])];
  if (!server.orgId) {
    if (roles.length === 0 && userIds.length === 0) return {};
    throw new AppError(
      "validation_failed",
      "Only an organization's tools can be limited to roles or members: a personal server has one user.",
      { field: input.allowedRoles?.length ? "allowedRoles" : "allowedUserIds" },
    );
  }
  if (userIds.length > 0) {
    const members = await getDb().membership.findMany({
      where: { orgId: server.orgId, userId: { in: userIds } },
      select: { userId: true },
    });
    const found = new Set(members.map((member) => member.userId));
    const strangers = userIds.filter((id) => !found.has(id));
    if (strangers.length > 0)
      throw new AppError(
        "validation_failed",
        `Not a member of this organization: ${strangers.join(", ")}. Only members can be allowed to call its tools.`,
        { field: "allowedUserIds" },
      );
  }
  return {
    ...(input.allowedRoles !== undefined && { allowedRoles: roles }),
    ...(input.allowedUserIds !== undefined && { allowedUserIds: userIds }),
  };
}

/** The action, built in or of an app the server's workspace added (never another's). */
async function resolveAction(server: ServerOwner, integration: string, action: string) {
  const found = await findAppAction(integration, action, { owner: server });
  if (!found)
    throw new AppError(
      "validation_failed",
      `Unknown action "${integration}/${action}". GET /api/v1/integrations lists them.`,
    );
  return found;
}

async function checkConnection(
  workspace: Workspace,
  server: ServerOwner,
  integrationSlug: string,
  authType: string,
  connectionId: string | null | undefined,
) {
  if (!connectionId) return null;
  if (authType === "none")
    throw new AppError(
      "validation_failed",
      `${integrationSlug} needs no connection; leave connectionId out.`,
      { field: "connectionId" },
    );
  // Looked up among everything the person could name (their own and their organizations'), so
  // that a connection of the wrong kind is refused with its name rather than as a missing one.
  const connection = await getDb().connection.findFirst({
    where: {
      id: connectionId,
      OR: [
        { userId: workspace.userId, orgId: null },
        { org: { memberships: { some: { userId: workspace.userId } } } },
      ],
    },
    select: { id: true, integration: true, label: true, userId: true, orgId: true },
  });
  if (!connection) throw new AppError("validation_failed", "No such connection.", { field: "connectionId" });
  if (server.orgId && connection.orgId !== server.orgId)
    throw new AppError(
      "validation_failed",
      connection.orgId
        ? `The account "${connection.label}" belongs to another organization: this server can use only its own organization's accounts.`
        : `The account "${connection.label}" is a personal connection: an organization's server can use only the organization's accounts, so a personal credential is never shared with its members.`,
      { field: "connectionId" },
    );
  if (!server.orgId && (connection.orgId || connection.userId !== server.userId))
    throw new AppError(
      "validation_failed",
      `The account "${connection.label}" belongs to an organization: a personal server can use only your personal accounts.`,
      { field: "connectionId" },
    );
  if (connection.integration !== integrationSlug) {
    throw new AppError(
      "validation_failed",
      `That connection is for ${connection.integration}, not ${integrationSlug}.`,
      { field: "connectionId" },
    );
  }
  return connection.id;
}

function isNameTaken(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

export async function listTools(owner: WorkspaceArg, serverId: string) {
  const server = await findWorkspaceServer(workspaceOf(owner), serverId, { write: false });
  const tools = await getDb().tool.findMany({
    where: { serverId },
    orderBy: { createdAt: "asc" },
    select: toolView,
  });
  const added = await loadServedActions(
    tools.map((tool) => tool.integration),
    server,
  );
  return tools.map((tool) => presentTool(tool, added));
}

export async function addTool(
  owner: WorkspaceArg,
  serverId: string,
  input: z.output<typeof addToolSchema>,
  context: AuditContext = {},
) {
  const workspace = workspaceOf(owner);
  const server = await findWorkspaceServer(workspace, serverId, { write: true });
  const { integration, action } = await resolveAction(server, input.integration, input.action);
  const fields = validateFieldSettings(action, input.fields);
  const permissions = await checkToolPermissions(server, input);
  const connectionId = await checkConnection(
    workspace,
    server,
    integration.slug,
    integration.auth.type,
    input.connectionId,
  );
  const db = getDb();
  const taken = new Set(
    (await db.tool.findMany({ where: { serverId }, select: { name: true } })).map((tool) => tool.name),
  );
  if (input.name && taken.has(input.name))
    throw new AppError("conflict", `This server already has a tool named "${input.name}".`);
  const name = input.name ?? makeUniqueToolName(deriveToolName(integration.slug, action.key), taken);
  // The id is chosen here: secret values are sealed bound to it.
  const id = randomUUID();
  const sealed = await sealSettings(server, id, fields);
  try {
    const tool = await db.tool.create({
      data: {
        id,
        serverId,
        integration: integration.slug,
        action: action.key,
        name,
        description: input.description || null,
        connectionId,
        ...permissions,
        fields: sealed.settings as Prisma.InputJsonValue,
        sealedValues: { create: sealed.rows },
      },
      select: toolView,
    });
    await recordAuditEvent(
      auditIn(workspace, context),
      "tool.added",
      { type: "tool", id: tool.id },
      { serverId, integration: integration.slug, action: action.key, name, ...permissions },
    );
    return presentTool(tool, await loadServedActions([tool.integration], server));
  } catch (error) {
    if (isNameTaken(error))
      throw new AppError(
        "conflict",
        `This server already has a tool named "${name}". Try again or choose a name.`,
      );
    throw error;
  }
}

export async function updateTool(
  owner: WorkspaceArg,
  serverId: string,
  toolId: string,
  input: z.output<typeof updateToolSchema>,
  context: AuditContext = {},
) {
  const workspace = workspaceOf(owner);
  const server = await findWorkspaceServer(workspace, serverId, { write: true });
  const db = getDb();
  const tool = await db.tool.findFirst({ where: { id: toolId, serverId } });
  if (!tool) throw new AppError("not_found", "No such tool.");
  const { integration, action } = await resolveAction(server, tool.integration, tool.action);
  const sealed = input.fields
    ? await sealSettings(
        server,
        tool.id,
        validateFieldSettings(action, input.fields, await listSealedFields(tool.id)),
      )
    : undefined;
  const connectionId =
    input.connectionId === undefined
      ? undefined
      : await checkConnection(workspace, server, integration.slug, integration.auth.type, input.connectionId);
  const permissions = await checkToolPermissions(server, input);
  try {
    const updated = await db.$transaction(async (tx) => {
      const row = await tx.tool.update({
        where: { id: tool.id },
        data: {
          ...(input.name !== undefined && { name: input.name }),
          ...(input.description !== undefined && { description: input.description || null }),
          ...(connectionId !== undefined && { connectionId }),
          ...permissions,
          ...(sealed && { fields: sealed.settings as Prisma.InputJsonValue }),
        },
        select: toolView,
      });
      if (sealed) await replaceSealedFieldValues(tx, tool.id, sealed.rows, sealed.keep);
      return row;
    });
    await recordAuditEvent(
      auditIn(workspace, context),
      "tool.updated",
      { type: "tool", id: tool.id },
      { serverId, changed: Object.keys(input), ...permissions },
    );
    return presentTool(updated, await loadServedActions([updated.integration], server));
  } catch (error) {
    if (isNameTaken(error))
      throw new AppError("conflict", `This server already has a tool named "${input.name}".`);
    throw error;
  }
}

/**
 * Settings not saved yet, checked as saving them would check them (the action, the fields, the
 * account, the name among the server's other tools), with the same errors; nothing is written.
 */
export async function checkToolDraft(owner: WorkspaceArg, serverId: string, draft: ToolDraft) {
  const workspace = workspaceOf(owner);
  const server = await findWorkspaceServer(workspace, serverId, { write: true });
  const others = await getDb().tool.findMany({
    where: { serverId },
    select: { id: true, name: true, integration: true, action: true },
  });
  const edited = draft.toolId === undefined ? undefined : others.find((tool) => tool.id === draft.toolId);
  if (draft.toolId !== undefined && !edited) throw new AppError("not_found", "No such tool.");
  if (edited && (edited.integration !== draft.integration || edited.action !== draft.action))
    throw new AppError(
      "validation_failed",
      `This tool runs ${edited.integration}/${edited.action}; its action cannot change.`,
    );
  const { integration, action } = await resolveAction(server, draft.integration, draft.action);
  const fields = validateFieldSettings(
    action,
    draft.fields,
    edited ? await listSealedFields(edited.id) : new Set(),
  );
  const connectionId = await checkConnection(
    workspace,
    server,
    integration.slug,
    integration.auth.type,
    draft.connectionId,
  );
  if (others.some((tool) => tool.name === draft.name && tool.id !== edited?.id))
    throw new AppError("conflict", `This server already has a tool named "${draft.name}".`);
  return {
    id: edited?.id ?? null,
    name: draft.name,
    integration: integration.slug,
    action: action.key,
    fields,
    connectionId,
  };
}

export async function deleteTool(
  owner: WorkspaceArg,
  serverId: string,
  toolId: string,
  context: AuditContext = {},
) {
  const workspace = workspaceOf(owner);
  await findWorkspaceServer(workspace, serverId, { write: true });
  const db = getDb();
  const tool = await db.tool.findFirst({ where: { id: toolId, serverId }, select: { id: true, name: true } });
  if (!tool) throw new AppError("not_found", "No such tool.");
  await db.tool.delete({ where: { id: tool.id } });
  await recordAuditEvent(
    auditIn(workspace, context),
    "tool.deleted",
    { type: "tool", id: tool.id },
    { serverId, name: tool.name },
  );
}
