// Quota exactness and refunds through the real endpoint (docs/security.md 14, 16, 17): 200 simultaneous
// tools/call requests admit exactly the remaining number in whichever window binds, a refusal
// names the window, the limit and the reset time and consumes nothing anywhere, failed calls and
// invalid arguments cost nothing, and the Redis counters agree with the ledger.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { quotaKey, quotaKeys } from "@/lib/quota/quota-store";
import { countLedgerUsage, getUsage, rebuildQuotaCounters } from "@/lib/quota/usage";
import { getWindows, type WindowName } from "@/lib/quota/windows";
import { getRedis } from "@/lib/redis/client";
import { type LimitOverrides, setLimitOverrides } from "@/lib/users/set-limit-overrides";
import {
  callRequest,
  connectClient,
  createTenant,
  postRpc,
  responseOf,
  type Tenant,
  textOf,
} from "../helpers/mcp";
import { type RunningPlatform, startPlatform } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

let platform: RunningPlatform;

beforeAll(async () => {
  platform = await startPlatform();
  // The first requests of a fresh server compile routes and open connections; a flood is about
  // quotas, not cold starts.
  const warmUp = await createTenant(platform.url, "warm-up");
  await postRpc(warmUp.url, uppercase(0));
});

afterAll(async () => {
  await platform?.stop();
  await closeTestConnections();
});

/** Waits past the next hour boundary if it is close, so that one flood falls in one hour. */
async function awayFromHourBoundary(marginMs = 15_000): Promise<void> {
  const untilNextHour = 3_600_000 - (Date.now() % 3_600_000);
  if (untilNextHour < marginMs) await new Promise((resolve) => setTimeout(resolve, untilNextHour + 500));
}

const uppercase = (index: number) =>
  callRequest("formatter_transform_text", { text: `call ${index}`, operation: "uppercase" });

/** Fires `count` tools/call requests at once, alternating the path and the bearer forms. */
async function flood(tenant: Tenant, count: number) {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const reply =
        index % 2 === 0
          ? await postRpc(tenant.url, uppercase(index))
          : await postRpc(`${platform.url}/mcp`, uppercase(index), {
              Authorization: `Bearer ${tenant.secret}`,
            });
      if (reply.status !== 200)
        throw new Error(`HTTP ${reply.status}: ${reply.text}\n${platform.output().slice(-3_000)}`);
      const response = responseOf(reply);
      expect(response.error).toBeUndefined();
      return { index, result: response.result! };
    }),
  );
}

async function ledgerCounts(userId: string) {
  const rows = await getDb().call.groupBy({ by: ["status"], where: { userId }, _count: true });
  const byStatus = Object.fromEntries(rows.map((row) => [row.status, row._count]));
  const counted = await getDb().call.count({ where: { userId, counted: true } });
  return {
    success: byStatus.SUCCESS ?? 0,
    refused: byStatus.REFUSED ?? 0,
    error: byStatus.ERROR ?? 0,
    counted,
  };
}

async function usedNow(userId: string): Promise<Record<WindowName, number>> {
  const usage = await getUsage(userId);
  return { hour: usage.hour.used, day: usage.day.used, month: usage.month.used };
}

type Scenario = {
  name: string;
  limits: LimitOverrides;
  alreadyUsed: number;
  binding: WindowName;
  limit: number;
};

const scenarios: Scenario[] = [
  {
    name: "hourly 5 with none used",
    limits: { hour: 5, day: 1_000, month: 1_000 },
    alreadyUsed: 0,
    binding: "hour",
    limit: 5,
  },
  {
    name: "hourly 50 with 30 used",
    limits: { hour: 50, day: 1_000, month: 1_000 },
    alreadyUsed: 30,
    binding: "hour",
    limit: 50,
  },
  {
    name: "daily 12 binding under a large hourly limit",
    limits: { hour: 1_000, day: 12, month: 1_000 },
    alreadyUsed: 0,
    binding: "day",
    limit: 12,
  },
  {
    name: "monthly 7 binding with 3 used",
    limits: { hour: 1_000, day: 1_000, month: 7 },
    alreadyUsed: 3,
    binding: "month",
    limit: 7,
  },
];

