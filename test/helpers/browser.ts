// The browser side of the page tests: Chromium as test/helpers/find-chromium.ts finds it, a
// signed-in browser context, and an accessibility check with axe-core that fails on serious or
// critical violations.
import { createRequire } from "node:module";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import { CookieJar, signInOverHttp } from "./auth-http";
import { findChromium } from "./find-chromium";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

export async function launchChromium(): Promise<Browser> {
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

/** `exclude`: CSS selectors axe leaves out (parts of the page the test is not about). */
/**
 * Next.js streams a page's <title> after its body to browsers: on a busy machine axe could run in
 * between. A page that never gets a title still fails axe's document-title rule after the wait.
 */
export async function waitForStreamedTitle(target: Page): Promise<void> {
  await target.waitForFunction(() => document.title.trim() !== "", null, { timeout: 10_000 }).catch(() => {});
}

export async function expectNoSeriousAxeViolations(target: Page, exclude: string[] = []): Promise<void> {
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
  expect(serious.map((violation) => violation.id)).toEqual([]);
}
