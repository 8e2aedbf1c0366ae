// Organizations through the REST API against a running platform (web + worker) with a local SMTP
// sink: creating one, inviting by email and accepting with the invited account's token, and every
// other endpoint scoped by `orgId`: a non-member gets 404, a role without the permission 403 with
// its reason, and the role table (lib/orgs/roles.ts, README "Organizations") row by row.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { createOrgInvitation } from "@/lib/orgs/org-invitations";
import { resolveWorkspace } from "@/lib/orgs/workspace";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { createUser } from "@/lib/users/create-user";
import { uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { type SmtpSink, startSmtpSink } from "../helpers/smtp-sink";
import { closeTestConnections } from "../helpers/teardown";

// biome-ignore lint/suspicious/noExplicitAny: answers are parsed JSON, checked by the assertions themselves
type Json = any;
type Account = { id: string; email: string; token: string };
type Role = "OWNER" | "ADMIN" | "MEMBER" | "VIEWER";

let platform: RunningPlatform;
let sink: SmtpSink;
const canary = `ghp_canary${"x".repeat(30)}`;

async function api(
  account: Account,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json; text: string }> {
  const response = await fetch(`${platform.url}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${account.token}`,
      ...(body !== undefined && { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, text };
}

async function givenAccount(label: string): Promise<Account> {
  const email = uniqueEmail(`org-${label}`);
  const user = await createUser({ email, password: "correct horse battery" });
  return { id: user.id, email, token: (await createApiToken(user.id, { name: "org e2e" })).token };
}

/** Invites `account` by REST as `inviter`, reads the link from the mail, accepts with its token. */
async function join(inviter: Account, orgId: string, account: Account, role: Role): Promise<void> {
  const invited = await api(inviter, "POST", `/orgs/${orgId}/invitations`, { email: account.email, role });
  expect(invited.status, invited.text).toBe(201);
  const token = invitationToken(invited.body.url);
  const accepted = await api(account, "POST", "/invitations/accept", { token });
  expect(accepted.status, accepted.text).toBe(200);
  expect(accepted.body).toEqual({ orgId, orgName: expect.any(String), role });
}

const invitationToken = (url: string) => decodeURIComponent(new URL(url).pathname.split("/").at(-1) ?? "");

/** An organization with one account per role, joined through invitations. */
async function givenOrg(name: string) {
  const [owner, admin, member, viewer] = await Promise.all(
    ["owner", "admin", "member", "viewer"].map((label) => givenAccount(`${name}-${label}`)),
  );
  const created = await api(owner!, "POST", "/orgs", { name });
  expect(created.status, created.text).toBe(201);
  const orgId: string = created.body.id;
  await join(owner!, orgId, admin!, "ADMIN");
  await join(owner!, orgId, member!, "MEMBER");
  await join(owner!, orgId, viewer!, "VIEWER");
  return { orgId, owner: owner!, admin: admin!, member: member!, viewer: viewer! };
}

beforeAll(async () => {
  sink = await startSmtpSink();
  platform = await startPlatform({ env: { SMTP_URL: sink.url, MAIL_FROM: "toolgate@example.com" } });
}, 240_000);

afterAll(async () => {
  await stopStartedPlatforms();
  await sink?.stop();
  await closeTestConnections();
});

describe("POST /api/v1/orgs and invitations", () => {
  it("creates an organization owned by the caller, listed with the role", async () => {
    const alice = await givenAccount("alice");
    const created = await api(alice, "POST", "/orgs", { name: "Acme" });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), name: "Acme", role: "OWNER" });
    const listed = await api(alice, "GET", "/orgs");
    expect(listed.body).toEqual([{ id: created.body.id, name: "Acme", role: "OWNER" }]);
    const one = await api(alice, "GET", `/orgs/${created.body.id}`);
    expect(one.body).toMatchObject({ id: created.body.id, name: "Acme", role: "OWNER", memberCount: 1 });
  });

  it("mails the invitation; the invited account accepts it once, another address is refused", async () => {
    const [alice, bob, mallory] = await Promise.all(
      ["inv-alice", "inv-bob", "inv-mallory"].map(givenAccount),
    );
    const orgId = (await api(alice!, "POST", "/orgs", { name: "Invites Inc" })).body.id;
    const invited = await api(alice!, "POST", `/orgs/${orgId}/invitations`, {
      email: bob!.email,
      role: "ADMIN",
    });
    expect(invited.status, invited.text).toBe(201);
    expect(invited.body).toMatchObject({
      id: expect.any(String),
      email: bob!.email,
      mail: { status: "sent" },
    });
    const mail = await sink.waitForMessageTo(bob!.email);
    expect(mail.text).toContain(invited.body.url);
    expect(mail.text).toContain("Invites Inc");
    const token = invitationToken(invited.body.url);

    const stolen = await api(mallory!, "POST", "/invitations/accept", { token });
    expect(stolen.status).toBe(403);
    expect(stolen.body.error.message).toContain(bob!.email);
    expect(await getDb().membership.count({ where: { orgId, userId: mallory!.id } })).toBe(0);

    const accepted = await api(bob!, "POST", "/invitations/accept", { token });
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body).toEqual({ orgId, orgName: "Invites Inc", role: "ADMIN" });
    const again = await api(bob!, "POST", "/invitations/accept", { token });
    expect(again.status).toBe(404);

    const members = await api(alice!, "GET", `/orgs/${orgId}/members`);
    expect(members.body.map((member: Json) => [member.email, member.role])).toEqual([
      [alice!.email, "OWNER"],
      [bob!.email, "ADMIN"],
    ]);
    const invitations = await api(alice!, "GET", `/orgs/${orgId}/invitations`);
    expect(invitations.body).toEqual([expect.objectContaining({ email: bob!.email, state: "accepted" })]);
  });

  it("refuses an expired or revoked invitation", async () => {
    const [alice, carol, dan] = await Promise.all(["exp-alice", "exp-carol", "exp-dan"].map(givenAccount));
    const orgId = (await api(alice!, "POST", "/orgs", { name: "Expiring" })).body.id;
    const expiring = await api(alice!, "POST", `/orgs/${orgId}/invitations`, {
      email: carol!.email,
      role: "MEMBER",
    });
    await getDb().orgInvitation.update({
      where: { id: expiring.body.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const late = await api(carol!, "POST", "/invitations/accept", {
      token: invitationToken(expiring.body.url),
    });
    expect(late.status).toBe(404);
    expect(late.body.error.message).toMatch(/expired/);

    const revoked = await api(alice!, "POST", `/orgs/${orgId}/invitations`, {
      email: dan!.email,
      role: "MEMBER",
    });
    expect((await api(alice!, "DELETE", `/orgs/${orgId}/invitations/${revoked.body.id}`)).status).toBe(204);
    const refused = await api(dan!, "POST", "/invitations/accept", {
      token: invitationToken(revoked.body.url),
    });
    expect(refused.status).toBe(404);
    expect(await getDb().membership.count({ where: { orgId } })).toBe(1);
  });

  it("without SMTP the link is returned to the inviter to pass on", async () => {
    // This test process has no SMTP_URL: the same function the endpoint calls.
    const alice = await givenAccount("nosmtp");
    const orgId = (await api(alice, "POST", "/orgs", { name: "No Mail" })).body.id;
    const invitation = await createOrgInvitation(await resolveWorkspace(alice.id, orgId), {
      email: uniqueEmail("nosmtp-invitee"),
      role: "VIEWER",
    });
    expect(invitation.mail).toEqual({ status: "not_configured" });
    expect(invitation.url).toMatch(/\/invitations\/tgo_/);
  });
});

describe("orgId on connections, servers and tools", () => {
  let org: Awaited<ReturnType<typeof givenOrg>>;
  let outsider: Account;
  let orgConnection: Json;

  beforeAll(async () => {
    org = await givenOrg("Scoped");
    outsider = await givenAccount("outsider");
    const created = await api(org.admin, "POST", "/connections", {
      orgId: org.orgId,
      integration: "github",
      label: "acme-bot",
      credentials: { token: canary },
    });
    expect(created.status, created.text).toBe(201);
    orgConnection = created.body;
  });

  it("answers a non-member's orgId exactly like a missing organization (404)", async () => {
    const server = await api(org.owner, "POST", "/servers", { name: "Shared", orgId: org.orgId });
    const missing = await api(outsider, "GET", "/servers?orgId=no-such-org");
    for (const answer of [
      await api(outsider, "GET", `/servers?orgId=${org.orgId}`),
      await api(outsider, "GET", `/connections?orgId=${org.orgId}`),
      await api(outsider, "POST", "/servers", { name: "Intruder", orgId: org.orgId }),
      await api(outsider, "GET", `/servers/${server.body.id}/tools?orgId=${org.orgId}`),
      await api(outsider, "GET", `/orgs/${org.orgId}`),
      await api(outsider, "GET", `/orgs/${org.orgId}/members`),
    ]) {
      expect(answer.status, answer.text).toBe(404);
      expect(answer.body).toEqual(missing.body);
    }
    // Without orgId, the organization's server is nobody's personal one.
    expect((await api(org.owner, "GET", `/servers/${server.body.id}`)).status).toBe(404);
    expect((await api(org.owner, "GET", "/servers")).body).toEqual([]);
  });

  it("shows members the organization's connections without credentials; only admins change them", async () => {
    const seen = await api(org.member, "GET", `/connections?orgId=${org.orgId}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toEqual([expect.objectContaining({ id: orgConnection.id, label: "acme-bot" })]);
    expect(seen.text).not.toContain(canary);
    // Not in anyone's personal list, the creator's included.
    expect((await api(org.admin, "GET", "/connections")).body).toEqual([]);

    for (const account of [org.member, org.viewer]) {
      const create = await api(account, "POST", "/connections", {
        orgId: org.orgId,
        integration: "github",
        credentials: { token: canary },
      });
      expect(create.status).toBe(403);
      expect(create.body.error.message).toMatch(/only its owners and admins can change its connections/);
      const remove = await api(account, "DELETE", `/connections/${orgConnection.id}?orgId=${org.orgId}`);
      expect(remove.status).toBe(403);
    }
    const spare = await api(org.owner, "POST", "/connections", {
      orgId: org.orgId,
      integration: "github",
      label: "spare",
      credentials: { token: canary },
    });
    expect(spare.status).toBe(201);
    expect((await api(org.admin, "DELETE", `/connections/${spare.body.id}?orgId=${org.orgId}`)).status).toBe(
      204,
    );
    expect(await getDb().connection.count({ where: { id: spare.body.id } })).toBe(0);

    // Sealed for the organization: whoever created it, the row is the org's.
    const row = await getDb().connection.findUniqueOrThrow({ where: { id: orgConnection.id } });
    expect(row.orgId).toBe(org.orgId);
    expect(Buffer.from(row.ciphertext).toString("latin1")).not.toContain(canary);
  });

  it("creates an organization's server with the creator's own URL, and each member gets theirs", async () => {
    const created = await api(org.admin, "POST", "/servers", { name: "Team", orgId: org.orgId });
    expect(created.status, created.text).toBe(201);
    expect(created.body.url).toMatch(/\/mcp\/tgs_/);
    const server = await getDb().mcpServer.findUniqueOrThrow({
      where: { id: created.body.id },
      include: { accesses: true },
    });
    expect(server.orgId).toBe(org.orgId);
    expect(server.accesses.map((access) => access.userId)).toEqual([org.admin.id]);
    const mine = await api(org.viewer, "POST", `/servers/${created.body.id}/my-url?orgId=${org.orgId}`);
    expect(mine.status, mine.text).toBe(200);
    expect(mine.body.url).not.toBe(created.body.url);
    // A member may stop their own URL, not someone else's.
    expect(
      (
        await api(
          org.member,
          "DELETE",
          `/servers/${created.body.id}/members/${org.viewer.id}?orgId=${org.orgId}`,
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await api(
          org.viewer,
          "DELETE",
          `/servers/${created.body.id}/members/${org.viewer.id}?orgId=${org.orgId}`,
        )
      ).status,
    ).toBe(204);
    const listed = await api(org.member, "GET", `/servers?orgId=${org.orgId}`);
    expect(listed.body.map((one: Json) => one.name)).toContain("Team");
    expect(listed.body.find((one: Json) => one.name === "Team")).toMatchObject({
      orgId: org.orgId,
      writesAdminOnly: false,
    });
    const patched = await api(org.admin, "PATCH", `/servers/${created.body.id}?orgId=${org.orgId}`, {
      writesAdminOnly: true,
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.writesAdminOnly).toBe(true);
    expect(
      (
        await api(org.member, "PATCH", `/servers/${created.body.id}?orgId=${org.orgId}`, {
          writesAdminOnly: false,
        })
      ).status,
    ).toBe(403);
  });

  it("refuses a personal connection on an organization's server, and the reverse, naming the account", async () => {
    const server = await api(org.admin, "POST", "/servers", { name: "Pins", orgId: org.orgId });
    const personal = await api(org.admin, "POST", "/connections", {
      integration: "github",
      label: "my-own-account",
      credentials: { token: canary },
    });
    expect(personal.status).toBe(201);
    const refused = await api(org.admin, "POST", `/servers/${server.body.id}/tools?orgId=${org.orgId}`, {
      integration: "github",
      action: "create_issue",
      connectionId: personal.body.id,
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toMatch(/"my-own-account" is a personal connection/);

    const pinned = await api(org.admin, "POST", `/servers/${server.body.id}/tools`, {
      orgId: org.orgId,
      integration: "github",
      action: "create_issue",
      connectionId: orgConnection.id,
      allowedRoles: ["ADMIN"],
      allowedUserIds: [org.member.id],
    });
    expect(pinned.status, pinned.text).toBe(201);
    expect(pinned.body).toMatchObject({
      connectionId: orgConnection.id,
      allowedRoles: ["ADMIN"],
      allowedUserIds: [org.member.id],
    });
    const stranger = await api(
      org.admin,
      "PATCH",
      `/servers/${server.body.id}/tools/${pinned.body.id}?orgId=${org.orgId}`,
      {
        allowedUserIds: [outsider.id],
      },
    );
    expect(stranger.status).toBe(422);
    expect(stranger.body.error.message).toMatch(/Not a member/);
    // A member sees the tool but cannot change it.
    expect((await api(org.member, "GET", `/servers/${server.body.id}/tools?orgId=${org.orgId}`)).status).toBe(
      200,
    );
    expect(
      (
        await api(
          org.member,
          "DELETE",
          `/servers/${server.body.id}/tools/${pinned.body.id}?orgId=${org.orgId}`,
        )
      ).status,
    ).toBe(403);

    const own = await api(org.admin, "POST", "/servers", { name: "Mine" });
    const reverse = await api(org.admin, "POST", `/servers/${own.body.id}/tools`, {
      integration: "github",
      action: "create_issue",
      connectionId: orgConnection.id,
    });
    expect(reverse.status).toBe(422);
    expect(reverse.body.error.message).toMatch(/"acme-bot" belongs to an organization/);
    const limited = await api(org.admin, "POST", `/servers/${own.body.id}/tools`, {
      integration: "formatter",
      action: "transform_text",
      allowedRoles: ["ADMIN"],
    });
    expect(limited.status).toBe(422);
  });

  it("records changes in the organization's audit trail with its id", async () => {
    const events = await getDb().auditEvent.findMany({
      where: { orgId: org.orgId },
      select: { action: true },
    });
    const actions = new Set(events.map((event) => event.action));
    for (const action of [
      "org.created",
      "org.invitation_created",
      "org.invitation_accepted",
      "connection.created",
      "connection.deleted",
      "server.created",
      "server.member_url_issued",
      "server.member_url_revoked",
      "server.permissions_changed",
      "tool.added",
    ])
      expect(actions, action).toContain(action);
    // The personal connection made meanwhile is not the organization's.
    const personal = await getDb().auditEvent.findFirst({
      where: { action: "connection.created", actorId: org.admin.id, orgId: null },
    });
    expect(personal).not.toBeNull();
  });
});

describe("members and roles", () => {
  it("lets admins change roles but not make owners; the last owner cannot leave", async () => {
    const org = await givenOrg("Roles");
    const promote = await api(org.admin, "PATCH", `/orgs/${org.orgId}/members/${org.member.id}`, {
      role: "OWNER",
    });
    expect(promote.status).toBe(403);
    const demote = await api(org.admin, "PATCH", `/orgs/${org.orgId}/members/${org.member.id}`, {
      role: "VIEWER",
      limits: { hour: 5 },
    });
    expect(demote.status, demote.text).toBe(200);
    expect(demote.body).toMatchObject({ userId: org.member.id, role: "VIEWER", hourlyLimit: 5 });
    expect(
      (await api(org.viewer, "PATCH", `/orgs/${org.orgId}/members/${org.member.id}`, { role: "MEMBER" }))
        .status,
    ).toBe(403);

    const leave = await api(org.owner, "DELETE", `/orgs/${org.orgId}/members/${org.owner.id}`);
    expect(leave.status).toBe(409);
    expect(leave.body.error.message).toMatch(/at least one owner/);
    const limits = await api(org.admin, "PATCH", `/orgs/${org.orgId}/limits`, { day: 50 });
    expect(limits.status, limits.text).toBe(200);
    expect(limits.body.memberDailyLimit).toBe(50);

    // Someone leaves on their own; their URLs go with the membership.
    expect((await api(org.viewer, "DELETE", `/orgs/${org.orgId}/members/${org.viewer.id}`)).status).toBe(204);
    expect((await api(org.viewer, "GET", `/servers?orgId=${org.orgId}`)).status).toBe(404);
    const events = await getDb().auditEvent.findMany({
      where: { orgId: org.orgId },
      select: { action: true },
    });
    expect(events.map((event) => event.action)).toEqual(
      expect.arrayContaining(["org.member_role_changed", "org.member_limits_changed", "org.member_left"]),
    );

    // Deleting it (owners only) takes its servers, and every member's URL for them, with it.
    const server = await api(org.admin, "POST", "/servers", { name: "Doomed", orgId: org.orgId });
    expect((await api(org.admin, "DELETE", `/orgs/${org.orgId}`)).status).toBe(403);
    expect((await api(org.owner, "DELETE", `/orgs/${org.orgId}`)).status).toBe(204);
    expect((await api(org.member, "GET", `/orgs/${org.orgId}`)).status).toBe(404);
    expect(await getDb().mcpServer.count({ where: { id: server.body.id } })).toBe(0);
    expect(await getDb().serverAccess.count({ where: { serverId: server.body.id } })).toBe(0);
  });
});

describe("the role table, row by row", () => {
  let org: Awaited<ReturnType<typeof givenOrg>>;
  const roles = ["owner", "admin", "member", "viewer"] as const;
  beforeAll(async () => {
    org = await givenOrg("Table");
  });

  it("manage org: owners only (rename)", async () => {
    const statuses = [];
    for (const role of roles)
      statuses.push(
        (await api(org[role], "PATCH", `/orgs/${org.orgId}`, { name: `Table (${role})` })).status,
      );
    expect(statuses).toEqual([200, 403, 403, 403]);
  });

  it("manage members: owners and admins (invitations)", async () => {
    const statuses = [];
    for (const role of roles)
      statuses.push((await api(org[role], "GET", `/orgs/${org.orgId}/invitations`)).status);
    expect(statuses).toEqual([200, 200, 403, 403]);
  });

  it("shared connections & servers: owners and admins create them, everyone sees them", async () => {
    const created = [];
    const seen = [];
    for (const role of roles) {
      created.push(
        (await api(org[role], "POST", "/servers", { name: `By ${role}`, orgId: org.orgId })).status,
      );
      seen.push((await api(org[role], "GET", `/servers?orgId=${org.orgId}`)).body.length);
    }
    expect(created).toEqual([201, 201, 403, 403]);
    expect(seen).toEqual([1, 2, 2, 2]);
  });

  it("use shared servers: every role gets its own URL", async () => {
    const server = await api(org.owner, "GET", `/servers?orgId=${org.orgId}`);
    const statuses = [];
    for (const role of roles)
      statuses.push(
        (await api(org[role], "POST", `/servers/${server.body[0].id}/my-url?orgId=${org.orgId}`)).status,
      );
    expect(statuses).toEqual([200, 200, 200, 200]);
  });
});
