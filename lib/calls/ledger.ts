// The call ledger: one row per tools/call, written when the call is admitted (or refused) and
// finished exactly once. The hourly rollup is updated in the same transaction as the final
// status, so dashboards never need to scan the ledger. A finished row's outcome is read in one
// way (outcomeOfCall), by the side waiting for a call and by a job delivered again alike.
import { getDb, queryDirect } from "@/lib/db/client";
import { type CallStatus, Prisma } from "@/lib/db/generated/client.ts";
import { createLogger } from "@/lib/log/logger";
import { refundQuota } from "@/lib/quota/quota-store";
import { failedOutcome, type RunOutcome } from "./call-outcome";

export type NewCall = {
  id: string;
  /** Who called: the server's owner, or the member whose URL of an organization's server it was. */
  userId: string;
  /** The organization whose server it was (its quota, and the member's in it, hold the call). */
  orgId?: string | null;
  serverId: string;
  toolId: string | null;
  toolName: string;
  integration: string;
  action: string;
  input: Prisma.InputJsonValue;
  startedAt: Date;
  /** Set for a try of unsaved settings from the tool editor, with the account chosen there. */
  draft?: { connectionId: string | null };
};

/** A new call as its ledger row holds it. */
function callRow({ draft, ...call }: NewCall) {
  return draft ? { ...call, draft: true, draftConnectionId: draft.connectionId } : call;
}

type FinalStatus = Exclude<CallStatus, "PENDING">;

/**
 * The rollup's duration buckets: UsageHourly has one count column per bucket, by upper bound in
 * ms (< 100 ms, < 250 ms, ..., < 30 s) and a last one for 30 s or more. Percentiles are read from
 * their sums. Changing them needs a migration that rebuilds the columns.
 */
export const durationBucketBoundsMs = [100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000] as const;
export const durationBucketColumns = [
  "durationUnder100ms",
  "durationUnder250ms",
  "durationUnder500ms",
  "durationUnder1s",
  "durationUnder2500ms",
  "durationUnder5s",
  "durationUnder10s",
  "durationUnder30s",
  "duration30sOrMore",
] as const;

const quotedBucketColumns = durationBucketColumns.map((name) => `"${name}"`);
const bucketBounds = `ARRAY[${durationBucketBoundsMs.join(", ")}]::int[]`;
const bucketSql = {
  columns: Prisma.raw(quotedBucketColumns.join(", ")),
  // width_bucket: 0 below the first bound, 1 from it to the second, ..., 8 from the last.
  index: Prisma.raw(`width_bucket("durationMs", ${bucketBounds})`),
  // This call's bucket as 0/1 per column.
  oneHot: Prisma.raw(quotedBucketColumns.map((_, index) => `("bucket" = ${index})::int`).join(", ")),
  add: Prisma.raw(
    quotedBucketColumns
      .map((column) => `${column} = "UsageHourly".${column} + EXCLUDED.${column}`)
      .join(",\n          "),
  ),
};

function rollupColumn(status: FinalStatus): "successCount" | "errorCount" | "refusedCount" {
  if (status === "SUCCESS") return "successCount";
  return status === "REFUSED" ? "refusedCount" : "errorCount";
}

/** A refusal's rollup: it ran nothing, so it takes no duration bucket (percentiles are of runs). */
function refusedRollupUpsert(tx: Prisma.TransactionClient, userId: string, startedAt: Date) {
  const hour = new Date(Math.floor(startedAt.getTime() / 3_600_000) * 3_600_000);
  return tx.usageHourly.upsert({
    where: { userId_hour: { userId, hour } },
    create: { userId, hour, refusedCount: 1 },
    update: { refusedCount: { increment: 1 } },
  });
}

/**
 * Records an admitted call (holding one unit of quota) before its job is queued, with the input
 * the worker runs, sealed (call-input.ts); `input` is the display copy.
 */
