// Refuses a start on a data directory that something still holds: a running `npm start`, or the
// database or Redis of an earlier one (which end by themselves within seconds of their supervisor;
// an earlier version's did not). Two servers on one directory would corrupt it. Each refusal
// names the process, in words an operator who is not a developer can act on.
import path from "node:path";
import { findPostgresHolders } from "./embedded-postgres";
import { findRedisHolder } from "./embedded-redis";
import { nameProcess, type ProcessInfo } from "./process-info";
import { findRunningSupervisor } from "./runtime-file";

export class DataDirInUseError extends Error {}

function leftRunning(what: string, directory: string, holders: ProcessInfo[]): DataDirInUseError {
  const pids = holders.map((holder) => holder.pid).join(" ");
  return new DataDirInUseError(
    `${what} in ${directory} is still in use by ${holders.map(nameProcess).join(", ")}. ` +
      "It was left running by an earlier start, and stops by itself within seconds once that start " +
      `is gone: try again in a moment. If it is still there, stop it with \`kill ${pids}\` and start again.`,
  );
}

/** Throws a DataDirInUseError naming the holder when the data directory is in use. */
export async function assertDataDirFree(
  dataDir: string,
  { embeddedPostgres = true, embeddedRedis = true } = {},
) {
  const supervisor = await findRunningSupervisor(dataDir);
  if (supervisor) {
    throw new DataDirInUseError(
      `Toolgate is already running with the data in ${dataDir}: ${nameProcess(supervisor)}. ` +
        `Stop it first (Ctrl-C where it runs, or \`kill ${supervisor.pid}\`), or give this start another DATA_DIR.`,
    );
  }
  const postgresDir = path.join(dataDir, "postgres");
  const postgres = embeddedPostgres ? await findPostgresHolders(postgresDir) : [];
  if (postgres.length) throw leftRunning("The database", postgresDir, postgres);
  const redis = embeddedRedis ? await findRedisHolder(dataDir) : undefined;
  if (redis) throw leftRunning("The Redis data", path.join(dataDir, "redis"), [redis]);
}
