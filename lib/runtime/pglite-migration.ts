// An earlier version kept the embedded database in DATA_DIR/postgres with PGlite (PostgreSQL
// compiled to WebAssembly), whose files a real PostgreSQL server cannot open. On the first start
// after the upgrade its content moves to a new cluster: built in postgres.migrating, filled and
// checked by scripts/migrate-pglite.ts, renamed to postgres.migrated once complete, and put in
// place after the old directory is set aside as postgres.pglite-backup-<date> (never deleted).
// Whatever step a start is stopped at, the next one finishes or redoes the move from there.
import { rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { spawnChild, stopChild } from "./children";
import { isEmbeddedCluster, startEmbeddedPostgres } from "./embedded-postgres";
import { findProjectRoot } from "./project-root";

const projectRoot = findProjectRoot(import.meta.dirname);

const exists = (target: string) =>
  stat(target).then(
    () => true,
    () => false,
  );

/** Whether DATA_DIR/postgres holds (or a stopped move left) an earlier version's PGlite database. */
export async function needsPgliteMigration(dataDir: string): Promise<boolean> {
  const current = path.join(dataDir, "postgres");
  if (await exists(current)) return !(await isEmbeddedCluster(current));
  return exists(`${current}.migrated`);
}

function backupName(current: string, now = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replaceAll(":", "-").replace("T", "_");
  return `${current}.pglite-backup-${stamp}`;
}

/**
 * Moves the PGlite database into a new embedded PostgreSQL cluster with the same password the
 * platform will use; returns where the old directory was kept.
 */
export async function migratePgliteDatabase(
  dataDir: string,
  password: string,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  const current = path.join(dataDir, "postgres");
  const staging = `${current}.migrating`;
  const migrated = `${current}.migrated`;
  let backup: string | undefined;
  if (!(await exists(migrated))) {
    if (!(await exists(path.join(current, "PG_VERSION"))))
      throw new Error(`${current} does not hold a database. Move it elsewhere, then start again.`);
    await rm(staging, { recursive: true, force: true }); // a move that was stopped half-way
    const target = await startEmbeddedPostgres({ directory: staging, password });
    const copier = spawnChild(
      "migrate-pglite",
      process.execPath,
      ["--import", "tsx", path.join(projectRoot, "scripts/migrate-pglite.ts"), current],
      { env: { ...env, DATABASE_URL: target.url } },
    );
    const code = await copier.exited;
    await stopChild(target.child, 10_000);
    if (code !== 0) {
      await rm(staging, { recursive: true, force: true });
      throw new Error(
        `The database of the earlier version (PGlite, in ${current}) could not be moved to PostgreSQL ` +
          "(see the message above). Nothing was changed: it is still there, as it was.",
      );
    }
    await rename(staging, migrated);
  }
  if (await exists(current)) {
    backup = backupName(current);
    await rename(current, backup);
  }
  await rename(migrated, current);
  return backup;
}
