// The project's root folder, found from where a module runs: its source file, or the bundle that
// scripts/run-bundled.mjs made of it under node_modules/.cache, or a chunk of Next's build.
import { existsSync } from "node:fs";
import path from "node:path";

/** The nearest folder at or above `from` that holds the project's package.json and next.config.ts. */
export function findProjectRoot(from: string): string {
  for (let folder = path.resolve(from); ; folder = path.dirname(folder)) {
    if (existsSync(path.join(folder, "package.json")) && existsSync(path.join(folder, "next.config.ts")))
      return folder;
    if (path.dirname(folder) === folder) throw new Error(`no project root above ${from}`);
  }
}
