// What an MCP request needs to know about the server its secret opens: the server, its owner's
// suspension and quota limits, and its tools, read from the database in one go.
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { combineLimits, type Limits, planOrDefault } from "@/lib/quota/effective-limits";
import { fieldSettingsSchema } from "@/lib/tools/field-settings";
import { readFieldSettings, toolConfigSelect } from "@/lib/tools/tool-select";

const snapshotSchema = z.object({
  serverId: z.string(),
  serverName: z.string(),
  userId: z.string(),
  secretHash: z.string(),
  owner: z.object({
    suspended: z.boolean(),
    /** null when the owner has no plan and no default plan exists (a broken installation). */
    limits: z.object({ hour: z.number(), day: z.number(), month: z.number() }).nullable(),
  }),
  tools: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      description: z.string().nullable(),
      integration: z.string(),
      action: z.string(),
      connectionId: z.string().nullable(),
      fields: fieldSettingsSchema,
    }),
  ),
});
export type ServerSnapshot = z.infer<typeof snapshotSchema>;
export type ToolSnapshot = ServerSnapshot["tools"][number];

/** A server's snapshot as the database holds it now, or null if no server matches. */
export async function loadServerSnapshot(
  where: { secretHash: string } | { id: string },
): Promise<ServerSnapshot | null> {
  const server = await getDb().mcpServer.findUnique({
    where,
    select: {
      id: true,
      name: true,
      userId: true,
      secretHash: true,
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
        select: toolConfigSelect,
      },
    },
  });
  if (!server) return null;
  const plan = await planOrDefault(server.user.plan);
  const limits = plan ? combineLimits(server.user, plan) : null;
  return snapshotSchema.parse({
    serverId: server.id,
    serverName: server.name,
    userId: server.userId,
    secretHash: server.secretHash,
    owner: {
      suspended: server.user.suspendedAt !== null,
      limits: limits && { hour: limits.hour, day: limits.day, month: limits.month },
    },
    tools: server.tools.map((tool) => ({ ...tool, fields: readFieldSettings(tool) })),
  });
}

/** The owner's quota limits, as getEffectiveLimits would give them. */
export function ownerLimits(snapshot: ServerSnapshot): Limits {
  if (!snapshot.owner.limits)
    throw new AppError("internal_error", "No default plan exists; run the migrations.");
  return snapshot.owner.limits;
}
