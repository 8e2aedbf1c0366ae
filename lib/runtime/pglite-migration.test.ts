// The states a move from PGlite can be found in by a start: the full move itself is tested end to
// end in test/e2e/pglite-migration.test.ts.
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isEmbeddedCluster } from "./embedded-postgres";
import { migratePgliteDatabase, needsPgliteMigration } from "./pglite-migration";

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "toolgate-move-"));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** A directory as initialiseCluster leaves one (only what tells the states apart). */
async function makeCluster(directory: string): Promise<void> {
  await mkdir(directory);
  await writeFile(path.join(directory, "PG_VERSION"), "18\n");
  await writeFile(path.join(directory, "toolgate-embedded-postgres"), "");
}

describe("moving an earlier version's PGlite database", () => {
  it("is not needed on a new data directory, nor on one with its own PostgreSQL", async () => {
    expect(await needsPgliteMigration(dataDir)).toBe(false);
    await makeCluster(path.join(dataDir, "postgres"));
    expect(await needsPgliteMigration(dataDir)).toBe(false);
  });

  it("is needed for a database directory this version did not create", async () => {
    await mkdir(path.join(dataDir, "postgres"));
    await writeFile(path.join(dataDir, "postgres", "PG_VERSION"), "18\n");
    expect(await needsPgliteMigration(dataDir)).toBe(true);
  });

  it("is finished by the next start when it was stopped after the copy, with the old one set aside", async () => {
    await makeCluster(path.join(dataDir, "postgres.migrated"));
    await mkdir(path.join(dataDir, "postgres.pglite-backup-2026-12-04_21-00-00"));
    expect(await needsPgliteMigration(dataDir)).toBe(true);
    expect(await migratePgliteDatabase(dataDir, "unused", process.env)).toBeUndefined();
    expect(await isEmbeddedCluster(path.join(dataDir, "postgres"))).toBe(true);
    expect((await readdir(dataDir)).sort()).toEqual([
      "postgres",
      "postgres.pglite-backup-2026-12-04_21-00-00",
    ]);
  });

  it("is finished by the next start when it was stopped after the copy, before the old one was set aside", async () => {
    await mkdir(path.join(dataDir, "postgres"));
    await writeFile(path.join(dataDir, "postgres", "PG_VERSION"), "18\n");
    await makeCluster(path.join(dataDir, "postgres.migrated"));
    const backup = await migratePgliteDatabase(dataDir, "unused", process.env);
    expect(backup).toMatch(/\/postgres\.pglite-backup-\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d$/);
    expect(await isEmbeddedCluster(path.join(dataDir, "postgres"))).toBe(true);
    expect(await readdir(backup!)).toEqual(["PG_VERSION"]);
    expect((await readdir(dataDir)).sort()).toEqual(["postgres", path.basename(backup!)]);
  });

  it("refuses a directory that holds no database at all, and leaves it be", async () => {
    await mkdir(path.join(dataDir, "postgres"));
    await writeFile(path.join(dataDir, "postgres", "notes.txt"), "mine");
    await expect(migratePgliteDatabase(dataDir, "unused", process.env)).rejects.toThrow(
      `${path.join(dataDir, "postgres")} does not hold a database. Move it elsewhere, then start again.`,
    );
    expect(await readdir(path.join(dataDir, "postgres"))).toEqual(["notes.txt"]);
  });
});
