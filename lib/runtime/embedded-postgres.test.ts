// The embedded PostgreSQL's checks before it starts; starting it is tested wherever the platform runs
// on embedded defaults (test/e2e/npm-start-*.test.ts).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { stopChild } from "./children";
import { findPostgresHolders, startEmbeddedPostgres } from "./embedded-postgres";

let scratch: string | undefined;
let holder: ChildProcess | undefined;

afterEach(async () => {
  holder?.kill("SIGKILL");
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe("the embedded PostgreSQL", () => {
  it("names the processes that have its directory open, and only those", async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), "toolgate-holders-"));
    const directory = path.join(scratch, "postgres");
    const idle = ["-e", "setInterval(() => {}, 1000)", "--"];
    holder = spawn(process.execPath, [...idle, "-D", directory]);
    const neighbour = spawn(process.execPath, [...idle, `${directory}.pglite-backup-2026-12-04`]);
    try {
      expect((await findPostgresHolders(directory)).map((entry) => entry.pid)).toEqual([holder.pid]);
    } finally {
      neighbour.kill("SIGKILL");
    }
  });

  it.runIf(process.getuid?.() === 0 && process.platform === "linux")(
    "started as root, runs in a folder only root may enter (a checkout under /root), its files root's",
    async () => {
      scratch = await mkdtemp(path.join(os.tmpdir(), "toolgate-private-")); // mode 0700, root's
      const directory = path.join(scratch, "data", "postgres");
      const { child, url } = await startEmbeddedPostgres({ directory, password: "x".repeat(32) });
      try {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        const { rows } = await client.query<{ user: string }>("SELECT current_user AS user");
        await client.end();
        expect(rows[0]?.user).toBe("postgres");
        expect((await stat(path.join(directory, "PG_VERSION"))).uid).toBe(0);
      } finally {
        await stopChild(child, 10_000);
      }
    },
  );
});
