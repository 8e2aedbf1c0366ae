// The Prisma client, created on first use (never at module load: `next build` imports this).
import { PrismaPg } from "@prisma/adapter-pg";
import { requireEnv } from "@/env";
import { withSnapshotInvalidation } from "@/lib/servers/invalidate-on-write";
import { PrismaClient } from "./generated/client.ts";

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

export function createPrismaClient(databaseUrl: string): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: 10,
    // Waiting for a free pooled connection counts too: a burst must queue, not fail.
    connectionTimeoutMillis: 15_000,
    idleTimeoutMillis: 30_000,
  });
  // A burst of tool calls queues for the pool's 10 connections: waiting 2 s (Prisma's default)
  // for one turned a burst of 200 calls into "Unable to start a transaction" errors.
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 15_000, timeout: 15_000 } });
}

/** The shared client; its writes invalidate the server snapshots they change (lib/servers). */
export function getDb(): PrismaClient {
  globalForPrisma.prisma ??= withSnapshotInvalidation(createPrismaClient(requireEnv("DATABASE_URL")));
  return globalForPrisma.prisma;
}

export async function disconnectDb(): Promise<void> {
  await globalForPrisma.prisma?.$disconnect();
  globalForPrisma.prisma = undefined;
}
