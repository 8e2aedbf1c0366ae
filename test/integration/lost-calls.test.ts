// Lost work (docs/security.md 17): a call whose job Redis lost is failed by the sweeper with
// a platform error once it is past its wait, and its quota unit comes back; a call whose job is
// still queued (waiting for a worker, or delayed by a 429) is left alone, however old; a sweep
// run twice at once fails and refunds each lost call once. Jobs are lost for real: their keys are
// deleted from Redis while no worker runs.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEnv, setEnv } from "@/env";
import { admitCall } from "@/lib/calls/admit-call";
import { type CallOutcome, describeCallOutcome } from "@/lib/calls/call-outcome";
import { sweepLostCalls } from "@/lib/calls/sweep-lost-calls";
import { disconnectDb, getDb } from "@/lib/db/client";
import { bullPrefix } from "@/lib/queue/connection";
import { toolCallJob } from "@/lib/queue/jobs/tool-call";
import { getQueue } from "@/lib/queue/queues";
import { getUsage } from "@/lib/quota/usage";
import { getRedis } from "@/lib/redis/client";
import type { ServerSnapshot } from "@/lib/servers/server-snapshot";
import { resolveServerBySecret } from "@/lib/servers/snapshot-cache";
import { createScratchDatabase, type ScratchDatabase } from "../helpers/database";
import { createTenant, type Tenant } from "../helpers/mcp";
import { closeTestConnections } from "../helpers/teardown";

let tenant: Tenant;
let snapshot: ServerSnapshot;
let database: ScratchDatabase;
const pendingResults: { controller: AbortController; result: Promise<CallOutcome> }[] = [];

beforeAll(async () => {
  // A prefix of its own: no worker (of this run or any other file) may take these calls. A
  // database of its own too: a sweep sees every pending call of its database, and other files'
  // calls have their jobs under other prefixes, where this file's sweeps would count them lost.
  setEnv({ REDIS_PREFIX: `${getEnv().REDIS_PREFIX}-lost-${randomBytes(3).toString("hex")}` });
  database = await createScratchDatabase();
  await disconnectDb();
  setEnv({ DATABASE_URL: database.url });
  tenant = await createTenant("http://unused.invalid", "lost", [
    { integration: "formatter", action: "calculate" },
  ]);
  snapshot = (await resolveServerBySecret(tenant.secret))!;
});

afterAll(async () => {
  // The calls left waiting are cancelled, which ends their requests.
  for (const { controller } of pendingResults) controller.abort("test over");
  await Promise.allSettled(pendingResults.map(({ result }) => result));
  await closeTestConnections();
  await database.drop();
});

const queue = () => getQueue(toolCallJob.queue);
const jobKeyPattern = () => `${bullPrefix()}:${toolCallJob.queue}:*`;
const later = () => new Date(Date.now() + 10 * 60_000);

/** Admits one call through the real tools/call path; resolves with its id once its job is queued. */
async function admitOneCall(): Promise<{ callId: string; result: Promise<CallOutcome> }> {
  const before = await getDb().call.count({ where: { userId: tenant.userId } });
  const controller = new AbortController();
  const result = admitCall(
    snapshot,
    snapshot.tools[0]!,
    { operation: "add", numbers: [1, 2] },
    { signal: controller.signal },
  );
  pendingResults.push({ controller, result });
  await expect.poll(() => getDb().call.count({ where: { userId: tenant.userId } })).toBe(before + 1);
  const { id } = await getDb().call.findFirstOrThrow({
    where: { userId: tenant.userId },
    orderBy: { startedAt: "desc" },
  });
  await expect.poll(async () => (await queue().getJob(id))?.id).toBe(id);
  return { callId: id, result };
}

async function usedThisHour(): Promise<number> {
  return (await getUsage(tenant.userId)).hour.used;
}

async function statusOf(callId: string) {
  return getDb().call.findUniqueOrThrow({
    where: { id: callId },
    select: { status: true, counted: true, errorCode: true, errorMessage: true },
  });
}

describe("the sweeper of lost calls", () => {
  it("fails a call whose job Redis lost, gives its quota back, and leaves queued jobs alone", async () => {
    const lost = await admitOneCall();
    // Redis loses every key of the queue (a flush, a restart without persistence).
    const redis = await getRedis();
    const queueKeys = await redis.keys(jobKeyPattern());
    expect(queueKeys.length).toBeGreaterThan(0);
    await redis.del(...queueKeys);

    const waiting = await admitOneCall();
    // Delayed, as a 429 from the app leaves it.
    const delayed = await admitOneCall();
    await (await queue().getJob(delayed.callId))!.remove();
    await queue().add(
      toolCallJob.name,
      { callId: delayed.callId },
      { jobId: delayed.callId, delay: 600_000 },
    );
    expect(await queue().getJobState(delayed.callId)).toBe("delayed");
    // Half lost: its data is gone, its id still sits in the waiting list.
    const halfLost = await admitOneCall();
    await redis.del(`${bullPrefix()}:${toolCallJob.queue}:${halfLost.callId}`);
    expect(await usedThisHour()).toBe(4);

    // Nothing is past its wait yet.
    expect(await sweepLostCalls()).toBe(0);
    expect((await statusOf(lost.callId)).status).toBe("PENDING");

    expect(await sweepLostCalls(later())).toBe(2);
    for (const callId of [lost.callId, halfLost.callId]) {
      const row = await statusOf(callId);
      expect(row).toMatchObject({ status: "ERROR", errorCode: "platform_error", counted: false });
      expect(row.errorMessage).toBe(
        "The platform lost this call's job before its action started, so nothing ran and no quota was used. Try again.",
      );
    }
    for (const callId of [waiting.callId, delayed.callId])
      expect(await statusOf(callId)).toMatchObject({ status: "PENDING", counted: true });
    expect(await usedThisHour()).toBe(2);
    expect(await sweepLostCalls(later())).toBe(0);

    // The request that still waited for the lost call hears of it from the ledger.
    const outcome = await lost.result;
    expect(outcome).toMatchObject({ status: "failed", code: "platform_error" });
    expect(describeCallOutcome(outcome)).toContain("The platform lost this call's job");
  });

  it("fails and refunds each lost call once when several workers sweep at once", async () => {
    const used = await usedThisHour();
    const lost = [await admitOneCall(), await admitOneCall(), await admitOneCall()];
    for (const { callId } of lost) await (await queue().getJob(callId))!.remove();
    expect(await usedThisHour()).toBe(used + 3);

    const swept = await Promise.all([
      sweepLostCalls(later()),
      sweepLostCalls(later()),
      sweepLostCalls(later()),
    ]);
    expect(swept.reduce((sum, count) => sum + count, 0)).toBe(3);
    expect(await usedThisHour()).toBe(used);
    for (const { callId } of lost) expect((await statusOf(callId)).status).toBe("ERROR");
  });
});
