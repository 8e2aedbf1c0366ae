// A person in Chromium: signs up (after fixing what the form complains about), lands on the home
// page, signs out, fails to sign in with a wrong password, signs in. Screenshots of every page
// go to test-results/screenshots/.
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { disconnectDb, getDb } from "@/lib/db/client";
import { launchChromium } from "../helpers/browser";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";

// Spawns processes: on a busy two-core machine each takes seconds, so tests get room; the
// behaviour's own time limits are asserted separately.
vi.setConfig({ testTimeout: 60_000 });

const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const email = `browser-${randomBytes(4).toString("hex")}@example.com`;
const password = "a good long password";

let platform: RunningPlatform;
let browser: Browser;
let page: Page;

// Next.js adds its own role="alert" route announcer; the form's message is the one inside the form.
const formAlert = () => page.locator("form").getByRole("alert");

async function snap(name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
}

async function fillSignUp(values: { email: string; password: string; name?: string }): Promise<void> {
  await page.getByLabel("Name").fill(values.name ?? "");
  await page.getByLabel("Email").fill(values.email);
  await page.getByLabel("Password").fill(values.password);
  await page.getByRole("button", { name: "Create account" }).click();
}

async function fillSignIn(values: { email: string; password: string }): Promise<void> {
  await page.getByLabel("Email").fill(values.email);
  await page.getByLabel("Password").fill(values.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  [platform, browser] = await Promise.all([startPlatform(), launchChromium()]);
  page = await browser.newPage();
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await browser?.close();
  await disconnectDb();
  if (platform) expect(await platform.stop()).toBe(0);
  await stopStartedPlatforms();
});

describe("sign-up, sign-out and sign-in in Chromium", () => {
  it("shows field errors for a bad email and a short password", async () => {
    await page.goto(`${platform.url}/signup`);
    await expect.poll(() => page.title()).toContain("Create an account");
    await snap("signup");
    await fillSignUp({ email: "not-an-email", password: "short" });
    await expect
      .poll(() => page.locator("#email-error").textContent())
      .toBe("Enter a valid email address, like name@example.com.");
    expect(await page.locator("#password-error").textContent()).toBe(
      "Use at least 8 characters for your password.",
    );
    expect(await page.getByLabel("Email").getAttribute("aria-invalid")).toBe("true");
    // What the person typed is kept so they can correct it.
    expect(await page.getByLabel("Email").inputValue()).toBe("not-an-email");
    await snap("signup-field-errors");
    expect(await getDb().user.count({ where: { email: "not-an-email" } })).toBe(0);
  });

  it("signs up and lands on the home page, signed in", async () => {
    await fillSignUp({ email, password, name: "Browser Person" });
    await page.waitForURL(`${platform.url}/`);
    await expect.poll(() => page.getByTestId("signed-in-as").textContent()).toBe(email);
    const user = await getDb().user.findUniqueOrThrow({ where: { email }, include: { plan: true } });
    expect(await page.getByTestId("usage-hour-count").textContent()).toBe(
      `0 / ${user.plan!.hourlyLimit.toLocaleString("en")} calls`,
    );
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Welcome, Browser Person");
    await snap("home");
  });

  it("keeps the session in an HttpOnly, SameSite=Lax cookie that scripts cannot read", async () => {
    const cookies = await page.context().cookies();
    const session = cookies.find((cookie) => cookie.name === "authjs.session-token");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(await page.evaluate(() => document.cookie)).not.toContain("authjs.session-token");
  });

  it("signs out to the sign-in page, and the home page then asks to sign in", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${platform.url}/signin`);
    const cookies = await page.context().cookies();
    expect(cookies.some((cookie) => cookie.name === "authjs.session-token")).toBe(false);
    await page.goto(`${platform.url}/`);
    await page.waitForURL(`${platform.url}/signin`);
    await snap("signin");
  });

  it("says so when the password is wrong", async () => {
    await fillSignIn({ email, password: "not the right password" });
    await expect
      .poll(() => formAlert().textContent())
      .toBe("That email and password do not match an account. Check them and try again.");
    expect(new URL(page.url()).pathname).toBe("/signin");
    await snap("signin-wrong-password");
  });

  it("signs in with the right password", async () => {
    await fillSignIn({ email: email.toUpperCase(), password });
    await page.waitForURL(`${platform.url}/`);
    await expect.poll(() => page.getByTestId("signed-in-as").textContent()).toBe(email);
  });

  it("refuses a second account for the same email with a clear message", async () => {
    await page.context().clearCookies();
    await page.goto(`${platform.url}/signup`);
    await fillSignUp({ email, password: "another good password" });
    await expect
      .poll(() => formAlert().textContent())
      .toBe("An account with this email address already exists. Sign in instead.");
    expect(new URL(page.url()).pathname).toBe("/signup");
    await snap("signup-duplicate");
    expect(await getDb().user.count({ where: { email } })).toBe(1);
  });
});
