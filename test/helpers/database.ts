// A database of its own for tests that need an empty one (for example "the first account becomes
// admin"): a new database on the run's PostgreSQL server, migrated, and dropped by `drop()`.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { vi } from "vitest";
import { resetEnvCache } from "@/env";
import { disconnectDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrations";
import { canConnect } from "@/lib/runtime/embedded-postgres";

export type ScratchDatabase = { url: string; drop: () => Promise<void> };

async function runSql(connectionString: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

// Read once: tests that use a scratch database point DATABASE_URL at it.
const runDatabaseUrl = process.env.DATABASE_URL;

export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const runUrl = runDatabaseUrl;
  if (!runUrl) throw new Error("DATABASE_URL is not set; the global test setup provides it");
  if (!(await canConnect(runUrl))) throw new Error("The run's database is unreachable");
  const name = `toolgate_scratch_${randomBytes(5).toString("hex")}`;
  await runSql(runUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(runUrl);
  url.pathname = `/${name}`;
  const scratch: ScratchDatabase = {
    url: url.toString(),
    drop: () => runSql(runUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
  await applyMigrations(scratch.url);
  return scratch;
}

/** Points this test process's database client at the scratch database. */
export async function enterScratchDatabase(database: ScratchDatabase): Promise<void> {
  await disconnectDb();
  vi.stubEnv("DATABASE_URL", database.url);
  resetEnvCache();
}

/**
 * A scratch database that this test process uses from now on (its database client is reopened
 * on it), for a test file whose platform runs on it too.
 */
export async function switchToScratchDatabase(): Promise<ScratchDatabase> {
  const scratch = await createScratchDatabase();
  await enterScratchDatabase(scratch);
  return scratch;
}

/** Drops the scratch database and points this process back at the run's (for afterAll). */
export async function leaveScratchDatabase(database: ScratchDatabase | undefined): Promise<void> {
  await disconnectDb();
  await database?.drop();
  vi.unstubAllEnvs();
  resetEnvCache();
}
