// A workspace's added apps (upstream MCP servers, OpenAPI-described APIs): adding one, reading it
// with each action's state and what the scan found, refreshing its definitions from the upstream,
// accepting reviewed definitions by hash, choosing which actions it offers, and deleting it with its
// tools and connections. Every query is scoped by the workspace: a slug alone never reaches another
// workspace's app. In an organization every member sees its apps; only owners and admins change them.
import { randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { NoConnectionError, withConnection } from "@/lib/connections/connection-context";
import { createConnection } from "@/lib/connections/manage-connections";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client.ts";
import { AppError, isAppError } from "@/lib/errors/app-error";
import { oauthRedirectUri } from "@/lib/oauth/authorization";
import {
  auditIn,
  ownedBy,
  requirePermission,
  type Workspace,
  type WorkspaceArg,
  workspaceOf,
} from "@/lib/orgs/workspace";
import { open, seal, sealOwner } from "@/lib/vault/vault";
import {
  type ActionDefinitionData,
  actionDefinitionSchema,
  type DiscoveredAction,
} from "./action-definition";
import { acceptActions, applyDiscovery, type DiscoverySummary, setOffered } from "./app-definitions";
import type { AppKindName, AppRecord } from "./app-driver";
import { driverOf } from "./app-drivers";
import { describeAppOAuthClient, saveAppOAuthClient } from "./app-oauth";
import { appOAuthEndpointsSchema } from "./app-oauth-endpoints";
import { appRecordOf, integrationOfApp, isBuiltInApp } from "./app-registry";
import { assertMayRegisterStdio } from "./mcp/stdio-source";
import type { Finding } from "./scan-definition";
import { readUpstreamTexts, saveUpstreamTexts, scanUpstreamTexts, type UpstreamText } from "./upstream-texts";

/** How long reading an upstream (adding or refreshing an app) may take. */
const upstreamTimeoutMs = 60_000;

export const appKinds = { mcp: "MCP", openapi: "OPENAPI" } as const satisfies Record<string, AppKindName>;
export type AppKindWord = keyof typeof appKinds;
const kindWords: Record<AppKindName, AppKindWord> = { MCP: "mcp", OPENAPI: "openapi" };

const kindOnly = z.looseObject({
  kind: z.enum(["mcp", "openapi"], { error: 'Give the kind of app: "mcp" or "openapi".' }),
});

export const appSlugSchema = z.string().min(1).max(100);

/** Why an action is not served, or that it is. */
export type ActionStatus = "served" | "changed" | "flagged" | "new" | "not_offered" | "removed";

export const actionStatusWords: Record<ActionStatus, string> = {
  served: "Served",
  changed: "Changed, review",
  flagged: "Flagged",
  new: "New, review",
  not_offered: "Not offered",
  removed: "Removed upstream",
};

type ActionRow = {
  key: string;
  upstreamName: string;
  definition: unknown;
  hash: string;
  findings: unknown;
  acceptedHash: string | null;
  acceptedDefinition: unknown;
  acceptedAt: Date | null;
  offered: boolean;
  removedAt: Date | null;
};

/**
 * Served, or the first reason it is not: gone upstream, not offered, then what waits for the owner
 * (a changed definition, a flagged one never accepted, a new one never accepted).
 */
export function actionStatusOf(
  row: Pick<ActionRow, "hash" | "acceptedHash" | "offered" | "removedAt"> & {
    findings: Finding[];
  },
): ActionStatus {
  if (row.removedAt) return "removed";
  if (!row.offered) return "not_offered";
  if (row.acceptedHash === row.hash) return "served";
  if (row.acceptedHash) return "changed";
  return row.findings.length > 0 ? "flagged" : "new";
}

function definitionOf(value: unknown): ActionDefinitionData | null {
  const parsed = actionDefinitionSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

function actionView(row: ActionRow) {
  const findings = (Array.isArray(row.findings) ? row.findings : []) as Finding[];
  const definition = definitionOf(row.definition);
  const status = actionStatusOf({ ...row, findings });
  return {
    key: row.key,
    upstreamName: row.upstreamName,
    title: definition?.title ?? row.upstreamName,
    status,
    statusText: actionStatusWords[status],
    served: status === "served",
    offered: row.offered,
    hash: row.hash,
    acceptedHash: row.acceptedHash,
    acceptedAt: row.acceptedAt,
    removedAt: row.removedAt,
    findings,
    /** What the upstream says now. */
    definition,
    /** What the owner accepted (null: never); differs from `definition` when status is "changed". */
    acceptedDefinition: row.acceptedDefinition ? definitionOf(row.acceptedDefinition) : null,
  };
}
export type AppActionView = ReturnType<typeof actionView>;

const healthSelect = {
  healthy: true,
  lastCheckedAt: true,
  lastOkAt: true,
  lastError: true,
  latencyMs: true,
} as const;

const appSummarySelect = {
  id: true,
  slug: true,
  kind: true,
  name: true,
  description: true,
  userId: true,
  orgId: true,
  source: true,
  auth: true,
  refreshedAt: true,
  createdAt: true,
  ...healthSelect,
} as const;

type AppSummaryRow = {
  slug: string;
  kind: AppKindName;
  name: string;
  description: string;
  orgId: string | null;
  refreshedAt: Date | null;
  createdAt: Date;
  healthy: boolean | null;
  lastCheckedAt: Date | null;
  lastOkAt: Date | null;
  lastError: string | null;
  latencyMs: number | null;
};

function healthOf(row: AppSummaryRow) {
  return {
    healthy: row.healthy,
    lastCheckedAt: row.lastCheckedAt,
    lastOkAt: row.lastOkAt,
    lastError: row.lastError,
    latencyMs: row.latencyMs,
  };
}

function summaryOf(row: AppSummaryRow, actions: Pick<AppActionView, "status">[]) {
  return {
    slug: row.slug,
    kind: kindWords[row.kind],
    name: row.name,
    description: row.description,
    orgId: row.orgId,
    createdAt: row.createdAt,
    refreshedAt: row.refreshedAt,
    health: healthOf(row),
    actionCount: actions.filter((action) => action.status !== "removed").length,
    servedCount: actions.filter((action) => action.status === "served").length,
    reviewCount: actions.filter((action) => ["changed", "flagged", "new"].includes(action.status)).length,
  };
}
export type AppSummaryView = ReturnType<typeof summaryOf>;

const actionStateSelect = {
  hash: true,
  acceptedHash: true,
  offered: true,
  removedAt: true,
  findings: true,
} as const;

export async function listApps(owner: WorkspaceArg): Promise<AppSummaryView[]> {
  const rows = await getDb().app.findMany({
    where: ownedBy(workspaceOf(owner)),
    orderBy: { createdAt: "asc" },
    select: { ...appSummarySelect, actions: { select: actionStateSelect } },
  });
  return rows.map(({ actions, ...row }) =>
    summaryOf(
      row,
      actions.map((action) => ({
        status: actionStatusOf({ ...action, findings: action.findings as Finding[] }),
      })),
    ),
  );
}

/** The workspace's app row, or "not_found" (also for an app of another person or organization). */
async function findOwnedApp(workspace: Workspace, slug: string) {
  const row = await getDb().app.findFirst({
    where: { slug, ...ownedBy(workspace) },
    select: { ...appSummarySelect, sealedHeaders: true, upstreamTexts: true },
  });
  if (!row) throw new AppError("not_found", `No added app "${slug}" in this workspace.`);
  return row;
}

/** The workspace's app for a change: not found outside it, forbidden to members and viewers. */
export async function findAppToChange(workspace: Workspace, slug: string) {
  const row = await findOwnedApp(workspace, slug);
  requirePermission(workspace, "manage_shared");
  return row;
}

/** The names of the headers the app sends upstream; their values stay sealed. */
async function headerNamesOf(row: {
  id: string;
  userId: string;
  orgId: string | null;
  sealedHeaders: Uint8Array | null;
}): Promise<string[]> {
  if (!row.sealedHeaders) return [];
  const headers = await open<Record<string, string>>(row.sealedHeaders, {
    userId: sealOwner(row),
    appId: row.id,
  });
  return Object.keys(headers).sort();
}

/** Whether the app's connections sign in with OAuth (either kind stores its endpoints alike). */
export function signsInWithOAuth(auth: unknown): boolean {
  return appOAuthEndpointsSchema.safeParse(auth).success;
}

/** For an app whose connections sign in with OAuth: its client (never the secret) and the redirect URI to register. */
async function oauthViewOf(row: { id: string; slug: string; auth: unknown }) {
  if (!signsInWithOAuth(row.auth)) return { oauthClient: null, oauthRedirectUri: null };
  return {
    oauthClient: await describeAppOAuthClient(row.id),
    oauthRedirectUri: oauthRedirectUri(row.slug),
  };
}

/** The app with every action's state, findings, and current and accepted definitions. */
export async function getApp(owner: WorkspaceArg, slug: string) {
  const row = await findOwnedApp(workspaceOf(owner), slug);
  const actionRows = await getDb().appAction.findMany({
    where: { appId: row.id },
    orderBy: { key: "asc" },
    select: {
      key: true,
      upstreamName: true,
      definition: true,
      hash: true,
      findings: true,
      acceptedHash: true,
      acceptedDefinition: true,
      acceptedAt: true,
      offered: true,
      removedAt: true,
    },
  });
  const actions = actionRows.map(actionView);
  return {
    ...summaryOf(row, actions),
    source: row.source,
    auth: row.auth,
    headerNames: await headerNamesOf(row),
    ...(await oauthViewOf(row)),
    /** What the upstream says about itself (untrusted, never passed on), with what the scan found. */
    upstreamTexts: readUpstreamTexts(row.upstreamTexts),
    actions,
  };
}
export type AppView = Awaited<ReturnType<typeof getApp>>;

/** A slug from the app's name: lowercase letters, digits and `_`, then 4 random characters. */
export function slugFromName(name: string): string {
  const base =
    name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .slice(0, 40)
      .replace(/_+$/, "") || "app";
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  const suffix = [...randomBytes(4)].map((byte) => alphabet[byte % alphabet.length]).join("");
  return `${base}-${suffix}`;
}

async function freeSlug(name: string): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = slugFromName(name);
    if (isBuiltInApp(slug)) continue;
    if ((await getDb().app.count({ where: { slug } })) === 0) return slug;
  }
  throw new AppError("conflict", "Could not find a free address for the app; try again.");
}

