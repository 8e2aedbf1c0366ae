// Migrations for `npm start`, applied by a short-lived child process (scripts/migrate.ts deploy)
// rather than by the supervisor itself: the WebAssembly schema engine they need stays resident
// in whichever process loads it (about 40 MB), and the supervisor lives as long as the platform.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { getChildEnvironment } from "@/env";
import { findProjectRoot } from "./project-root";

const projectRoot = findProjectRoot(import.meta.dirname);

/** Applies pending migrations to `databaseUrl`; resolves with the names of those it applied. */
export async function applyMigrationsInChild(databaseUrl: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      path.join(projectRoot, "scripts/run-bundled.mjs"),
      path.join(projectRoot, "scripts/migrate.ts"),
      "deploy",
      "--json",
    ],
    { cwd: projectRoot, env: getChildEnvironment({ DATABASE_URL: databaseUrl }), maxBuffer: 1024 * 1024 },
  ).catch((error: Error & { stderr?: string }) => {
    const reason = error.stderr?.trim().split("\n").at(-1) || error.message;
    throw new Error(`applying the database migrations failed: ${reason}`);
  });
  const lastLine = stdout.trim().split("\n").at(-1) ?? "[]";
  return JSON.parse(lastLine) as string[];
}
