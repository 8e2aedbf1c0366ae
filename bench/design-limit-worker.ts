// The design-limit server's worker process (see design-limit-server.ts): takes each call's BullMQ
// job, runs the action (the demo's uppercase transform) and UPDATEs the call's ledger row, with the
// platform's worker concurrency and pool size. Prints "ready" when it takes jobs.
import { Worker } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";
import { designQueueName, designTableName, readDesignSettings } from "./design-limit-settings";

const settings = readDesignSettings();
const table = designTableName(settings.prefix);
const db = new pg.Pool({ connectionString: settings.databaseUrl, max: 10 });

type CallJob = { callId: string; arguments: { text?: string } };

const worker = new Worker<CallJob>(
  designQueueName,
  async (job) => {
    const output = { text: String(job.data.arguments.text ?? "").toUpperCase() };
    await db.query(
      `UPDATE ${table} SET status = 'SUCCESS', output = $2, finished_at = now(),
         duration_ms = (extract(epoch FROM now() - started_at) * 1000)::int
       WHERE id = $1 AND status = 'PENDING'`,
      [job.data.callId, JSON.stringify(output)],
    );
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
