// What runs on this machine, by pid: the command line of a live process (a zombie counts as gone),
// so that a refusal can name the process that holds a data directory, and a stale pid file whose
// pid now belongs to something else is not taken for a live holder. /proc on Linux, ps elsewhere.
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { promisify } from "node:util";

export type ProcessInfo = { pid: number; ppid: number; command: string };

const hasProc = process.platform === "linux";

async function readProcEntry(pid: number): Promise<ProcessInfo | undefined> {
  try {
    const [stat, cmdline] = await Promise.all([
      readFile(`/proc/${pid}/stat`, "utf8"),
      readFile(`/proc/${pid}/cmdline`, "utf8"),
    ]);
    // "pid (name) state ppid ...": the name may hold spaces and parentheses, so read after the last ")".
    const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (state === "Z" || state === "X") return undefined;
    const command = cmdline.replace(/\0+$/, "").replaceAll("\0", " ");
    return {
      pid,
      ppid: Number(ppid),
      command: command || stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")),
    };
  } catch {
    return undefined; // gone, or exited between the two reads
  }
}

async function runPs(args: string[]): Promise<ProcessInfo[]> {
  const { stdout } = await promisify(execFile)("ps", ["-ww", "-o", "pid=,ppid=,stat=,args=", ...args]).catch(
    () => ({ stdout: "" }), // ps exits 1 when a pid it was asked about is gone
  );
  return stdout
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null && !match[3]!.startsWith("Z"))
    .map((match) => ({ pid: Number(match![1]), ppid: Number(match![2]), command: match![4]! }));
}

/** The process with this pid, or undefined if none runs. */
export async function describeProcess(pid: number): Promise<ProcessInfo | undefined> {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (hasProc) return readProcEntry(pid);
  return (await runPs(["-p", String(pid)]))[0];
}

/** Every live process this user can see. */
export async function listProcesses(): Promise<ProcessInfo[]> {
  if (!hasProc) return runPs(["-ax"]);
  const pids = (await readdir("/proc")).filter((name) => /^\d+$/.test(name)).map(Number);
  const entries = await Promise.all(pids.map(readProcEntry));
  return entries.filter((entry) => entry !== undefined);
}

/** "process 1234 (postgres -D /srv/data/postgres)", shortened for a message. */
export function nameProcess(info: ProcessInfo): string {
  const command = info.command.length > 160 ? `${info.command.slice(0, 157)}...` : info.command;
  return `process ${info.pid} (${command})`;
}
