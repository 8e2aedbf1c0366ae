import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { claimRuntimeInfo, readRuntimeInfo, removeRuntimeInfo, writeRuntimeInfo } from "./runtime-file";

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "toolgate-runtime-"));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** The pid of a process that has exited (and been reaped), so nothing runs under it. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""]);
  await new Promise((resolve) => child.on("exit", resolve));
  return child.pid!;
}

/** A process whose command line looks like a running `npm start`'s supervisor. */
function fakeSupervisor(): ChildProcess {
  return spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)", "scripts/start.ts"]);
}

let supervisor: ChildProcess | undefined;
afterEach(() => {
  supervisor?.kill("SIGKILL");
});

describe("runtime file", () => {
  it("returns the info of a running instance", async () => {
    supervisor = fakeSupervisor();
    const info = {
      pid: supervisor.pid!,
      DATABASE_URL: "postgresql://a@127.0.0.1:1/x",
      REDIS_URL: "redis://127.0.0.1:2",
    };
    await writeRuntimeInfo(dataDir, info);
    expect(await readRuntimeInfo(dataDir)).toEqual(info);
  });

  it("ignores a file whose pid now belongs to another program (a pid reused after a crash)", async () => {
    await writeRuntimeInfo(dataDir, { pid: process.pid, DATABASE_URL: "postgresql://a@127.0.0.1:1/x" });
    expect(await readRuntimeInfo(dataDir)).toBeUndefined();
  });

  it("is claimed by one start only; a stale file is replaced", async () => {
    await writeRuntimeInfo(dataDir, { pid: await deadPid() });
    supervisor = fakeSupervisor();
    await claimRuntimeInfo(dataDir, { pid: supervisor.pid! });
    expect(await readRuntimeInfo(dataDir)).toEqual({ pid: supervisor.pid });
    await expect(claimRuntimeInfo(dataDir, { pid: process.pid })).rejects.toThrow(
      `Another start is using ${dataDir} right now.`,
    );
  });

  it("ignores a file left behind by an instance that is no longer running", async () => {
    await writeRuntimeInfo(dataDir, { pid: await deadPid(), DATABASE_URL: "postgresql://a@127.0.0.1:1/x" });
    expect(await readRuntimeInfo(dataDir)).toBeUndefined();
  });

  it("returns undefined when there is no file", async () => {
    expect(await readRuntimeInfo(dataDir)).toBeUndefined();
  });

  it("ignores a damaged file instead of failing (a crash can leave it empty or truncated)", async () => {
    await writeFile(path.join(dataDir, "runtime.json"), "");
    expect(await readRuntimeInfo(dataDir)).toBeUndefined();
    await writeFile(path.join(dataDir, "runtime.json"), '{"pid": 12');
    expect(await readRuntimeInfo(dataDir)).toBeUndefined();
    await writeFile(path.join(dataDir, "runtime.json"), '{"pid": "not a number"}');
    expect(await readRuntimeInfo(dataDir)).toBeUndefined();
  });

  it("is readable by its owner only (it holds connection URLs) and can be removed", async () => {
    await writeRuntimeInfo(dataDir, { pid: process.pid });
    const file = path.join(dataDir, "runtime.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({ pid: process.pid });
    await removeRuntimeInfo(dataDir);
    expect(await readRuntimeInfo(dataDir)).toBeUndefined();
    await removeRuntimeInfo(dataDir); // removing twice is fine
  });
});
