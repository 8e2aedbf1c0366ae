// An organization's history and usage pages in Chromium: an owner sees every member's calls with
// who called ("Called by") and the calls this month per member; a member sees only their own calls
// and their own share of the organization's usage; the personal workspace shows none of them.
// Axe at 1280 and 375 px, light and dark. Screenshots go to test-results/screenshots/org-*.png.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import { workspaceCookie } from "@/lib/orgs/current-workspace";
import { addMembership, createOrg } from "@/lib/orgs/manage-orgs";
import { writeMemberAccess } from "@/lib/servers/server-access";
import { generateServerSecret, hashServerSecret } from "@/lib/servers/server-secrets";
import { createUser } from "@/lib/users/create-user";
import { expectAccessibleInEveryView, launchChromium, signedInContext } from "../helpers/browser";
import { callRequest, postRpc, responseOf, secretOfUrl, uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 120_000 });

const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const password = "correct horse battery";

let platform: RunningPlatform;
let browser: Browser;
let orgId: string;
const owner = { email: uniqueEmail("org-history-owner"), id: "" };
const member = { email: uniqueEmail("org-history-member"), id: "" };
const contexts: BrowserContext[] = [];

async function pageFor(email: string, inOrg: boolean): Promise<Page> {
  const context = await signedInContext(browser, platform.url, { email, password });
  if (inOrg) await context.addCookies([{ name: workspaceCookie, value: orgId, url: platform.url }]);
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshots, `org-${name}.png`), fullPage: true });
}

/** The emails in the "Called by" cells of the history's calls. */
async function callers(page: Page): Promise<string[]> {
  return (await page.getByTestId("call-caller").allTextContents()).map((text) => text.trim());
}

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  [platform, browser] = await Promise.all([startPlatform(), launchChromium()]);
  // An administrator exists, so that the others are ordinary people (the first account administers).
  await createUser({ email: uniqueEmail("org-history-admin"), password, admin: true });
  owner.id = (await createUser({ email: owner.email, password })).id;
  member.id = (await createUser({ email: member.email, password })).id;
  orgId = (await createOrg(owner.id, "Acme")).id;
  await getDb().$transaction((tx) => addMembership(tx, { orgId, userId: member.id, role: "MEMBER" }));
  const server = await getDb().mcpServer.create({
    data: {
      userId: owner.id,
      orgId,
      name: "Acme tools",
      secretHash: hashServerSecret(generateServerSecret()),
    },
  });
  await getDb().tool.create({
    data: { serverId: server.id, integration: "formatter", action: "transform_text", name: "upper" },
  });
  // The owner calls once, the member twice, each through their own URL.
  for (const [person, times] of [
    [owner, 1],
    [member, 2],
  ] as const) {
    const url = await getDb().$transaction((tx) =>
      writeMemberAccess(tx, { serverId: server.id, userId: person.id }),
    );
    for (let index = 0; index < times; index += 1) {
      const reply = await postRpc(
        `${platform.url}/mcp/${secretOfUrl(url)}`,
        callRequest("upper", { text: "hi", operation: "uppercase" }),
      );
      expect(responseOf(reply).result?.isError).not.toBe(true);
    }
  }
}, 600_000);

afterAll(async () => {
  await Promise.allSettled(contexts.map((context) => context.close()));
  await browser?.close();
  await stopStartedPlatforms();
  await closeTestConnections();
});

describe("an organization's history and usage", () => {
  it("shows an owner every member's calls with who called, and the calls this month per member", async () => {
    const page = await pageFor(owner.email, true);
    await page.goto(`${platform.url}/history`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("History");
    await expect(page.getByRole("columnheader", { name: "Called by" }).isVisible()).resolves.toBe(true);
    expect((await callers(page)).sort()).toEqual([member.email, member.email, owner.email].sort());
    await expect(page.getByTestId("usage-hour-count").textContent()).resolves.toMatch(/^3 \//);
    await snap(page, "history-owner");
    await expectAccessibleInEveryView(page);

    await page.goto(`${platform.url}/org/usage`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Acme: usage");
    await expect(page.getByTestId("org-usage-hour-count").textContent()).resolves.toMatch(/^3 \//);
    await expect(page.getByTestId("member-usage-hour-count").textContent()).resolves.toMatch(/^1 \//);
    const rows = await page.getByTestId("member-calls").allTextContents();
    expect(rows).toEqual([`${member.email}2`, `${owner.email}1`]);
    await snap(page, "usage-owner");
    await expectAccessibleInEveryView(page);
  });

  it("shows a member only their own calls and their own share, and no one's per-member counts", async () => {
    const page = await pageFor(member.email, true);
    await page.goto(`${platform.url}/history`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("History");
    expect(await callers(page)).toEqual([member.email, member.email]);

    await page.goto(`${platform.url}/org/usage`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Acme: usage");
    await expect(page.getByTestId("member-usage-hour-count").textContent()).resolves.toMatch(/^2 \//);
    expect(await page.getByTestId("member-calls").count()).toBe(0);
    expect(await page.getByRole("heading", { name: "Calls this month by member" }).count()).toBe(0);
    await snap(page, "usage-member");
  });

  it("keeps the organization's calls out of the personal workspace", async () => {
    const page = await pageFor(owner.email, false);
    await page.goto(`${platform.url}/history`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("History");
    await expect(page.getByText("Nothing has run yet").isVisible()).resolves.toBe(true);
    await expect(page.getByTestId("usage-hour-count").textContent()).resolves.toMatch(/^0 \//);
    expect(await page.getByRole("columnheader", { name: "Called by" }).count()).toBe(0);
  });
});
