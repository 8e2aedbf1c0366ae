// Runs one of the platform's long-lived TypeScript entry points (scripts/start.ts, scripts/web.ts,
// workers/index.ts) as plain JavaScript: esbuild bundles the entry with the project's own modules
// (packages stay external) into node_modules/.cache/toolgate, and this process imports the bundle.
// Unlike `node --import tsx`, the process then holds neither tsx's loader nor its per-module
// transforms (45-50 MB of resident memory each, measured by `npm run bench`). The entry stays on
// the command line, so that process lists still name it.
//
// Usage: node scripts/run-bundled.mjs <entry.ts> [arguments for the entry]
import { execFileSync } from "node:child_process";
import { mkdirSync, renameSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const projectRoot = path.resolve(import.meta.dirname, "..");
const entry = path.resolve(process.argv[2] ?? "");
const outputDir = path.join(projectRoot, "node_modules/.cache/toolgate");
const name = path.relative(projectRoot, entry).replace(/\.ts$/, "").replaceAll(path.sep, "-");
const output = path.join(outputDir, `${name}.mjs`);
// Written beside, then renamed: a process starting at the same moment reads a whole bundle.
const written = path.join(outputDir, `${name}.${process.pid}.tmp.mjs`);

mkdirSync(outputDir, { recursive: true });
const esbuild = createRequire(import.meta.url).resolve("esbuild/bin/esbuild");
execFileSync(
  esbuild,
  [
    entry,
    "--bundle",
    "--platform=node",
    "--format=esm",
    "--target=node20",
    "--packages=external",
    "--log-level=warning",
    `--outfile=${written}`,
  ],
  { cwd: projectRoot, stdio: ["ignore", "inherit", "inherit"] },
);
renameSync(written, output);

// As if node had been given the entry itself: its arguments follow it.
process.argv.splice(1, 2, entry);
await import(pathToFileURL(output).href);
