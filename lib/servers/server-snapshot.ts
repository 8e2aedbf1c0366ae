// What an MCP request needs to know about the server its secret opens: the server, its owner's
// suspension and quota limits, and its tools, read from the database in one go. A member's URL
// (ServerAccess) opens an organization's server for that member: the snapshot then names the
// organization, its limits and the member's inside them, and the caller with their role. An
// organization's server's own secret opens nothing: members call it through their own URLs.
import { z } from "zod";
import { type AppActionsBySlug, loadServedActions } from "@/lib/apps/app-registry";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { combineMemberLimits, combineOrgLimits } from "@/lib/orgs/org-limits";
import { orgRoles } from "@/lib/orgs/roles";
import { combineLimits, type Limits, planOrDefault } from "@/lib/quota/effective-limits";
import { fieldSettingsSchema } from "@/lib/tools/field-settings";
import { readFieldSettings, toolConfigSelect } from "@/lib/tools/tool-select";

const limitsSchema = z.object({ hour: z.number(), day: z.number(), month: z.number() });

const snapshotSchema = z.object({
  serverId: z.string(),
  serverName: z.string(),
  /** Who created the server (for an organization's server, not necessarily who calls). */
  userId: z.string(),
  /** The hash of the secret that opened it: the server's own, or a member's URL's. */
  secretHash: z.string(),
  owner: z.object({
    suspended: z.boolean(),
    /** null when the owner has no plan and no default plan exists (a broken installation). */
    limits: limitsSchema.nullable(),
  }),
  /** Set for an organization's server, opened by one member's URL. */
  org: z
    .object({
      id: z.string(),
      name: z.string(),
      writesAdminOnly: z.boolean(),
      /** The organization's limits; null when no default plan exists. */
      limits: limitsSchema.nullable(),
      /** The caller's limits inside the organization's (null: none of their own in that window). */
      memberLimits: z.object({
        hour: z.number().nullable(),
        day: z.number().nullable(),
        month: z.number().nullable(),
      }),
      caller: z.object({ userId: z.string(), role: z.enum(orgRoles), suspended: z.boolean() }),
    })
    .nullable(),
  /** The served actions of the added apps its tools use (built-in apps need none). */
  addedApps: z.custom<AppActionsBySlug>((value) => typeof value === "object" && value !== null),
  tools: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      description: z.string().nullable(),
      integration: z.string(),
      action: z.string(),
      connectionId: z.string().nullable(),
      fields: fieldSettingsSchema,
      allowedRoles: z.array(z.enum(orgRoles)),
      allowedUserIds: z.array(z.string()),
    }),
  ),
});
export type ServerSnapshot = z.infer<typeof snapshotSchema>;
export type ToolSnapshot = ServerSnapshot["tools"][number];
export type OrgSnapshot = NonNullable<ServerSnapshot["org"]>;

const serverSelect = {
  id: true,
  name: true,
  userId: true,
  orgId: true,
  secretHash: true,
  writesAdminOnly: true,
  user: {
    select: {
      suspendedAt: true,
      hourlyLimitOverride: true,
      dailyLimitOverride: true,
      monthlyLimitOverride: true,
      plan: { select: { name: true, hourlyLimit: true, dailyLimit: true, monthlyLimit: true } },
    },
  },
  tools: {
    orderBy: { createdAt: "asc" },
    select: { ...toolConfigSelect, allowedRoles: true, allowedUserIds: true },
  },
} as const;

type Where = { secretHash: string } | { id: string; callerId?: string };

/**
 * A server's snapshot as the database holds it now, or null if nothing matches. By secret hash:
 * a personal server's own secret, or a member's URL for an organization's server. By id (a try
 * from the tool editor): an organization's server needs `callerId`, a member of it.
 */
