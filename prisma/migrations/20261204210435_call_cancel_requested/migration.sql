-- AlterTable
ALTER TABLE "Call" ADD COLUMN     "cancelRequestedAt" TIMESTAMP(3);

-- The sweeper of lost calls reads the calls still pending, oldest first. They are few among
-- millions, so a partial index keeps that read small. The Prisma schema cannot express a partial
-- index, so it lives here only (see the note on model Call).
CREATE INDEX "Call_pending_startedAt_idx" ON "Call" ("startedAt") WHERE "status" = 'PENDING';