describe("200 simultaneous calls", () => {
  for (const scenario of scenarios) {
    it(`admit exactly the remaining calls: ${scenario.name}`, async () => {
      await awayFromHourBoundary();
      const tenant = await createTenant(platform.url, "flood");
      await setLimitOverrides(tenant.userId, scenario.limits);
      if (scenario.alreadyUsed > 0) {
        const warmUp = await flood(tenant, scenario.alreadyUsed);
        expect(warmUp.every(({ result }) => !result.isError)).toBe(true);
      }
      const remaining = scenario.limit - scenario.alreadyUsed;

      const resetsBefore = getWindows(new Date())[scenario.binding].resetsAt;
      const results = await flood(tenant, 200);
      const resetsAfter = getWindows(new Date())[scenario.binding].resetsAt;

      const succeeded = results.filter(({ result }) => !result.isError);
      const refused = results.filter(({ result }) => result.isError);
      expect(succeeded).toHaveLength(remaining);
      expect(refused).toHaveLength(200 - remaining);
      for (const { index, result } of succeeded) expect(textOf(result)).toContain(`CALL ${index}`);

      const windowWord = { hour: "hourly", day: "daily", month: "monthly" }[scenario.binding];
      const resets = new Set([resetsBefore.toISOString(), resetsAfter.toISOString()]);
      for (const { result } of refused) {
        const text = textOf(result);
        expect(text).toContain(`${windowWord} limit of ${scenario.limit} tool calls`);
        const reset = /resets at (\S+)\.$/.exec(text)?.[1];
        expect(resets.has(reset ?? "")).toBe(true);
      }

      // A call refused by one window consumed nothing in the others.
      const total = scenario.alreadyUsed + remaining;
      expect(await usedNow(tenant.userId)).toEqual({ hour: total, day: total, month: total });
      expect(await ledgerCounts(tenant.userId)).toEqual({
        success: total,
        refused: 200 - remaining,
        error: 0,
        counted: total,
      });
      expect(await countLedgerUsage(tenant.userId, new Date())).toEqual({
        hour: total,
        day: total,
        month: total,
      });

      // Once the limit is raised, the very next call is admitted.
      await setLimitOverrides(tenant.userId, { hour: null, day: null, month: null });
      const next = responseOf(await postRpc(tenant.url, uppercase(999)));
      expect(next.result?.isError).toBeFalsy();
    });
  }
});