export async function loadServerSnapshot(where: Where): Promise<ServerSnapshot | null> {
  const db = getDb();
  if ("secretHash" in where) {
    const server = await db.mcpServer.findUnique({
      where: { secretHash: where.secretHash },
      select: serverSelect,
    });
    // An organization's server's own secret is the hash of one never shown: it opens nothing.
    if (server) return server.orgId ? null : buildSnapshot(server, where.secretHash, null);
    const access = await db.serverAccess.findUnique({
      where: { secretHash: where.secretHash },
      select: { userId: true, server: { select: serverSelect } },
    });
    if (!access?.server.orgId) return null;
    return buildSnapshot(access.server, where.secretHash, await loadOrgPart(access.server, access.userId));
  }
  const server = await db.mcpServer.findUnique({ where: { id: where.id }, select: serverSelect });
  if (!server) return null;
  if (!server.orgId) return buildSnapshot(server, server.secretHash, null);
  if (!where.callerId) return null;
  return buildSnapshot(server, server.secretHash, await loadOrgPart(server, where.callerId));
}

type ServerRow = NonNullable<Awaited<ReturnType<typeof loadServerRow>>>;
const loadServerRow = (id: string) => getDb().mcpServer.findUnique({ where: { id }, select: serverSelect });

/** The organization's part of a snapshot for this caller; null when they are not a member (any more). */
async function loadOrgPart(server: ServerRow, callerId: string): Promise<OrgSnapshot | null> {
  const orgId = server.orgId ?? "";
  const membership = await getDb().membership.findUnique({
    where: { orgId_userId: { orgId, userId: callerId } },
    select: {
      role: true,
      hourlyLimit: true,
      dailyLimit: true,
      monthlyLimit: true,
      user: { select: { suspendedAt: true } },
      org: {
        select: {
          name: true,
          hourlyLimitOverride: true,
          dailyLimitOverride: true,
          monthlyLimitOverride: true,
          memberHourlyLimit: true,
          memberDailyLimit: true,
          memberMonthlyLimit: true,
          plan: { select: { name: true, hourlyLimit: true, dailyLimit: true, monthlyLimit: true } },
        },
      },
    },
  });
  if (!membership) return null;
  const { org } = membership;
  const plan = await planOrDefault(org.plan);
  return {
    id: orgId,
    name: org.name,
    writesAdminOnly: server.writesAdminOnly,
    limits: plan ? combineOrgLimits(org, plan) : null,
    memberLimits: combineMemberLimits(org, membership),
    caller: { userId: callerId, role: membership.role, suspended: membership.user.suspendedAt !== null },
  };
}

async function buildSnapshot(
  server: ServerRow,
  secretHash: string,
  org: OrgSnapshot | null,
): Promise<ServerSnapshot | null> {
  if (server.orgId && !org) return null;
  const plan = await planOrDefault(server.user.plan);
  const limits = plan ? combineLimits(server.user, plan) : null;
  return snapshotSchema.parse({
    serverId: server.id,
    serverName: server.name,
    userId: server.userId,
    secretHash,
    owner: {
      suspended: server.user.suspendedAt !== null,
      limits: limits && { hour: limits.hour, day: limits.day, month: limits.month },
    },
    org,
    addedApps: await loadServedActions(
      server.tools.map((tool) => tool.integration),
      { userId: server.userId, orgId: server.orgId },
    ),
    tools: server.tools.map((tool) => ({ ...tool, fields: readFieldSettings(tool) })),
  });
}

/**
 * What MCP sessions and cancellations belong to: the server, or on an organization's server the
 * member's own URL of it, so that one member's session id or request id means nothing to another.
 */
export function endpointIdOf(snapshot: ServerSnapshot): string {
  return snapshot.org ? `${snapshot.serverId}.${snapshot.org.caller.userId}` : snapshot.serverId;
}

/** The owner's quota limits, as getEffectiveLimits would give them. */
export function ownerLimits(snapshot: ServerSnapshot): Limits {
  if (!snapshot.owner.limits)
    throw new AppError("internal_error", "No default plan exists; run the migrations.");
  return snapshot.owner.limits;
}

/** The organization's limits of an organization's server's snapshot. */
export function orgLimits(org: OrgSnapshot): Limits {
  if (!org.limits) throw new AppError("internal_error", "No default plan exists; run the migrations.");
  return org.limits;
}
