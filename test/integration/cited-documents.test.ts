// What the code's comments cite is in the repository: a document they name exists, a promise of
// docs/security.md they cite by number is there, the test files that page names exist, and no
// comment sends a reader to an issue tracker (say what is checked instead).
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const sourceRoots = ["app", "components", "lib", "integrations", "workers", "scripts", "bench", "test"];
const commentLine = /^\s*(\/\/|\/?\*)/;

type Comment = { file: string; line: number; text: string };

async function sourceComments(): Promise<Comment[]> {
  const comments: Comment[] = [];
  for (const dir of sourceRoots) {
    const entries = await readdir(path.join(root, dir), { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile() || !/\.(ts|tsx|mjs)$/.test(entry.name)) continue;
      const file = path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join("/");
      if (file.startsWith("lib/db/generated/")) continue;
      const lines = (await readFile(path.join(root, file), "utf8")).split("\n");
      lines.forEach((text, index) => {
        if (commentLine.test(text)) comments.push({ file, line: index + 1, text });
      });
    }
  }
  return comments;
}

async function exists(file: string): Promise<boolean> {
  return readFile(path.join(root, file)).then(
    () => true,
    () => false,
  );
}

let comments: Comment[];
let securityPage: string;

beforeAll(async () => {
  comments = await sourceComments();
  securityPage = await readFile(path.join(root, "docs/security.md"), "utf8");
});

describe("documents cited in comments", () => {
  it("exist in the repository", async () => {
    const missing: string[] = [];
    for (const { file, line, text } of comments)
      for (const [cited] of text.matchAll(/[\w./-]+\.md\b/g)) {
        const candidates = [cited, path.posix.join(path.posix.dirname(file), cited)];
        if (!(await Promise.all(candidates.map(exists))).some(Boolean))
          missing.push(`${file}:${line} ${cited}`);
      }
    expect(missing).toEqual([]);
  });

  it("cite promises of docs/security.md that it has", () => {
    const promises = new Set(
      [...securityPage.matchAll(/^\*\*(\d+)\. /gm)].map(([, number]) => Number(number)),
    );
    expect(promises.size).toBeGreaterThan(0);
    const unknown: string[] = [];
    for (const { file, line, text } of comments)
      for (const [, list = ""] of text.matchAll(/docs\/security\.md ((?:\d+(?:-\d+)?(?:, )?)+)/g))
        for (const part of list.split(", ")) {
          const [first = 0, last = first] = part.split("-").map(Number);
          for (let number = first; number <= last; number++)
            if (!promises.has(number)) unknown.push(`${file}:${line} cites ${number}`);
        }
    expect(unknown).toEqual([]);
  });

  it("do not send the reader to an issue tracker", () => {
    const found = comments
      .filter(({ text }) => /\bissues? #?\d+/i.test(text))
      .map(({ file, line, text }) => `${file}:${line} ${text.trim()}`);
    expect(found).toEqual([]);
  });
});

describe("docs/security.md", () => {
  it("names test files that exist", async () => {
    const named = [...securityPage.matchAll(/`([\w./-]+\.test\.ts)`/g)].map(([, file]) => file ?? "");
    expect(named.length).toBeGreaterThan(0);
    const missing = [];
    for (const file of new Set(named)) if (!(await exists(file))) missing.push(file);
    expect(missing).toEqual([]);
  });
});
