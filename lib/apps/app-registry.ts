// Finds an app and its actions by slug: a built-in one from integrations/registry.ts, or an added
// one (an upstream MCP server, an OpenAPI-described API) from the database, turned into the same
// IntegrationDefinition so that connections, tools, field modes, the queue and history need not
// tell them apart. An added app offers only its accepted actions: those whose definition is still
// the one its owner accepted (see app-definitions.ts).
import { z } from "zod";
import { findIntegration as findBuiltIn, findAction as findBuiltInAction } from "@/integrations/registry";
import type { ActionDefinition, IntegrationDefinition } from "@/integrations/sdk/define";
import { addedActionTimeoutMs } from "@/lib/calls/call-timeouts";
import { getDb } from "@/lib/db/client";
import { open, sealOwner } from "@/lib/vault/vault";
import { type ActionDefinitionData, actionDefinitionSchema } from "./action-definition";
import type { AppKindName, AppRecord, ServedAction } from "./app-driver";
import { driverOf } from "./app-drivers";
import { inputObjectOfJsonSchema } from "./json-schema-checks";

export type FoundAction = { integration: IntegrationDefinition; action: ActionDefinition };

const appRecordSelect = {
  id: true,
  slug: true,
  kind: true,
  name: true,
  description: true,
  userId: true,
  orgId: true,
  source: true,
  auth: true,
} as const;

const servedActionSelect = {
  key: true,
  upstreamName: true,
  hash: true,
  acceptedHash: true,
  acceptedDefinition: true,
} as const;

type StoredAction = {
  key: string;
  upstreamName: string;
  hash: string;
  acceptedHash: string | null;
  acceptedDefinition: unknown;
};

/** Served: offered, still upstream (the query says so), and unchanged since its owner accepted it. */
function servedOf(row: StoredAction): ServedAction | null {
  if (!row.acceptedHash || row.hash !== row.acceptedHash) return null;
  const definition = actionDefinitionSchema.safeParse(row.acceptedDefinition);
  return definition.success
    ? { key: row.key, upstreamName: row.upstreamName, definition: definition.data }
    : null;
}

export const servedActionWhere = { offered: true, removedAt: null, acceptedHash: { not: null } } as const;

// Building a zod schema from JSON Schema takes time; a definition's schema never changes under
// its hash, so one built is kept.
const inputSchemas = new Map<string, z.ZodObject>();

function inputSchemaOf(kind: AppKindName, definition: ActionDefinitionData): z.ZodObject {
  const key = `${kind}:${JSON.stringify(definition.inputSchema)}`;
  let schema = inputSchemas.get(key);
  if (!schema) {
    schema = kind === "MCP" ? inputObjectOfJsonSchema(definition.inputSchema) : zodObjectOf(definition);
    if (inputSchemas.size > 2_000) inputSchemas.clear();
    inputSchemas.set(key, schema);
  }
  return schema;
}