export async function createPendingCall({
  sealedInput,
  ...call
}: NewCall & { sealedInput: Uint8Array<ArrayBuffer> }): Promise<void> {
  const { draft, ...row } = call;
  // On the driver directly (lib/db/client.ts). The time is written as UTC, as Prisma writes it.
  await queryDirect(Prisma.sql`
    INSERT INTO "Call" ("id", "userId", "orgId", "serverId", "toolId", "toolName", "integration",
      "action", "input", "startedAt", "draft", "draftConnectionId", "sealedInput", "status", "counted")
    VALUES (${row.id}, ${row.userId}, ${row.orgId ?? null}, ${row.serverId}, ${row.toolId}, ${row.toolName},
      ${row.integration}, ${row.action}, ${JSON.stringify(row.input)}::jsonb,
      ${row.startedAt.toISOString()}::timestamptz AT TIME ZONE 'UTC', ${draft !== undefined},
      ${draft?.connectionId ?? null}, ${sealedInput}, 'PENDING', true)`);
}

/**
 * Records a call refused before it could run (the quota was used up, or its arguments did not
 * fit the tool): it holds nothing and costs nothing.
 */
export async function recordRefusedCall(
  call: NewCall,
  message: string,
  errorCode: "quota_exceeded" | "invalid_arguments" = "quota_exceeded",
): Promise<void> {
  // One batch (no round trips back to this process inside the transaction), because a burst of
  // refused calls all update the same rollup row and would otherwise hold its lock for longer.
  const db = getDb();
  await db.$transaction([
    db.call.create({
      data: {
        ...callRow(call),
        status: "REFUSED",
        counted: false,
        errorCode,
        errorMessage: message,
        durationMs: 0,
        finishedAt: call.startedAt,
      },
    }),
    refusedRollupUpsert(db, call.userId, call.startedAt),
  ]);
}

/** How a pending call finishes: with its output, or with an error code and message. */
export type CallFinish =
  | { status: "SUCCESS"; output: Prisma.InputJsonValue }
  | { status: "ERROR" | "TIMEOUT"; errorCode: string; errorMessage: string };

const rollupColumns = {
  successCount: Prisma.raw('"successCount"'),
  errorCount: Prisma.raw('"errorCount"'),
  refusedCount: Prisma.raw('"refusedCount"'),
};

/**
 * Finishes a pending call once: later attempts (a retried job, a second worker) change nothing
 * and get false. A failed call gives its quota back. Its sealed input goes: it was kept only for
 * running the call.
 *
 * One statement does it all: the call row moves from PENDING to its final status and the hourly
 * rollup is bumped in the same (implicit) transaction, in a single round trip, so the rollup's
 * row lock is held only for that statement's commit. The inserted row carries this call's
 * duration bucket as 0/1 per bucket column, which the conflict branch adds to the row's.
 */