/** What the upstream's reading failed with, as an error the caller may see. */
function upstreamFailure(error: unknown, what: string): Error {
  if (isAppError(error)) return error;
  if (error instanceof NoConnectionError) return new AppError("conflict", `${what}: ${error.message}`);
  if (error instanceof Error && error.name === "TimeoutError")
    return new AppError(
      "upstream_error",
      `${what}: the upstream did not answer within ${upstreamTimeoutMs / 1000} s.`,
    );
  return new AppError("upstream_error", `${what}: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * Adds an app: its kind's driver validates the body and reads the upstream; the app is stored with
 * its headers sealed, and every action the scan did not flag is accepted at once (the person sees
 * the list now). Credentials given with it become the adder's first connection.
 */
export async function createApp(owner: WorkspaceArg, body: unknown, context: AuditContext = {}) {
  const workspace = workspaceOf(owner);
  requirePermission(workspace, "manage_shared");
  const parsedKind = kindOnly.safeParse(body);
  if (!parsedKind.success)
    throw new AppError("validation_failed", 'Give the kind of app: "mcp" or "openapi".', { field: "kind" });
  const { kind: kindWord, orgId: _orgId, ...input } = parsedKind.data;
  const kind = appKinds[kindWord];
  // A command line runs on the workers' host: only a platform administrator may add one.
  const actor = await getDb().user.findUniqueOrThrow({
    where: { id: workspace.userId },
    select: { role: true },
  });
  assertMayRegisterStdio(actor, input);
  let prepared: Awaited<ReturnType<ReturnType<typeof driverOf>["prepare"]>>;
  try {
    prepared = await driverOf(kind).prepare(input, AbortSignal.timeout(upstreamTimeoutMs));
  } catch (error) {
    throw upstreamFailure(error, "Could not read the app's upstream");
  }
  const slug = await freeSlug(prepared.name);
  const id = randomUUID();
  const { userId, orgId } = workspace;
  const sealed =
    Object.keys(prepared.headers).length > 0
      ? await seal(prepared.headers, { userId: sealOwner({ userId, orgId }), appId: id })
      : null;
  await getDb().app.create({
    data: {
      id,
      slug,
      kind,
      name: prepared.name,
      description: prepared.description,
      userId,
      orgId,
      source: prepared.source as Prisma.InputJsonValue,
      auth: prepared.auth as Prisma.InputJsonValue,
      ...(sealed && { sealedHeaders: sealed.ciphertext, keyVersion: sealed.keyVersion }),
      ...(prepared.document !== undefined && { document: prepared.document as Prisma.InputJsonValue }),
      upstreamTexts: scanUpstreamTexts(prepared.texts ?? []) as unknown as Prisma.InputJsonValue,
    },
  });
  let discovery: DiscoverySummary;
  try {
    if (prepared.oauthClient) await saveAppOAuthClient(id, prepared.oauthClient);
    discovery = await applyDiscovery(id, prepared.actions, { acceptClean: true });
  } catch (error) {
    // Nothing half-added stays behind (a document with too many operations, say).
    await getDb().app.delete({ where: { id } });
    throw error;
  }
  await recordAuditEvent(
    auditIn(workspace, context),
    "app.added",
    { type: "app", id },
    { slug, kind: kindWord, name: prepared.name, actions: discovery.added.length },
  );
  const connection = prepared.credentials
    ? await createFirstConnection(workspace, slug, prepared.name, prepared.credentials, context)
    : null;
  return { ...(await getApp(workspace, slug)), discovery, connection };
}

/** The adder's first account of the app; the app stays when it cannot be saved, and says why. */
async function createFirstConnection(
  workspace: Workspace,
  slug: string,
  label: string,
  credentials: Record<string, string>,
  context: AuditContext,
): Promise<{ id: string | null; error: string | null }> {
  try {
    const connection = await createConnection(workspace, { integration: slug, label, credentials }, context);
    return { id: connection.id, error: null };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { id: null, error: `The app was added, but its account was not saved: ${error.message}` };
  }
}

/** The app as its driver sees it, with its sealed headers opened. */
async function recordOf(row: Awaited<ReturnType<typeof findOwnedApp>>): Promise<AppRecord> {
  return appRecordOf({
    id: row.id,
    slug: row.slug,
    kind: row.kind,
    name: row.name,
    description: row.description,
    userId: row.userId,
    orgId: row.orgId,
    source: row.source,
    auth: row.auth,
    sealedHeaders: row.sealedHeaders,
  });
}

/**
 * Reads the app's definitions from the upstream again (with one of the workspace's accounts of it,
 * when it needs one). Nothing changed is accepted by itself: a changed definition stops being
 * served until the owner reviews and accepts it.
 */
export async function refreshApp(owner: WorkspaceArg, slug: string, context: AuditContext = {}) {
  const workspace = workspaceOf(owner);
  const row = await findAppToChange(workspace, slug);
  const app = await recordOf(row);
  const integration = integrationOfApp(app, []);
  const signal = AbortSignal.timeout(upstreamTimeoutMs);
  let found: DiscoveredAction[];
  let texts: UpstreamText[] | undefined;
  try {
    found = await withConnection(
      { userId: workspace.userId, orgId: workspace.orgId },
      integration,
      null,
      signal,
      (connection) =>
        driverOf(app.kind).discover(app, {
          connection: integration.auth.type === "none" ? null : connection,
          signal,
          onTexts: (said) => {
            texts = said;
          },
        }),
      { purpose: "check" },
    );
  } catch (error) {
    throw upstreamFailure(error, `Could not read ${app.name}'s actions`);
  }
  const discovery = await applyDiscovery(app.id, found, { acceptClean: false });
  if (texts) await saveUpstreamTexts(app.id, texts);
  await recordAuditEvent(
    auditIn(workspace, context),
    "app.refreshed",
    { type: "app", id: app.id },
    {
      slug,
      added: discovery.added.length,
      changed: discovery.changed.length,
      removed: discovery.removed.length,
    },
  );
  return { ...(await getApp(workspace, slug)), discovery };
}

