// The browser side of the page tests: Chromium as test/helpers/find-chromium.ts finds it, a
// signed-in browser context, and an accessibility check with axe-core that fails on serious or
// critical violations.
import { createRequire } from "node:module";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import { CookieJar, signInOverHttp } from "./auth-http";
import { findChromium } from "./find-chromium";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/**
 * Chromium, started once more if its first process dies while starting: on a two-core machine
 * under a full test run the packaged build has crashed at launch (SIGSEGV before the first page),
 * which says nothing about the pages under test. A second failure is reported.
 */
export async function launchChromium(): Promise<Browser> {
  try {
    return await launchOnce();
  } catch (error) {
    if (!/closed|exited|SIG[A-Z]+/.test((error as Error).message)) throw error;
    return launchOnce();
  }
}

async function launchOnce(): Promise<Browser> {
  const { path: executablePath } = await findChromium();
  return chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * A browser context signed in as `email` (through the credentials sign-in over HTTP, its session
 * cookie copied in), with clipboard access for copy buttons.
 */
export async function signedInContext(
  browser: Browser,
  baseUrl: string,
  credentials: { email: string; password: string },
  options: {
    viewport?: { width: number; height: number };
    javaScriptEnabled?: boolean;
    colorScheme?: "light" | "dark";
  } = {},
): Promise<BrowserContext> {
  const { code, jar } = await signInOverHttp(
    baseUrl,
    credentials.email,
    credentials.password,
    new CookieJar(),
  );
  expect(code).toBeNull();
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, ...options });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
  await context.addCookies(
    [...jar.cookies].map(([name, value]) => ({
      name,
      value,
      url: baseUrl,
      httpOnly: true,
      sameSite: "Lax" as const,
    })),
  );
  return context;
}

/**
 * Next.js streams a page's <title> after its body to browsers: on a busy machine axe could run in
 * between. A page that never gets a title still fails axe's document-title rule after the wait.
 */
export async function waitForStreamedTitle(target: Page): Promise<void> {
  await target.waitForFunction(() => document.title.trim() !== "", null, { timeout: 10_000 }).catch(() => {});
}

/** The ids of axe's serious and critical violations on the page, each printed in full. */
async function seriousAxeViolations(target: Page, exclude: string[] = []): Promise<string[]> {
  await waitForStreamedTitle(target);
  await target.addScriptTag({ path: axePath });
  const results = (await target.evaluate(
    (selectors) =>
      (window as unknown as { axe: { run: (context: unknown) => unknown } }).axe.run({
        include: [["body"]],
        exclude: selectors.map((selector) => [selector]),
      }),
    exclude,
  )) as {
    violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
  };
  const serious = results.violations.filter((violation) =>
    ["serious", "critical"].includes(violation.impact),
  );
  if (serious.length > 0) console.error(JSON.stringify(serious, null, 2));
  return serious.map((violation) => violation.id);
}

/** `exclude`: CSS selectors axe leaves out (parts of the page the test is not about). */
export async function expectNoSeriousAxeViolations(target: Page, exclude: string[] = []): Promise<void> {
  expect(await seriousAxeViolations(target, exclude)).toEqual([]);
}

/** The four views the product promises to serve well: desktop and phone widths, light and dark. */
export const everyView = [
  { width: 1280, height: 900, colorScheme: "light" },
  { width: 1280, height: 900, colorScheme: "dark" },
  { width: 375, height: 812, colorScheme: "light" },
  { width: 375, height: 812, colorScheme: "dark" },
] as const;

/**
 * axe in each of `everyView` on the page as it is now, then the page's own size and colours back.
 * A failure names the view it was found in.
 */
export async function expectAccessibleInEveryView(target: Page): Promise<void> {
  const original = target.viewportSize();
  try {
    for (const view of everyView) {
      await target.setViewportSize({ width: view.width, height: view.height });
      await target.emulateMedia({ colorScheme: view.colorScheme });
      await expect
        .soft(seriousAxeViolations(target), `axe at ${view.width} px, ${view.colorScheme}`)
        .resolves.toEqual([]);
    }
  } finally {
    if (original) await target.setViewportSize(original);
    await target.emulateMedia({ colorScheme: null });
  }
}
