// An organization's quota against the real Redis and PostgreSQL, below the MCP endpoint: one
// script reserves the organization's three windows and the member's three, so a burst admits
// exactly the organization's limit with no member over theirs, a refusal names whose limit it
// was, a refund gives back exactly what was taken, and members' personal counters are untouched.
// The ledger rebuilds the counters, personal ones from personal calls only.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { addMembership, createOrg } from "@/lib/orgs/manage-orgs";
import {
  memberQuotaKeys,
  orgQuotaKeys,
  readMemberQuotaCounters,
  readOrgQuotaCounters,
  readQuotaCounters,
  refundQuota,
  reserveOrgQuota,
} from "@/lib/quota/quota-store";
import { getOrgUsage, getUsage, rebuildOrgQuotaCounters, rebuildQuotaCounters } from "@/lib/quota/usage";
import { getWindows } from "@/lib/quota/windows";
import { getRedis } from "@/lib/redis/client";
import { createUser } from "@/lib/users/create-user";
import { uniqueEmail } from "../helpers/mcp";
import { closeTestConnections } from "../helpers/teardown";

afterAll(async () => {
  await closeTestConnections();
});

const big = 1_000_000;

async function orgWithMembers(count: number) {
  const users = await Promise.all(
    Array.from({ length: count }, (_, index) =>
      createUser({ email: uniqueEmail(`org-quota-${index}`), password: "correct horse battery" }),
    ),
  );
  const org = await createOrg(users[0]!.id, "Quota Co");
  await getDb().$transaction(async (tx) => {
    for (const user of users.slice(1))
      await addMembership(tx, { orgId: org.id, userId: user.id, role: "MEMBER" });
  });
  return { org, userIds: users.map((user) => user.id) };
}

/** Waits past the next hour boundary if it is close, so that one burst falls in one hour. */
async function awayFromHourBoundary(marginMs = 10_000): Promise<void> {
  const untilNextHour = 3_600_000 - (Date.now() % 3_600_000);
  if (untilNextHour < marginMs) await new Promise((resolve) => setTimeout(resolve, untilNextHour + 500));
}

describe("reserveOrgQuota", () => {
  it("admits exactly the organization's limit under a burst, no member over theirs, and names whose limit refused", async () => {
    await awayFromHourBoundary();
    const { org, userIds } = await orgWithMembers(3);
    const now = new Date();
    const orgLimits = { hour: 10, day: big, month: big };
    const memberLimits = { hour: 4, day: null, month: null };
    // 3 members x 20 at once.
    const results = await Promise.all(
      userIds.flatMap((userId) =>
        Array.from({ length: 20 }, async () => ({
          userId,
          reservation: await reserveOrgQuota(org.id, userId, orgLimits, memberLimits, now),
        })),
      ),
    );
    const admitted = results.filter((result) => result.reservation.admitted);
    expect(admitted).toHaveLength(10);
    const perMember = new Map(userIds.map((userId) => [userId, 0]));
    for (const { userId } of admitted) perMember.set(userId, (perMember.get(userId) ?? 0) + 1);
    for (const count of perMember.values()) expect(count).toBeLessThanOrEqual(4);
    for (const { userId, reservation } of results) {
      if (reservation.admitted) continue;
      expect(reservation.window.name).toBe("hour");
      // A member who got fewer than 4 was refused only by the organization's limit.
      if ((perMember.get(userId) ?? 0) < 4) expect(reservation.scope).toBe("org");
      expect(reservation.limit).toBe(reservation.scope === "org" ? 10 : 4);
    }
    expect(results.some(({ reservation }) => !reservation.admitted && reservation.scope === "member")).toBe(
      true,
    );

    expect(await readOrgQuotaCounters(org.id, now)).toEqual({ hour: 10, day: 10, month: 10 });
    for (const userId of userIds) {
      const own = perMember.get(userId) ?? 0;
      expect(await readMemberQuotaCounters(org.id, userId, now)).toEqual({ hour: own, day: own, month: own });
      // Calls on an organization's server never touch the member's personal quota.
      expect(await readQuotaCounters(userId, now)).toEqual({ hour: 0, day: 0, month: 0 });
      expect((await getUsage(userId, now)).hour.used).toBe(0);
    }
  });

  it("refuses by a member's limit without consuming the organization's, and a refund gives back exactly what was taken", async () => {
    const { org, userIds } = await orgWithMembers(2);
    const [first, second] = userIds as [string, string];
    const now = new Date();
    const orgLimits = { hour: 100, day: big, month: big };
    const memberLimits = { hour: 1, day: null, month: null };
    expect((await reserveOrgQuota(org.id, first, orgLimits, memberLimits, now)).admitted).toBe(true);
    const refused = await reserveOrgQuota(org.id, first, orgLimits, memberLimits, now);
    expect(refused).toMatchObject({ admitted: false, scope: "member", limit: 1, used: 1 });
    expect(await readOrgQuotaCounters(org.id, now)).toEqual({ hour: 1, day: 1, month: 1 });
    expect((await reserveOrgQuota(org.id, second, orgLimits, memberLimits, now)).admitted).toBe(true);

    await refundQuota({ userId: first, orgId: org.id }, now);
    expect(await readOrgQuotaCounters(org.id, now)).toEqual({ hour: 1, day: 1, month: 1 });
    expect(await readMemberQuotaCounters(org.id, first, now)).toEqual({ hour: 0, day: 0, month: 0 });
    expect(await readMemberQuotaCounters(org.id, second, now)).toEqual({ hour: 1, day: 1, month: 1 });
    expect(await readQuotaCounters(first, now)).toEqual({ hour: 0, day: 0, month: 0 });
    // With the refund, the member's own limit has room again.
    expect((await reserveOrgQuota(org.id, first, orgLimits, memberLimits, now)).admitted).toBe(true);
  });

  it("keeps an organization's counters and its members' under one hash tag (Redis Cluster slots)", async () => {
    const windows = getWindows(new Date());
    const keys = [...orgQuotaKeys("o1", windows), ...memberQuotaKeys("o1", "u1", windows)];
    for (const key of keys) expect(key).toContain("{org:o1}");
    expect(keys.every((key) => key.indexOf("{") === keys[0]!.indexOf("{"))).toBe(true);
  });
});