export const acceptActionsSchema = z
  .record(
    z.string().min(1).max(64),
    z.string().regex(/^[0-9a-f]{64}$/, "Give the action's hash as shown (64 hexadecimal digits)."),
  )
  .refine((value) => Object.keys(value).length > 0, "Name at least one action with its hash.")
  .describe("Each action's key with the hash of the definition you reviewed.");

/**
 * Accepts actions as reviewed: each key with the hash of the definition shown. A definition that
 * changed since is refused (409), so what is accepted is exactly what was reviewed.
 */
export async function acceptAppActions(
  owner: WorkspaceArg,
  slug: string,
  reviewed: Record<string, string>,
  context: AuditContext = {},
) {
  const workspace = workspaceOf(owner);
  const input = acceptActionsSchema.parse(reviewed);
  const row = await findAppToChange(workspace, slug);
  const keys = await acceptActions(row.id, input);
  await recordAuditEvent(
    auditIn(workspace, context),
    "app.actions_accepted",
    { type: "app", id: row.id },
    { slug, actions: input },
  );
  return { accepted: keys, app: await getApp(workspace, slug) };
}

export const offeredActionsSchema = z
  .record(z.string().min(1).max(64), z.boolean())
  .refine((value) => Object.keys(value).length > 0, "Name at least one action.")
  .describe("Each action's key: true to offer it, false to stop offering it.");

