import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// build.ts hashes the project it finds itself in (a folder with package.json and next.config.ts).
// A copy of it (and its local imports) in a scratch project lets the test change "source" files without touching the real project, whose
// build other test files share.
type BuildModule = typeof import("./build");
let root: string;
let build: BuildModule;

async function put(relative: string, content: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
  await writeFile(path.join(root, relative), content);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "toolgate-build-hash-"));
  await mkdir(path.join(root, "lib/runtime"), { recursive: true });
  await cp(path.join(import.meta.dirname, "build.ts"), path.join(root, "lib/runtime/build.ts"));
  for (const module of ["children.ts", "parent-watch.ts", "project-root.ts"])
    await cp(path.join(import.meta.dirname, module), path.join(root, "lib/runtime", module));
  await put("app/page.tsx", "export default function Page() { return null; }\n");
  await put("env.ts", "export const x = 1;\n");
  await put("package-lock.json", "{}\n");
  await put("package.json", "{}\n");
  await put("next.config.ts", "export default {};\n");
  build = (await import(path.join(root, "lib/runtime/build.ts"))) as BuildModule;
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("source hash", () => {
  it("is deterministic", async () => {
    const first = await build.computeSourceHash();
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await build.computeSourceHash()).toBe(first);
  });

  it("changes when a source file's content changes, and returns when it is restored", async () => {
    const before = await build.computeSourceHash();
    await put("app/page.tsx", "export default function Page() { return 1; }\n");
    const changed = await build.computeSourceHash();
    expect(changed).not.toBe(before);
    await put("app/page.tsx", "export default function Page() { return null; }\n");
    expect(await build.computeSourceHash()).toBe(before);
  });

  it("changes when a source file is added, renamed or when a single-file root changes", async () => {
    const before = await build.computeSourceHash();
    await put("components/new-widget.tsx", "export const w = 1;\n");
    const added = await build.computeSourceHash();
    expect(added).not.toBe(before);
    await rm(path.join(root, "components/new-widget.tsx"));
    await put("components/renamed-widget.tsx", "export const w = 1;\n");
    expect(await build.computeSourceHash()).not.toBe(added);
    await rm(path.join(root, "components"), { recursive: true });
    expect(await build.computeSourceHash()).toBe(before);

    await put("package-lock.json", '{"lockfileVersion": 3}\n');
    expect(await build.computeSourceHash()).not.toBe(before);
    await put("package-lock.json", "{}\n");
  });

  it("ignores generated code and files outside the source roots", async () => {
    const before = await build.computeSourceHash();
    await put("lib/db/generated/client.ts", "export const generated = 1;\n");
    await put("test/integration/anything.test.ts", "export {};\n");
    await put("README.md", "# readme\n");
    expect(await build.computeSourceHash()).toBe(before);
  });

  it("treats a build as current only when its BUILD_ID exists and its recorded hash matches", async () => {
    const hash = await build.computeSourceHash();
    expect(await build.isBuildCurrent(hash)).toBe(false);
    await put(".next/source-hash", hash);
    expect(await build.isBuildCurrent(hash)).toBe(false); // no BUILD_ID: the build never finished
    await put(".next/BUILD_ID", "abc123");
    expect(await build.isBuildCurrent(hash)).toBe(true);
    expect(await build.isBuildCurrent(`${hash.slice(1)}0`)).toBe(false);
  });
});
