// Calls on an organization's shared server, through the real platform (web server and worker) with
// the MCP SDK's client: each member calls through their own URL with the organization's GitHub
// connection (GitHub's emulator checks the token), history records who called, revoking one
// member's URL or membership stops only that URL at once, per-tool permissions hide and refuse
// tools with the reason, a member's personal connection is never used, and the organization's
// quota and each member's share of it hold exactly under a concurrent burst.
import { randomUUID } from "node:crypto";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listCalls } from "@/lib/calls/list-calls";
import { createConnection } from "@/lib/connections/manage-connections";
import { getDb } from "@/lib/db/client";
import { addMembership, createOrg, removeMember } from "@/lib/orgs/manage-orgs";
import type { OrgRole } from "@/lib/orgs/roles";
import { resolveWorkspace } from "@/lib/orgs/workspace";
import { readQuotaCounters } from "@/lib/quota/quota-store";
import { getOrgUsage, getUsage } from "@/lib/quota/usage";
import { revokeMemberUrl, writeMemberAccess } from "@/lib/servers/server-access";
import { generateServerSecret, hashServerSecret } from "@/lib/servers/server-secrets";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { createUser } from "@/lib/users/create-user";
import { seal, sealOwner } from "@/lib/vault/vault";
import { type GitHubEmulator, githubToken, startGitHubEmulator } from "../emulators/github";
import {
  callRequest,
  connectClient,
  postRpc,
  responseOf,
  secretOfUrl,
  textOf,
  uniqueEmail,
} from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

let emulator: GitHubEmulator;
let platform: RunningPlatform;
const clients: Client[] = [];

const personalToken = "ghp_PersonalTokenOfBobThatMustNeverBeSent01";
const repository = "octocat/hello-world";

beforeAll(async () => {
  emulator = await startGitHubEmulator();
  platform = await startPlatform({ env: { GITHUB_API_URL: emulator.url } });
}, 600_000);

afterAll(async () => {
  await Promise.allSettled(clients.map((client) => client.close()));
  await stopStartedPlatforms();
  await emulator?.stop();
  await closeTestConnections();
});

type Member = { userId: string; email: string; role: OrgRole; url: string };

async function newUser(label: string) {
  const email = uniqueEmail(label.toLowerCase());
  const user = await createUser({ email, password: "correct horse battery" });
  return { userId: user.id, email };
}

/** An organization with an owner and the given other members, made through lib/orgs. */
async function createOrgWith(name: string, roles: OrgRole[]) {
  const owner = await newUser(`${name}-owner`);
  const org = await createOrg(owner.userId, name);
  const others: { userId: string; email: string; role: OrgRole }[] = [];
  for (const [index, role] of roles.entries()) others.push({ ...(await newUser(`${name}-${index}`)), role });
  await getDb().$transaction(async (tx) => {
    for (const other of others)
      await addMembership(tx, { orgId: org.id, userId: other.userId, role: other.role });
  });
  return { org, owner: { ...owner, role: "OWNER" as const }, others };
}

/** The organization's server, as createServer for an organization stores it: its own secret never shown. */
async function createOrgServer(orgId: string, userId: string, name: string) {
  return getDb().mcpServer.create({
    data: { userId, orgId, name, secretHash: hashServerSecret(generateServerSecret()) },
  });
}

/** A member's own URL for the server, on the test's platform. */
async function memberUrl(serverId: string, userId: string): Promise<string> {
  const url = await getDb().$transaction((tx) => writeMemberAccess(tx, { serverId, userId }));
  return `${platform.url}/mcp/${secretOfUrl(url)}`;
}

/** An organization's GitHub connection, sealed for the organization as H2's createConnection seals it. */
async function createOrgGitHubConnection(orgId: string, userId: string, label: string) {
  const id = randomUUID();
  const { ciphertext, keyVersion } = await seal(
    { token: githubToken },
    { userId: sealOwner({ userId, orgId }), connectionId: id },
  );
  return getDb().connection.create({
    data: { id, userId, orgId, integration: "github", label, authType: "api_key", ciphertext, keyVersion },
  });
}

