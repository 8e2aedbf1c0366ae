import { existsSync } from "node:fs";
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
