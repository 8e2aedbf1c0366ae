// A worker killed mid-job (docs/security.md 17, 19): the job is picked up by another worker, the call
// completes once, is recorded once and counted once. An action that is not idempotent is not
// re-run after a delivery that may have started it (checked on the job handler itself, since no
// built-in action is non-idempotent yet).
import { randomBytes, randomUUID } from "node:crypto";
import { Job } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEnv, setEnv } from "@/env";
import { findAction } from "@/integrations/registry";
import type { ActionAnnotations } from "@/integrations/sdk/define";
import { admitCall } from "@/lib/calls/admit-call";
import { sealCallInput } from "@/lib/calls/call-input";
import { callStartKey } from "@/lib/calls/call-start";
import { createPendingCall } from "@/lib/calls/ledger";
import { getDb } from "@/lib/db/client";
import { toolCallJob } from "@/lib/queue/jobs/tool-call";
import { getQueue } from "@/lib/queue/queues";
import { getEffectiveLimits } from "@/lib/quota/effective-limits";
import { reserveQuota } from "@/lib/quota/quota-store";
import { getUsage } from "@/lib/quota/usage";
import { getRedis } from "@/lib/redis/client";
import { resolveServerBySecret } from "@/lib/servers/snapshot-cache";
import { createTenant } from "../helpers/mcp";
import { closeTestConnections } from "../helpers/teardown";
import { type RunningWorker, startWorker } from "../helpers/worker";

const workers: RunningWorker[] = [];
// Short enough to recover within the test, long enough that a busy machine does not miss a renewal.
const fastStallDetection = { JOB_LOCK_MS: "4000", JOB_STALLED_INTERVAL_MS: "1000" };

beforeAll(() => {
  // A key prefix of its own, so that only this file's workers take this file's jobs.
  setEnv({ REDIS_PREFIX: `${getEnv().REDIS_PREFIX}-recovery${randomBytes(2).toString("hex")}` });
});

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop("SIGKILL")));
  await closeTestConnections();
});

async function launchWorker(): Promise<RunningWorker> {
  const worker = await startWorker({ REDIS_PREFIX: getEnv().REDIS_PREFIX, ...fastStallDetection });
  workers.push(worker);
  return worker;
}

async function usageOf(userId: string) {
  const usage = await getUsage(userId);
  return { hour: usage.hour.used, day: usage.day.used, month: usage.month.used };
}

