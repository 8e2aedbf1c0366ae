// "Builds if needed": the production build is reused while the sources it was made from are
// unchanged, which a content hash of those sources tells.
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { spawnHosted } from "./children";
import { findProjectRoot } from "./project-root";

const projectRoot = findProjectRoot(import.meta.dirname);
const sourceRoots = [
  "app",
  "components",
  "lib",
  "integrations",
  "public",
  "prisma/schema.prisma",
  "env.ts",
  "proxy.ts",
  "next.config.ts",
  "postcss.config.mjs",
  "tsconfig.json",
  "package-lock.json",
];
const hashFile = path.join(projectRoot, ".next", "source-hash");

async function listFiles(target: string): Promise<string[]> {
  const entries = await readdir(target, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOTDIR") return null;
    if (error.code === "ENOENT") return [];
    throw error;
  });
  if (entries === null) return [target];
  const nested = await Promise.all(
    entries.map((entry) => (entry.name === "generated" ? [] : listFiles(path.join(target, entry.name)))),
  );
  return nested.flat();
}

export async function computeSourceHash(): Promise<string> {
  const files = (await Promise.all(sourceRoots.map((root) => listFiles(path.join(projectRoot, root)))))
    .flat()
    .sort();
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(path.relative(projectRoot, file));
    hash.update(await readFile(file));
  }
  return hash.digest("hex");
}

export async function isBuildCurrent(sourceHash: string): Promise<boolean> {
  const [built, buildId] = await Promise.all([
    readFile(hashFile, "utf8").catch(() => ""),
    readFile(path.join(projectRoot, ".next", "BUILD_ID"), "utf8").catch(() => ""),
  ]);
  return buildId !== "" && built === sourceHash;
}

/** Runs `next build` unless the current build matches the sources. Returns whether it built. */
export async function buildIfNeeded(env: NodeJS.ProcessEnv): Promise<boolean> {
  const sourceHash = await computeSourceHash();
  if (await isBuildCurrent(sourceHash)) return false;
  // Under the service host, so that a build in progress stops with whoever started it.
  const child = spawnHosted(
    "build",
    process.execPath,
    [path.join(projectRoot, "node_modules/next/dist/bin/next"), "build"],
    { env: { ...env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" } },
  );
  const code = await child.exited;
  if (code !== 0) throw new Error(`next build failed with exit code ${code}`);
  await writeFile(hashFile, sourceHash);
  return true;
}
