// The queue's health with real failed BullMQ jobs on the tool-calls queue (under a Redis prefix
// of this file's own, so no other test's worker takes them): counts, the failed list without
// payload secrets, retrying and discarding one or all, each recorded in the audit trail, and the
// workers' heartbeats.
import { randomBytes, randomUUID } from "node:crypto";
import { type Job, Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEnv, setEnv } from "@/env";
import { disconnectDb, getDb } from "@/lib/db/client";
import { startHeartbeat } from "@/lib/health/heartbeat";
import { bullPrefix } from "@/lib/queue/connection";
import { toolCallJob } from "@/lib/queue/jobs/tool-call";
import { closeQueues, enqueueJob, getQueue } from "@/lib/queue/queues";
import { createWorkerRedis, disconnectRedis, getRedis } from "@/lib/redis/client";
import { createUser } from "@/lib/users/create-user";
import {
  describeFailure,
  discardAllFailedJobs,
  discardFailedJob,
  getQueueHealth,
  retryAllFailedJobs,
  retryFailedJob,
} from "./queue-health";

// The reason a job fails with: a driver's message with a URL holding credentials and a token.
const failure = "connect failed: postgres://toolgate:hunter2-secret@db.internal:5432/app?token=abc123secret";

let failing = true;
let worker: Worker;
let stopHeartbeat: () => Promise<void>;
let audit: { actorId: string };

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const queue = () => getQueue(toolCallJob.queue);
const countOf = async (state: "failed" | "completed") => (await queue().getJobCounts(state))[state] ?? 0;

/** Adds tool-call jobs (attempts: 1) and waits until the worker has failed them all. */
async function addFailingJobs(count: number): Promise<string[]> {
  failing = true;
  const before = await countOf("failed");
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const callId = randomUUID();
    await enqueueJob(toolCallJob, { callId }, { jobId: callId, attempts: 1 });
    ids.push(callId);
  }
  await waitFor(async () => (await countOf("failed")) === before + count, `${count} failed jobs`);
  return ids;
}

beforeAll(async () => {
  setEnv({ REDIS_PREFIX: `${getEnv().REDIS_PREFIX}-qh${randomBytes(3).toString("hex")}` });
  worker = new Worker(
    toolCallJob.queue,
    async (job: Job) => {
      if (failing) throw new Error(failure);
      return { ok: true, output: job.data };
    },
    { connection: createWorkerRedis(), prefix: bullPrefix() },
  );
  stopHeartbeat = startHeartbeat(await getRedis(), "test-host:4242:abcd1234", 1_000);
  const admin = await createUser({
    email: `queue-admin-${randomBytes(3).toString("hex")}@example.test`,
    admin: true,
  });
  audit = { actorId: admin.id };
});

afterAll(async () => {
  await stopHeartbeat?.();
  await worker?.close();
  await queue().obliterate({ force: true });
  await closeQueues();
  await disconnectRedis();
  await disconnectDb();
});

async function auditActions(action: string) {
  return getDb().auditEvent.findMany({
    where: { actorId: audit.actorId, action },
    orderBy: { createdAt: "asc" },
    select: { targetType: true, targetId: true, metadata: true },
  });
}

describe("queue health", () => {
  it("lists the failed jobs with their call id and a redacted reason, newest first", async () => {
    const ids = await addFailingJobs(3);
    const health = await getQueueHealth();
    if (!health.available) throw new Error(health.message);
    expect(health.queue).toBe("tool-calls");
    expect(health.counts).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 3, completed: 0 });
    expect(health.failed.map((job) => job.id).sort()).toEqual([...ids].sort());
    for (const job of health.failed) {
      expect(job.callId).toBe(job.id);
      expect(job.attemptsMade).toBe(1);
      expect(Date.parse(job.failedAt ?? "")).toBeGreaterThan(Date.now() - 60_000);
      expect(job.reason).toBe("connect failed: postgres://[redacted]@db.internal:5432/app?[redacted]");
    }
    expect(JSON.stringify(health)).not.toMatch(/hunter2|abc123secret/);
    expect(health.workers.map((live) => live.id)).toEqual(["test-host:4242:abcd1234"]);
  });

  it("retries one failed job, which then runs", async () => {
    const health = await getQueueHealth();
    if (!health.available) throw new Error(health.message);
    const [first] = health.failed;
    failing = false;
    await retryFailedJob(first!.id, audit);
    await waitFor(async () => (await countOf("completed")) === 1, "the retried job to complete");
    expect(await countOf("failed")).toBe(2);
    expect(await queue().getJobState(first!.id)).toBe("completed");
    expect(await auditActions("queue.job.retried")).toEqual([
      { targetType: "job", targetId: first!.id, metadata: { queue: "tool-calls", callId: first!.id } },
    ]);
    // It is no longer failed: retrying or discarding it again says so.
    await expect(retryFailedJob(first!.id, audit)).rejects.toMatchObject({ code: "not_found" });
    await expect(discardFailedJob(first!.id, audit)).rejects.toMatchObject({ code: "not_found" });
    await expect(retryFailedJob("no-such-job", audit)).rejects.toMatchObject({ code: "not_found" });
  });

  it("discards one failed job", async () => {
    const health = await getQueueHealth();
    if (!health.available) throw new Error(health.message);
    const [job] = health.failed;
    await discardFailedJob(job!.id, audit);
    expect(await queue().getJob(job!.id)).toBeUndefined();
    expect(await countOf("failed")).toBe(1);
    expect(await auditActions("queue.job.discarded")).toEqual([
      { targetType: "job", targetId: job!.id, metadata: { queue: "tool-calls", callId: job!.id } },
    ]);
  });

  it("discards all failed jobs", async () => {
    await addFailingJobs(2);
    expect(await countOf("failed")).toBe(3);
    expect(await discardAllFailedJobs(audit)).toBe(3);
    expect(await countOf("failed")).toBe(0);
    expect(await auditActions("queue.failed.discarded")).toEqual([
      { targetType: "queue", targetId: "tool-calls", metadata: { count: 3 } },
    ]);
  });

  it("retries all failed jobs, which then run", async () => {
    await addFailingJobs(2);
    const completedBefore = await countOf("completed");
    failing = false;
    expect(await retryAllFailedJobs(audit)).toBe(2);
    await waitFor(async () => (await countOf("completed")) === completedBefore + 2, "the retried jobs");
    expect(await countOf("failed")).toBe(0);
    expect(await auditActions("queue.failed.retried")).toEqual([
      { targetType: "queue", targetId: "tool-calls", metadata: { count: 2 } },
    ]);
  });

  it("keeps a failure reason short and says when there is none", () => {
    expect(describeFailure(undefined)).toBe("No reason was recorded.");
    expect(describeFailure("x".repeat(2_000))).toHaveLength(500);
    expect(describeFailure("GET https://api.example.com/v1/items?api_key=s3cret failed")).toBe(
      "GET https://api.example.com/v1/items?[redacted] failed",
    );
  });
});
