// The admin's users: ranking every user by share of quota used from the rollup with the page's
// numbers read from the quota counters (so they equal the users' own meters, pending calls
// included), search, sorting and paging; one user's detail (limits, series, recent calls); and
// plan, override and suspension changes, which apply from the user's next MCP call.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  getUserDetail,
  hourlySeriesLength,
  resumeUser,
  setUserOverrides,
  setUserPlan,
  suspendUser,
} from "@/lib/admin/user-admin";
import { forecastMonth, listUsersWithUsage, usersPageSize } from "@/lib/admin/users";
import { getDb } from "@/lib/db/client";
import { writeQuotaCounters } from "@/lib/quota/quota-store";
import { getUsage } from "@/lib/quota/usage";
import { getWindows, type WindowName } from "@/lib/quota/windows";
import { createUser } from "@/lib/users/create-user";
import { withDefaultPlanLock } from "../helpers/default-plan-lock";
import { connectClient, createTenant, textOf } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

const tag = `adm${randomBytes(3).toString("hex")}`;
// The middle of next month, so every window is whole and the rollup rows written here are
// nobody else's (the counters' expiry is set from the windows, so it must lie ahead).
const today = new Date();
const now = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 15, 12, 30));
const { hour, day, month } = getWindows(now);
let admin: { id: string };

async function makeUser(label: string, limits: Partial<Record<WindowName, number>> = {}) {
  // A user takes the default plan of the moment, which the admin plans tests flip for a while.
  const user = await withDefaultPlanLock(() =>
    createUser({ email: `${label}-${tag}@test.local`, name: `${label} ${tag}` }),
  );
  await getDb().user.update({
    where: { id: user.id },
    data: {
      hourlyLimitOverride: limits.hour ?? null,
      dailyLimitOverride: limits.day ?? null,
      monthlyLimitOverride: limits.month ?? null,
    },
  });
  return user;
}

/**
 * Finished successful calls in the rollup and the matching counters, as the ledger and the quota
 * script leave them: `pending` more calls hold quota (in the counters) but have not finished.
 */
async function recordUsage(userId: string, counts: Record<WindowName, number>, pending = 0) {
  await getDb().usageHourly.createMany({
    data: [
      { userId, hour: hour.startsAt, successCount: counts.hour, errorCount: 1 },
      { userId, hour: new Date(hour.startsAt.getTime() - 3_600_000), successCount: counts.day - counts.hour },
      { userId, hour: month.startsAt, successCount: counts.month - counts.day },
    ],
  });
  // Last month's calls count for nothing now.
  await getDb().usageHourly.create({
    data: { userId, hour: new Date(month.startsAt.getTime() - 3_600_000), successCount: 999 },
  });
  await writeQuotaCounters(userId, now, {
    hour: counts.hour + pending,
    day: counts.day + pending,
    month: counts.month + pending,
  });
}

afterAll(async () => {
  await stopStartedPlatforms();
  await closeTestConnections();
});

