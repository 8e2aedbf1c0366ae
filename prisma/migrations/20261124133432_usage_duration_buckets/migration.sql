-- AlterTable
ALTER TABLE "UsageHourly" ADD COLUMN     "durationBuckets" INTEGER[] DEFAULT ARRAY[0, 0, 0, 0, 0, 0, 0, 0, 0]::INTEGER[];

-- Backfill: the buckets of the calls already in the ledger, executed calls only as the rollup
-- counts them from now on. Bucket bounds in ms as in lib/calls/ledger.ts
UPDATE "UsageHourly" AS u
SET "durationBuckets" = b."buckets"
FROM (
    SELECT "userId", "hour", ARRAY[
            count(*) FILTER (WHERE "bucket" = 0)::int,
            count(*) FILTER (WHERE "bucket" = 1)::int,
            count(*) FILTER (WHERE "bucket" = 2)::int,
            count(*) FILTER (WHERE "bucket" = 3)::int,
            count(*) FILTER (WHERE "bucket" = 4)::int,
            count(*) FILTER (WHERE "bucket" = 5)::int,
            count(*) FILTER (WHERE "bucket" = 6)::int,
            count(*) FILTER (WHERE "bucket" = 7)::int,
            count(*) FILTER (WHERE "bucket" = 8)::int
        ] AS "buckets"
    FROM (
        SELECT "userId", date_trunc('hour', "startedAt") AS "hour",
            width_bucket("durationMs", ARRAY[100, 250, 500, 1000, 2500, 5000, 10000, 30000]) AS "bucket"
        FROM "Call"
        WHERE "status" IN ('SUCCESS', 'ERROR', 'TIMEOUT') AND "durationMs" IS NOT NULL
    ) AS c
    GROUP BY "userId", "hour"
) AS b
WHERE u."userId" = b."userId" AND u."hour" = b."hour";
