// Starts the MCP endpoint alone (mcp-endpoint-process.ts) on a free port, as one web replica.
import { findFreePort } from "@/lib/runtime/free-port";
import { type RunningScript, startScript } from "./script-process";

export type RunningEndpoint = RunningScript & { url: string };

export async function startMcpEndpoint(
  env: Record<string, string | undefined> = {},
): Promise<RunningEndpoint> {
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const endpoint = await startScript(
    "test/helpers/mcp-endpoint-process.ts",
    "mcp endpoint listening",
    { PORT: String(port), APP_URL: url, ...env },
    60_000,
  );
  return { ...endpoint, url };
}