describe("refunds", () => {
  it("counts only successes: a failing action is recorded ERROR, uncounted, and usage does not grow", async () => {
    const tenant = await createTenant(platform.url, "refund");
    const client = await connectClient(platform.url, tenant.secret);
    try {
      const ok = await client.callTool({
        name: "formatter_calculate",
        arguments: { operation: "add", numbers: [2, 3] },
      });
      expect(ok.isError).toBeFalsy();
      expect(ok.structuredContent).toEqual({ result: 5 });
      expect(await usedNow(tenant.userId)).toEqual({ hour: 1, day: 1, month: 1 });

      const badJson = await client.callTool({
        name: "formatter_extract_json",
        arguments: { json: "{oops", path: "a" },
      });
      expect(badJson.isError).toBe(true);
      expect(textOf(badJson)).toMatch(/not valid JSON/);
      const divide = await client.callTool({
        name: "formatter_calculate",
        arguments: { operation: "divide", numbers: [1, 0] },
      });
      expect(divide.isError).toBe(true);
      expect(textOf(divide)).toMatch(/divide by zero/i);

      expect(await usedNow(tenant.userId)).toEqual({ hour: 1, day: 1, month: 1 });
      const failed = await getDb().call.findMany({ where: { userId: tenant.userId, status: "ERROR" } });
      expect(failed).toHaveLength(2);
      for (const call of failed) {
        expect(call.counted).toBe(false);
        expect(call.errorCode).toBe("action_failed");
        expect(call.finishedAt).not.toBeNull();
      }
      expect(await ledgerCounts(tenant.userId)).toEqual({ success: 1, refused: 0, error: 2, counted: 1 });
    } finally {
      await client.close();
    }
  });

  it("lets a failing call hand its unit to the next caller when the limit is reached", async () => {
    const tenant = await createTenant(platform.url, "refund-limit");
    await setLimitOverrides(tenant.userId, { hour: 1 });
    const failing = responseOf(
      await postRpc(tenant.url, callRequest("formatter_calculate", { operation: "divide", numbers: [1, 0] })),
    );
    expect(failing.result?.isError).toBe(true);
    expect(textOf(failing.result)).not.toMatch(/Quota/);
    const ok = responseOf(await postRpc(tenant.url, uppercase(1)));
    expect(ok.result?.isError).toBeFalsy();
    const refused = responseOf(await postRpc(tenant.url, uppercase(2)));
    expect(textOf(refused.result)).toMatch(/hourly limit of 1 tool calls/);
  });

  it("rejects invalid arguments before anything is reserved or queued, and lists them at no cost", async () => {
    const tenant = await createTenant(platform.url, "invalid-args");
    await setLimitOverrides(tenant.userId, { hour: 1 });
    const cases: [string, unknown, RegExp][] = [
      ["formatter_calculate", { operation: "add", numbers: "1,2" }, /numbers/],
      ["formatter_calculate", { operation: "sqrt", numbers: [4] }, /operation/],
      [
        "formatter_calculate",
        { operation: "add", numbers: [1], extra: true },
        /unknown argument\(s\): extra/,
      ],
      ["formatter_transform_text", { operation: "uppercase" }, /text/],
      ["formatter_transform_text", "not an object", /Invalid arguments|arguments/],
      ["delay_wait", { seconds: 600 }, /seconds/],
    ];
    let refusedByTool = 0;
    for (const [name, args, field] of cases) {
      const reply = await postRpc(tenant.url, callRequest(name, args));
      const response = responseOf(reply);
      expect(reply.status).toBeLessThan(500);
      if (response.error) {
        // The SDK itself refuses arguments that are not an object, before the handler runs.
        expect(response.error.code).toBe(-32602);
        continue;
      }
      expect(response.result?.isError).toBe(true);
      expect(textOf(response.result)).toMatch(field);
      refusedByTool++;
    }
    // Each refusal is in the history with what was sent and why, counted nowhere: no job was
    // queued (a job would have finished the row) and the one unit of quota is still there.
    const recorded = await getDb().call.findMany({ where: { userId: tenant.userId } });
    expect(recorded).toHaveLength(refusedByTool);
    for (const row of recorded) {
      expect(row).toMatchObject({ status: "REFUSED", errorCode: "invalid_arguments", counted: false });
      expect(row.errorMessage).toMatch(/^Invalid arguments\./);
      expect(row.sealedInput).toBeNull();
    }
    expect(recorded.find((row) => row.action === "calculate")?.input).toEqual(
      expect.objectContaining({ operation: "add" }),
    );
    expect(await usedNow(tenant.userId)).toEqual({ hour: 0, day: 0, month: 0 });
    const ok = responseOf(await postRpc(tenant.url, uppercase(3)));
    expect(ok.result?.isError).toBeFalsy();
  });
});

describe("rebuilding the counters from the ledger", () => {
  it("restores lost Redis counters to what the ledger holds", async () => {
    const tenant = await createTenant(platform.url, "rebuild");
    for (let index = 0; index < 3; index++) await postRpc(tenant.url, uppercase(index));
    await postRpc(tenant.url, callRequest("formatter_calculate", { operation: "divide", numbers: [1, 0] }));
    expect(await usedNow(tenant.userId)).toEqual({ hour: 3, day: 3, month: 3 });

    const redis = await getRedis();
    await redis.del(...quotaKeys(tenant.userId, getWindows(new Date())));
    expect(await usedNow(tenant.userId)).toEqual({ hour: 0, day: 0, month: 0 });
    expect(await rebuildQuotaCounters(tenant.userId)).toEqual({ hour: 3, day: 3, month: 3 });
    expect(await usedNow(tenant.userId)).toEqual({ hour: 3, day: 3, month: 3 });
    const ttl = await redis.ttl(quotaKey(tenant.userId, getWindows(new Date()).hour));
    expect(ttl).toBeGreaterThan(86_000); // counters outlive their window by a day
  });
});
