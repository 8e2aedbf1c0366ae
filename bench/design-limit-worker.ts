// The design-limit server's worker process (see design-limit-server.ts): takes each call's BullMQ
// job, runs the action (the demo's uppercase transform) and UPDATEs the call's ledger row, with the
// platform's worker concurrency and pool size. Prints "ready" when it takes jobs.
import { Worker } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";
import { durationBucketColumns } from "@/lib/calls/ledger";
import { designQueueName, designTableName, readDesignSettings } from "./design-limit-settings";

const settings = readDesignSettings();
const table = designTableName(settings.prefix);
const db = new pg.Pool({ connectionString: settings.databaseUrl, max: 10 });

const finishMinimal = `
  UPDATE ${table} SET status = 'SUCCESS', output = $2, finished_at = now(),
    duration_ms = (extract(epoch FROM now() - started_at) * 1000)::int
  WHERE id = $1 AND status = 'PENDING'`;

// The platform's finishing statement (lib/calls/ledger.ts finishCall), for a success.
const buckets = durationBucketColumns.map((name) => `"${name}"`);
const finishPlatform = `
  WITH finished AS (
    UPDATE "Call"
    SET "status" = 'SUCCESS', "sealedInput" = NULL, "output" = $2::jsonb,
        "durationMs" = GREATEST(0, (extract(epoch FROM now() - "startedAt") * 1000)::int),
        "finishedAt" = now() AT TIME ZONE 'UTC'
    WHERE "id" = $1 AND "status" = 'PENDING'
    RETURNING "userId", "startedAt", "durationMs",
      width_bucket("durationMs", ARRAY[100, 250, 500, 1000, 2500, 5000, 10000, 30000]::int[]) AS "bucket"
  ), rollup AS (
    INSERT INTO "UsageHourly" ("userId", "hour", "successCount", "totalDurationMs", ${buckets.join(", ")})
    SELECT "userId", date_trunc('hour', "startedAt"), 1, "durationMs",
      ${buckets.map((_, index) => `("bucket" = ${index})::int`).join(", ")}
    FROM finished
    ON CONFLICT ("userId", "hour") DO UPDATE
    SET "successCount" = "UsageHourly"."successCount" + 1,
        "totalDurationMs" = "UsageHourly"."totalDurationMs" + EXCLUDED."totalDurationMs",
        ${buckets.map((column) => `${column} = "UsageHourly".${column} + EXCLUDED.${column}`).join(", ")}
  )
  SELECT "userId" FROM finished`;

type CallJob = { callId: string; arguments: { text?: string } };

const worker = new Worker<CallJob>(
  designQueueName,
  async (job) => {
    const output = { text: String(job.data.arguments.text ?? "").toUpperCase() };
    await db.query(settings.ledger.kind === "minimal" ? finishMinimal : finishPlatform, [
      job.data.callId,
      JSON.stringify(output),
    ]);
    return output;
  },
  {
    connection: new Redis(settings.redisUrl, { maxRetriesPerRequest: null }),
    prefix: `{${settings.prefix}}:bull`,
    concurrency: 20,
  },
);

await worker.waitUntilReady();
console.log("ready");
for (const signal of ["SIGTERM", "SIGINT"] as const)
  process.once(signal, () => {
    void Promise.allSettled([worker.close(), db.end()]).finally(() => process.exit(0));
  });