describe("a worker killed mid-job", () => {
  it("hands the job to another worker: the call completes, recorded and counted once", async () => {
    const tenant = await createTenant("http://unused.invalid", "killed", [
      { integration: "delay", action: "wait" },
    ]);
    const snapshot = (await resolveServerBySecret(tenant.secret))!;
    const first = await launchWorker();

    const progress: number[] = [];
    let sawProgress: () => void = () => {};
    const running = new Promise<void>((resolve) => {
      sawProgress = resolve;
    });
    const started = Date.now();
    const call = admitCall(
      snapshot,
      snapshot.tools[0]!,
      { seconds: 4 },
      {
        signal: new AbortController().signal,
        onProgress: async (done) => {
          progress.push(done);
          sawProgress();
        },
      },
    );
    await running; // the first worker is a second into the wait
    await first.stop("SIGKILL");
    expect(first.process.signalCode).toBe("SIGKILL");
    const ledgerWhileDown = await getDb().call.findMany({ where: { userId: tenant.userId } });
    expect(ledgerWhileDown.map((row) => row.status)).toEqual(["PENDING"]);

    await launchWorker();
    expect(await call).toEqual({ status: "succeeded", output: { waitedSeconds: 4 } });
    // Run again from the start by the second worker: at least 1 s + 4 s in all.
    expect(Date.now() - started).toBeGreaterThan(5_000);
    expect(progress.length).toBeGreaterThanOrEqual(4);

    const rows = await getDb().call.findMany({ where: { userId: tenant.userId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "SUCCESS", counted: true, output: { waitedSeconds: 4 } });
    expect(await usageOf(tenant.userId)).toEqual({ hour: 1, day: 1, month: 1 });
    const job = await Job.fromId(getQueue(toolCallJob.queue), rows[0]!.id);
    expect(job?.finishedOn).toBeTruthy();
    expect(job?.stalledCounter).toBe(1);
  }, 90_000);
});

describe("re-delivery of a job that may have started", () => {
  async function pendingCall(label: string) {
    const tenant = await createTenant("http://unused.invalid", label, [
      { integration: "formatter", action: "calculate" },
    ]);
    const snapshot = (await resolveServerBySecret(tenant.secret))!;
    const tool = snapshot.tools[0]!;
    const startedAt = new Date();
    const reservation = await reserveQuota(tenant.userId, await getEffectiveLimits(tenant.userId), startedAt);
    expect(reservation.admitted).toBe(true);
    const callId = randomUUID();
    const call = {
      id: callId,
      userId: tenant.userId,
      serverId: snapshot.serverId,
      toolId: tool.id,
      toolName: tool.name,
      integration: tool.integration,
      action: tool.action,
      input: { operation: "add", numbers: [20, 22] },
      startedAt,
    };
    await createPendingCall({ ...call, sealedInput: await sealCallInput(call, {}, call.input) });
    // A job object like the one a worker hands the handler (no worker consumes this queue).
    const job = new Job(getQueue("tests-redelivery"), toolCallJob.name, { callId }, { attempts: 1 });
    return { tenant, callId, job };
  }

  async function withIdempotence<T>(idempotent: boolean, run: () => Promise<T>): Promise<T> {
    const { action } = findAction("formatter", "calculate")!;
    const original: ActionAnnotations = action.annotations;
    action.annotations = { ...original, idempotent };
    try {
      return await run();
    } finally {
      action.annotations = original;
    }
  }

  it("does not re-run a non-idempotent action; the call fails and gives its quota back", async () => {
    const { tenant, callId, job } = await pendingCall("non-idempotent");
    expect(await usageOf(tenant.userId)).toEqual({ hour: 1, day: 1, month: 1 });
    // An earlier delivery got as far as starting the action, then its worker died.
    await (await getRedis()).set(callStartKey(callId), "0", "EX", 60);
    const result = await withIdempotence(false, () => toolCallJob.handle({ callId }, job));
    expect(result).toMatchObject({ status: "failed", code: "interrupted" });
    const row = await getDb().call.findUnique({ where: { id: callId } });
    expect(row).toMatchObject({ status: "ERROR", errorCode: "interrupted", counted: false });
    expect(await usageOf(tenant.userId)).toEqual({ hour: 0, day: 0, month: 0 });
  });

  it("runs a non-idempotent action on its first delivery", async () => {
    const { tenant, callId, job } = await pendingCall("non-idempotent-first");
    const result = await withIdempotence(false, () => toolCallJob.handle({ callId }, job));
    expect(result).toEqual({ status: "succeeded", output: { result: 42 } });
    expect(await (await getRedis()).exists(callStartKey(callId))).toBe(1);
    expect(await usageOf(tenant.userId)).toEqual({ hour: 1, day: 1, month: 1 });
  });

  it("re-runs an idempotent action, and a finished call is never run or counted again", async () => {
    const { tenant, callId, job } = await pendingCall("idempotent");
    await (await getRedis()).set(callStartKey(callId), "0", "EX", 60);
    const result = await withIdempotence(true, () => toolCallJob.handle({ callId }, job));
    expect(result).toEqual({ status: "succeeded", output: { result: 42 } });
    const again = await toolCallJob.handle({ callId }, job);
    expect(again).toEqual({ status: "succeeded", output: { result: 42 } });
    expect(await getDb().call.count({ where: { userId: tenant.userId } })).toBe(1);
    expect(await getDb().call.findUnique({ where: { id: callId } })).toMatchObject({
      status: "SUCCESS",
      counted: true,
    });
    expect(await usageOf(tenant.userId)).toEqual({ hour: 1, day: 1, month: 1 });
  });
});
