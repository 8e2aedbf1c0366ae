-- AlterTable
ALTER TABLE "UsageHourly" ADD COLUMN     "duration30sOrMore" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "durationUnder100ms" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "durationUnder10s" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "durationUnder1s" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "durationUnder2500ms" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "durationUnder250ms" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "durationUnder30s" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "durationUnder500ms" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "durationUnder5s" INTEGER NOT NULL DEFAULT 0;

-- Backfill: the buckets of the calls already in the ledger, executed calls only as the rollup
-- counts them from now on. Bounds in ms as in lib/calls/ledger.ts
UPDATE "UsageHourly" AS u
SET "durationUnder100ms" = b."b0", "durationUnder250ms" = b."b1", "durationUnder500ms" = b."b2",
    "durationUnder1s" = b."b3", "durationUnder2500ms" = b."b4", "durationUnder5s" = b."b5",
    "durationUnder10s" = b."b6", "durationUnder30s" = b."b7", "duration30sOrMore" = b."b8"
FROM (
    SELECT "userId", "hour",
        count(*) FILTER (WHERE "bucket" = 0)::int AS "b0",
        count(*) FILTER (WHERE "bucket" = 1)::int AS "b1",
        count(*) FILTER (WHERE "bucket" = 2)::int AS "b2",
        count(*) FILTER (WHERE "bucket" = 3)::int AS "b3",
        count(*) FILTER (WHERE "bucket" = 4)::int AS "b4",
        count(*) FILTER (WHERE "bucket" = 5)::int AS "b5",
        count(*) FILTER (WHERE "bucket" = 6)::int AS "b6",
        count(*) FILTER (WHERE "bucket" = 7)::int AS "b7",
        count(*) FILTER (WHERE "bucket" = 8)::int AS "b8"
    FROM (
        SELECT "userId", date_trunc('hour', "startedAt") AS "hour",
            width_bucket("durationMs", ARRAY[100, 250, 500, 1000, 2500, 5000, 10000, 30000]) AS "bucket"
        FROM "Call"
        WHERE "status" IN ('SUCCESS', 'ERROR', 'TIMEOUT') AND "durationMs" IS NOT NULL
    ) AS c
    GROUP BY "userId", "hour"
) AS b
WHERE u."userId" = b."userId" AND u."hour" = b."hour";
