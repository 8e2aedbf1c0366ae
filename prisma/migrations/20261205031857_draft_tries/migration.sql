-- AlterTable
ALTER TABLE "Call" ADD COLUMN     "draft" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "draftConnectionId" TEXT;
