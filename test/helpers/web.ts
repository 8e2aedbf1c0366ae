// Runs the web process (`npm run web`) on its own on a free port, as one replica among several
// behind a load balancer: APP_URL is the address the replicas are published at, not their own.
import { findFreePort } from "@/lib/runtime/free-port";
import { type RunningScript, startScript } from "./script-process";

export type RunningWeb = RunningScript & { url: string };

export async function startWeb(env: Record<string, string | undefined> = {}): Promise<RunningWeb> {
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const web = await startScript(
    "scripts/web.ts",
    '"web server listening"',
    { LOG_LEVEL: "info", SHUTDOWN_GRACE_MS: "2000", PORT: String(port), APP_URL: url, ...env },
    120_000,
  );
  return { ...web, url };
}
