// Which Chromium the page tests drive, so that `npm test` passes on a machine with no browser
// installed: CHROMIUM_PATH when set, else a system Chrome or Chromium, else the one shipped inside
// the @sparticuz/chromium npm package. TEST_BROWSER=packaged skips the system browsers, so CI can
// prove the packaged one works on a machine that also has a system one.
import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";

// The names Chrome and Chromium are installed under on Linux (looked for on PATH), and their
// application bundles on macOS.
const systemBrowserNames = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
const macBrowsers = [
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
];

function systemBrowsers(env: Record<string, string | undefined>): string[] {
  const directories = (env.PATH ?? "").split(path.delimiter).filter(Boolean);
  return [
    ...directories.flatMap((directory) => systemBrowserNames.map((name) => path.join(directory, name))),
    ...macBrowsers,
  ];
}

/** A regular executable file: a path hidden behind /dev/null (as a fresh-machine check does) is not. */
function isExecutableFile(candidate: string): boolean {
  try {
    if (!statSync(candidate).isFile()) return false;
    accessSync(candidate, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export type ChromiumChoice = { path: string; source: "CHROMIUM_PATH" | "system" | "packaged" };

async function packagedChromium(): Promise<string> {
  if (process.platform !== "linux") {
    throw new Error(
      "No Chrome or Chromium found, and the packaged one (@sparticuz/chromium) runs on Linux only. Set CHROMIUM_PATH to a Chrome or Chromium executable.",
    );
  }
  const { default: chromium } = await import("@sparticuz/chromium");
  // Unpacks once into the temporary directory and reuses it afterwards.
  return chromium.executablePath();
}

export async function findChromium(
  env: Record<string, string | undefined> = process.env,
): Promise<ChromiumChoice> {
  const explicit = env.CHROMIUM_PATH;
  if (explicit) {
    if (!isExecutableFile(explicit))
      throw new Error(`CHROMIUM_PATH is set to ${explicit}, which is not an executable file.`);
    return { path: explicit, source: "CHROMIUM_PATH" };
  }
  if (env.TEST_BROWSER !== "packaged") {
    const system = systemBrowsers(env).find(isExecutableFile);
    if (system) return { path: system, source: "system" };
  }
  return { path: await packagedChromium(), source: "packaged" };
}
