// Every admin page, route handler and server action refuses anyone but an administrator. The
// table is built from the files themselves (every page.tsx and route.ts under app/(dashboard)/admin,
// every server action the build registered from there), so a new one cannot slip past.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { createOrg } from "@/lib/orgs/manage-orgs";
import { createUser } from "@/lib/users/create-user";
import { CookieJar, signInOverHttp } from "../helpers/auth-http";
import { uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

const projectRoot = path.resolve(import.meta.dirname, "../..");
const adminDir = path.join(projectRoot, "app/(dashboard)/admin");
const password = "correct horse battery";

let platform: RunningPlatform;
let admin: CookieJar;
let member: CookieJar;
let memberId: string;
let adminEmail: string;

async function filesNamed(dir: string, names: string[]): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && names.includes(entry.name))
    .map((entry) => path.relative(adminDir, path.join(entry.parentPath, entry.name)));
}

/** The URL of a page or route file, with dynamic segments filled with real ids. */
async function urlOf(file: string, ids: Record<string, string>): Promise<string> {
  const segments = path
    .dirname(file)
    .split(path.sep)
    .filter((segment) => segment !== "." && !segment.startsWith("("))
    .map((segment) => {
      const dynamic = /^\[(.+)\]$/.exec(segment)?.[1];
      if (!dynamic) return segment;
      const parent = path.dirname(file).split(path.sep).at(-2) ?? "";
      const id = ids[parent];
      if (!id) throw new Error(`no id for ${segment} under ${parent} (${file})`);
      return id;
    });
  return `/admin${segments.length ? `/${segments.join("/")}` : ""}`;
}

async function signedIn(admin: boolean): Promise<{ jar: CookieJar; id: string; email: string }> {
  const email = uniqueEmail(admin ? "guard-admin" : "guard-member");
  const user = await createUser({ email, password, admin });
  const { code, jar } = await signInOverHttp(platform.url, email, password, new CookieJar());
  expect(code).toBeNull();
  return { jar, id: user.id, email };
}

beforeAll(async () => {
  platform = await startPlatform();
  ({ jar: admin, email: adminEmail } = await signedIn(true));
  ({ jar: member, id: memberId } = await signedIn(false));
}, 240_000);

afterAll(async () => {
  await stopStartedPlatforms();
  await closeTestConnections();
});

describe("the admin area refuses non-administrators", () => {
  it("answers 404 on every admin page and route to a member, and 200 to an admin", async () => {
    const plan = await getDb().plan.findFirstOrThrow({ where: { isDefault: true } });
    const org = await createOrg(memberId, "Guarded organization");
    const ids = { users: memberId, plans: plan.id, organizations: org.id };
    const files = await filesNamed(adminDir, ["page.tsx", "route.ts"]);
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) {
      const url = await urlOf(file, ids);
      const asMember = await fetch(`${platform.url}${url}`, {
        headers: { cookie: member.header() },
        redirect: "manual",
      });
      expect(asMember.status, `${url} as a member`).toBe(404);
      // A layout's notFound() does not stop a page's own data from streaming: nothing may leak.
      const body = await asMember.text();
      expect(body, url).not.toContain('aria-label="Administration"');
      expect(body, url).not.toContain(adminEmail);
      const asAdmin = await fetch(`${platform.url}${url}`, {
        headers: { cookie: admin.header() },
        redirect: "manual",
      });
      expect(asAdmin.status, `${url} as an admin`).toBe(200);
      const anonymous = await fetch(`${platform.url}${url}`, { redirect: "manual" });
      expect([303, 307, 404], `${url} signed out`).toContain(anonymous.status);
    }
  });

  it("answers a visitor who is not an admin alike for an existing and a made-up id, naming nobody", async () => {
    const someone = await createUser({ email: uniqueEmail("guard-target"), password });
    const plan = await getDb().plan.findFirstOrThrow({ where: { isDefault: true } });
    const org = await createOrg(someone.id, "Someone's organization");
    const existing = { users: someone.id, plans: plan.id, organizations: org.id };
    const madeUp = {
      users: "cm0madeupuser000000000000",
      plans: "cm0madeupplan000000000000",
      organizations: "cm0madeuporg0000000000000",
    };
    const files = (await filesNamed(adminDir, ["page.tsx", "route.ts"])).filter((file) => file.includes("["));
    expect(files.length).toBeGreaterThanOrEqual(2);
    const titleOf = (body: string) => /<title>([^<]*)<\/title>/.exec(body)?.[1];
    for (const file of files) {
      for (const [visitor, cookie] of [
        ["signed out", ""],
        ["a member", member.header()],
      ] as const) {
        const answers = [];
        for (const ids of [existing, madeUp]) {
          const url = await urlOf(file, ids);
          const response = await fetch(`${platform.url}${url}`, { headers: { cookie }, redirect: "manual" });
          const body = await response.text();
          expect(body, `${url} to ${visitor}`).not.toContain(someone.email);
          answers.push({
            status: response.status,
            location: response.headers.get("location"),
            title: titleOf(body),
          });
        }
        expect(answers[0], `${file} to ${visitor}`).toEqual(answers[1]);
        expect([303, 307, 404], `${file} to ${visitor}`).toContain(answers[0]?.status);
      }
    }
  });

  it("refuses every admin server action to a member, without doing anything", async () => {
    const manifest = JSON.parse(
      await readFile(path.join(projectRoot, ".next/server/server-reference-manifest.json"), "utf8"),
    ) as { node: Record<string, { filename: string; exportedName: string }> };
    const actions = Object.entries(manifest.node).filter(([, entry]) =>
      entry.filename.startsWith("app/(dashboard)/admin/"),
    );
    expect(actions.length).toBeGreaterThanOrEqual(5);
    // What an action would have recorded: by the member (the actor) or about the member (the
    // id every action was given). Other test files write events to the same database meanwhile.
    const memberEvents = { where: { OR: [{ actorId: memberId }, { targetId: memberId }] } };
    const auditBefore = await getDb().auditEvent.count(memberEvents);
    const userBefore = await getDb().user.findUniqueOrThrow({ where: { id: memberId } });
    const notRefused: string[] = [];
    for (const [actionId, entry] of actions) {
      const response = await fetch(`${platform.url}/admin`, {
        method: "POST",
        headers: {
          "next-action": actionId,
          "content-type": "text/plain;charset=UTF-8",
          accept: "text/x-component",
          origin: platform.url,
          cookie: member.header(),
        },
        body: JSON.stringify([memberId, memberId]),
      });
      const text = await response.text();
      if (!text.includes("Only administrators can do this."))
        notRefused.push(`${entry.filename} ${entry.exportedName}: ${text.slice(0, 200)}`);
    }
    expect(notRefused).toEqual([]);
    expect(await getDb().auditEvent.count(memberEvents)).toBe(auditBefore);
    const userAfter = await getDb().user.findUniqueOrThrow({ where: { id: memberId } });
    expect(userAfter).toEqual(userBefore);
  });
});
