// Starts the embedded PostgreSQL (scripts/embedded-postgres.ts) in its own process: PGlite may
// be opened by one process only, and must not share a process with blocking child processes.
import path from "node:path";
import pg from "pg";
import { type Child, spawnChild, waitUntil } from "./children";
import { findFreePort } from "./free-port";

const projectRoot = path.resolve(import.meta.dirname, "../..");

export async function canConnect(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function startEmbeddedPostgres(
  dataDir: string,
  port?: number,
): Promise<{ child: Child; url: string }> {
  const chosenPort = port ?? (await findFreePort());
  const child = spawnChild(
    "postgres",
    process.execPath,
    // One node process with tsx's loader rather than the tsx CLI, whose wrapper may SIGKILL the
    // database when it is slow to acknowledge SIGTERM (see scripts/start.ts).
    [
      "--import",
      "tsx",
      path.join(projectRoot, "scripts/embedded-postgres.ts"),
      path.join(dataDir, "postgres"),
      String(chosenPort),
    ],
    { cwd: projectRoot, stdio: ["ignore", "ignore", "inherit"] },
  );
  const url = `postgresql://postgres:postgres@127.0.0.1:${chosenPort}/postgres`;
  let exited = false;
  void child.exited.then(() => {
    exited = true;
  });
  await waitUntil(
    async () => {
      if (exited) throw new Error("The embedded database exited during start-up (see the message above).");
      return canConnect(url);
    },
    60_000,
    "The embedded database",
  );
  return { child, url };
}
