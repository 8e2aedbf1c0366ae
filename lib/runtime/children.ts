// Child processes of `npm start`: each in a process group of its own (so that stopping one also
// stops anything it started, and Ctrl-C reaches only the supervisor, which stops them in order),
// each with an IPC channel that closes when the supervisor dies, and waited for with a deadline.
import { type ChildProcess, spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { orphanGraceMs } from "./parent-watch";
import { findProjectRoot } from "./project-root";

export type Child = { name: string; process: ChildProcess; exited: Promise<number | null> };

export type ChildOptions = {
  env?: NodeJS.ProcessEnv;
  /** Where its standard output goes (its errors always reach the terminal). */
  stdout?: "inherit" | "ignore";
};

const projectRoot = findProjectRoot(import.meta.dirname);

/**
 * A child that watches the IPC channel itself (lib/runtime/parent-watch.ts): a node process of
 * ours. Its exit code is 128 + n when signal n ended it.
 */
export function spawnChild(name: string, command: string, args: string[], options: ChildOptions = {}): Child {
  const child = spawn(command, args, {
    cwd: projectRoot, // where `--import tsx` finds tsx; the embedded services take absolute paths
    env: options.env,
    detached: true,
    stdio: ["ignore", options.stdout ?? "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 + os.constants.signals[signal] : null)));
    child.on("error", () => resolve(127));
  });
  return { name, process: child, exited };
}

/** How long a hosted program has to stop once told to before it is killed. */
const hostedGraceMs = 8_000;

/**
 * A program that cannot watch a channel (postgres, redis-server, next build), run under
 * scripts/service-host.mjs, which watches it on the program's behalf, stops it with `stopSignal`,
 * and on Linux also has the kernel signal it should the host itself be killed.
 */
export function spawnHosted(
  name: string,
  command: string,
  args: string[],
  options: ChildOptions & { stopSignal?: NodeJS.Signals; user?: { uid: number; gid: number } } = {},
): Child {
  const hostArgs = [
    path.join(projectRoot, "scripts/service-host.mjs"),
    "--stop-signal",
    options.stopSignal ?? "SIGTERM",
    "--grace-ms",
    String(hostedGraceMs),
    "--orphan-grace-ms",
    String(orphanGraceMs),
    ...(options.user ? ["--uid", String(options.user.uid), "--gid", String(options.user.gid)] : []),
    "--",
    command,
    ...args,
  ];
  return spawnChild(name, process.execPath, hostArgs, options);
}

function signalGroup(child: Child, signal: NodeJS.Signals): void {
  if (child.process.pid === undefined) return;
  try {
    process.kill(-child.process.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** SIGTERM, then SIGKILL after graceMs if the child has not exited. */
export async function stopChild(child: Child, graceMs: number): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  signalGroup(child, "SIGTERM");
  const timer = setTimeout(() => signalGroup(child, "SIGKILL"), graceMs);
  await child.exited;
  clearTimeout(timer);
  // Anything the child left behind in its group goes too.
  signalGroup(child, "SIGKILL");
}

/** Resolves when `check` returns true; rejects after timeoutMs, or at once if `check` throws. */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} was not ready after ${Math.round(timeoutMs / 1000)} s`);
}
