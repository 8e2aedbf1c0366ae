// Runs one of the project's npm scripts' entry points (scripts/*.ts), or an npm script itself, as
// a user would, with the test run's environment, and returns its exit code and output.
import { spawn } from "node:child_process";
import path from "node:path";

const projectRoot = path.resolve(import.meta.dirname, "../..");

export type ScriptResult = { code: number | null; stdout: string; stderr: string };

export function runScript(script: string, args: string[], env: Record<string, string | undefined> = {}) {
  return run(
    process.execPath,
    [path.join(projectRoot, "node_modules/tsx/dist/cli.mjs"), script, ...args],
    env,
  );
}

/** `npm run -s <script> -- <args>`: the command as the README gives it, without npm's banner. */
export function runNpmScript(script: string, args: string[], env: Record<string, string | undefined> = {}) {
  return run("npm", ["run", "-s", script, "--", ...args], env);
}

function run(command: string, args: string[], env: Record<string, string | undefined>) {
  return new Promise<ScriptResult>((resolve) => {
    const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
    for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
    const child = spawn(command, args, { cwd: projectRoot, env: merged });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}
