// Plans against the run's real database and a running platform: the built-in Free plan, exactly
// one default (also when two administrators change it at once), deletion refused for the default
// and for plans people are on, assignments by id and by email with an audit event per person, and
// changes reaching the next MCP tool call of everyone on the plan.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import {
  assignPlan,
  assignPlanByEmails,
  createPlan,
  deletePlan,
  getPlanOrThrow,
  listPlans,
  setDefaultPlan,
  updatePlan,
} from "@/lib/plans/manage-plans";
import { limitOrderWarnings } from "@/lib/plans/plan-limits";
import { getEffectiveLimits } from "@/lib/quota/effective-limits";
import type { ServerSnapshot } from "@/lib/servers/server-snapshot";
import { resolveServerBySecret, whenSnapshotFeedLive } from "@/lib/servers/snapshot-cache";
import { createUser } from "@/lib/users/create-user";
import { setLimitOverrides } from "@/lib/users/set-limit-overrides";
import { withDefaultPlanLock } from "../helpers/default-plan-lock";
import { connectClient, createTenant, type Tenant, textOf, uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 60_000 });

let platform: RunningPlatform;
let admin: { id: string; email: string };
const as = () => ({ actorId: admin.id, ip: "192.0.2.10", userAgent: "admin-plans-test" });
const unique = (label: string) => `${label} ${randomBytes(3).toString("hex")}`;

beforeAll(async () => {
  // First, so that this process uses the platform's Redis prefix (the servers' cache lives there).
  platform = await startPlatform();
  admin = await createUser({ email: uniqueEmail("plans-admin"), password: "a long password", admin: true });
});

afterAll(async () => {
  if (platform) expect(await platform.stop()).toBe(0);
  await stopStartedPlatforms();
  await closeTestConnections();
});

