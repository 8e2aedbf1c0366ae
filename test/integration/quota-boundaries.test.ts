// Quota windows at their boundaries (docs/security.md 18) with an injected clock: tool calls run
// in-process through admitCall and a real worker process, at moments just before and after
// the end of an hour, a day, a month and a year. A refund goes to the windows the call was
// admitted in, even when it finishes in the next one.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEnv, setEnv } from "@/env";
import { admitCall } from "@/lib/calls/admit-call";
import { sealCallInput } from "@/lib/calls/call-input";
import { describeCallOutcome } from "@/lib/calls/call-outcome";
import { createPendingCall, finishCall } from "@/lib/calls/ledger";
import { getDb } from "@/lib/db/client";
import { getEffectiveLimits } from "@/lib/quota/effective-limits";
import { reserveQuota } from "@/lib/quota/quota-store";
import { countLedgerUsage, getUsage } from "@/lib/quota/usage";
import type { ServerSnapshot } from "@/lib/servers/server-snapshot";
import { resolveServerBySecret } from "@/lib/servers/snapshot-cache";
import { type LimitOverrides, setLimitOverrides } from "@/lib/users/set-limit-overrides";
import { createTenant } from "../helpers/mcp";
import { closeTestConnections } from "../helpers/teardown";
import { type RunningWorker, startWorker } from "../helpers/worker";

let worker: RunningWorker;

beforeAll(async () => {
  // A key prefix of its own, so that only this file's worker takes this file's jobs.
  setEnv({ REDIS_PREFIX: `${getEnv().REDIS_PREFIX}-bounds${randomBytes(2).toString("hex")}` });
  worker = await startWorker({ REDIS_PREFIX: getEnv().REDIS_PREFIX });
});

afterAll(async () => {
  await worker?.stop();
  await closeTestConnections();
});

async function tenantWithLimits(label: string, limits: LimitOverrides) {
  const tenant = await createTenant("http://unused.invalid", label, [
    { integration: "formatter", action: "transform_text" },
    { integration: "formatter", action: "calculate" },
  ]);
  await setLimitOverrides(tenant.userId, limits);
  const snapshot = await resolveServerBySecret(tenant.secret);
  if (!snapshot) throw new Error("the new server's secret does not resolve");
  return { ...tenant, snapshot };
}

function callAt(snapshot: ServerSnapshot, iso: string, name = "formatter_transform_text", args?: unknown) {
  const tool = snapshot.tools.find((candidate) => candidate.name === name)!;
  return admitCall(snapshot, tool, args ?? { text: iso, operation: "uppercase" }, {
    signal: new AbortController().signal,
    clock: () => new Date(iso),
  });
}

async function usedAt(userId: string, iso: string) {
  const usage = await getUsage(userId, new Date(iso));
  const fromLedger = await countLedgerUsage(userId, new Date(iso));
  const counters = { hour: usage.hour.used, day: usage.day.used, month: usage.month.used };
  expect(counters).toEqual(fromLedger); // the record and the counters agree at every moment
  return counters;
}

