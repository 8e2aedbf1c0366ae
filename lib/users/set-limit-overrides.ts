// Per-user overrides of the plan's limits. `null` removes an override (the plan's value applies).
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { invalidateUserServers } from "@/lib/mcp/resolve-server";

export type LimitOverrides = { hourly?: number | null; daily?: number | null; monthly?: number | null };

export async function setLimitOverrides(
  userId: string,
  overrides: LimitOverrides,
  context: AuditContext = {},
) {
  const data = {
    ...(overrides.hourly !== undefined && { hourlyLimitOverride: overrides.hourly }),
    ...(overrides.daily !== undefined && { dailyLimitOverride: overrides.daily }),
    ...(overrides.monthly !== undefined && { monthlyLimitOverride: overrides.monthly }),
  };
  if (Object.keys(data).length === 0)
    throw new AppError("bad_request", "Give at least one of hourly, daily or monthly.");
  const user = await getDb().user.update({ where: { id: userId }, data, select: { id: true } });
  // The MCP endpoints cache their owner's limits: the new ones apply from the next call.
  await invalidateUserServers(user.id);
  await recordAuditEvent(context, "user.limits_changed", { type: "user", id: user.id }, overrides);
}