export async function finishCall(
  callId: string,
  finish: CallFinish,
  finishedAt = new Date(),
): Promise<boolean> {
  const failed = finish.status !== "SUCCESS";
  const finishedMs = finishedAt.getTime();
  const column = rollupColumns[rollupColumn(finish.status)];
  const fields =
    finish.status === "SUCCESS"
      ? Prisma.sql`"output" = ${JSON.stringify(finish.output)}::jsonb`
      : Prisma.sql`"errorCode" = ${finish.errorCode}, "errorMessage" = ${finish.errorMessage.slice(0, 2_000)},
          "counted" = false`;
  const rows = await queryDirect<{ userId: string; orgId: string | null; startedAt: Date }>(Prisma.sql`
    WITH finished AS (
      UPDATE "Call"
      SET "status" = ${finish.status}::"CallStatus",
          "sealedInput" = NULL,
          "durationMs" = GREATEST(0, ${finishedMs}::bigint - round(extract(epoch FROM "startedAt") * 1000)::bigint)::int,
          "finishedAt" = to_timestamp(${finishedMs}::double precision / 1000) AT TIME ZONE 'UTC',
          ${fields}
      WHERE "id" = ${callId} AND "status" = 'PENDING'
      RETURNING "userId", "orgId", "startedAt", "durationMs", ${bucketSql.index} AS "bucket"
    ), rollup AS (
      INSERT INTO "UsageHourly" ("userId", "hour", ${column}, "totalDurationMs", ${bucketSql.columns})
      SELECT "userId", date_trunc('hour', "startedAt"), 1, "durationMs", ${bucketSql.oneHot}
      FROM finished
      ON CONFLICT ("userId", "hour") DO UPDATE
      SET ${column} = "UsageHourly".${column} + 1,
          "totalDurationMs" = "UsageHourly"."totalDurationMs" + EXCLUDED."totalDurationMs",
          ${bucketSql.add}
    )
    SELECT "userId", "orgId", "startedAt" AT TIME ZONE 'UTC' AS "startedAt" FROM finished`);
  const finished = rows[0];
  if (!finished) return false;
  if (failed) {
    // The ledger already says the call holds nothing; if Redis is briefly unreachable the
    // counter is corrected by `npm run cli -- quota rebuild`.
    // Exactly the counters its admission took: the user's own, or the organization's and the
    // member's share.
    await refundQuota({ userId: finished.userId, orgId: finished.orgId }, finished.startedAt).catch(
      (error: Error) =>
        createLogger({ module: "ledger" }).warn({ callId, err: error.message }, "quota refund failed"),
    );
  }
  return true;
}

/**
 * Notes that the client asked to cancel the call (the first request counts), whatever became of
 * it: history then tells a call cancelled before its action started from one that ran on.
 */
export async function recordCancelRequest(callId: string, requestedAt = new Date()): Promise<void> {
  await getDb().call.updateMany({
    where: { id: callId, cancelRequestedAt: null },
    data: { cancelRequestedAt: requestedAt },
  });
}

type RecordedOutcome = {
  status: CallStatus;
  output: Prisma.JsonValue;
  errorCode: string | null;
  errorMessage: string | null;
};

const outcomeColumns = { status: true, output: true, errorCode: true, errorMessage: true } as const;

/** A call's outcome as the ledger records it; null while the call is pending. */
export function outcomeOfCall(call: RecordedOutcome): RunOutcome | null {
  if (call.status === "PENDING") return null;
  if (call.status === "SUCCESS") return { status: "succeeded", output: call.output };
  return failedOutcome(call.errorCode ?? "error", call.errorMessage ?? "The call failed.");
}

/** The outcome of a call that has finished, or null (still pending, or no such call). */
export async function readCallOutcome(callId: string): Promise<RunOutcome | null> {
  const call = await getDb().call.findUnique({ where: { id: callId }, select: outcomeColumns });
  return call && outcomeOfCall(call);
}

export type CallToRun = RecordedOutcome & {
  id: string;
  userId: string;
  /** The organization whose server it is on: its connections run it, never the caller's own. */
  orgId: string | null;
  toolId: string | null;
  integration: string;
  action: string;
  startedAt: Date;
  sealedInput: Uint8Array | null;
  /** The connection it runs with: its tool's pinned one now, or a draft's; null for the default. */
  connectionId: string | null;
};

/**
 * What a worker needs to run a call (and its outcome, should it have finished already), with the
 * connection its tool is pinned to (a draft's own, for a try of unsaved settings), in one query;
 * not the display copy of its input.
 */
export async function readCallToRun(callId: string): Promise<CallToRun | null> {
  const rows = await queryDirect<CallToRun>(Prisma.sql`
    SELECT c."id", c."userId", c."orgId", c."toolId", c."integration", c."action",
           c."startedAt" AT TIME ZONE 'UTC' AS "startedAt", c."sealedInput",
           c."status"::text AS "status", c."output", c."errorCode", c."errorMessage",
           CASE WHEN c."draft" THEN c."draftConnectionId" ELSE t."connectionId" END AS "connectionId"
    FROM "Call" c LEFT JOIN "Tool" t ON t."id" = c."toolId"
    WHERE c."id" = ${callId}`);
  return rows[0] ?? null;
}