async function lastEvent(targetId: string, action: string) {
  return getDb().auditEvent.findFirstOrThrow({
    where: { targetId, action },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
}

async function defaultPlans() {
  return getDb().plan.findMany({ where: { isDefault: true }, select: { id: true, name: true } });
}

describe("the plans", () => {
  it("start with the built-in Free plan of 80, 160 and 300 calls, as the default", async () => {
    const free = (await listPlans()).find((plan) => plan.id === "plan_free");
    expect(free).toMatchObject({
      name: "Free",
      hourlyLimit: 80,
      dailyLimit: 160,
      monthlyLimit: 300,
      isDefault: true,
    });
    expect((await listPlans())[0]?.isDefault).toBe(true);
  });

  it("are created with whole limits of 0 or more and a unique name, and the change is audited", async () => {
    const name = unique("Team");
    const plan = await createPlan(
      { name: `  ${name} `, hourlyLimit: 200, dailyLimit: 1_000, monthlyLimit: 10_000 },
      as(),
    );
    expect(plan).toMatchObject({ name, isDefault: false, userCount: 0 });
    const event = await lastEvent(plan.id, "plan.created");
    expect(event).toMatchObject({ actorId: admin.id, targetType: "plan", ip: "192.0.2.10" });
    expect(event.metadata).toEqual({ name, hourlyLimit: 200, dailyLimit: 1_000, monthlyLimit: 10_000 });

    await expect(
      createPlan({ name: name.toString(), hourlyLimit: 1, dailyLimit: 1, monthlyLimit: 1 }),
    ).rejects.toMatchObject({ code: "conflict", details: { field: "name" } });
    for (const bad of [-1, 1.5, Number.NaN]) {
      await expect(
        createPlan({ name: unique("Bad"), hourlyLimit: bad, dailyLimit: 1, monthlyLimit: 1 }),
      ).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ["hourlyLimit"] })] });
    }
    await expect(
      createPlan({ name: " ", hourlyLimit: 1, dailyLimit: 1, monthlyLimit: 1 }),
    ).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ["name"] })],
    });
    // Zero is a limit (nothing allowed); limits out of order are refused on the field to lower.
    const oddName = unique("Odd");
    await expect(
      createPlan({ name: oddName, hourlyLimit: 50, dailyLimit: 10, monthlyLimit: 0 }),
    ).rejects.toMatchObject({
      issues: [
        expect.objectContaining({
          path: ["hourlyLimit"],
          message: expect.stringMatching(/hourly limit \(50\) is above the daily limit \(10\)/),
        }),
        expect.objectContaining({
          path: ["dailyLimit"],
          message: expect.stringMatching(/daily limit \(10\) is above the monthly limit \(0\)/),
        }),
      ],
    });
    await expect(
      createPlan({ name: oddName, hourlyLimit: 11, dailyLimit: 20, monthlyLimit: 10 }),
    ).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ["dailyLimit"] })] });
    expect(await getDb().plan.count({ where: { name: oddName } })).toBe(0);
    const none = await createPlan({ name: oddName, hourlyLimit: 0, dailyLimit: 0, monthlyLimit: 0 });
    expect(none).toMatchObject({ hourlyLimit: 0, dailyLimit: 0, monthlyLimit: 0 });
    // An update is checked against the plan it changes.
    await expect(updatePlan(none.id, { hourlyLimit: 5 })).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ["hourlyLimit"] })],
    });
    expect(await getDb().plan.findUniqueOrThrow({ where: { id: none.id } })).toMatchObject({
      hourlyLimit: 0,
    });
    // Plans saved out of order before the rule are still described as such.
    expect(limitOrderWarnings({ hourlyLimit: 50, dailyLimit: 10, monthlyLimit: 0 })).toHaveLength(2);
    expect(limitOrderWarnings({ hourlyLimit: 80, dailyLimit: 160, monthlyLimit: 300 })).toEqual([]);
  });

  it("record what an update changed, from what to what", async () => {
    const plan = await createPlan({
      name: unique("Pro"),
      hourlyLimit: 100,
      dailyLimit: 500,
      monthlyLimit: 5_000,
    });
    const renamed = unique("Pro plus");
    await updatePlan(plan.id, { name: renamed, hourlyLimit: 150, dailyLimit: 500 }, as());
    const event = await lastEvent(plan.id, "plan.updated");
    expect(event.metadata).toEqual({
      name: renamed,
      changes: { name: { from: plan.name, to: renamed }, hourlyLimit: { from: 100, to: 150 } },
      affectedUsers: 0,
    });
    expect(await getPlanOrThrow(plan.id)).toMatchObject({ name: renamed, hourlyLimit: 150, dailyLimit: 500 });
    await expect(updatePlan("no-such-plan", { hourlyLimit: 1 })).rejects.toMatchObject({ code: "not_found" });
    await expect(updatePlan(plan.id, {})).rejects.toMatchObject({ name: "ZodError" });
  });
});

