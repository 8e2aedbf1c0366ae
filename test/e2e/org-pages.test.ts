// The pages of servers, tools and connections in an organization's workspace (the header's choice,
// the tg_workspace cookie), in Chromium: owners and admins get the admin-only switch for tools that
// change data and "Who may call this tool"; members see the shared server and connection but not
// those controls; the personal workspace does not show the organization's things. axe checks every
// view, and screenshots go to test-results/screenshots/.
import path from "node:path";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createConnection } from "@/lib/connections/manage-connections";
import { getDb } from "@/lib/db/client";
import { workspaceCookie } from "@/lib/orgs/current-workspace";
import { addMembership, createOrg } from "@/lib/orgs/manage-orgs";
import { resolveWorkspace } from "@/lib/orgs/workspace";
import { createServer } from "@/lib/servers/manage-servers";
import { addTool, addToolSchema } from "@/lib/tools/manage-tools";
import { createUser } from "@/lib/users/create-user";
import { expectAccessibleInEveryView, launchChromium, signedInContext } from "../helpers/browser";
import { uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 90_000 });

const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const password = "correct horse battery";

let platform: RunningPlatform;
let browser: Browser;
const contexts: BrowserContext[] = [];
const people = { admin: { id: "", email: "" }, member: { id: "", email: "" } };
let orgId = "";
let serverId = "";
let toolId = "";

async function contextFor(email: string, workspace: string | null): Promise<BrowserContext> {
  const context = await signedInContext(browser, platform.url, { email, password });
  if (workspace)
    await context.addCookies([
      { name: workspaceCookie, value: workspace, url: platform.url, sameSite: "Lax" },
    ]);
  contexts.push(context);
  return context;
}

beforeAll(async () => {
  [platform, browser] = await Promise.all([startPlatform(), launchChromium()]);
  for (const role of ["admin", "member"] as const) {
    const email = uniqueEmail(`org-pages-${role}`);
    const user = await createUser({ email, password });
    people[role] = { id: user.id, email };
  }
  const org = await createOrg(people.admin.id, "Pages Org");
  orgId = org.id;
  await getDb().$transaction((tx) => addMembership(tx, { orgId, userId: people.member.id, role: "MEMBER" }));
  const workspace = await resolveWorkspace(people.admin.id, orgId);
  serverId = (await createServer(workspace, "Team server")).id;
  await createConnection(workspace, {
    integration: "github",
    label: "team-bot",
    credentials: { token: "ghp_x" },
  });
  const tool = await addTool(
    workspace,
    serverId,
    addToolSchema.parse({ integration: "formatter", action: "transform_text" }),
  );
  toolId = tool.id;
}, 240_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await stopStartedPlatforms();
  await closeTestConnections();
});

describe("an organization's server and tool pages", () => {
  it("an owner makes tools that change data admin-only with one switch", async () => {
    const page = await (await contextFor(people.admin.email, orgId)).newPage();
    await page.goto(`${platform.url}/servers`);
    await expect.poll(() => page.getByRole("link", { name: "Team server" }).count()).toBeGreaterThan(0);
    await page.goto(`${platform.url}/servers/${serverId}`);
    const toggle = page.getByRole("checkbox", {
      name: /Only owners and admins may call tools that change data/,
    });
    await expect.poll(() => toggle.isChecked()).toBe(false);
    await toggle.check();
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect
      .poll(() => page.getByText("Only owners and admins can now call tools that change data.").count())
      .toBe(1);
    expect((await getDb().mcpServer.findUniqueOrThrow({ where: { id: serverId } })).writesAdminOnly).toBe(
      true,
    );
    await page.screenshot({ path: path.join(screenshots, "org-pages-server.png"), fullPage: true });
    await expectAccessibleInEveryView(page);
  });

  it("an owner limits a tool to admins and a named member", async () => {
    const page = await (await contextFor(people.admin.email, orgId)).newPage();
    await page.goto(`${platform.url}/servers/${serverId}/tools/${toolId}`);
    await expect.poll(() => page.getByRole("heading", { name: "Who may call this tool" }).count()).toBe(1);
    await page.getByRole("checkbox", { name: "Admins" }).check();
    await page.getByRole("checkbox", { name: people.member.email }).check();
    await page.getByRole("button", { name: "Save who may call it" }).click();
    await expect.poll(() => page.getByText("Saved who may call this tool.").count()).toBe(1);
    const tool = await getDb().tool.findUniqueOrThrow({ where: { id: toolId } });
    expect(tool).toMatchObject({ allowedRoles: ["ADMIN"], allowedUserIds: [people.member.id] });
    const event = await getDb().auditEvent.findFirst({
      where: { action: "tool.updated", targetId: toolId, orgId },
    });
    expect(event).not.toBeNull();
    await page.screenshot({ path: path.join(screenshots, "org-pages-tool.png"), fullPage: true });
    await expectAccessibleInEveryView(page);
  });

  it("a member sees the shared server, tool and connection, without the controls", async () => {
    const page = await (await contextFor(people.member.email, orgId)).newPage();
    await page.goto(`${platform.url}/connections`);
    await expect.poll(() => page.getByText("team-bot").count()).toBeGreaterThan(0);
    await page.goto(`${platform.url}/servers/${serverId}`);
    await expect.poll(() => page.getByRole("heading", { name: "Team server" }).count()).toBe(1);
    expect(await page.getByRole("checkbox", { name: /Only owners and admins/ }).count()).toBe(0);
    await page.goto(`${platform.url}/servers/${serverId}/tools/${toolId}`);
    await expect.poll(() => page.getByRole("heading", { name: "formatter_transform_text" }).count()).toBe(1);
    expect(await page.getByRole("heading", { name: "Who may call this tool" }).count()).toBe(0);
  });

  it("the personal workspace shows none of the organization's things", async () => {
    const page = await (await contextFor(people.admin.email, null)).newPage();
    const response = await page.goto(`${platform.url}/servers/${serverId}`);
    expect(response?.status()).toBe(404);
    await page.goto(`${platform.url}/connections`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).count()).toBeGreaterThan(0);
    expect(await page.getByText("team-bot").count()).toBe(0);
  });
});