type ToolRow = {
  name: string;
  integration: string;
  action: string;
  connectionId?: string | null;
  fields?: Record<string, unknown>;
  allowedRoles?: OrgRole[];
  allowedUserIds?: string[];
};

async function addTools(serverId: string, tools: ToolRow[]) {
  for (const tool of tools)
    await getDb().tool.create({
      data: { serverId, ...tool, fields: (tool.fields ?? {}) as object },
    });
}

async function client(url: string): Promise<Client> {
  const secret = secretOfUrl(url);
  const connected = await connectClient(platform.url, secret);
  clients.push(connected);
  return connected;
}

async function toolNames(url: string): Promise<string[]> {
  const { tools } = await (await client(url)).listTools();
  return tools.map((tool) => tool.name).sort();
}

async function call(url: string, name: string, args: Record<string, unknown>) {
  const reply = await postRpc(url, callRequest(name, args));
  if (reply.status !== 200) return { status: reply.status, isError: true, text: reply.text };
  const response = responseOf(reply);
  if (response.error) return { status: reply.status, isError: true, text: response.error.message };
  return { status: 200, isError: response.result?.isError === true, text: textOf(response.result) };
}

const issueArgs = (title: string) => ({ repository, title });

describe("an organization's shared server", () => {
  let orgId: string;
  let serverId: string;
  let owner: Member;
  let member: Member;
  let viewer: Member;
  let personalConnectionId: string;

  beforeAll(async () => {
    const made = await createOrgWith("Acme", ["MEMBER", "VIEWER"]);
    orgId = made.org.id;
    const [bob, vic] = made.others as [(typeof made.others)[number], (typeof made.others)[number]];
    // Bob's own GitHub account, older than the organization's: a default must still not take it.
    personalConnectionId = (
      await createConnection(bob.userId, { integration: "github", credentials: { token: personalToken } })
    ).id;
    const orgConnection = await createOrgGitHubConnection(orgId, made.owner.userId, "Acme's GitHub");
    const server = await createOrgServer(orgId, made.owner.userId, "Acme tools");
    serverId = server.id;
    await addTools(serverId, [
      { name: "create_issue", integration: "github", action: "create_issue", connectionId: orgConnection.id },
      { name: "get_issue", integration: "github", action: "get_issue", connectionId: orgConnection.id },
      // No pinned account: the organization's default (its oldest GitHub connection).
      { name: "create_issue_default", integration: "github", action: "create_issue" },
      // The HTTP request with the method left to the AI may delete: destructive.
      { name: "http_request", integration: "http", action: "request" },
      {
        name: "create_issue_bob",
        integration: "github",
        action: "create_issue",
        connectionId: orgConnection.id,
        allowedUserIds: [bob.userId],
      },
      {
        name: "get_issue_admins",
        integration: "github",
        action: "get_issue",
        connectionId: orgConnection.id,
        allowedRoles: ["ADMIN"],
      },
      // Pinned to a member's personal account (written around the management API's own check).
      {
        name: "create_issue_personal",
        integration: "github",
        action: "create_issue",
        connectionId: personalConnectionId,
      },
    ]);
    owner = { ...made.owner, url: await memberUrl(serverId, made.owner.userId) };
    member = { ...bob, url: await memberUrl(serverId, bob.userId) };
    viewer = { ...vic, url: await memberUrl(serverId, vic.userId) };
  }, 60_000);

  it("refuses an organization's server's own secret: only members' URLs open it", async () => {
    // Were the server's own secret known (it never is shown), it would still open nothing.
    const secret = generateServerSecret();
    const known = await getDb().mcpServer.create({
      data: { userId: owner.userId, orgId, name: "Known secret", secretHash: hashServerSecret(secret) },
    });
    await addTools(known.id, [{ name: "upper", integration: "formatter", action: "transform_text" }]);
    const reply = await postRpc(`${platform.url}/mcp/${secret}`, callRequest("upper", { text: "x" }));
    expect(reply.status).toBe(401);
    // The same server through a member's URL works.
    const url = await memberUrl(known.id, owner.userId);
    expect(await call(url, "upper", { text: "x", operation: "uppercase" })).toMatchObject({ isError: false });
  });

  it("two members call through their own URLs with the organization's connection, and history records who called", async () => {
    const before = emulator.requests.length;
    const [byOwner, byMember] = await Promise.all([
      call(owner.url, "create_issue", issueArgs("From the owner")),
      call(member.url, "create_issue", issueArgs("From a member")),
    ]);
    expect(byOwner).toMatchObject({ status: 200, isError: false });
    expect(byMember).toMatchObject({ status: 200, isError: false });
    const sent = emulator.requests.slice(before).filter((request) => request.method === "POST");
    expect(sent).toHaveLength(2);
    for (const request of sent) expect(request.headers.authorization).toBe(`token ${githubToken}`);

    const rows = await getDb().call.findMany({
      where: { serverId, toolName: "create_issue" },
      select: { userId: true, orgId: true, status: true },
    });
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => row.orgId === orgId && row.status === "SUCCESS")).toBe(true);
    expect(rows.map((row) => row.userId).sort()).toEqual([owner.userId, member.userId].sort());
    // The organization's quota holds them; neither member's personal quota does.
    expect((await getOrgUsage(orgId, member.userId)).member?.hour.used).toBe(1);
    expect((await getUsage(owner.userId)).hour.used).toBe(0);
    expect((await getUsage(member.userId)).hour.used).toBe(0);

    // Owners see everyone's calls in the organization, with who called; members only their own;
    // nobody's personal history shows them.
    const ownerView = await listCalls(await resolveWorkspace(owner.userId, orgId), { limit: 50 });
    expect(new Set(ownerView.map((row) => row.calledBy))).toEqual(new Set([owner.email, member.email]));
    const memberView = await listCalls(await resolveWorkspace(member.userId, orgId), { limit: 50 });
    expect(memberView.length).toBeGreaterThan(0);
    expect(memberView.every((row) => row.userId === member.userId)).toBe(true);
    expect(await listCalls(member.userId, { limit: 50 })).toEqual([]);

    // The same through GET /calls?orgId= and GET /usage?orgId=.
    const ownerToken = (await createApiToken(owner.userId, { name: "org-calls" })).token;
    const headers = { authorization: `Bearer ${ownerToken}` };
    const rest = await fetch(`${platform.url}/api/v1/calls?orgId=${orgId}`, { headers });
    expect(rest.status).toBe(200);
    const restCalls = (await rest.json()) as { calledBy: string; orgId: string }[];
    expect(new Set(restCalls.map((row) => row.calledBy))).toEqual(new Set([owner.email, member.email]));
    const usage = await fetch(`${platform.url}/api/v1/usage?orgId=${orgId}`, { headers });
    expect(usage.status).toBe(200);
    // The organization's: these two, and the owner's call of the first test on another of its servers.
    expect(await usage.json()).toMatchObject({ hour: { used: 3 }, member: { hour: { used: 2 } } });
    const stranger = (await createApiToken((await newUser("stranger")).userId, { name: "x" })).token;
    const refused = await fetch(`${platform.url}/api/v1/calls?orgId=${orgId}`, {
      headers: { authorization: `Bearer ${stranger}` },
    });
    expect(refused.status).toBe(404);
  });

  it("keeps one member's session and cancellations apart from another's on the same server", async () => {
    const ownerClient = await client(owner.url);
    const sessionId = (ownerClient.transport as { sessionId?: string } | undefined)?.sessionId;
    expect(sessionId).toBeTruthy();
    const reply = await postRpc(
      member.url,
      { jsonrpc: "2.0", id: 1, method: "tools/list" },
      { "mcp-session-id": sessionId!, "mcp-protocol-version": "2025-06-18" },
    );
    expect(reply.status).toBe(404);
    expect((await ownerClient.listTools()).tools.length).toBeGreaterThan(0);
  });

  it("shows a viewer only the tools that read, and refuses the others with the reason", async () => {
    expect(await toolNames(viewer.url)).toEqual(["get_issue"]);
    for (const name of ["create_issue", "http_request"]) {
      const refused = await call(
        viewer.url,
        name,
        name === "http_request" ? { url: "https://example.com" } : issueArgs("x"),
      );
      expect(refused).toMatchObject({ isError: true });
      expect(refused.text).toBe("You are a viewer in Acme: viewers can call only tools that read.");
    }
    expect(await call(viewer.url, "get_issue", { repository, issue_number: 1 })).toMatchObject({
      status: 200,
    });
    // Refused before anything ran: no ledger row, no request to GitHub.
    expect(await getDb().call.count({ where: { userId: viewer.userId, toolName: "create_issue" } })).toBe(0);
  });

  it("limits a tool to the members and roles it names", async () => {
    expect(await toolNames(member.url)).toContain("create_issue_bob");
    expect(await toolNames(owner.url)).not.toContain("create_issue_bob");
    expect(await toolNames(owner.url)).not.toContain("get_issue_admins");
    const refused = await call(owner.url, "create_issue_bob", issueArgs("Not for the owner"));
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain("You are an owner in Acme: this tool is limited to one named member");
    expect(await call(member.url, "create_issue_bob", issueArgs("For Bob"))).toMatchObject({
      isError: false,
    });
  });

  it("with writesAdminOnly, keeps tools that change data for owners and admins, at once", async () => {
    await getDb().mcpServer.update({ where: { id: serverId }, data: { writesAdminOnly: true } });
    try {
      expect(await toolNames(member.url)).not.toContain("create_issue");
      const refused = await call(member.url, "create_issue", issueArgs("Blocked"));
      expect(refused.text).toBe(
        "You are a member in Acme: on this server, tools that change data are for owners and admins only.",
      );
      expect(await call(owner.url, "create_issue", issueArgs("Allowed"))).toMatchObject({ isError: false });
      expect(await toolNames(member.url)).toContain("get_issue");
    } finally {
      await getDb().mcpServer.update({ where: { id: serverId }, data: { writesAdminOnly: false } });
    }
    expect(await toolNames(member.url)).toContain("create_issue");
  });

  it("opens a tool's secret values as the organization's, whoever of its members calls", async () => {
    const secretField = { operation: { mode: "fixed", secret: true } };
    await addTools(serverId, [
      { name: "secret_upper", integration: "formatter", action: "transform_text", fields: secretField },
      {
        name: "secret_sealed_for_a_member",
        integration: "formatter",
        action: "transform_text",
        fields: secretField,
      },
    ]);
    const tools = await getDb().tool.findMany({
      where: { serverId, name: { in: ["secret_upper", "secret_sealed_for_a_member"] } },
    });
    for (const tool of tools) {
      // As the management code seals them: for the server's owner (sealOwner), here the organization.
      const sealedFor =
        tool.name === "secret_upper" ? sealOwner({ userId: member.userId, orgId }) : member.userId;
      const sealed = await seal("uppercase", { userId: sealedFor, toolId: tool.id, field: "operation" });
      await getDb().sealedFieldValue.create({ data: { toolId: tool.id, field: "operation", ...sealed } });
    }
    for (const url of [member.url, owner.url]) {
      const result = await call(url, "secret_upper", { text: "shared" });
      expect(result, result.text).toMatchObject({ isError: false });
      expect(JSON.parse(result.text)).toEqual({ result: "SHARED" });
    }
    // A value sealed for one member (not the organization) does not open, even for that member.
    const wrong = await call(member.url, "secret_sealed_for_a_member", { text: "x" });
    expect(wrong.isError).toBe(true);
    expect(
      await getDb().call.findFirstOrThrow({ where: { toolName: "secret_sealed_for_a_member" } }),
    ).toMatchObject({ status: "ERROR", errorCode: "input_unavailable" });
  });

  it("never uses a member's personal connection: not as the default, and not when a tool pins it", async () => {
    const before = emulator.requests.length;
    expect(await call(member.url, "create_issue_default", issueArgs("Default account"))).toMatchObject({
      isError: false,
    });
    const pinned = await call(member.url, "create_issue_personal", issueArgs("Personal account"));
    expect(pinned.isError).toBe(true);
    expect(pinned.text).toContain("is not one of the organization's");
    const sent = emulator.requests.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    for (const request of sent) expect(request.headers.authorization).toBe(`token ${githubToken}`);
    expect(JSON.stringify(emulator.requests)).not.toContain(personalToken);
    const row = await getDb().call.findFirstOrThrow({
      where: { userId: member.userId, toolName: "create_issue_personal" },
    });
    expect(row).toMatchObject({ status: "ERROR", orgId, counted: false });
  });

  it("revoking one member's URL, or their membership, stops only that URL at once", async () => {
    const tools = await (await client(member.url)).listTools();
    expect(tools.tools.length).toBeGreaterThan(0);
    await revokeMemberUrl(await resolveWorkspace(owner.userId, orgId), serverId, member.userId);
    expect(
      (await postRpc(member.url, callRequest("get_issue", { repository, issue_number: 1 }))).status,
    ).toBe(401);
    expect(await call(owner.url, "get_issue", { repository, issue_number: 1 })).toMatchObject({
      status: 200,
    });
    expect(await call(viewer.url, "get_issue", { repository, issue_number: 1 })).toMatchObject({
      status: 200,
    });

    await removeMember(await resolveWorkspace(owner.userId, orgId), viewer.userId);
    expect(
      (await postRpc(viewer.url, callRequest("get_issue", { repository, issue_number: 1 }))).status,
    ).toBe(401);
    expect(await call(owner.url, "get_issue", { repository, issue_number: 1 })).toMatchObject({
      status: 200,
      isError: false,
    });
  });
});