describe("the default plan", () => {
  it("is always exactly one plan, even when two administrators change it at once", async () => {
    // Same limits as Free, so that accounts other test files create meanwhile get the same limits.
    const first = await createPlan({
      name: unique("Free copy A"),
      hourlyLimit: 80,
      dailyLimit: 160,
      monthlyLimit: 300,
    });
    const second = await createPlan({
      name: unique("Free copy B"),
      hourlyLimit: 80,
      dailyLimit: 160,
      monthlyLimit: 300,
    });
    await withDefaultPlanLock(async () => {
      try {
        const made = await setDefaultPlan(first.id, as());
        expect(made.isDefault).toBe(true);
        expect(await defaultPlans()).toEqual([{ id: first.id, name: first.name }]);
        const event = await lastEvent(first.id, "plan.default_changed");
        expect(event.metadata).toEqual({
          from: { id: "plan_free", name: "Free" },
          to: { id: first.id, name: first.name },
        });
        // New accounts join the default plan.
        const newcomer = await createUser({ email: uniqueEmail("newcomer"), password: "a long password" });
        expect((await getDb().user.findUniqueOrThrow({ where: { id: newcomer.id } })).planId).toBe(first.id);

        // Few rounds: while the default is a copy, another file's new account may land on it.
        for (let round = 0; round < 3; round++) {
          const results = await Promise.allSettled([
            setDefaultPlan(second.id),
            setDefaultPlan(first.id),
            setDefaultPlan("plan_free"),
          ]);
          expect(results.map((result) => result.status)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
          expect(await defaultPlans()).toHaveLength(1);
        }
        // Setting the default again changes nothing and records nothing.
        await setDefaultPlan(first.id);
        const before = await getDb().auditEvent.count({
          where: { action: "plan.default_changed", targetId: first.id },
        });
        await setDefaultPlan(first.id);
        expect(
          await getDb().auditEvent.count({ where: { action: "plan.default_changed", targetId: first.id } }),
        ).toBe(before);
        await expect(setDefaultPlan("no-such-plan")).rejects.toMatchObject({ code: "not_found" });
        expect(await defaultPlans()).toEqual([{ id: first.id, name: first.name }]);
      } finally {
        await setDefaultPlan("plan_free");
      }
      expect(await defaultPlans()).toEqual([{ id: "plan_free", name: "Free" }]);
    });
  });
});

describe("deleting a plan", () => {
  it("is refused for the default plan", async () => {
    await expect(deletePlan("plan_free")).rejects.toMatchObject({
      code: "conflict",
      message: "“Free” is the default plan. Make another plan the default before deleting it.",
    });
    expect(await getPlanOrThrow("plan_free")).toMatchObject({ isDefault: true });
  });

  it("is refused while people are on it, and done once they have moved", async () => {
    const plan = await createPlan({
      name: unique("Legacy"),
      hourlyLimit: 5,
      dailyLimit: 50,
      monthlyLimit: 500,
    });
    const users = await Promise.all(
      ["legacy-a", "legacy-b"].map((label) =>
        createUser({ email: uniqueEmail(label), password: "a long password" }),
      ),
    );
    await assignPlan(
      admin.id,
      users.map((user) => user.id),
      plan.id,
    );
    expect((await getPlanOrThrow(plan.id)).userCount).toBe(2);
    await expect(deletePlan(plan.id)).rejects.toMatchObject({
      code: "conflict",
      message: `2 users are on “${plan.name}”. Move them all to another plan before deleting it.`,
    });
    await assignPlan(admin.id, [users[0]!.id], "plan_free");
    await expect(deletePlan(plan.id)).rejects.toMatchObject({
      message: expect.stringMatching(/^1 user is on/),
    });
    await assignPlan(admin.id, [users[1]!.id], "plan_free");

    await deletePlan(plan.id, as());
    await expect(getPlanOrThrow(plan.id)).rejects.toMatchObject({ code: "not_found" });
    const event = await lastEvent(plan.id, "plan.deleted");
    expect(event).toMatchObject({ actorId: admin.id });
    expect(event.metadata).toEqual({ name: plan.name, hourlyLimit: 5, dailyLimit: 50, monthlyLimit: 500 });
    await expect(deletePlan(plan.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("does not race with an assignment: either the delete is refused or the assignment fails", async () => {
    for (let round = 0; round < 5; round++) {
      const plan = await createPlan({ name: unique("Racy"), hourlyLimit: 1, dailyLimit: 1, monthlyLimit: 1 });
      const user = await createUser({ email: uniqueEmail("racy"), password: "a long password" });
      const [deleted, assigned] = await Promise.allSettled([
        deletePlan(plan.id),
        assignPlan(admin.id, [user.id], plan.id),
      ]);
      const stored = await getDb().user.findUniqueOrThrow({ where: { id: user.id } });
      if (deleted.status === "fulfilled") {
        expect(assigned.status).toBe("rejected");
        expect(stored.planId).toBe("plan_free");
      } else {
        expect(assigned.status).toBe("fulfilled");
        expect(stored.planId).toBe(plan.id);
      }
    }
  });
});

describe("assigning a plan", () => {
  it("moves each person, with an audit event of their own, and counts those already on it", async () => {
    const plan = await createPlan({
      name: unique("Assigned"),
      hourlyLimit: 7,
      dailyLimit: 70,
      monthlyLimit: 700,
    });
    const users = await Promise.all(
      ["assign-a", "assign-b", "assign-c"].map((label) =>
        createUser({ email: uniqueEmail(label), password: "a long password" }),
      ),
    );
    const ids = users.map((user) => user.id);
    const first = await assignPlan(admin.id, [ids[0]!, ids[1]!, ids[0]!], plan.id, {
      ip: "192.0.2.11",
      userAgent: "browser",
    });
    expect(first).toEqual({ plan: { id: plan.id, name: plan.name }, changed: 2, unchanged: 0 });
    const event = await lastEvent(ids[0]!, "user.plan_changed");
    expect(event).toMatchObject({
      actorId: admin.id,
      targetType: "user",
      ip: "192.0.2.11",
      userAgent: "browser",
    });
    expect(event.metadata).toEqual({
      from: { id: "plan_free", name: "Free" },
      to: { id: plan.id, name: plan.name },
    });
    expect(await getEffectiveLimits(ids[0]!)).toMatchObject({
      planName: plan.name,
      hour: 7,
      day: 70,
      month: 700,
    });

    const second = await assignPlan(admin.id, ids, plan.id);
    expect(second).toMatchObject({ changed: 1, unchanged: 2 });
    expect(await getDb().auditEvent.count({ where: { targetId: ids[0], action: "user.plan_changed" } })).toBe(
      1,
    );
    expect((await getPlanOrThrow(plan.id)).userCount).toBe(3);

    await expect(assignPlan(admin.id, [ids[0]!, "no-such-user"], "plan_free")).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(assignPlan(admin.id, ids, "no-such-plan")).rejects.toMatchObject({ code: "not_found" });
    await expect(assignPlan(admin.id, [], plan.id)).rejects.toMatchObject({ code: "validation_failed" });
    // Nothing moved by the refused ones.
    expect((await getPlanOrThrow(plan.id)).userCount).toBe(3);
  });

  it("by email addresses, in any case, refusing all when one has no account", async () => {
    const plan = await createPlan({
      name: unique("By email"),
      hourlyLimit: 9,
      dailyLimit: 90,
      monthlyLimit: 900,
    });
    const users = await Promise.all(
      ["email-a", "email-b"].map((label) =>
        createUser({ email: uniqueEmail(label), password: "a long password" }),
      ),
    );
    const missing = uniqueEmail("nobody");
    const refused = await assignPlanByEmails(admin.id, [users[0]!.email, missing], plan.id).catch(
      (error) => error,
    );
    expect(refused).toMatchObject({
      code: "validation_failed",
      message: `No account has the address ${missing}. Nothing was changed.`,
      details: { field: "emails", unknown: [missing] },
    });
    expect((await getPlanOrThrow(plan.id)).userCount).toBe(0);

    const done = await assignPlanByEmails(
      admin.id,
      [` ${users[0]!.email.toUpperCase()} `, users[1]!.email, ""],
      plan.id,
    );
    expect(done).toMatchObject({ changed: 2, unchanged: 0 });
    await expect(assignPlanByEmails(admin.id, [" ", ""], plan.id)).rejects.toMatchObject({
      details: { field: "emails" },
    });
  });
});

describe("a plan's changes reach the next MCP call", () => {
  let tenant: Tenant;
  let planId: string;

  const call = async (client: Awaited<ReturnType<typeof connectClient>>, text: string) =>
    client.callTool({ name: "formatter_transform_text", arguments: { text, operation: "uppercase" } });

  beforeAll(async () => {
    // One test's calls must fall in one hour (and day): wait past a boundary that is close.
    const untilNextHour = 3_600_000 - (Date.now() % 3_600_000);
    if (untilNextHour < 30_000) await new Promise((resolve) => setTimeout(resolve, untilNextHour + 500));
    tenant = await createTenant(platform.url, "plan-limits");
    const plan = await createPlan({
      name: unique("Metered"),
      hourlyLimit: 10,
      dailyLimit: 100,
      monthlyLimit: 1_000,
    });
    planId = plan.id;
    await assignPlan(admin.id, [tenant.userId], planId);
  });

  it("refuses the next call, naming the window, once the hourly limit is lowered below the usage", async () => {
    const client = await connectClient(platform.url, tenant.secret);
    try {
      for (let index = 0; index < 3; index++)
        expect((await call(client, `call ${index}`)).isError).toBeFalsy();
      // Lowered below the 3 calls made this hour: the cached snapshot must not keep the old limit.
      await updatePlan(planId, { hourlyLimit: 2 }, as());
      const refused = await call(client, "one too many");
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(/hourly limit of 2 tool calls is used up/);
      expect(textOf(refused)).toMatch(/resets at/i);
      const event = await lastEvent(planId, "plan.updated");
      expect(event.metadata).toMatchObject({
        changes: { hourlyLimit: { from: 10, to: 2 } },
        affectedUsers: 1,
      });

      // Raised again: the next call goes through.
      await updatePlan(planId, { hourlyLimit: 50 });
      expect((await call(client, "allowed again")).isError).toBeFalsy();

      // A move to a plan whose daily limit is used up: refused, naming the day. (A plan's limits
      // are in order, and this hour's calls are the day's, so the person's own hourly limit is
      // raised above the day's to let the day decide.)
      const tight = await createPlan({
        name: unique("Tight"),
        hourlyLimit: 4,
        dailyLimit: 4,
        monthlyLimit: 1_000,
      });
      await setLimitOverrides(tenant.userId, { hour: 50 });
      await assignPlan(admin.id, [tenant.userId], tight.id);
      expect(textOf(await call(client, "daily"))).toMatch(/daily limit of 4 tool calls is used up/);

      // A person's own override still wins over the plan's limits.
      await setLimitOverrides(tenant.userId, { day: 100 });
      expect((await call(client, "override")).isError).toBeFalsy();
      await setLimitOverrides(tenant.userId, { hour: null });
      await updatePlan(tight.id, { hourlyLimit: 5, dailyLimit: 5 });
      const hourly = await call(client, "plan hourly");
      expect(textOf(hourly)).toMatch(/hourly limit of 5 tool calls is used up/);
    } finally {
      await client.close();
    }
  });

  it("drops the cached snapshots of people without a plan when the default plan changes", async () => {
    // A person whose plan was removed (before deletion was refused) follows the default plan. The
    // stand-in default has Free's limits, so accounts other test files create meanwhile lose nothing.
    const orphan = await createTenant(platform.url, "planless");
    await getDb().user.update({ where: { id: orphan.userId }, data: { planId: null } });
    const copy = await createPlan({
      name: unique("Default for now"),
      hourlyLimit: 80,
      dailyLimit: 160,
      monthlyLimit: 300,
    });
    const client = await connectClient(platform.url, orphan.secret);
    // This process's own snapshot cache: held while nothing changes (the same object twice).
    const held = async () => {
      const first = await resolveServerBySecret(orphan.secret);
      return first !== null && (await resolveServerBySecret(orphan.secret)) === first ? first : null;
    };
    try {
      await withDefaultPlanLock(async () => {
        try {
          expect((await call(client, "warm the cache")).isError).toBeFalsy();
          expect(await whenSnapshotFeedLive()).toBe(true);
          let before: ServerSnapshot | null = null;
          await expect.poll(async () => (before = await held())).not.toBeNull();
          await setDefaultPlan(copy.id);
          expect(await resolveServerBySecret(orphan.secret)).not.toBe(before);
          expect((await call(client, "again")).isError).toBeFalsy();
        } finally {
          await setDefaultPlan("plan_free");
        }
      });
    } finally {
      await client.close();
    }
  });
});