describe("listUsersWithUsage", () => {
  const users: Record<string, { id: string }> = {};

  beforeAll(async () => {
    admin = await createUser({ email: `z-admin-${tag}@test.local`, admin: true });
    // Hourly 10 of 10 (at limit); daily 17 of 20 (near); monthly 50 of 100 (half); idle.
    users.hourFull = await makeUser("a-hourfull", { hour: 10, day: 100, month: 1000 });
    users.dayNear = await makeUser("b-daynear", { hour: 100, day: 20, month: 1000 });
    users.monthHalf = await makeUser("c-monthhalf", { hour: 100, day: 100, month: 100 });
    users.idle = await makeUser("d-idle");
    await recordUsage(users.hourFull.id, { hour: 10, day: 10, month: 10 });
    await recordUsage(users.dayNear.id, { hour: 2, day: 17, month: 17 });
    // Two calls still running: the counters (and the meters) show 52, the rollup 50.
    await recordUsage(users.monthHalf.id, { hour: 0, day: 0, month: 50 }, 2);
  });

  it("ranks users by share of quota used, with flags, counts and the meters' numbers", async () => {
    // Plan names and limits come from the default plan, which the admin plans tests flip.
    const page = await withDefaultPlanLock(() => listUsersWithUsage({ search: tag }, now));
    expect(page.rows.map((row) => row.email.split("-")[0])).toEqual(["a", "b", "c", "d", "z"]);
    expect(page.total).toBe(5);
    expect(page.atLimitCount).toBe(1);
    expect(page.nearLimitCount).toBe(1);
    expect(page.source).toBe("counters");
    const [full, near, half] = page.rows as [
      (typeof page.rows)[0],
      (typeof page.rows)[0],
      (typeof page.rows)[0],
    ];
    expect(full).toMatchObject({ atLimit: true, nearLimit: false, share: 1, planName: "Free" });
    expect(full.usage.hour).toEqual({ used: 10, limit: 10, ratio: 1 });
    expect(near).toMatchObject({ atLimit: false, nearLimit: true, share: 17 / 20 });
    expect(half.usage.month).toEqual({ used: 52, limit: 100, ratio: 0.52 });
    expect(half).toMatchObject({ nearLimit: false, atLimit: false });
    // Exactly what each user's own meters show.
    for (const row of page.rows) {
      const usage = await getUsage(row.id, now);
      for (const window of ["hour", "day", "month"] as const) {
        expect(row.usage[window].used).toBe(usage[window].used);
        expect(row.usage[window].limit).toBe(usage[window].limit);
      }
    }
    expect(half.monthForecast).toBe(forecastMonth(52, month, now));
  });

  it("sorts by email and by creation, both ways, and by least used", async () => {
    const byEmail = await listUsersWithUsage({ search: tag, sort: "email" }, now);
    expect(byEmail.rows.map((row) => row.email.split("-")[0])).toEqual(["a", "b", "c", "d", "z"]);
    const byEmailDesc = await listUsersWithUsage({ search: tag, sort: "email", dir: "desc" }, now);
    expect(byEmailDesc.rows.map((row) => row.email.split("-")[0])).toEqual(["z", "d", "c", "b", "a"]);
    const newest = await listUsersWithUsage({ search: tag, sort: "created" }, now);
    expect(newest.rows[0]!.id).toBe(users.idle!.id);
    expect(newest.dir).toBe("desc");
    const leastUsed = await listUsersWithUsage({ search: tag, sort: "share", dir: "asc" }, now);
    expect(leastUsed.rows.at(-1)!.id).toBe(users.hourFull!.id);
  });

  it("searches names as well as emails, treating % and _ literally", async () => {
    const byName = await listUsersWithUsage({ search: `b-daynear ${tag}` }, now);
    expect(byName.rows.map((row) => row.id)).toEqual([users.dayNear!.id]);
    expect((await listUsersWithUsage({ search: `%${tag}` }, now)).total).toBe(0);
    const none = await listUsersWithUsage({ search: `nobody-${tag}` }, now);
    expect(none).toMatchObject({ rows: [], total: 0, pageCount: 1 });
  });

  it("pages through users 50 at a time without repeats", async () => {
    const pageTag = `pg${randomBytes(3).toString("hex")}`;
    await getDb().user.createMany({
      data: Array.from({ length: 57 }, (_, index) => ({ email: `p${index}-${pageTag}@test.local` })),
    });
    const first = await listUsersWithUsage({ search: pageTag, page: 1 }, now);
    const second = await listUsersWithUsage({ search: pageTag, page: 2 }, now);
    expect(first.rows).toHaveLength(usersPageSize);
    expect(second.rows).toHaveLength(7);
    expect(first.pageCount).toBe(2);
    const ids = new Set([...first.rows, ...second.rows].map((row) => row.id));
    expect(ids.size).toBe(57);
    // A page past the end is empty but still knows the total.
    expect(await listUsersWithUsage({ search: pageTag, page: 9 }, now)).toMatchObject({
      rows: [],
      total: 57,
    });
  });

  it("forecasts the month at the pace so far", () => {
    const may = getWindows(new Date("2031-05-01T00:00:00Z")).month;
    // 10 calls in the first 3.1 days of a 31-day month: 100 by the end.
    expect(forecastMonth(10, may, new Date("2031-05-04T02:24:00Z"))).toBe(100);
    expect(forecastMonth(10, may, new Date("2031-05-31T23:59:59Z"))).toBe(10);
    // Within the first hour, the pace is that of a whole hour.
    expect(forecastMonth(1, may, new Date("2031-05-01T00:00:01Z"))).toBe(744);
  });
});

