// Where UI code lives, read from the import statements of app/ and components/: a module used by
// one part of the site (servers, admin, settings, ...) lives in app/ beside the routes that use it;
// components/ holds only what several parts share, and never imports from app/.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

type Graph = { files: Set<string>; importers: Map<string, Set<string>>; imports: Map<string, string[]> };

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(root, dir), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".test.ts"))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"));
}

/** The project file an import names, or undefined for a package. */
function resolveImport(from: string, specifier: string, files: Set<string>): string | undefined {
  let base: string;
  if (specifier.startsWith("@/")) base = specifier.slice(2);
  else if (specifier.startsWith(".")) base = path.posix.join(path.posix.dirname(from), specifier);
  else return undefined;
  return [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`].find((candidate) =>
    files.has(candidate),
  );
}

async function readGraph(): Promise<Graph> {
  const files = new Set([...(await sourceFiles("app")), ...(await sourceFiles("components"))]);
  const importers = new Map<string, Set<string>>();
  const imports = new Map<string, string[]>();
  for (const file of files) {
    const text = await readFile(path.join(root, file), "utf8");
    const targets = ts
      .preProcessFile(text, true, true)
      .importedFiles.flatMap(({ fileName }) => resolveImport(file, fileName, files) ?? []);
    imports.set(file, targets);
    for (const target of targets) importers.set(target, (importers.get(target) ?? new Set()).add(file));
  }
  return { files, importers, imports };
}

/**
 * The part of the site a file under app/ belongs to: its first folder that is not a route group
 * ("app/(dashboard)/servers" for everything about servers), or the group itself for its own files.
 */
function partOf(file: string): string {
  const folders = file.split("/").slice(0, -1);
  const first = folders.findIndex((folder, index) => index > 0 && !/^\(.+\)$/.test(folder));
  return (first === -1 ? folders : folders.slice(0, first + 1)).join("/");
}

/** The folder a module in app/ serves: its own, or above a private folder (`_name`) it sits in. */
function homeOf(file: string): string {
  const folders = file.split("/").slice(0, -1);
  while (folders.at(-1)?.startsWith("_")) folders.pop();
  return folders.join("/");
}

/** The parts of the site whose pages use a module of components/, directly or through others. */
function partsUsing(graph: Graph, file: string, seen = new Set<string>()): Set<string> {
  const parts = new Set<string>();
  if (seen.has(file)) return parts;
  seen.add(file);
  for (const importer of graph.importers.get(file) ?? []) {
    if (importer.startsWith("app/")) parts.add(partOf(importer));
    else for (const part of partsUsing(graph, importer, seen)) parts.add(part);
  }
  return parts;
}

let graph: Graph;

beforeAll(async () => {
  graph = await readGraph();
});

describe("UI code", () => {
  it("in components/ never imports from app/", () => {
    const found = [...graph.files]
      .filter((file) => file.startsWith("components/"))
      .flatMap((file) =>
        (graph.imports.get(file) ?? [])
          .filter((target) => target.startsWith("app/"))
          .map((target) => `${file} imports ${target}`),
      );
    expect(found).toEqual([]);
  });

  it("in components/ is shared by at least two parts of the site", () => {
    const found = [...graph.files]
      .filter((file) => file.startsWith("components/"))
      .flatMap((file) => {
        const parts = [...partsUsing(graph, file)];
        return parts.length >= 2 ? [] : [`${file} is used by ${parts[0] ?? "no page"} only: move it there`];
      });
    expect(found).toEqual([]);
  });

  it("in app/ is used only beside it: in its own folder and part of the site, or below", () => {
    const found = [...graph.files]
      .filter((file) => file.startsWith("app/"))
      .flatMap((file) =>
        [...(graph.importers.get(file) ?? [])]
          .filter((importer) => importer.startsWith("app/"))
          .filter((importer) => !importer.startsWith(`${homeOf(file)}/`) || partOf(importer) !== partOf(file))
          .map((importer) => `${importer} imports ${file}: move it to components/ or nearer to both`),
      );
    expect(found).toEqual([]);
  });
});