describe("usage and rebuilds", () => {
  it("rebuilds an organization's counters and its members' from the ledger, and personal counters from personal calls only", async () => {
    const { org, userIds } = await orgWithMembers(2);
    const [first, second] = userIds as [string, string];
    const server = await getDb().mcpServer.create({
      data: { userId: first, orgId: org.id, name: "shared", secretHash: randomUUID().replaceAll("-", "") },
    });
    const personal = await getDb().mcpServer.create({
      data: { userId: first, name: "own", secretHash: randomUUID().replaceAll("-", "") },
    });
    const now = new Date();
    const row = (userId: string, orgId: string | null, serverId: string) => ({
      id: randomUUID(),
      userId,
      orgId,
      serverId,
      toolName: "t",
      integration: "formatter",
      action: "count_text",
      status: "SUCCESS" as const,
      counted: true,
      startedAt: now,
    });
    await getDb().call.createMany({
      data: [
        row(first, org.id, server.id),
        row(first, org.id, server.id),
        row(second, org.id, server.id),
        row(first, null, personal.id),
      ],
    });
    const redis = await getRedis();
    await redis.del(
      ...orgQuotaKeys(org.id, getWindows(now)),
      ...memberQuotaKeys(org.id, first, getWindows(now)),
    );

    expect(await rebuildOrgQuotaCounters(org.id, now)).toEqual({
      org: { hour: 3, day: 3, month: 3 },
      members: { [first]: { hour: 2, day: 2, month: 2 }, [second]: { hour: 1, day: 1, month: 1 } },
    });
    expect(await rebuildQuotaCounters(first, now)).toEqual({ hour: 1, day: 1, month: 1 });
    expect(await rebuildQuotaCounters(second, now)).toEqual({ hour: 0, day: 0, month: 0 });

    await getDb().organization.update({
      where: { id: org.id },
      data: { hourlyLimitOverride: 50, memberHourlyLimit: 20 },
    });
    const usage = await getOrgUsage(org.id, first, now);
    expect(usage.hour).toMatchObject({ used: 3, limit: 50 });
    expect(usage.member?.hour).toMatchObject({ used: 2, limit: 20 });
    expect(usage.member?.day.limit).toBeNull();
  });
});