describe("getUserDetail and the changes", () => {
  it("shows plan, overrides, effective limits, usage, series and recent calls", async () => {
    const user = await makeUser("detail", { hour: 5 });
    await recordUsage(user.id, { hour: 3, day: 4, month: 6 });
    const detail = await withDefaultPlanLock(() => getUserDetail(user.id, now));
    expect(detail.plan?.name).toBe("Free");
    expect(detail.overrides).toEqual({ hour: 5, day: null, month: null });
    expect(detail.limits).toMatchObject({ hour: 5, day: 160, month: 300, suspended: false });
    expect(detail.usage.hour).toMatchObject({ used: 3, limit: 5 });
    expect(detail.series.hourly).toHaveLength(hourlySeriesLength);
    expect(detail.series.hourly.at(-1)).toMatchObject({
      at: hour.startsAt.toISOString(),
      success: 3,
      error: 1,
    });
    expect(detail.series.daily).toHaveLength(30);
    expect(detail.series.daily.at(-1)).toMatchObject({ at: day.startsAt.toISOString() });
    expect(detail.series.daily.reduce((sum, point) => sum + point.success, 0)).toBeGreaterThanOrEqual(4);
    expect(detail.recentCalls).toEqual([]);
    await expect(getUserDetail("no-such-user")).rejects.toMatchObject({ code: "not_found" });
  });

  it("changes the plan and overrides, suspends and resumes, with audit events", async () => {
    const user = await makeUser("changes");
    const pro = await getDb().plan.create({
      data: { name: `Pro ${tag}`, hourlyLimit: 500, dailyLimit: 1000, monthlyLimit: 5000 },
    });
    await setUserPlan(admin.id, user.id, pro.id, { ip: "203.0.113.9" });
    expect((await getUserDetail(user.id)).limits).toMatchObject({ planName: pro.name, hour: 500 });
    await expect(setUserPlan(admin.id, user.id, "missing")).rejects.toMatchObject({
      code: "validation_failed",
    });

    await setUserOverrides(admin.id, user.id, { hour: 7, month: null });
    expect((await getUserDetail(user.id)).limits).toMatchObject({ hour: 7, day: 1000, month: 5000 });
    await setUserOverrides(admin.id, user.id, { hour: null });
    expect((await getUserDetail(user.id)).limits.hour).toBe(500);

    await expect(suspendUser(admin.id, admin.id)).rejects.toThrow(/cannot suspend your own account/);
    await suspendUser(admin.id, user.id);
    expect((await getUserDetail(user.id)).suspendedAt).toBeInstanceOf(Date);
    await resumeUser(admin.id, user.id);
    expect((await getUserDetail(user.id)).suspendedAt).toBeNull();

    const events = await getDb().auditEvent.findMany({
      where: { targetType: "user", targetId: user.id, actorId: admin.id },
      orderBy: { createdAt: "asc" },
    });
    expect(events.map((event) => event.action)).toEqual([
      "user.plan_changed",
      "user.limits_changed",
      "user.limits_changed",
      "user.suspended",
      "user.resumed",
    ]);
    expect(events[0]).toMatchObject({ ip: "203.0.113.9", metadata: { from: "Free", to: pro.name } });
  });
});

describe("changes reach the MCP layer on the next call", () => {
  let platform: RunningPlatform;

  beforeAll(async () => {
    platform = await startPlatform();
  });

  it("refuses a suspended user's calls and runs them again after resuming", async () => {
    const tenant = await createTenant(platform.url, "suspend");
    const client = await connectClient(platform.url, tenant.secret);
    const call = () =>
      client.callTool({
        name: "formatter_transform_text",
        arguments: { text: "hi", operation: "uppercase" },
      });
    try {
      expect(textOf(await call())).toContain("HI");
      await suspendUser(admin.id, tenant.userId);
      const refused = await call();
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(/This account is suspended/);
      await resumeUser(admin.id, tenant.userId);
      const again = await call();
      expect(again.isError).toBeFalsy();
      expect(textOf(again)).toContain("HI");
    } finally {
      await client.close();
    }
  });

  it("applies a lowered hourly limit and a new plan from the next call", async () => {
    const tenant = await createTenant(platform.url, "limits");
    const client = await connectClient(platform.url, tenant.secret);
    const call = () =>
      client.callTool({ name: "formatter_calculate", arguments: { operation: "add", numbers: [1, 2] } });
    try {
      for (let index = 0; index < 2; index++) expect((await call()).isError).toBeFalsy();
      const used = (await getUsage(tenant.userId)).hour.used;
      expect(used).toBe(2);
      await setUserOverrides(admin.id, tenant.userId, { hour: used });
      const refused = await call();
      expect(textOf(refused)).toMatch(/the hourly limit of 2 tool calls is used up/);
      // Back to the plan's limit: a plan with room lets the next call through.
      await setUserOverrides(admin.id, tenant.userId, { hour: null });
      const tiny = await getDb().plan.create({
        data: { name: `Tiny ${tag}`, hourlyLimit: 100, dailyLimit: 2, monthlyLimit: 100 },
      });
      await setUserPlan(admin.id, tenant.userId, tiny.id);
      expect(textOf(await call())).toMatch(/the daily limit of 2 tool calls is used up/);
      const roomy = await getDb().plan.create({
        data: { name: `Roomy ${tag}`, hourlyLimit: 100, dailyLimit: 100, monthlyLimit: 100 },
      });
      await setUserPlan(admin.id, tenant.userId, roomy.id);
      expect((await call()).structuredContent).toEqual({ result: 3 });
    } finally {
      await client.close();
    }
  });
});
