// The embedded PostgreSQL's checks before it starts; starting it is tested wherever the platform runs
// on embedded defaults (test/e2e/npm-start-*.test.ts).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
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

  it.runIf(process.getuid?.() === 0)(
    "started as root, refuses a DATA_DIR its `postgres` user cannot reach, naming the folder in the way",
    async () => {
      scratch = await mkdtemp(path.join(os.tmpdir(), "toolgate-private-")); // mode 0700, root's
      await mkdir(path.join(scratch, "data"));
      await expect(
        startEmbeddedPostgres({
          directory: path.join(scratch, "data", "postgres"),
          password: "x".repeat(32),
        }),
      ).rejects.toThrow(
        `that user cannot pass through ${scratch} to reach ${path.join(scratch, "data", "postgres")}`,
      );
    },
  );
});
