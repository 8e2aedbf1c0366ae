// A data directory as the earlier version of the platform left it: its embedded database, PGlite,
// in DATA_DIR/postgres, served the way that version served it (pglite-socket on 127.0.0.1), so
// that the project's own code can migrate and fill it as that version did. Only for testing the
// move to the embedded PostgreSQL; nothing else may use PGlite.
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { findFreePort } from "@/lib/runtime/free-port";

export type ServedPglite = { url: string; close: () => Promise<void> };

export async function servePgliteDataDir(dataDir: string): Promise<ServedPglite> {
  const db = await PGlite.create(path.join(dataDir, "postgres"));
  const port = await findFreePort();
  const server = new PGLiteSocketServer({ db, port, host: "127.0.0.1", maxConnections: 200 });
  await server.start();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`,
    close: async () => {
      await server.stop();
      await db.close();
    },
  };
}
