// Migrations through the WebAssembly schema engine, on an empty database of their own.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrations";
import { createScratchDatabase, type ScratchDatabase } from "../helpers/database";

let database: ScratchDatabase;
let client: pg.Client;

// The advisory lock Prisma's migration engine takes on the database while it migrates.
const migrationLock = 72707369;

async function heldMigrationLocks(): Promise<number> {
  const result = await client.query(
    `SELECT count(*)::int AS held FROM pg_locks l JOIN pg_database d ON d.oid = l.database
     WHERE l.locktype = 'advisory' AND l.objid = $1 AND d.datname = current_database()`,
    [migrationLock],
  );
  return result.rows[0].held;
}

// A backend drops its locks only after it has processed the client's goodbye, a moment after
// pool.end() resolves; the bound is far below the ~10 s an idle pool would keep the lock.
async function migrationLocksAfterRelease(): Promise<number> {
  const deadline = Date.now() + 2_000;
  let held = await heldMigrationLocks();
  while (held > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    held = await heldMigrationLocks();
  }
  return held;
}

beforeAll(async () => {
  database = await createScratchDatabase(); // applies the migrations
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await database?.drop();
});

describe("applyMigrations", () => {
  it("creates the schema and the default plan", async () => {
    const tables = await client.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(["User", "Plan", "ApiToken", "AuditEvent", "_prisma_migrations"]),
    );
    const plans = await client.query(`SELECT name FROM "Plan" WHERE "isDefault"`);
    expect(plans.rows).toHaveLength(1);
  });

  it("releases the migration lock when it returns, so another start need not wait for it", async () => {
    expect(await migrationLocksAfterRelease()).toBe(0);
    const started = Date.now();
    expect(await applyMigrations(database.url)).toEqual([]); // nothing left to apply
    expect(await migrationLocksAfterRelease()).toBe(0);
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});
