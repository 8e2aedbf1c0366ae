// A stdio upstream: a command line the workers' host runs, speaking MCP on its stdin and stdout.
// Only an administrator may register one (it runs with the host's privileges), and it gets only
// the environment its definition names: never the platform's own (database URL, keys, secrets),
// nor the variables the SDK's StdioClientTransport passes on by default (HOME, PATH, USER…).
import os from "node:os";
import { DEFAULT_INHERITED_ENV_VARS } from "@modelcontextprotocol/sdk/client/stdio.js";
import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,100}$/, "a variable name (letters, digits, _)");
const noNul = (value: string) => !value.includes("\0");

export const stdioSourceSchema = z.object({
  transport: z.literal("stdio"),
  /** An absolute path, or a name looked up in the PATH the definition gives. */
  command: z.string().trim().min(1).max(1_000).refine(noNul, "a command without NUL characters"),
  args: z
    .array(z.string().max(4_000).refine(noNul, "an argument without NUL characters"))
    .max(100)
    .default([]),
  env: z
    .record(envName, z.string().max(8_000).refine(noNul, "a value without NUL characters"))
    .refine((env) => Object.keys(env).length <= 100, "at most 100 variables")
    .default({}),
  /** The working directory; the system's temporary directory when not given. */
  cwd: z.string().max(1_000).optional(),
});
export type StdioSource = z.infer<typeof stdioSourceSchema>;

export function isStdioSource(source: unknown): boolean {
  return (source as { transport?: unknown } | null)?.transport === "stdio";
}

/** What is wrong, in words: for a variable's name, what a name must be rather than zod's "Invalid key". */
export function stdioIssueMessage(issue: z.core.$ZodIssue | undefined): string {
  if (issue?.code === "invalid_key") return issue.issues[0]?.message ?? issue.message;
  return issue?.message ?? "invalid";
}

/** Parses a stored or given stdio source, or throws AppError "validation_failed" naming the field. */
export function parseStdioSource(input: unknown): StdioSource {
  const parsed = stdioSourceSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `source.${issue.path.join(".")}` : "source";
  throw new AppError("validation_failed", `${where}: ${stdioIssueMessage(issue)}`);
}

/**
 * The whole environment the process gets: the definition's variables, and the SDK's default ones
 * removed (Node leaves out a variable whose value is undefined; the transport spreads its defaults
 * first and these after).
 */
export function stdioEnvironment(source: StdioSource): Record<string, string> {
  const env: Record<string, string | undefined> = {};
  for (const name of DEFAULT_INHERITED_ENV_VARS) env[name] = undefined;
  Object.assign(env, source.env);
  return env as Record<string, string>;
}

export function stdioWorkingDirectory(source: StdioSource): string {
  return source.cwd ?? os.tmpdir();
}

/**
 * Refuses a stdio upstream to anyone but an administrator: it is a command line run on the
 * workers' host. To be called wherever an app is added or its source changed.
 */
export function assertMayRegisterStdio(actor: { role: string }, source: unknown): void {
  if (isStdioSource(source) && actor.role !== "ADMIN")
    throw new AppError(
      "forbidden",
      "Only an administrator can add an MCP server run as a command (stdio); add it by URL instead.",
    );
}
