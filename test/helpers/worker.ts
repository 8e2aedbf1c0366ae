// Runs the worker process (`npm run worker`) on its own, with the test's environment, for tests
// that need to kill it or to run tool calls in-process with an injected clock.
import { type RunningScript, startScript } from "./script-process";

export type RunningWorker = RunningScript;

export function startWorker(env: Record<string, string | undefined> = {}): Promise<RunningWorker> {
  return startScript("workers/index.ts", '"worker started"', {
    LOG_LEVEL: "info",
    SHUTDOWN_GRACE_MS: "2000",
    ...env,
  });
}
