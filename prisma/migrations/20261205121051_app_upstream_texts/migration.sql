-- AlterTable
ALTER TABLE "App" ADD COLUMN     "upstreamTexts" JSONB NOT NULL DEFAULT '[]';
