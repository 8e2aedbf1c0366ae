// The embedded PostgreSQL of a zero-config start: PGlite, served over the PostgreSQL wire
// protocol on 127.0.0.1 so that the web server, the workers and migrations all connect with an
// ordinary DATABASE_URL, exactly as they would to a real server. Run by lib/runtime/embedded-postgres.ts.
import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

async function main(): Promise<void> {
  const [dataDir, portText] = process.argv.slice(2);
  const port = Number(portText);
  if (!dataDir || !Number.isInteger(port)) throw new Error("usage: embedded-postgres <data dir> <port>");
  await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, port, host: "127.0.0.1", maxConnections: 200 });
  await server.start();
  process.stdout.write(`embedded-postgres ready on 127.0.0.1:${port}\n`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop().catch(() => {});
    await db.close().catch(() => {});
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: Error) => {
  process.stderr.write(`embedded-postgres failed: ${error.message}\n`);
  process.exit(1);
});
