// The one structured logger. Secrets are redacted by key wherever they appear in a log object.
import pino from "pino";
import { getEnv } from "@/env";

const secretKeys = [
  "password",
  "passwordHash",
  "secret",
  "token",
  "accessToken",
  "refreshToken",
  "apiKey",
  "authorization",
  "cookie",
  "credentials",
  "ciphertext",
  "clientSecret",
];

const redactPaths = secretKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `headers.${key}`]);

let root: pino.Logger | undefined;

export function getLogger(): pino.Logger {
  root ??= pino({
    level: getEnv().LOG_LEVEL,
    base: { pid: process.pid },
    redact: { paths: redactPaths, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
  return root;
}

export function createLogger(bindings: Record<string, unknown>): pino.Logger {
  return getLogger().child(bindings);
}

/** Hide the secret segment of an MCP URL path (`/mcp/<secret>`) before it is logged. */
export function redactUrlPath(path: string): string {
  return path.replace(/\/mcp\/[^/?#]+/, "/mcp/[redacted]");
}
