// The Prisma client, and the pool of PostgreSQL connections under it, created on first use (never
// at module load: `next build` imports this). The pool is shared with the few statements on the
// path of every tool call that run on the driver directly (lib/calls/ledger.ts): Prisma's client
// adds about 0.8 ms of CPU to an INSERT, which is a tenth of a whole call.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { requireEnv } from "@/env";
import { createLogger } from "@/lib/log/logger";
import { withSnapshotInvalidation } from "@/lib/servers/invalidate-on-write";
import { type Prisma, PrismaClient } from "./generated/client.ts";

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient; pool?: pg.Pool };

function createPool(databaseUrl: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    // Waiting for a free pooled connection counts too: a burst must queue, not fail.
    connectionTimeoutMillis: 15_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection that breaks (PostgreSQL restarted) must not take the process with it: the
  // pool drops it and the next query opens another.
  pool.on("error", (error) =>
    createLogger({ module: "db" }).warn({ err: error.message }, "an idle database connection failed"),
  );
  return pool;
}

export function createPrismaClient(databaseUrl: string, pool = createPool(databaseUrl)): PrismaClient {
  // A burst of tool calls queues for the pool's 10 connections: waiting 2 s (Prisma's default)
  // for one turned a burst of 200 calls into "Unable to start a transaction" errors.
  return new PrismaClient({
    adapter: new PrismaPg(pool, { disposeExternalPool: true }),
    transactionOptions: { maxWait: 15_000, timeout: 15_000 },
  });
}

function getPool(): pg.Pool {
  globalForPrisma.pool ??= createPool(requireEnv("DATABASE_URL"));
  return globalForPrisma.pool;
}

/** The shared client; its writes invalidate the server snapshots they change (lib/servers). */
export function getDb(): PrismaClient {
  globalForPrisma.prisma ??= withSnapshotInvalidation(
    createPrismaClient(requireEnv("DATABASE_URL"), getPool()),
  );
  return globalForPrisma.prisma;
}

/**
 * Runs one statement, written as for `$queryRaw`, on the shared pool without Prisma's client.
 * Only for statements on the path of every call, whose columns need no conversion by Prisma:
 * pg reads `timestamp` columns as local time, so such a statement returns them `AT TIME ZONE 'UTC'`.
 */
export async function queryDirect<Row extends pg.QueryResultRow>(statement: Prisma.Sql): Promise<Row[]> {
  return (await getPool().query<Row>(statement.text, statement.values as unknown[])).rows;
}

export async function disconnectDb(): Promise<void> {
  const { prisma, pool } = globalForPrisma;
  globalForPrisma.prisma = undefined;
  globalForPrisma.pool = undefined;
  // A client that connected ends the pool with it (disposeExternalPool); one that never did does not.
  await prisma?.$disconnect();
  if (pool && !pool.ended) await pool.end();
}
