// The frame around every page, in Chromium at desktop and phone widths, light and dark: an
// address that matches nothing and an administration page seen by a non-administrator get the
// site's own styled not-found page (status 404), every page has its icons (no request of a page
// gets a 404), and at 375 px the navigation is one row with a menu instead of two wrapped rows.
// Screenshots go to test-results/screenshots/site-frame-*.png.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createUser } from "@/lib/users/create-user";
import { expectNoSeriousAxeViolations, launchChromium, signedInContext } from "../helpers/browser";
import { uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 60_000 });

const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const password = "correct horse battery";
const phone = { width: 375, height: 740 };
const desktop = { width: 1280, height: 800 };

let platform: RunningPlatform;
let browser: Browser;
let member: { email: string; password: string };
const contexts: BrowserContext[] = [];

/** A page that records every response its loads get, to find the ones that were not found. */
async function recordingPage(context: BrowserContext): Promise<{ page: Page; notFound: string[] }> {
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const notFound: string[] = [];
  page.on("response", (response) => {
    if (response.status() === 404) notFound.push(new URL(response.url()).pathname);
  });
  return { page, notFound };
}

const memberPage = async (options: { viewport: typeof desktop; colorScheme: "light" | "dark" }) =>
  recordingPage(await signedInContext(browser, platform.url, member, options));

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  [platform, browser] = await Promise.all([startPlatform(), launchChromium()]);
  // The first account of an installation administers it: one exists before the member.
  await createUser({ email: uniqueEmail("frame-admin"), password, admin: true });
  member = { email: uniqueEmail("frame"), password };
  expect((await createUser(member)).role).toBe("USER");
}, 240_000);

afterAll(async () => {
  await Promise.all(contexts.map((context) => context.close()));
  await browser?.close();
  await stopStartedPlatforms();
  await closeTestConnections();
});

describe("the not-found page", () => {
  for (const colorScheme of ["light", "dark"] as const) {
    for (const [width, viewport] of [
      ["desktop", desktop],
      ["phone", phone],
    ] as const) {
      it(`is the site's own for an unknown address, signed out (${colorScheme}, ${width})`, async () => {
        const { page } = await recordingPage(await browser.newContext({ viewport, colorScheme }));
        const response = await page.goto(`${platform.url}/no/such/page`);
        expect(response?.status()).toBe(404);
        await expect
          .poll(() => page.getByRole("heading", { level: 1 }).textContent())
          .toBe("This page does not exist");
        expect(await page.title()).toBe("Page not found · Toolgate");
        await page.getByRole("link", { name: "Go to the home page" }).waitFor();
        // The site's colours, not the framework's bare page: the same as the sign-in page's.
        const colours = () =>
          page.evaluate(() => {
            const style = getComputedStyle(document.body);
            return { background: style.backgroundColor, text: style.color };
          });
        const notFoundColours = await colours();
        await page.goto(`${platform.url}/signin`);
        expect(notFoundColours).toEqual(await colours());
        expect(notFoundColours.background).not.toBe("rgba(0, 0, 0, 0)");
        await page.goBack();
        await expectNoSeriousAxeViolations(page);
        await page.screenshot({ path: path.join(screenshots, `site-frame-404-${colorScheme}-${width}.png`) });
      });
    }
  }

  it("answers a member who opens the administration, as for any page that does not exist", async () => {
    const { page } = await memberPage({ viewport: desktop, colorScheme: "light" });
    const response = await page.goto(`${platform.url}/admin/users`);
    expect(response?.status()).toBe(404);
    await expect
      .poll(() => page.getByRole("heading", { level: 1 }).textContent())
      .toBe("This page does not exist");
    await page.getByRole("link", { name: "Go to the home page" }).click();
    await page.waitForURL(`${platform.url}/`);
    await page.getByRole("navigation", { name: "Main" }).waitFor();
    expect(await page.getByRole("link", { name: "Admin" }).count()).toBe(0);
  });
});

describe("icons", () => {
  it("are served, and no page load asks for anything that is not there", async () => {
    const icon = await fetch(`${platform.url}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toBe("image/x-icon");
    const bytes = Buffer.from(await icon.arrayBuffer());
    expect(bytes.readUInt16LE(2)).toBe(1); // an icon resource
    expect(bytes.readUInt16LE(4)).toBeGreaterThanOrEqual(2); // in several sizes
    const appleIcon = await fetch(`${platform.url}/apple-icon.png`);
    expect(appleIcon.status).toBe(200);
    expect(appleIcon.headers.get("content-type")).toBe("image/png");

    const { page, notFound } = await memberPage({ viewport: desktop, colorScheme: "light" });
    for (const address of ["/", "/servers", "/apps", "/settings/account"]) {
      await page.goto(`${platform.url}${address}`, { waitUntil: "networkidle" });
      expect(await page.locator('head link[rel="icon"]').count(), address).toBeGreaterThan(0);
      expect(await page.locator('head link[rel="apple-touch-icon"]').count(), address).toBe(1);
    }
    expect(notFound).toEqual([]);
  });
});

describe("the navigation at phone width", () => {
  for (const colorScheme of ["light", "dark"] as const) {
    it(`is one row with a menu that opens, leads and closes (${colorScheme})`, async () => {
      const { page } = await memberPage({ viewport: phone, colorScheme });
      await page.goto(`${platform.url}/servers`);
      const header = page.locator("header");
      const menu = page.getByRole("button", { name: "Menu" });
      await menu.waitFor();
      // One row: the header is as tall as its one line of controls (two rows measured 110 px).
      expect((await header.boundingBox())?.height).toBeLessThan(70);
      expect(await page.getByRole("link", { name: "History" }).count()).toBe(0);
      expect(await menu.getAttribute("aria-expanded")).toBe("false");

      await menu.click();
      const close = page.getByRole("button", { name: "Close menu" });
      expect(await close.getAttribute("aria-expanded")).toBe("true");
      for (const name of ["Apps", "Connections", "Servers", "History", "Settings"])
        await page.getByRole("link", { name, exact: true }).waitFor();
      expect(
        await page.getByRole("link", { name: "Servers", exact: true }).getAttribute("aria-current"),
      ).toBe("page");
      await page.getByRole("button", { name: "Sign out" }).waitFor();
      await expectNoSeriousAxeViolations(page);
      await page.screenshot({ path: path.join(screenshots, `site-frame-menu-${colorScheme}.png`) });

      await page.getByRole("link", { name: "History", exact: true }).click();
      await page.waitForURL(`${platform.url}/history`);
      await menu.waitFor();
      expect(await page.getByRole("link", { name: "History", exact: true }).count()).toBe(0);
    });
  }

  it("shows the whole navigation in one row on a desktop, with no menu button", async () => {
    const { page } = await memberPage({ viewport: desktop, colorScheme: "light" });
    await page.goto(`${platform.url}/servers`);
    for (const name of ["Apps", "Connections", "Servers", "History", "Settings"])
      await page.getByRole("link", { name, exact: true }).waitFor();
    expect(await page.getByRole("button", { name: "Menu" }).count()).toBe(0);
    expect((await page.locator("header").boundingBox())?.height).toBeLessThan(70);
  });
});
