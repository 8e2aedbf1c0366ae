// Run by lib/runtime/pglite-migration.ts in a process of its own (PGlite holds the database in
// WebAssembly memory while it is open): copies an earlier version's PGlite database, whose
// directory is the argument, into the database at DATABASE_URL, and lists what it copied.
import { requireEnv } from "@/env";
import { copyPgliteDatabase } from "@/lib/runtime/copy-pglite";
import { whenSupervisorGone } from "@/lib/runtime/parent-watch";

// Nothing is lost by stopping half-way: the copy commits as a whole, into a directory that is
// used only once the copy is complete.
whenSupervisorGone(() => process.exit(1));

async function main(): Promise<void> {
  const [sourceDir] = process.argv.slice(2);
  if (!sourceDir) throw new Error("usage: migrate-pglite <PGlite data directory>");
  const copied = await copyPgliteDatabase(sourceDir, requireEnv("DATABASE_URL"));
  const rows = copied.reduce((sum, table) => sum + table.rows, 0);
  process.stdout.write(
    `[start] copied ${rows} rows in ${copied.length} tables, each checked against the old database\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`[start] the database could not be copied: ${error.message}\n`);
    process.exit(1);
  },
);
