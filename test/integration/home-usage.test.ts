// The home page's usage numbers against the real Redis and PostgreSQL: calls admitted this hour,
// today and this month against the person's effective limits (a per-person override wins over the
// plan), and the warnings those numbers give.
import { afterAll, describe, expect, it } from "vitest";
import { describeUsageWarnings } from "@/app/(dashboard)/usage-warnings";
import { getEffectiveLimits } from "@/lib/quota/effective-limits";
import { reserveQuota } from "@/lib/quota/quota-store";
import { getUsage } from "@/lib/quota/usage";
import { getWindows } from "@/lib/quota/windows";
import { createUser } from "@/lib/users/create-user";
import { setLimitOverrides } from "@/lib/users/set-limit-overrides";
import { uniqueEmail } from "../helpers/mcp";
import { closeTestConnections } from "../helpers/teardown";

afterAll(async () => {
  await closeTestConnections();
});

async function admit(userId: string, times: number, now: Date) {
  const limits = await getEffectiveLimits(userId);
  for (let index = 0; index < times; index += 1) {
    const reservation = await reserveQuota(userId, limits, now);
    expect(reservation.admitted).toBe(true);
  }
}

describe("usage on the home page", () => {
  it("counts admitted calls per window against the effective limits, and warns from 80 % and at the limit", async () => {
    const { id: userId } = await createUser({
      email: uniqueEmail("home-usage"),
      password: "correct horse battery",
    });
    await setLimitOverrides(userId, { hour: 5, day: 40 });
    const now = new Date();
    const plan = await getEffectiveLimits(userId);

    await admit(userId, 4, now);
    const nearly = await getUsage(userId, now);
    const windows = getWindows(now);
    expect(nearly).toEqual({
      hour: { used: 4, limit: 5, resetsAt: windows.hour.resetsAt.toISOString() },
      day: { used: 4, limit: 40, resetsAt: windows.day.resetsAt.toISOString() },
      month: { used: 4, limit: plan.month, resetsAt: windows.month.resetsAt.toISOString() },
    });
    expect(describeUsageWarnings(nearly).map((warning) => [warning.window, warning.level])).toEqual([
      ["hour", "warning"],
    ]);

    await admit(userId, 1, now);
    const full = await getUsage(userId, now);
    expect(full.hour).toMatchObject({ used: 5, limit: 5 });
    const [warning] = describeUsageWarnings(full);
    const resetsAt = windows.hour.resetsAt.toISOString().slice(11, 16);
    expect(warning?.message).toBe(
      `You have used all 5 calls allowed this hour; calls are refused until ${resetsAt} UTC.`,
    );
    // The next call is refused, as the warning says.
    expect((await reserveQuota(userId, await getEffectiveLimits(userId), now)).admitted).toBe(false);
  });
});
