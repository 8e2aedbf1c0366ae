// Configured actions on a server. Each becomes one MCP tool; see field-settings.ts for the
// field modes, sealed-field-values.ts for secret fixed values and tool-name.ts for naming.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { findAction } from "@/integrations/registry";
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client.ts";
import { storableString } from "@/lib/db/storable-text";
import { AppError } from "@/lib/errors/app-error";
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

export const addToolSchema = z.object({
  integration: storableString().min(1).max(100),
  action: storableString().min(1).max(100),
  connectionId: storableString().max(100).nullish(),
  name: toolNameSchema.optional(),
  description: descriptionSchema.optional(),
  fields: fieldSettingsSchema.default({}),
});
export type AddToolInput = z.input<typeof addToolSchema>;

export const updateToolSchema = z
  .object({
    name: toolNameSchema.optional(),
    description: descriptionSchema.nullable().optional(),
    connectionId: storableString().max(100).nullable().optional(),
    fields: fieldSettingsSchema.optional(),
  })
  .refine(
    (value) => Object.keys(value).length > 0,
    "Give at least one of name, description, connectionId, fields.",
  );
export type UpdateToolInput = z.input<typeof updateToolSchema>;

/** The tool editor's settings as they stand, tried before saving; `toolId` is the tool edited. */
export const toolDraftSchema = addToolSchema.extend({
  toolId: storableString().max(100).optional(),
  name: toolNameSchema,
  description: descriptionSchema.nullish(),
});
export type ToolDraft = z.output<typeof toolDraftSchema>;

const toolView = { ...toolConfigSelect, createdAt: true, updatedAt: true } as const;

type StoredTool = Prisma.ToolGetPayload<{ select: typeof toolView }>;

/**
 * A tool as callers see it, with the inputSchema its MCP clients get, so that a configuration can
 * be previewed; null if its action is no longer offered. Secret fixed values are never in it.
 */
function presentTool(tool: StoredTool): Omit<StoredTool, "fields"> & {
  fields: FieldSettings;
  inputSchema: JsonSchemaObject | null;
} {
  const fields = readFieldSettings(tool);
  const found = findAction(tool.integration, tool.action);
  return { ...tool, fields, inputSchema: found ? buildToolInputSchema(found.action, fields) : null };
}

/** The settings to store, and the rows of the secret values among them, sealed for the tool. */
async function sealSettings(userId: string, toolId: string, fields: FieldSettings) {
  const { settings, secretValues } = separateSecretValues(fields);
  const keep = Object.keys(settings).filter(
    (name) => isSealedSetting(settings[name]) && !(name in secretValues),
  );
  return { settings, keep, rows: await sealFieldValues(userId, toolId, secretValues) };
}

async function assertOwnServer(userId: string, serverId: string): Promise<void> {
  const server = await getDb().mcpServer.findFirst({ where: { id: serverId, userId }, select: { id: true } });
  if (!server) throw new AppError("not_found", "No such server.");
}

function resolveAction(integration: string, action: string) {
  const found = findAction(integration, action);
  if (!found)
    throw new AppError(
      "validation_failed",
      `Unknown action "${integration}/${action}". GET /api/v1/integrations lists them.`,
    );
  return found;
}

async function checkConnection(
  userId: string,
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
  const connection = await getDb().connection.findFirst({
    where: { id: connectionId, userId },
    select: { id: true, integration: true },
  });
  if (!connection) throw new AppError("validation_failed", "No such connection.", { field: "connectionId" });
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

export async function listTools(userId: string, serverId: string) {
  await assertOwnServer(userId, serverId);
  const tools = await getDb().tool.findMany({
    where: { serverId },
    orderBy: { createdAt: "asc" },
    select: toolView,
  });
  return tools.map(presentTool);
}

export async function addTool(
  userId: string,
  serverId: string,
  input: z.output<typeof addToolSchema>,
  context: AuditContext = {},
) {
  await assertOwnServer(userId, serverId);
  const { integration, action } = resolveAction(input.integration, input.action);
  const fields = validateFieldSettings(action, input.fields);
  const connectionId = await checkConnection(
    userId,
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
  const sealed = await sealSettings(userId, id, fields);
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
        fields: sealed.settings as Prisma.InputJsonValue,
        sealedValues: { create: sealed.rows },
      },
      select: toolView,
    });
    await recordAuditEvent(
      { ...context, actorId: context.actorId ?? userId },
      "tool.added",
      { type: "tool", id: tool.id },
      { serverId, integration: integration.slug, action: action.key, name },
    );
    return presentTool(tool);
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
  userId: string,
  serverId: string,
  toolId: string,
  input: z.output<typeof updateToolSchema>,
  context: AuditContext = {},
) {
  await assertOwnServer(userId, serverId);
  const db = getDb();
  const tool = await db.tool.findFirst({ where: { id: toolId, serverId } });
  if (!tool) throw new AppError("not_found", "No such tool.");
  const { integration, action } = resolveAction(tool.integration, tool.action);
  const sealed = input.fields
    ? await sealSettings(
        userId,
        tool.id,
        validateFieldSettings(action, input.fields, await listSealedFields(tool.id)),
      )
    : undefined;
  const connectionId =
    input.connectionId === undefined
      ? undefined
      : await checkConnection(userId, integration.slug, integration.auth.type, input.connectionId);
  try {
    const updated = await db.$transaction(async (tx) => {
      const row = await tx.tool.update({
        where: { id: tool.id },
        data: {
          ...(input.name !== undefined && { name: input.name }),
          ...(input.description !== undefined && { description: input.description || null }),
          ...(connectionId !== undefined && { connectionId }),
          ...(sealed && { fields: sealed.settings as Prisma.InputJsonValue }),
        },
        select: toolView,
      });
      if (sealed) await replaceSealedFieldValues(tx, tool.id, sealed.rows, sealed.keep);
      return row;
    });
    await recordAuditEvent(
      { ...context, actorId: context.actorId ?? userId },
      "tool.updated",
      { type: "tool", id: tool.id },
      { serverId, changed: Object.keys(input) },
    );
    return presentTool(updated);
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
export async function checkToolDraft(userId: string, serverId: string, draft: ToolDraft) {
  await assertOwnServer(userId, serverId);
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
  const { integration, action } = resolveAction(draft.integration, draft.action);
  const fields = validateFieldSettings(
    action,
    draft.fields,
    edited ? await listSealedFields(edited.id) : new Set(),
  );
  const connectionId = await checkConnection(
    userId,
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
  userId: string,
  serverId: string,
  toolId: string,
  context: AuditContext = {},
) {
  await assertOwnServer(userId, serverId);
  const db = getDb();
  const tool = await db.tool.findFirst({ where: { id: toolId, serverId }, select: { id: true, name: true } });
  if (!tool) throw new AppError("not_found", "No such tool.");
  await db.tool.delete({ where: { id: tool.id } });
  await recordAuditEvent(
    { ...context, actorId: context.actorId ?? userId },
    "tool.deleted",
    { type: "tool", id: tool.id },
    { serverId, name: tool.name },
  );
}