/** Chooses which actions the app offers; one it does not offer is kept but never served. */
export async function setOfferedActions(
  owner: WorkspaceArg,
  slug: string,
  offered: Record<string, boolean>,
  context: AuditContext = {},
) {
  const workspace = workspaceOf(owner);
  const input = offeredActionsSchema.parse(offered);
  const row = await findAppToChange(workspace, slug);
  const keys = Object.keys(input);
  const existing = new Set(
    (
      await getDb().appAction.findMany({
        where: { appId: row.id, key: { in: keys } },
        select: { key: true },
      })
    ).map((action) => action.key),
  );
  const unknown = keys.filter((key) => !existing.has(key));
  if (unknown.length > 0)
    throw new AppError("not_found", `The app has no action ${unknown.map((key) => `"${key}"`).join(", ")}.`);
  for (const value of [true, false]) {
    const chosen = keys.filter((key) => input[key] === value);
    if (chosen.length > 0) await setOffered(row.id, chosen, value);
  }
  await recordAuditEvent(
    auditIn(workspace, context),
    "app.actions_offered",
    { type: "app", id: row.id },
    { slug, offered: input },
  );
  return getApp(workspace, slug);
}

/** Deletes the app with every tool and connection that names it, at once. */
export async function deleteApp(owner: WorkspaceArg, slug: string, context: AuditContext = {}) {
  const workspace = workspaceOf(owner);
  const row = await findAppToChange(workspace, slug);
  const { tools, connections } = await getDb().$transaction(async (tx) => {
    const tools = await tx.tool.deleteMany({ where: { integration: row.slug } });
    const connections = await tx.connection.deleteMany({ where: { integration: row.slug } });
    await tx.app.delete({ where: { id: row.id } });
    return { tools: tools.count, connections: connections.count };
  });
  await recordAuditEvent(
    auditIn(workspace, context),
    "app.deleted",
    { type: "app", id: row.id },
    { slug, name: row.name, tools, connections },
  );
  return { tools, connections };
}
