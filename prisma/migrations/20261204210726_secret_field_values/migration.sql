-- AlterTable
ALTER TABLE "Call" ADD COLUMN     "sealedInput" BYTEA;

-- CreateTable
CREATE TABLE "SealedFieldValue" (
    "toolId" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "ciphertext" BYTEA NOT NULL,
    "keyVersion" INTEGER NOT NULL,

    CONSTRAINT "SealedFieldValue_pkey" PRIMARY KEY ("toolId","field")
);

-- AddForeignKey
ALTER TABLE "SealedFieldValue" ADD CONSTRAINT "SealedFieldValue_toolId_fkey" FOREIGN KEY ("toolId") REFERENCES "Tool"("id") ON DELETE CASCADE ON UPDATE CASCADE;
