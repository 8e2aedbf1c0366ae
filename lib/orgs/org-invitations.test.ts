// Invitations to an organization: mailed through SMTP (read back from a local sink) or handed to
// the inviter when mail is not set up; accepted once, only by the invited address, before expiry.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/env";
import { disconnectDb, getDb } from "@/lib/db/client";
import { disconnectRedis } from "@/lib/redis/client";
import { createUser } from "@/lib/users/create-user";
import { type SmtpSink, startSmtpSink } from "@/test/helpers/smtp-sink";
import { addMembership, createOrg } from "./manage-orgs";
import { acceptOrgInvitation, createOrgInvitation, revokeOrgInvitation } from "./org-invitations";
import { resolveWorkspace } from "./workspace";

let sink: SmtpSink;

beforeAll(async () => {
  sink = await startSmtpSink();
});

afterAll(async () => {
  vi.unstubAllEnvs();
  resetEnvCache();
  await sink?.stop();
  await disconnectDb();
  await disconnectRedis();
});

const address = () => `i-${randomBytes(5).toString("hex")}@example.test`;
const newUser = (email = address()) => createUser({ email, password: "a-long-password" });
const tokenOf = (url: string) => decodeURIComponent(url.split("/invitations/")[1] ?? "");

async function newOrg() {
  const owner = await newUser();
  const org = await createOrg(owner.id, "Acme Robotics");
  return { org, owner, workspace: await resolveWorkspace(owner.id, org.id) };
}

describe("organization invitations", () => {
  it("mails the link, and the invited address joins with the role once", async () => {
    vi.stubEnv("SMTP_URL", sink.url);
    resetEnvCache();
    const { org, owner, workspace } = await newOrg();
    const email = address();
    const invitation = await createOrgInvitation(workspace, { email: email.toUpperCase(), role: "VIEWER" });
    expect(invitation).toMatchObject({ email, role: "VIEWER", mail: { status: "sent", to: email } });
    const mail = await sink.waitForMessageTo(email);
    expect(mail.subject).toBe("You are invited to join Acme Robotics on Toolgate");
    expect(mail.text).toContain("to join Acme Robotics as viewer");
    expect(mail.text).toContain(invitation.url);

    const invitee = await newUser(email);
    const joined = await acceptOrgInvitation(invitee.id, tokenOf(invitation.url));
    expect(joined).toEqual({ orgId: org.id, orgName: "Acme Robotics", role: "VIEWER" });
    expect((await resolveWorkspace(invitee.id, org.id)).kind).toBe("org");
    await expect(acceptOrgInvitation(invitee.id, tokenOf(invitation.url))).rejects.toMatchObject({
      code: "not_found",
    });
    const trail = await getDb().auditEvent.findMany({
      where: { orgId: org.id, action: { startsWith: "org.invitation" } },
      orderBy: { createdAt: "asc" },
      select: { action: true, actorId: true },
    });
    expect(trail).toEqual([
      { action: "org.invitation_created", actorId: owner.id },
      { action: "org.invitation_accepted", actorId: invitee.id },
    ]);
    // The link is a credential: the trail records the invitation, never its token.
    const recorded = await getDb().auditEvent.findMany({ where: { orgId: org.id } });
    expect(JSON.stringify(recorded)).not.toContain(tokenOf(invitation.url));
  });

  it("refuses another account, whatever its role elsewhere, and leaves the invitation usable", async () => {
    vi.stubEnv("SMTP_URL", "");
    resetEnvCache();
    const { org, workspace } = await newOrg();
    const email = address();
    const invitation = await createOrgInvitation(workspace, { email, role: "ADMIN" });
    expect(invitation.mail).toEqual({ status: "not_configured" });
    const someoneElse = await newUser();
    await expect(acceptOrgInvitation(someoneElse.id, tokenOf(invitation.url))).rejects.toMatchObject({
      code: "forbidden",
      message: `This invitation is for ${email}, and you are signed in as ${someoneElse.email}. Sign in with ${email} to accept it.`,
    });
    expect(await getDb().membership.count({ where: { orgId: org.id, userId: someoneElse.id } })).toBe(0);
    const invitee = await newUser(email);
    await expect(acceptOrgInvitation(invitee.id, tokenOf(invitation.url))).resolves.toMatchObject({
      role: "ADMIN",
    });
  });

  it("lets exactly one of several simultaneous acceptances use the link", async () => {
    const { org, workspace } = await newOrg();
    const email = address();
    const invitation = await createOrgInvitation(workspace, { email, role: "MEMBER" });
    const invitee = await newUser(email);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 4 }, () => acceptOrgInvitation(invitee.id, tokenOf(invitation.url))),
    );
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    expect(await getDb().membership.count({ where: { orgId: org.id, userId: invitee.id } })).toBe(1);
    expect(
      await getDb().auditEvent.count({ where: { orgId: org.id, action: "org.invitation_accepted" } }),
    ).toBe(1);
  });

  it("opens nothing once expired or revoked", async () => {
    const { workspace } = await newOrg();
    const email = address();
    const weekAgo = new Date(Date.now() - 8 * 86_400_000);
    const expired = await createOrgInvitation(
      workspace,
      { email, role: "MEMBER", expiresInDays: 7 },
      {},
      weekAgo,
    );
    const revoked = await createOrgInvitation(workspace, { email, role: "MEMBER" });
    await revokeOrgInvitation(workspace, revoked.id);
    const invitee = await newUser(email);
    for (const url of [expired.url, revoked.url])
      await expect(acceptOrgInvitation(invitee.id, tokenOf(url))).rejects.toMatchObject({
        code: "not_found",
      });
    await expect(revokeOrgInvitation(workspace, revoked.id)).rejects.toMatchObject({ code: "conflict" });
  });

  it("lets only owners and admins invite, and only owners invite owners", async () => {
    const { org, workspace } = await newOrg();
    const [admin, member] = [await newUser(), await newUser()];
    await getDb().$transaction(async (tx) => {
      await addMembership(tx, { orgId: org.id, userId: admin.id, role: "ADMIN" });
      await addMembership(tx, { orgId: org.id, userId: member.id, role: "MEMBER" });
    });
    await expect(
      createOrgInvitation(await resolveWorkspace(member.id, org.id), { email: address(), role: "VIEWER" }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      createOrgInvitation(await resolveWorkspace(admin.id, org.id), { email: address(), role: "OWNER" }),
    ).rejects.toMatchObject({ code: "forbidden", message: "Only owners can invite someone as owner." });
    await expect(
      createOrgInvitation(workspace, { email: member.email, role: "VIEWER" }),
    ).rejects.toMatchObject({
      code: "conflict",
    });
    await expect(createOrgInvitation(workspace, { email: "not an address", role: "VIEWER" })).rejects.toThrow(
      "Enter a valid email address",
    );
  });
});
