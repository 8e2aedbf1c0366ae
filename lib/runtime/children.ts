// Child processes of `npm start`: spawned in their own process group so that stopping one also
// stops anything it started, and waited for with a deadline.
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";

export type Child = { name: string; process: ChildProcess; exited: Promise<number | null> };

export function spawnChild(name: string, command: string, args: string[], options: SpawnOptions): Child {
  const child = spawn(command, args, { stdio: "inherit", detached: true, ...options });
  const exited = new Promise<number | null>((resolve) => {
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : null)));
    child.on("error", () => resolve(127));
  });
  return { name, process: child, exited };
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
