// The worker process: one BullMQ Worker per queue, a heartbeat for /api/health, and a graceful
// stop on SIGTERM/SIGINT (active jobs get SHUTDOWN_GRACE_MS to finish before a forced close).
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { type Job, UnrecoverableError, Worker } from "bullmq";
import { getEnv, requireSettings } from "@/env";
import { startUpstreamWatch } from "@/lib/apps/mcp/relay-upstream-watch";
import { closeIdleSessions } from "@/lib/apps/mcp/session-pool";
import { disconnectDb } from "@/lib/db/client";
import { startHeartbeat } from "@/lib/health/heartbeat";
import { createLogger } from "@/lib/log/logger";
import { bullPrefix } from "@/lib/queue/connection";
import { schedulePruneCalls } from "@/lib/queue/jobs/prune-calls";
import { scheduleSweepLostCalls } from "@/lib/queue/jobs/sweep-lost-calls";
import { closeQueues } from "@/lib/queue/queues";
import { assertNoEviction } from "@/lib/queue/redis-policy";
import { createWorkerRedis } from "@/lib/redis/client";
import { orphanGraceMs, whenSupervisorGone } from "@/lib/runtime/parent-watch";
import { sealClearSecretValues } from "@/lib/tools/seal-clear-values";
import { jobsByQueue } from "./registry";

const log = createLogger({ process: "worker" });

// Until the workers run, there is nothing to drain: stopping is exiting. When the supervisor is
// gone everything else is stopping too, so what is not done in time runs on the next start.
let stop: (reason: string, graceMs?: number) => void = () => process.exit(1);
whenSupervisorGone(() => stop("the supervisor is gone", orphanGraceMs - 2_000));

async function main(): Promise<void> {
  // Calls are read from the database, queued in Redis, and their inputs and credentials opened.
  requireSettings(["DATABASE_URL", "REDIS_URL", "ENCRYPTION_KEY"], "The worker");
  const env = getEnv();
  const workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const redis = createWorkerRedis();
  await assertNoEviction(redis);
  // Before any call runs: an upgrade from a version that kept secret field values in clear.
  const sealed = await sealClearSecretValues();
  if (sealed > 0) log.info({ tools: sealed }, "sealed the secret field values stored in clear");

  const workers = [...jobsByQueue()].map(([queue, named]) => {
    const worker = new Worker(
      queue,
      async (job: Job, token?: string) => {
        const definition = named.get(job.name);
        if (!definition) throw new UnrecoverableError(`No handler for job "${job.name}" on queue "${queue}"`);
        const payload = definition.payload.safeParse(job.data);
        if (!payload.success) throw new UnrecoverableError(`Invalid payload for ${queue}/${job.name}`);
        return definition.handle(payload.data, job, token);
      },
      {
        // Recorded on each job it takes (processedBy), so an operator can tell which worker runs it.
        name: workerId,
        connection: redis,
        prefix: bullPrefix(),
        concurrency: env.WORKER_CONCURRENCY,
        lockDuration: env.JOB_LOCK_MS,
        stalledInterval: env.JOB_STALLED_INTERVAL_MS,
      },
    );
    worker.on("failed", (job, error) =>
      log.warn({ queue, job: job?.name, jobId: job?.id, err: error.message }, "job failed"),
    );
    worker.on("error", (error) => log.error({ queue, err: error.message }, "worker error"));
    return worker;
  });
  const stopHeartbeat = startHeartbeat(redis, workerId, env.HEARTBEAT_INTERVAL_MS);
  // The schedule outlives this process in Redis; if it cannot be set now, the next start sets it.
  await schedulePruneCalls().catch((error: Error) =>
    log.warn({ err: error.message }, "could not schedule the hourly pruning of old calls"),
  );
  await scheduleSweepLostCalls().catch((error: Error) =>
    log.warn({ err: error.message }, "could not schedule the sweep of lost calls"),
  );
  // Upstream MCP servers that announce a change of their tools are discovered again at once.
  const upstreamWatch = startUpstreamWatch();
  log.info({ workerId, queues: workers.map((worker) => worker.name) }, "worker started");

  const drainAndExit = async (reason: string, requestedGraceMs = env.SHUTDOWN_GRACE_MS) => {
    stop = () => {}; // once
    const graceMs = Math.min(requestedGraceMs, env.SHUTDOWN_GRACE_MS);
    log.info({ reason, graceMs }, "draining active jobs");
    // Closing waits on Redis and PostgreSQL, which may be stopping too: the process ends regardless.
    setTimeout(() => process.exit(1), graceMs + 2_000).unref();
    await stopHeartbeat();
    // Closing the sessions is a courtesy to the upstreams: it does not hold up the drain.
    void upstreamWatch.stop().catch(() => {});
    const drained = Promise.all(workers.map((worker) => worker.close())).then(() => true);
    const timedOut = new Promise<false>((resolve) => setTimeout(() => resolve(false), graceMs).unref());
    if (!(await Promise.race([drained, timedOut]))) {
      log.warn("grace period over; closing with jobs still active (they will be retried)");
      await Promise.all(workers.map((worker) => worker.close(true)));
    }
    // Upstream MCP sessions kept for reuse are ended politely (the upstream may hold state for them).
    await Promise.all([closeQueues(), disconnectDb(), closeIdleSessions()]);
    redis.disconnect();
    log.info("worker stopped");
    process.exit(0);
  };
  stop = (reason, graceMs) => void drainAndExit(reason, graceMs);
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: Error) => {
  log.fatal({ err: error.message }, "worker failed to start");
  process.exit(1);
});
