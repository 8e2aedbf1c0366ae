// One session with a stdio upstream: the command is started with only its definition's
// environment (stdio-source.ts), the MCP handshake runs under a deadline, `use` runs, and the
// process is ended, whatever happens. One process per use, as with the HTTP upstreams' sessions.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { ActionError, AppUnreachableError } from "@/integrations/sdk/errors";
import { type StdioSource, stdioEnvironment, stdioWorkingDirectory } from "./stdio-source";

export type StdioSessionOptions = { signal: AbortSignal; timeoutMs: number };

/** The last of the process's error output kept, to say why it failed. */
const maxStderr = 2_000;

const clientInfo = { name: "toolgate", version: "1.0.0" };

export async function withStdioUpstream<T>(
  appName: string,
  source: StdioSource,
  options: StdioSessionOptions,
  use: (client: Client) => Promise<T>,
): Promise<T> {
  const transport = new StdioClientTransport({
    command: source.command,
    args: source.args,
    env: stdioEnvironment(source),
    cwd: stdioWorkingDirectory(source),
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-maxStderr);
  });
  const client = new Client(clientInfo, { capabilities: {} });
  client.onerror = () => {};
  let timer: NodeJS.Timeout | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new McpError(ErrorCode.RequestTimeout, "The handshake took too long.")),
        options.timeoutMs,
      );
    });
    await Promise.race([
      client.connect(transport, { signal: options.signal, timeout: options.timeoutMs }),
      deadline,
    ]);
    clearTimeout(timer);
    return await use(client);
  } catch (error) {
    throw describeStdioFailure(appName, source, error, stderr, options.signal);
  } finally {
    clearTimeout(timer);
    // Closing the transport ends the process (stdin closed, then SIGTERM, then SIGKILL).
    await client.close().catch(() => {});
  }
}

/** What went wrong, in the integration SDK's error classes, with the process's last words. */
export function describeStdioFailure(
  appName: string,
  source: StdioSource,
  error: unknown,
  stderr: string,
  signal?: AbortSignal,
): Error {
  if (signal?.aborted)
    return signal.reason instanceof Error ? signal.reason : new Error("The call was cancelled.");
  if (error instanceof ActionError) return error;
  const said = stderr.trim() ? ` It said: ${stderr.trim().slice(-500)}` : "";
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === "ENOENT" || code === "EACCES")
    return new AppUnreachableError(
      `${appName}: the command ${source.command} could not be run (${code}); give an absolute path, or PATH in its environment.`,
      `the command could not be run (${code})`,
    );
  if (error instanceof McpError) {
    if (error.code === ErrorCode.RequestTimeout)
      return new AppUnreachableError(`${appName} did not answer in time.${said}`, "no answer in time");
    if (error.code === ErrorCode.ConnectionClosed)
      return new AppUnreachableError(`${appName} exited before answering.${said}`, "the process exited");
    return new ActionError(`${appName}: ${error.message.slice(0, 1_000)}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ActionError(
    `${appName} did not answer as an MCP server should: ${message.slice(0, 500)}${said}`,
  );
}
