// Runs the worker process (`npm run worker`) on its own, with the test's environment, for tests
// that need to kill it or to run tool calls in-process with an injected clock.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";

const projectRoot = path.resolve(import.meta.dirname, "../..");

export type RunningWorker = {
  process: ChildProcess;
  output: () => string;
  /** SIGTERM (drains) or SIGKILL (dies mid-job); resolves when the process has exited. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
};

export async function startWorker(env: Record<string, string> = {}): Promise<RunningWorker> {
  // tsx's loader in this very process (not the tsx CLI, which runs the script in a child of its
  // own that a SIGKILL of the CLI would leave running).
  const loader = pathToFileURL(path.join(projectRoot, "node_modules/tsx/dist/loader.mjs")).href;
  const child = spawn(process.execPath, ["--import", loader, "workers/index.ts"], {
    cwd: projectRoot,
    env: { ...process.env, LOG_LEVEL: "info", SHUTDOWN_GRACE_MS: "2000", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const deadline = Date.now() + 60_000;
  while (!output.includes('"worker started"')) {
    if (child.exitCode !== null) throw new Error(`worker exited during start-up:\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`worker not ready in time:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    process: child,
    output: () => output,
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
