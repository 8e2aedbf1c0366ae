// The children of `npm start` end by themselves when their supervisor is gone, however it went:
// a node child through its IPC channel, a program through the service host that runs it, and on
// Linux that program even when its host is killed outright (setpriv --pdeathsig).
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { killLeftovers, waitUntilGone } from "@/test/helpers/processes";
import { describeProcess, type ProcessInfo } from "./process-info";

const projectRoot = path.resolve(import.meta.dirname, "../..");
let supervisor: ChildProcess | undefined;
let started: ProcessInfo[] = [];

afterEach(() => {
  supervisor?.kill("SIGKILL");
  killLeftovers(started);
});

async function startSupervisor(): Promise<{ host: ProcessInfo; program: ProcessInfo; watcher: ProcessInfo }> {
  supervisor = spawn(process.execPath, ["--import", "tsx", "test/fixtures/supervise-children.ts"], {
    cwd: projectRoot,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve) =>
    supervisor!.stdout!.once("data", (chunk) => resolve(`${chunk}`)),
  );
  const pids = JSON.parse(line) as Record<"host" | "program" | "watcher", number>;
  const [host, program, watcher] = await Promise.all(
    [pids.host, pids.program, pids.watcher].map(async (pid) => (await describeProcess(pid))!),
  );
  started = [host!, program!, watcher!];
  expect(program!.command).toBe("sleep 600");
  return { host: host!, program: program!, watcher: watcher! };
}

describe("children of a supervisor", () => {
  it("end within 10 s of the supervisor's SIGKILL: a node child, and a program through its host", async () => {
    const { host, program, watcher } = await startSupervisor();
    supervisor!.kill("SIGKILL");
    expect(await waitUntilGone([host, program, watcher], 10_000)).toEqual([]);
  });

  it.runIf(process.platform === "linux")(
    "include a program whose host itself is killed with SIGKILL (the kernel signals it)",
    async () => {
      const { host, program } = await startSupervisor();
      process.kill(host.pid, "SIGKILL");
      expect(await waitUntilGone([program], 10_000)).toEqual([]);
    },
  );
});
