-- CreateTable
CREATE TABLE "IntegrationClient" (
    "prefix" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "secretCiphertext" BYTEA NOT NULL,
    "keyVersion" INTEGER NOT NULL,
    "secretSetAt" TIMESTAMP(3) NOT NULL,
    "updatedByEmail" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IntegrationClient_pkey" PRIMARY KEY ("prefix")
);
