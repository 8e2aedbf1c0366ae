-- A connection's status says the result of its last check or real use: UNCHECKED until anything
-- happened, UNREACHABLE and NOT_WORKING for failures that are not refused credentials. The type is
-- rebuilt rather than extended (ADD VALUE) so that existing rows can be mapped in the same
-- transaction: an OK that no check ever confirmed becomes UNCHECKED.
CREATE TYPE "ConnectionStatus_new" AS ENUM ('OK', 'UNCHECKED', 'UNREACHABLE', 'NOT_WORKING', 'NEEDS_RECONNECT');

ALTER TABLE "Connection" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "Connection" ALTER COLUMN "status" TYPE "ConnectionStatus_new" USING (
  CASE
    WHEN "status" = 'OK' AND "lastCheckedAt" IS NULL THEN 'UNCHECKED'
    ELSE "status"::text
  END
)::"ConnectionStatus_new";

DROP TYPE "ConnectionStatus";
ALTER TYPE "ConnectionStatus_new" RENAME TO "ConnectionStatus";

ALTER TABLE "Connection" ALTER COLUMN "status" SET DEFAULT 'UNCHECKED';
