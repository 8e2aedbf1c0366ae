// Runs one of the platform's own processes (`npm run worker`, `npm run web`) on its own, as an
// operator runs replicas, with the test's environment, until it says it is ready.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";

const projectRoot = path.resolve(import.meta.dirname, "../..");

export type RunningScript = {
  process: ChildProcess;
  output: () => string;
  /** SIGTERM (drains) or SIGKILL (dies mid-job); resolves when the process has exited. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
};

/** Spawns `script` and waits (up to timeoutMs) for `readyText` in its output. */
export async function startScript(
  script: string,
  readyText: string,
  env: Record<string, string | undefined>,
  timeoutMs = 60_000,
): Promise<RunningScript> {
  // tsx's loader in this very process (not the tsx CLI, which runs the script in a child of its
  // own that a SIGKILL of the CLI would leave running).
  const loader = pathToFileURL(path.join(projectRoot, "node_modules/tsx/dist/loader.mjs")).href;
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [key, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[key];
  const child = spawn(process.execPath, ["--import", loader, script], {
    cwd: projectRoot,
    env: childEnv,
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
  const deadline = Date.now() + timeoutMs;
  while (!output.includes(readyText)) {
    if (child.exitCode !== null) throw new Error(`${script} exited during start-up:\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${script} not ready in time:\n${output}`);
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