function zodObjectOf(definition: ActionDefinitionData): z.ZodObject {
  let built: z.ZodType;
  try {
    built = z.fromJSONSchema(definition.inputSchema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch {
    built = z.looseObject({});
  }
  return built instanceof z.ZodObject ? built : z.looseObject({});
}

/**
 * One accepted action of an added app as the platform's ActionDefinition. An upstream MCP tool's
 * schemas are served as the upstream wrote them (its result, structured content included, passes
 * through as sent: lib/mcp/call-result.ts); an OpenAPI operation's are ours, made from its document.
 */
export function actionOfServed(app: AppRecord, served: ServedAction): ActionDefinition {
  const { definition } = served;
  const exact = app.kind === "MCP";
  return {
    key: served.key,
    title: definition.title,
    description: definition.description,
    input: inputSchemaOf(app.kind, definition),
    ...(exact && { inputJsonSchema: definition.inputSchema }),
    ...(exact && definition.outputSchema && { outputJsonSchema: definition.outputSchema }),
    annotations: definition.annotations,
    timeoutMs: addedActionTimeoutMs,
    run: (context) => driverOf(app.kind).run(app, served, context as never),
  };
}

/** An added app and the given accepted actions as the platform's IntegrationDefinition. */
export function integrationOfApp(app: AppRecord, served: ServedAction[]): IntegrationDefinition {
  return {
    slug: app.slug,
    name: app.name,
    description: app.description,
    category: app.kind === "MCP" ? "MCP servers" : "APIs",
    ...driverOf(app.kind).connect(app),
    actions: served.map((action) => actionOfServed(app, action)),
  };
}

type AppRow = {
  id: string;
  slug: string;
  kind: AppKindName;
  name: string;
  description: string;
  userId: string;
  orgId: string | null;
  source: unknown;
  auth: unknown;
  sealedHeaders?: Uint8Array | null;
};

/** The app as drivers see it; its sealed headers are opened only when `withHeaders`. */
export async function appRecordOf(row: AppRow): Promise<AppRecord> {
  const { sealedHeaders, ...rest } = row;
  const headers = sealedHeaders
    ? await open<Record<string, string>>(sealedHeaders, { userId: sealOwner(row), appId: row.id })
    : {};
  return { ...rest, headers };
}

/** The names of these apps by slug, built in or added. */
export async function appNames(slugs: Iterable<string>): Promise<Map<string, string>> {
  const unique = [...new Set(slugs)];
  const names = new Map<string, string>();
  for (const slug of unique) {
    const builtIn = findBuiltIn(slug);
    if (builtIn) names.set(slug, builtIn.name);
  }
  const added = unique.filter((slug) => !names.has(slug));
  if (added.length > 0)
    for (const app of await getDb().app.findMany({
      where: { slug: { in: added } },
      select: { slug: true, name: true },
    }))
      names.set(app.slug, app.name);
  return names;
}

/** The columns of an app as drivers see it, with its sealed headers to open (appRecordOf). */
export const appRecordWithHeadersSelect = { ...appRecordSelect, sealedHeaders: true } as const;

/** An app by id as drivers see it, its headers opened; null when there is none. */
export async function loadAppRecord(appId: string): Promise<AppRecord | null> {
  const row = await getDb().app.findUnique({ where: { id: appId }, select: appRecordWithHeadersSelect });
  return row ? appRecordOf(row) : null;
}

/** Whether a slug can name an added app (built-in slugs never do). */
export function isBuiltInApp(slug: string): boolean {
  return findBuiltIn(slug) !== undefined;
}

/** Whose added apps a lookup may find: a person's own, or an organization's. */
export type AppOwner = { userId: string; orgId: string | null };

function ownedByOwner(owner: AppOwner | undefined) {
  if (!owner) return {};
  return owner.orgId ? { orgId: owner.orgId } : { userId: owner.userId, orgId: null };
}

type LookupOptions = {
  /** Opens the app's sealed headers (to reach the upstream); listing and describing need no secret. */
  withHeaders?: boolean;
  /** Finds an added app only when it is this workspace's (built-in apps are everyone's). */
  owner?: AppOwner;
};

/** The app with this slug with its served actions, or undefined. */
export async function findApp(
  slug: string,
  { withHeaders = false, owner }: LookupOptions = {},
): Promise<IntegrationDefinition | undefined> {
  const builtIn = findBuiltIn(slug);
  if (builtIn) return builtIn;
  const row = await getDb().app.findFirst({
    where: { slug, ...ownedByOwner(owner) },
    select: {
      ...appRecordSelect,
      sealedHeaders: withHeaders,
      actions: { where: servedActionWhere, select: servedActionSelect, orderBy: { key: "asc" } },
    },
  });
  if (!row) return undefined;
  const { actions, ...app } = row;
  const served = actions.flatMap((action) => servedOf(action) ?? []);
  return integrationOfApp(await appRecordOf(app), served);
}

/** The apps the workspace added, each with its served actions, by name. */
export async function listAddedApps(owner: AppOwner): Promise<IntegrationDefinition[]> {
  const rows = await getDb().app.findMany({
    where: ownedByOwner(owner),
    orderBy: { name: "asc" },
    select: {
      ...appRecordSelect,
      actions: { where: servedActionWhere, select: servedActionSelect, orderBy: { key: "asc" } },
    },
  });
  return rows.map(({ actions, ...app }) =>
    integrationOfApp(
      { ...app, headers: {} },
      actions.flatMap((action) => servedOf(action) ?? []),
    ),
  );
}

/** The action `key` of the app `slug`, when it exists and (for an added app) is served. */
export async function findAppAction(
  slug: string,
  key: string,
  { withHeaders = false, owner }: LookupOptions = {},
): Promise<FoundAction | undefined> {
  const builtIn = findBuiltInAction(slug, key);
  if (builtIn || findBuiltIn(slug)) return builtIn;
  const row = await getDb().app.findFirst({
    where: { slug, ...ownedByOwner(owner) },
    select: {
      ...appRecordSelect,
      sealedHeaders: withHeaders,
      actions: { where: { ...servedActionWhere, key }, select: servedActionSelect },
    },
  });
  const served = row?.actions[0] && servedOf(row.actions[0]);
  if (!row || !served) return undefined;
  const { actions: _actions, ...app } = row;
  const integration = integrationOfApp(await appRecordOf(app), [served]);
  return { integration, action: integration.actions[0] as ActionDefinition };
}

/**
 * The served actions of the added apps among `slugs` that belong to the workspace (a personal
 * server's owner, or an organization), by slug and key, to describe tools: no secrets.
 */
export async function loadServedActions(slugs: Iterable<string>, owner: AppOwner): Promise<AppActionsBySlug> {
  const added = [...new Set(slugs)].filter((slug) => !isBuiltInApp(slug));
  if (added.length === 0) return {};
  const rows = await getDb().app.findMany({
    where: { slug: { in: added }, ...ownedByOwner(owner) },
    select: { ...appRecordSelect, actions: { where: servedActionWhere, select: servedActionSelect } },
  });
  const bySlug: AppActionsBySlug = {};
  for (const { actions, ...app } of rows)
    bySlug[app.slug] = {
      app: { ...app, headers: {} },
      actions: Object.fromEntries(
        actions.flatMap((row) => {
          const served = servedOf(row);
          return served ? [[served.key, served]] : [];
        }),
      ),
    };
  return bySlug;
}

export type AppActionsBySlug = Record<string, { app: AppRecord; actions: Record<string, ServedAction> }>;

/**
 * A tool's action from what a snapshot carries: built in, or an added app's served action, or
 * undefined when the action is not offered (any more). Described from the snapshot, it never runs
 * here: calls go through the queue, where the worker reads the app afresh (findAppAction).
 */
export function findSnapshotAction(
  added: AppActionsBySlug,
  slug: string,
  key: string,
): FoundAction | undefined {
  const builtIn = findBuiltInAction(slug, key);
  if (builtIn || isBuiltInApp(slug)) return builtIn;
  const entry = added[slug];
  const served = entry?.actions[key];
  if (!entry || !served) return undefined;
  return describedActions(entry.app, served);
}

const described = new WeakMap<ServedAction, FoundAction>();

function describedActions(app: AppRecord, served: ServedAction): FoundAction {
  let found = described.get(served);
  if (!found) {
    const integration = integrationOfApp(app, [served]);
    found = { integration, action: integration.actions[0] as ActionDefinition };
    described.set(served, found);
  }
  return found;
}
