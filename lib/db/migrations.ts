// Applies and creates Prisma migrations through the WebAssembly schema engine and the pg driver
// adapter, so no native engine download is needed. Writes the standard `_prisma_migrations`
// table: `prisma migrate deploy` stays usable wherever its binary is available.
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";
import pg from "pg";
import { findProjectRoot } from "@/lib/runtime/project-root";

const projectRoot = findProjectRoot(import.meta.dirname);
export const migrationsDir = path.join(projectRoot, "prisma/migrations");
export const schemaPath = path.join(projectRoot, "prisma/schema.prisma");

async function readMigrationList(): Promise<MigrationList> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const directories = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  const lock = await readFile(lockPath, "utf8").catch(() => undefined);
  return {
    baseDir: migrationsDir,
    lockfile: {
      path: "migration_lock.toml",
      content: lock === undefined ? null : lock,
    } as MigrationList["lockfile"],
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(
      directories.map(async (name) => {
        const file = path.join(migrationsDir, name, "migration.sql");
        const content = await readFile(file, "utf8").then(
          (sql) => ({ tag: "ok" as const, value: sql }),
          (error: Error) => ({ tag: "error" as const, value: error.message }),
        );
        return { path: name, migrationFile: { path: "migration.sql", content } };
      }),
    ),
  };
}

type SchemaEngineModule = typeof import("@prisma/schema-engine-wasm");

let engineModule: Promise<SchemaEngineModule> | undefined;

/** The package is built for bundlers (it imports a .wasm file), so Node instantiates it by hand. */
function loadSchemaEngine(): Promise<SchemaEngineModule> {
  engineModule ??= (async () => {
    const glue = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as SchemaEngineModule & {
      __wbg_set_wasm(exports: WebAssembly.Exports): void;
    };
    const entry = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm");
    const wasmPath = path.join(path.dirname(entry), "schema_engine_bg.wasm");
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {
      "./schema_engine_bg.js": glue as unknown as WebAssembly.ModuleImports,
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return engineModule;
}

async function withEngine<T>(databaseUrl: string, use: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const schema = await readFile(schemaPath, "utf8");
  // The pool is ours to close: freeing the engine does not, and its idle connections would keep
  // the engine's advisory lock (and this process) for another ~10 s, making any other start
  // against the same database wait for it, or time out.
  const pool = new pg.Pool({ connectionString: databaseUrl });
  pool.on("error", () => {});
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool));
  const { SchemaEngine } = await loadSchemaEngine();
  try {
    const engine = await SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, () => {}, adapter);
    try {
      return await use(engine);
    } finally {
      engine.free();
    }
  } finally {
    await pool.end();
  }
}

const noFilters = { externalTables: [], externalEnums: [] };

/**
 * Applies every migration not yet applied (or, with `only`, those of them named there, to rebuild
 * the schema of a database that had exactly those); returns the names it applied.
 */
export async function applyMigrations(
  databaseUrl: string,
  options: { only?: string[] } = {},
): Promise<string[]> {
  const list = await readMigrationList();
  if (options.only) {
    const known = new Set(list.migrationDirectories.map((directory) => directory.path));
    const unknown = options.only.filter((name) => !known.has(name));
    if (unknown.length)
      throw new Error(
        `The database has migrations this version of the platform does not know (${unknown.join(", ")}): it was written by a newer version.`,
      );
    const wanted = new Set(options.only);
    list.migrationDirectories = list.migrationDirectories.filter((directory) => wanted.has(directory.path));
  }
  return withEngine(databaseUrl, async (engine) => {
    const result = await engine.applyMigrations({ migrationsList: list, filters: noFilters });
    return result.appliedMigrationNames;
  });
}

// The schema as of the newest migration, kept beside the migrations so that a new migration is
// a pure diff of two schemas: no shadow database, no native engine.
export const schemaSnapshotPath = path.join(migrationsDir, "schema.snapshot.prisma");

/** The SQL that takes a database from the snapshot schema to prisma/schema.prisma ("" if none). */
export async function diffSchemaSql(databaseUrl: string): Promise<string> {
  const current = await readFile(schemaPath, "utf8");
  const snapshot = await readFile(schemaSnapshotPath, "utf8").catch(() => undefined);
  return withEngine(databaseUrl, async (engine) => {
    const result = await engine.diff({
      from:
        snapshot === undefined
          ? { tag: "empty" }
          : { tag: "schemaDatamodel", files: [{ path: schemaSnapshotPath, content: snapshot }] },
      to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: current }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    const sql = result.stdout ?? "";
    return /^\s*(--.*)?\s*$/.test(sql) || sql.includes("This is an empty migration") ? "" : sql;
  });
}
