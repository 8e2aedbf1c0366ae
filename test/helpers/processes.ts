// The processes a test started, read from the process table as an operator would, to check that
// none outlives what should have ended it. A pid counts as the same process only while its
// command line is unchanged, so a reused pid is not mistaken for a survivor.
import { describeProcess, listProcesses, type ProcessInfo } from "@/lib/runtime/process-info";

/** Every live process below `root`, at this moment. */
export async function listDescendants(root: number): Promise<ProcessInfo[]> {
  const all = await listProcesses();
  const found: ProcessInfo[] = [];
  const parents = [root];
  while (parents.length) {
    const parent = parents.shift()!;
    for (const child of all.filter((entry) => entry.ppid === parent)) {
      found.push(child);
      parents.push(child.pid);
    }
  }
  return found;
}

async function isStillRunning(entry: ProcessInfo): Promise<boolean> {
  return (await describeProcess(entry.pid))?.command === entry.command;
}

/** Waits up to timeoutMs for all of `processes` to end; returns those still running then. */
export async function waitUntilGone(processes: ProcessInfo[], timeoutMs: number): Promise<ProcessInfo[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const running = (
      await Promise.all(processes.map(async (entry) => ((await isStillRunning(entry)) ? entry : undefined)))
    ).filter((entry) => entry !== undefined);
    if (running.length === 0 || Date.now() > deadline) return running;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SIGKILL for whatever a failed test left running, so that it disturbs no other test. */
export function killLeftovers(processes: ProcessInfo[]): void {
  for (const entry of processes) {
    try {
      process.kill(entry.pid, "SIGKILL");
    } catch {
      // gone already
    }
  }
}
