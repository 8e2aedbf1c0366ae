// A database of its own for tests that need an empty one (for example "the first account becomes
// admin"): a new database on the run's PostgreSQL server, migrated, and dropped by `drop()`.
// Where that server cannot create databases (the embedded PGlite fallback of the global setup),
// a private embedded PostgreSQL is started instead.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { applyMigrations } from "@/lib/db/migrations";
import { stopChild } from "@/lib/runtime/children";
import { canConnect, startEmbeddedPostgres } from "@/lib/runtime/embedded-postgres";

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
  let scratch: ScratchDatabase;
  try {
    await runSql(runUrl, `CREATE DATABASE "${name}"`);
    const url = new URL(runUrl);
    url.pathname = `/${name}`;
    scratch = {
      url: url.toString(),
      drop: () => runSql(runUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    };
  } catch {
    const dir = await mkdtemp(path.join(os.tmpdir(), "toolgate-scratch-db-"));
    const embedded = await startEmbeddedPostgres(dir);
    scratch = {
      url: embedded.url,
      drop: async () => {
        await stopChild(embedded.child, 5_000);
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  await applyMigrations(scratch.url);
  return scratch;
}
