// The platform's own processes at rest: the resident memory (RSS) of the supervisor, the web
// process and the worker that `npm start` runs, read from /proc after a time without load.
// The services (PostgreSQL, Redis) and the hosts that watch them are not the platform's own and
// are reported apart.
import { readFile } from "node:fs/promises";
import { listProcesses, type ProcessInfo } from "@/lib/runtime/process-info";

export type OwnProcess = "supervisor" | "web" | "worker";

export type IdleMemory = {
  /** MB of RSS per own process; each includes any process it started itself (none today). */
  own: Record<OwnProcess, number>;
  total: number;
  /** The embedded services and their hosts, when the run embeds them. */
  services: number;
  idleForMs: number;
};

const megabyte = 1024 * 1024;

async function readRssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const kilobytes = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  return kilobytes ? Number(kilobytes) * 1024 : 0;
}

function descendantsOf(pid: number, processes: ProcessInfo[]): ProcessInfo[] {
  const children = processes.filter((entry) => entry.ppid === pid);
  return children.flatMap((child) => [child, ...descendantsOf(child.pid, processes)]);
}

function ownProcessOf(command: string): OwnProcess | undefined {
  if (command.includes("scripts/web.ts")) return "web";
  if (command.includes("workers/index.ts")) return "worker";
  return undefined;
}

/** One reading of the supervisor's tree, in MB. */
export async function readPlatformMemory(supervisorPid: number): Promise<Omit<IdleMemory, "idleForMs">> {
  const processes = await listProcesses();
  const own: Record<OwnProcess, number> = {
    supervisor: (await readRssBytes(supervisorPid)) / megabyte,
    web: 0,
    worker: 0,
  };
  let services = 0;
  for (const child of processes.filter((entry) => entry.ppid === supervisorPid)) {
    const tree = [child, ...descendantsOf(child.pid, processes)];
    const bytes = (await Promise.all(tree.map((entry) => readRssBytes(entry.pid)))).reduce(
      (a, b) => a + b,
      0,
    );
    const name = ownProcessOf(child.command);
    if (name) own[name] += bytes / megabyte;
    else services += bytes / megabyte;
  }
  return { own, total: own.supervisor + own.web + own.worker, services };
}

/**
 * Reads the tree once a second for `idleMs` (V8 gives memory back only after some time without
 * work: the worker's RSS fell by 40 MB about 45 s after start) and returns the last reading.
 */
export async function measureIdleMemory(supervisorPid: number, idleMs: number): Promise<IdleMemory> {
  const started = Date.now();
  for (;;) {
    const reading = await readPlatformMemory(supervisorPid);
    if (Date.now() - started >= idleMs) return { ...reading, idleForMs: Date.now() - started };
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
