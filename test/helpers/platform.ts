// Runs the platform as `npm start` does (scripts/start.ts), for tests that need the web server
// and the worker: on the run's database and Redis unless told otherwise, on a free port.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { findFreePort } from "@/lib/runtime/free-port";

const projectRoot = path.resolve(import.meta.dirname, "../..");

export type RunningPlatform = {
  url: string;
  port: number;
  dataDir: string;
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<number | null>;
};

export async function startPlatform(
  options: { env?: Record<string, string | undefined>; dataDir?: string; timeoutMs?: number } = {},
): Promise<RunningPlatform> {
  const port = await findFreePort();
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), "toolgate-data-")));
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    APP_URL: url,
    DATA_DIR: dataDir,
    SHUTDOWN_GRACE_MS: "5000",
    ...options.env,
  };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  const child = spawn(
    process.execPath,
    [path.join(projectRoot, "node_modules/tsx/dist/cli.mjs"), "scripts/start.ts"],
    {
      cwd: projectRoot,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  while (!output.includes("[start] ready:")) {
    if (child.exitCode !== null) throw new Error(`platform exited during start-up:\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`platform not ready in time:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    port,
    dataDir,
    process: child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
