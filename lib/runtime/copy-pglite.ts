// Copies the database of an earlier version's embedded PGlite (PostgreSQL compiled to WebAssembly,
// whose files a real PostgreSQL server cannot open) into a real PostgreSQL database: the same
// migrations rebuild the schema, then every row of every table goes across as JSON and is read
// back into the same types, in one transaction that commits only if each table's row count and
// content hash match the source's. The source is only read.
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { applyMigrations } from "@/lib/db/migrations";

export type CopiedTable = { table: string; rows: number };

const batchRows = 200;
const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

// Each row as canonical JSON text; the table's fingerprint is a hash over the sorted row hashes,
// which PostgreSQL computes the same way on both sides (same major version, same time zone).
const fingerprintSql = (table: string) =>
  `SELECT count(*)::int AS rows, coalesce(md5(string_agg(h, '' ORDER BY h COLLATE "C")), '') AS hash
   FROM (SELECT md5(to_jsonb(t)::text) AS h FROM public.${quote(table)} t) s`;

async function hasMigrationsTable(source: PGlite): Promise<boolean> {
  const result = await source.query<{ found: boolean }>(
    "SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS found",
  );
  return result.rows[0]?.found === true;
}

async function listTables(query: (sql: string) => Promise<{ rows: { name: string }[] }>): Promise<string[]> {
  const result = await query(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename COLLATE \"C\"",
  );
  return result.rows.map((row) => row.name);
}

async function copyTable(source: PGlite, target: pg.Client, table: string): Promise<void> {
  const columns = await target.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute
     WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
     ORDER BY attnum`,
    [`public.${quote(table)}`],
  );
  const list = columns.rows.map((column) => quote(column.name)).join(", ");
  const insert = `INSERT INTO public.${quote(table)} (${list}) OVERRIDING SYSTEM VALUE
    SELECT ${list} FROM jsonb_populate_recordset(NULL::public.${quote(table)}, $1::jsonb)`;
  await source.exec(
    `BEGIN; DECLARE copy_rows NO SCROLL CURSOR FOR SELECT to_jsonb(t)::text AS row FROM public.${quote(table)} t`,
  );
  try {
    for (;;) {
      const batch = await source.query<{ row: string }>(`FETCH ${batchRows} FROM copy_rows`);
      if (batch.rows.length === 0) break;
      await target.query(insert, [`[${batch.rows.map((entry) => entry.row).join(",")}]`]);
    }
  } finally {
    await source.exec("CLOSE copy_rows; COMMIT");
  }
}

async function copySequences(source: PGlite, target: pg.Client): Promise<void> {
  const sequences = await source.query<{ name: string; value: string }>(
    "SELECT sequencename AS name, last_value::text AS value FROM pg_sequences WHERE schemaname = 'public' AND last_value IS NOT NULL",
  );
  for (const sequence of sequences.rows) {
    await target.query("SELECT setval($1::regclass, $2::bigint, true)", [
      `public.${quote(sequence.name)}`,
      sequence.value,
    ]);
  }
}

async function copyAll(source: PGlite, target: pg.Client, targetUrl: string): Promise<CopiedTable[]> {
  // A directory whose platform never got as far as its first migration holds nothing to copy.
  if (!(await hasMigrationsTable(source))) return [];
  const applied = await source.query<{ name: string }>(
    "SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name",
  );
  await applyMigrations(targetUrl, { only: applied.rows.map((row) => row.name) });

  const tables = await listTables((sql) => source.query<{ name: string }>(sql));
  const targetTables = await listTables((sql) => target.query<{ name: string }>(sql));
  if (tables.join() !== targetTables.join())
    throw new Error(
      `The old database's tables (${tables.join(", ")}) differ from those its migrations create (${targetTables.join(", ")}).`,
    );

  await target.query("BEGIN");
  // Rows arrive table by table, so foreign keys are not checked on the way; the comparison below
  // checks that every row arrived as it was.
  await target.query("SET LOCAL session_replication_role = replica");
  // What the migrations wrote (their history, the built-in plan) gives way to the source's rows.
  await target.query(`TRUNCATE ${tables.map((table) => `public.${quote(table)}`).join(", ")}`);
  const copied: CopiedTable[] = [];
  for (const table of tables) {
    await copyTable(source, target, table);
    const [before, after] = await Promise.all([
      source.query<{ rows: number; hash: string }>(fingerprintSql(table)),
      target.query<{ rows: number; hash: string }>(fingerprintSql(table)),
    ]);
    const expected = before.rows[0]!;
    const actual = after.rows[0]!;
    if (expected.rows !== actual.rows || expected.hash !== actual.hash)
      throw new Error(
        `Table ${table} did not copy faithfully (${expected.rows} rows in the old database, ${actual.rows} in the new one, or different content).`,
      );
    copied.push({ table, rows: actual.rows });
  }
  await copySequences(source, target);
  await target.query("COMMIT");
  return copied;
}

/** Copies the PGlite data directory `sourceDir` into the empty database at `targetUrl`. */
export async function copyPgliteDatabase(sourceDir: string, targetUrl: string): Promise<CopiedTable[]> {
  const target = new pg.Client({ connectionString: targetUrl });
  await target.connect();
  let source: PGlite | undefined;
  try {
    source = await PGlite.create(sourceDir);
    return await copyAll(source, target, targetUrl);
  } catch (error) {
    await target.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await target.end().catch(() => {});
    await source?.close().catch(() => {});
  }
}
