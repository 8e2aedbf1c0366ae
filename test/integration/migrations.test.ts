// Migrations through the WebAssembly schema engine, on an empty database of their own.
import { randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, migrationsDir } from "@/lib/db/migrations";
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

  it("masks the secret fields in the inputs of calls recorded before they were sealed", async () => {
    const userId = randomUUID();
    await client.query(`INSERT INTO "User" (id, email, "updatedAt") VALUES ($1, $2, now())`, [
      userId,
      `${userId}@test.local`,
    ]);
    const recorded = {
      http: { url: "https://api.example.com/x", headers: { Authorization: "Bearer t0ken" }, method: "GET" },
      webhook: { url: "https://hooks.example.com/T0?token=t0ken", payload: { a: 1 } },
      capped: { truncated: true, bytes: 80_000, preview: '{"headers":{"Authorization":"Bearer t0ken"}' },
      formatter: { text: "hello", operation: "uppercase" },
    };
    const calls: [keyof typeof recorded, string, string][] = [
      ["http", "http", "request"],
      ["webhook", "webhook", "post_json"],
      ["capped", "http", "request"],
      ["formatter", "formatter", "transform_text"],
    ];
    for (const [id, integration, action] of calls)
      await client.query(
        `INSERT INTO "Call" (id, "userId", "toolName", integration, action, status, input)
         VALUES ($1, $2, 't', $3, $4, 'SUCCESS', $5)`,
        [`${userId}-${id}`, userId, integration, action, JSON.stringify(recorded[id])],
      );
    // The migration as an upgrade runs it (on rows it finds), here on rows made after it ran once.
    const migration = (await readdir(migrationsDir)).find((name) =>
      name.endsWith("_mask_secret_call_inputs"),
    );
    await client.query(await readFile(path.join(migrationsDir, migration!, "migration.sql"), "utf8"));
    const rows = await client.query(`SELECT id, input FROM "Call" WHERE "userId" = $1`, [userId]);
    const inputOf = (id: string) => rows.rows.find((row) => row.id === `${userId}-${id}`).input;
    expect(inputOf("http")).toEqual({ ...recorded.http, headers: "[secret]" });
    expect(inputOf("webhook")).toEqual({ url: "[secret]", payload: { a: 1 } });
    expect(inputOf("capped")).toEqual({ truncated: true, bytes: 80_000 });
    expect(inputOf("formatter")).toEqual(recorded.formatter);
    expect(JSON.stringify(rows.rows)).not.toContain("t0ken");
  });
});
