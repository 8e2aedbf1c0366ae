// Teams end to end, over real HTTP: an organization set up through the REST API
// (created, a member invited by mail and accepting, a viewer too), a shared GitHub connection that
// no member can read, one shared server that each person calls through their own URL, a viewer kept
// from tools that change data, the organization's and the members' quotas holding exactly under a
// concurrent burst, and the organization's calls visible to its admin and to no one outside.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { setOrgPlan } from "@/lib/orgs/org-limits";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { createUser } from "@/lib/users/create-user";
import { type GitHubEmulator, githubToken, startGitHubEmulator } from "../emulators/github";
import { connectClient, secretOfUrl, textOf, uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { type SmtpSink, startSmtpSink } from "../helpers/smtp-sink";
import { closeTestConnections } from "../helpers/teardown";

let emulator: GitHubEmulator;
let sink: SmtpSink;
let platform: RunningPlatform;

type Person = { id: string; email: string; token: string };
const people: Record<"ada" | "bob" | "vic" | "eve", Person> = {} as never;

async function api<T = Record<string, unknown>>(
  who: Person,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const response = await fetch(`${platform.url}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${who.token}`,
      ...(body !== undefined && { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json().catch(() => undefined)) as T };
}

async function newPerson(label: string): Promise<Person> {
  const email = uniqueEmail(label);
  const user = await createUser({ email, password: "correct horse battery" });
  return { id: user.id, email, token: (await createApiToken(user.id, { name: label })).token };
}

beforeAll(async () => {
  emulator = await startGitHubEmulator();
  sink = await startSmtpSink();
  platform = await startPlatform({ env: { GITHUB_API_URL: emulator.url, SMTP_URL: sink.url } });
  for (const name of ["ada", "bob", "vic", "eve"] as const) people[name] = await newPerson(name);
}, 240_000);

afterAll(async () => {
  await stopStartedPlatforms();
  await emulator?.stop();
  await sink?.stop();
  await closeTestConnections();
});

/** Invites by REST, reads the link from the mail, and accepts it as the invitee. */
async function invite(orgId: string, who: Person, role: string) {
  const invitation = await api<{ id: string; url: string; mail: { status: string } }>(
    people.ada,
    "POST",
    `/orgs/${orgId}/invitations`,
    { email: who.email, role },
  );
  expect(invitation.status).toBe(201);
  expect(invitation.json.mail.status).toBe("sent");
  const mail = await sink.waitForMessageTo(who.email);
  const link = mail.text?.match(/https?:\/\/\S+\/invitations\/\S+/)?.[0];
  expect(link).toBe(invitation.json.url);
  const token = decodeURIComponent(new URL(link ?? "").pathname.split("/").pop() ?? "");
  expect((await api(people.eve, "POST", "/invitations/accept", { token })).status).toBe(403);
  expect((await api(who, "POST", "/invitations/accept", { token })).status).toBe(200);
  expect((await api(who, "POST", "/invitations/accept", { token })).status).toBe(404);
}

describe("two people in one organization", () => {
  let orgId: string;
  let serverId: string;
  const urls: Record<string, string> = {};

  it("is set up through the REST API: an organization, invitations by mail, a shared connection and server", async () => {
    const org = await api<{ id: string }>(people.ada, "POST", "/orgs", { name: "Acme" });
    expect(org.status).toBe(201);
    orgId = org.json.id;
    await invite(orgId, people.bob, "MEMBER");
    await invite(orgId, people.vic, "VIEWER");

    const connection = await api<{ id: string }>(people.ada, "POST", "/connections", {
      orgId,
      integration: "github",
      label: "acme-bot",
      credentials: { token: githubToken },
    });
    expect(connection.status).toBe(201);
    // Members see that the organization has the account, never its credentials, and cannot replace it.
    const seen = await api<Array<{ id: string; label: string }>>(
      people.bob,
      "GET",
      `/connections?orgId=${orgId}`,
    );
    expect(seen.json.map((row) => row.label)).toEqual(["acme-bot"]);
    expect(JSON.stringify(seen.json)).not.toContain(githubToken);
    expect(
      (
        await api(people.bob, "POST", "/connections", {
          orgId,
          integration: "github",
          label: "x",
          credentials: { token: githubToken },
        })
      ).status,
    ).toBe(403);
    expect(
      (await api(people.bob, "DELETE", `/connections/${connection.json.id}?orgId=${orgId}`)).status,
    ).toBe(403);

    const server = await api<{ id: string; url: string }>(people.ada, "POST", "/servers", {
      orgId,
      name: "Acme tools",
    });
    expect(server.status).toBe(201);
    serverId = server.json.id;
    urls.ada = server.json.url;
    for (const tool of [
      { action: "create_issue", fields: { repository: { mode: "fixed", value: "octocat/hello-world" } } },
      { action: "get_issue", fields: { repository: { mode: "fixed", value: "octocat/hello-world" } } },
    ]) {
      const added = await api(people.ada, "POST", `/servers/${serverId}/tools`, {
        orgId,
        integration: "github",
        connectionId: connection.json.id,
        ...tool,
      });
      expect(added.status, JSON.stringify(added.json)).toBe(201);
    }
    for (const who of ["bob", "vic"] as const) {
      const mine = await api<{ url: string }>(
        people[who],
        "POST",
        `/servers/${serverId}/my-url?orgId=${orgId}`,
      );
      expect(mine.status).toBe(200);
      urls[who] = mine.json.url;
    }
    expect(new Set(Object.values(urls)).size).toBe(3);
  });

  it("lets both call the shared server through their own URLs with the shared account", async () => {
    for (const who of ["ada", "bob"] as const) {
      const client = await connectClient(platform.url, secretOfUrl(urls[who] ?? ""));
      try {
        const before = emulator.requests.length;
        const result = await client.callTool({
          name: "github_create_issue",
          arguments: { title: `From ${who}` },
        });
        expect(result.isError, textOf(result)).toBeFalsy();
        const [request] = emulator.requests.slice(before);
        expect(request?.headers.authorization).toBe(`token ${githubToken}`);
      } finally {
        await client.close();
      }
    }
  });

  it("keeps a viewer to tools that read", async () => {
    const client = await connectClient(platform.url, secretOfUrl(urls.vic ?? ""));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(["github_get_issue"]);
      const before = emulator.requests.length;
      const refused = await client.callTool({ name: "github_create_issue", arguments: { title: "Nope" } });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toContain("viewer");
      expect(emulator.requests.length).toBe(before);
      // Reading is a viewer's to do, with the organization's account.
      const read = await client.callTool({ name: "github_get_issue", arguments: { issue_number: 1 } });
      expect(read.isError, textOf(read)).toBeFalsy();
      expect(emulator.requests.slice(before).map((request) => request.path)).toEqual([
        "/repos/octocat/hello-world/issues/1",
      ]);
    } finally {
      await client.close();
    }
  });

  it("holds the organization's and each member's hourly limit exactly under a concurrent burst", async () => {
    const usage = await api<{ hour: { used: number } }>(people.ada, "GET", `/usage?orgId=${orgId}`);
    const usedSoFar = usage.json.hour.used;
    await setOrgPlan(orgId, { limits: { hour: usedSoFar + 10 } }, {});
    const limits = await api(people.ada, "PATCH", `/orgs/${orgId}/limits`, { hour: 6 });
    expect(limits.status).toBe(200);
    const burst = async (who: "ada" | "bob") => {
      const client = await connectClient(platform.url, secretOfUrl(urls[who] ?? ""));
      try {
        return await Promise.all(
          Array.from({ length: 9 }, (_, index) =>
            client.callTool({ name: "github_create_issue", arguments: { title: `${who} burst ${index}` } }),
          ),
        );
      } finally {
        await client.close();
      }
    };
    const [ada, bob] = await Promise.all([burst("ada"), burst("bob")]);
    const succeeded = (results: typeof ada) => results.filter((result) => !result.isError).length;
    expect(succeeded(ada) + succeeded(bob)).toBe(10);
    // Each member had already made one call this hour.
    expect(succeeded(ada)).toBeLessThanOrEqual(5);
    expect(succeeded(bob)).toBeLessThanOrEqual(5);
    const refusals = [...ada, ...bob].filter((result) => result.isError).map(textOf);
    expect(refusals.every((text) => /hourly limit/.test(text))).toBe(true);
    // The members' personal quota is untouched.
    const personal = await api<{ hour: { used: number } }>(people.bob, "GET", "/usage");
    expect(personal.json.hour.used).toBe(0);
  });

  it("shows the admin both people's calls, and no one outside any of them", async () => {
    const seenByAdmin = await api<Array<{ calledBy: string }>>(
      people.ada,
      "GET",
      `/calls?orgId=${orgId}&limit=100`,
    );
    expect(seenByAdmin.status).toBe(200);
    expect(new Set(seenByAdmin.json.map((call) => call.calledBy))).toEqual(
      new Set([people.ada.email, people.bob.email, people.vic.email]),
    );
    // A member sees only their own calls in the organization.
    const seenByBob = await api<Array<{ calledBy: string }>>(
      people.bob,
      "GET",
      `/calls?orgId=${orgId}&limit=100`,
    );
    expect(new Set(seenByBob.json.map((call) => call.calledBy))).toEqual(new Set([people.bob.email]));
    expect((await api(people.eve, "GET", `/calls?orgId=${orgId}`)).status).toBe(404);
    expect((await api(people.eve, "GET", `/orgs/${orgId}`)).status).toBe(404);
    expect((await api(people.eve, "GET", `/servers/${serverId}?orgId=${orgId}`)).status).toBe(404);
    const eveCalls = await api<unknown[]>(people.eve, "GET", "/calls?limit=100");
    expect(eveCalls.json).toEqual([]);
    const orgCalls = await getDb().call.count({ where: { orgId } });
    expect(orgCalls).toBeGreaterThanOrEqual(13);
  });
});
