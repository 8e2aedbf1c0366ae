// Per-user overrides of the plan's limits. `null` removes an override (the plan's value applies).
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { type WindowName, windowAdjectives, windowNames } from "@/lib/quota/windows";

export type LimitOverrides = Partial<Record<WindowName, number | null>>;

const overrideColumns = {
  hour: "hourlyLimitOverride",
  day: "dailyLimitOverride",
  month: "monthlyLimitOverride",
} as const satisfies Record<WindowName, string>;

export async function setLimitOverrides(
  userId: string,
  overrides: LimitOverrides,
  context: AuditContext = {},
) {
  const given = windowNames.filter((name) => overrides[name] !== undefined);
  if (given.length === 0) throw new AppError("bad_request", "Give at least one of hourly, daily or monthly.");
  const data = Object.fromEntries(given.map((name) => [overrideColumns[name], overrides[name]]));
  const user = await getDb().user.update({ where: { id: userId }, data, select: { id: true } });
  // The audit record keeps the names it has always had ({ hourly: 5 }).
  const recorded = Object.fromEntries(given.map((name) => [windowAdjectives[name], overrides[name]]));
  await recordAuditEvent(context, "user.limits_changed", { type: "user", id: user.id }, recorded);
}
