-- CreateTable
CREATE TABLE "AppOAuthClient" (
    "appId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "secretCiphertext" BYTEA,
    "keyVersion" INTEGER,
    "registeredBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AppOAuthClient_pkey" PRIMARY KEY ("appId")
);

-- AddForeignKey
ALTER TABLE "AppOAuthClient" ADD CONSTRAINT "AppOAuthClient_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;
