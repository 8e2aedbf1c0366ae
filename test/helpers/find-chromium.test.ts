import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { findChromium } from "./find-chromium";

describe("findChromium", () => {
  it("uses CHROMIUM_PATH when it names an executable, and says so when it does not", async () => {
    await expect(findChromium({ CHROMIUM_PATH: process.execPath })).resolves.toEqual({
      path: process.execPath,
      source: "CHROMIUM_PATH",
    });
    // /dev/null is how a fresh-machine check hides a system browser: it exists but is no browser.
    await expect(findChromium({ CHROMIUM_PATH: "/dev/null" })).rejects.toThrow(
      "CHROMIUM_PATH is set to /dev/null, which is not an executable file.",
    );
  });

  it("finds a system Chromium on PATH, and passes over one hidden behind /dev/null", async () => {
    const bin = await mkdtemp(path.join(os.tmpdir(), "toolgate-browsers-"));
    try {
      const chromiumOnPath = path.join(bin, "chromium");
      await writeFile(chromiumOnPath, "#!/bin/sh\n");
      await chmod(chromiumOnPath, 0o755);
      await expect(findChromium({ PATH: bin })).resolves.toEqual({ path: chromiumOnPath, source: "system" });

      await rm(chromiumOnPath);
      await symlink("/dev/null", chromiumOnPath);
      // The packaged one, or where there is none (not Linux) an error: anything but the hidden one.
      const choice = await findChromium({ PATH: bin }).catch(() => undefined);
      expect(choice?.path).not.toBe(chromiumOnPath);
    } finally {
      await rm(bin, { recursive: true, force: true });
    }
  });

  it.runIf(process.platform === "linux")(
    "falls back to the Chromium shipped in an npm package, which starts and renders a page",
    async () => {
      const choice = await findChromium({ TEST_BROWSER: "packaged" });
      expect(choice.source).toBe("packaged");
      expect(existsSync(choice.path)).toBe(true);
      const browser = await chromium.launch({
        executablePath: choice.path,
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
      });
      try {
        const page = await browser.newPage();
        await page.setContent("<h1>packaged</h1>");
        expect(await page.textContent("h1")).toBe("packaged");
      } finally {
        await browser.close();
      }
    },
  );
});