describe("an organization's quota under a concurrent burst", () => {
  it("admits exactly the organization's limit, no member over theirs, and names whose limit refused", async () => {
    const untilNextHour = 3_600_000 - (Date.now() % 3_600_000);
    if (untilNextHour < 20_000) await new Promise((resolve) => setTimeout(resolve, untilNextHour + 500));
    const made = await createOrgWith("Burst", ["MEMBER", "MEMBER"]);
    const orgId = made.org.id;
    await getDb().organization.update({
      where: { id: orgId },
      data: {
        hourlyLimitOverride: 10,
        dailyLimitOverride: 1_000,
        monthlyLimitOverride: 1_000,
        memberHourlyLimit: 4,
      },
    });
    const server = await createOrgServer(orgId, made.owner.userId, "Burst tools");
    await addTools(server.id, [{ name: "upper", integration: "formatter", action: "transform_text" }]);
    const members = [made.owner, ...made.others];
    const urls = await Promise.all(members.map((person) => memberUrl(server.id, person.userId)));

    const results = await Promise.all(
      members.flatMap((person, index) =>
        Array.from({ length: 8 }, async (_, n) => ({
          userId: person.userId,
          ...(await call(urls[index]!, "upper", { text: `call ${n}`, operation: "uppercase" })),
        })),
      ),
    );
    expect(results.every((result) => result.status === 200)).toBe(true);
    const succeeded = results.filter((result) => !result.isError);
    expect(succeeded).toHaveLength(10);
    const perMember = new Map(members.map((person) => [person.userId, 0]));
    for (const { userId } of succeeded) perMember.set(userId, (perMember.get(userId) ?? 0) + 1);
    for (const count of perMember.values()) expect(count).toBeLessThanOrEqual(4);
    for (const refused of results.filter((result) => result.isError)) {
      const byOrg = refused.text.startsWith(
        "Quota exceeded: the organization's hourly limit of 10 tool calls",
      );
      const byMember = refused.text.startsWith("Quota exceeded: your hourly limit in Burst of 4 tool calls");
      expect(byOrg || byMember).toBe(true);
      // Someone with room under their own limit was refused by the organization's alone.
      if ((perMember.get(refused.userId) ?? 0) < 4) expect(byOrg).toBe(true);
    }

    const usage = await getOrgUsage(orgId);
    expect(usage.hour).toMatchObject({ used: 10, limit: 10 });
    for (const person of members) {
      expect((await getOrgUsage(orgId, person.userId)).member?.hour.used).toBe(perMember.get(person.userId));
      // Personal counters stay untouched by the organization's calls.
      expect(await readQuotaCounters(person.userId, new Date())).toEqual({ hour: 0, day: 0, month: 0 });
    }
    expect(await getDb().call.count({ where: { orgId, status: "SUCCESS" } })).toBe(10);
    expect(await getDb().call.count({ where: { orgId, status: "REFUSED" } })).toBe(14);
  });
});