describe("window boundaries with an injected clock", () => {
  it("resets the hourly count exactly at the top of the hour", async () => {
    const { snapshot, userId } = await tenantWithLimits("hour-edge", { hour: 2, day: 100, month: 100 });
    expect((await callAt(snapshot, "2031-03-04T10:59:59.000Z")).status).toBe("succeeded");
    expect((await callAt(snapshot, "2031-03-04T10:59:59.500Z")).status).toBe("succeeded");
    const refused = await callAt(snapshot, "2031-03-04T10:59:59.999Z");
    expect(refused.status).toBe("refused");
    expect(describeCallOutcome(refused)).toBe(
      "Quota exceeded: the hourly limit of 2 tool calls is used up. It resets at 2031-03-04T11:00:00.000Z.",
    );
    const next = await callAt(snapshot, "2031-03-04T11:00:00.000Z");
    expect(next.status).toBe("succeeded");
    expect(describeCallOutcome(next)).toContain("2031-03-04T11:00:00.000Z".toUpperCase());

    expect(await usedAt(userId, "2031-03-04T10:59:59.999Z")).toEqual({ hour: 2, day: 3, month: 3 });
    expect(await usedAt(userId, "2031-03-04T11:00:00.000Z")).toEqual({ hour: 1, day: 3, month: 3 });
  });

  it("refunds a call admitted at 10:59:59.9 that fails after 11:00 into the 10:00 window", async () => {
    const { snapshot, userId } = await tenantWithLimits("refund-edge", {
      hour: 5,
      day: 100,
      month: 100,
    });
    expect((await callAt(snapshot, "2031-03-04T11:00:00.100Z")).status).toBe("succeeded");

    // Through the worker: the failing call is admitted in the 10:00 hour and finishes later.
    const failed = await callAt(snapshot, "2031-03-04T10:59:59.900Z", "formatter_calculate", {
      operation: "divide",
      numbers: [1, 0],
    });
    expect(failed).toMatchObject({ status: "failed", code: "action_failed" });
    expect(describeCallOutcome(failed)).toMatch(/divide by zero/i);
    const row = await getDb().call.findFirst({ where: { userId, status: "ERROR" } });
    expect(row?.startedAt.toISOString()).toBe("2031-03-04T10:59:59.900Z");
    expect(row?.counted).toBe(false);
    expect(await usedAt(userId, "2031-03-04T10:59:59.900Z")).toEqual({ hour: 0, day: 1, month: 1 });
    expect(await usedAt(userId, "2031-03-04T11:00:00.100Z")).toEqual({ hour: 1, day: 1, month: 1 });

    // Through the ledger directly, with the finishing moment itself on the far side of 11:00.
    const admittedAt = new Date("2031-03-04T10:59:59.900Z");
    const reservation = await reserveQuota(userId, await getEffectiveLimits(userId), admittedAt);
    expect(reservation.admitted).toBe(true);
    const tool = snapshot.tools[0]!;
    const callId = randomUUID();
    const call = {
      id: callId,
      userId,
      serverId: snapshot.serverId,
      toolId: tool.id,
      toolName: tool.name,
      integration: tool.integration,
      action: tool.action,
      input: {},
      startedAt: admittedAt,
    };
    await createPendingCall({ ...call, sealedInput: await sealCallInput(call, {}, call.input) });
    expect(await usedAt(userId, "2031-03-04T10:59:59.900Z")).toEqual({ hour: 1, day: 2, month: 2 });
    const finished = await finishCall(
      callId,
      { status: "ERROR", errorCode: "action_failed", errorMessage: "boom" },
      new Date("2031-03-04T11:00:00.100Z"),
    );
    expect(finished).toBe(true);
    expect(await usedAt(userId, "2031-03-04T10:59:59.900Z")).toEqual({ hour: 0, day: 1, month: 1 });
    expect(await usedAt(userId, "2031-03-04T11:00:00.100Z")).toEqual({ hour: 1, day: 1, month: 1 });
    // Finishing twice refunds once.
    expect(
      await finishCall(callId, { status: "ERROR", errorCode: "x", errorMessage: "again" }, new Date()),
    ).toBe(false);
    expect(await usedAt(userId, "2031-03-04T11:00:00.100Z")).toEqual({ hour: 1, day: 1, month: 1 });
  });

  it("starts a new day, month and year at 00:00 on January 1", async () => {
    const { snapshot, userId } = await tenantWithLimits("year-edge", { hour: 10, day: 1, month: 10 });
    expect((await callAt(snapshot, "2031-12-31T23:59:59.000Z")).status).toBe("succeeded");
    const refused = await callAt(snapshot, "2031-12-31T23:59:59.999Z");
    expect(describeCallOutcome(refused)).toBe(
      "Quota exceeded: the daily limit of 1 tool calls is used up. It resets at 2032-01-01T00:00:00.000Z.",
    );
    expect((await callAt(snapshot, "2032-01-01T00:00:00.000Z")).status).toBe("succeeded");
    expect(await usedAt(userId, "2031-12-31T23:59:59.999Z")).toEqual({ hour: 1, day: 1, month: 1 });
    expect(await usedAt(userId, "2032-01-01T00:00:00.000Z")).toEqual({ hour: 1, day: 1, month: 1 });
  });

  it("ends the month after February 29 in a leap year", async () => {
    const { snapshot, userId } = await tenantWithLimits("month-edge", { hour: 10, day: 10, month: 2 });
    expect((await callAt(snapshot, "2032-02-01T00:00:00.000Z")).status).toBe("succeeded");
    expect((await callAt(snapshot, "2032-02-29T23:59:59.000Z")).status).toBe("succeeded");
    const refused = await callAt(snapshot, "2032-02-29T23:59:59.999Z");
    expect(describeCallOutcome(refused)).toBe(
      "Quota exceeded: the monthly limit of 2 tool calls is used up. It resets at 2032-03-01T00:00:00.000Z.",
    );
    expect((await callAt(snapshot, "2032-03-01T00:00:00.000Z")).status).toBe("succeeded");
    expect(await usedAt(userId, "2032-02-29T23:59:59.999Z")).toEqual({ hour: 1, day: 1, month: 2 });
    expect(await usedAt(userId, "2032-03-01T00:00:00.000Z")).toEqual({ hour: 1, day: 1, month: 1 });
  });

  it("refuses in one window without consuming the others, then admits in the next hour", async () => {
    const { snapshot, userId } = await tenantWithLimits("no-leak", { hour: 1, day: 3, month: 3 });
    expect((await callAt(snapshot, "2031-07-01T09:30:00.000Z")).status).toBe("succeeded");
    for (let index = 0; index < 5; index++)
      expect((await callAt(snapshot, "2031-07-01T09:45:00.000Z")).status).toBe("refused");
    expect(await usedAt(userId, "2031-07-01T09:45:00.000Z")).toEqual({ hour: 1, day: 1, month: 1 });
    expect((await callAt(snapshot, "2031-07-01T10:00:00.000Z")).status).toBe("succeeded");
    expect(await usedAt(userId, "2031-07-01T10:00:00.000Z")).toEqual({ hour: 1, day: 2, month: 2 });
    expect(await getDb().call.count({ where: { userId, status: "REFUSED", counted: false } })).toBe(5);
  });
});
