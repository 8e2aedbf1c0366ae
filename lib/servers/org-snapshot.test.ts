// Snapshots of an organization's server: a member's URL opens it for that member, with their role,
// the organization's limits and theirs; the server's own secret opens nothing; and every write that
// changes what a member may do (role, limits, membership, their URL, the server's switch) is seen
// by the next resolution in this process, cached or not.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb } from "@/lib/db/client";
import { addMembership, changeMemberRole, createOrg, removeMember } from "@/lib/orgs/manage-orgs";
import { setMemberLimits } from "@/lib/orgs/org-limits";
import { resolveWorkspace } from "@/lib/orgs/workspace";
import { disconnectRedis } from "@/lib/redis/client";
import { writeMemberAccess } from "@/lib/servers/server-access";
import { generateServerSecret, hashServerSecret } from "@/lib/servers/server-secrets";
import { createUser } from "@/lib/users/create-user";
import type { ServerSnapshot } from "./server-snapshot";
import { closeSnapshotFeed, resolveServerBySecret, whenSnapshotFeedLive } from "./snapshot-cache";

beforeAll(async () => {
  expect(await whenSnapshotFeedLive()).toBe(true);
});

afterAll(async () => {
  await closeSnapshotFeed();
  await Promise.allSettled([disconnectDb(), disconnectRedis()]);
});

async function user(label: string) {
  return createUser({
    email: `${label}-${randomBytes(4).toString("hex")}@example.test`,
    password: "correct horse battery staple",
  });
}

async function makeOrgServer() {
  const owner = await user("org-owner");
  const member = await user("org-member");
  const org = await createOrg(owner.id, "Snapshot Org");
  await getDb().$transaction((tx) => addMembership(tx, { orgId: org.id, userId: member.id, role: "MEMBER" }));
  const ownSecret = generateServerSecret();
  const server = await getDb().mcpServer.create({
    data: { userId: owner.id, orgId: org.id, name: "Shared", secretHash: hashServerSecret(ownSecret) },
  });
  await getDb().tool.create({
    data: {
      serverId: server.id,
      integration: "formatter",
      action: "count_text",
      name: "count",
      allowedUserIds: [member.id],
    },
  });
  const secretOf = (url: string) => url.slice(url.lastIndexOf("/") + 1);
  const memberSecret = secretOf(
    await getDb().$transaction((tx) => writeMemberAccess(tx, { serverId: server.id, userId: member.id })),
  );
  return { owner, member, org, server, ownSecret, memberSecret };
}

/** Resolved twice, to also read it from the cache when the first one was kept. */
async function resolveTwice(secret: string): Promise<ServerSnapshot | null> {
  await resolveServerBySecret(secret);
  return resolveServerBySecret(secret);
}

describe("an organization's server's snapshot", () => {
  it("opens for a member's URL with the caller, the org's limits and theirs, and not for the server's own secret", async () => {
    const { member, org, server, ownSecret, memberSecret } = await makeOrgServer();
    expect(await resolveServerBySecret(ownSecret)).toBeNull();
    const snapshot = await resolveTwice(memberSecret);
    expect(snapshot?.serverId).toBe(server.id);
    expect(snapshot?.org).toEqual({
      id: org.id,
      name: "Snapshot Org",
      writesAdminOnly: false,
      limits: { hour: 80, day: 160, month: 300 },
      memberLimits: { hour: null, day: null, month: null },
      caller: { userId: member.id, role: "MEMBER", suspended: false },
    });
    expect(snapshot?.tools[0]).toMatchObject({ allowedRoles: [], allowedUserIds: [member.id] });
  });

  it("sees at once a role change, the member's limits, the server's switch, suspension and removal", async () => {
    const { owner, member, org, server, memberSecret } = await makeOrgServer();
    await resolveTwice(memberSecret);
    const ownerWorkspace = await resolveWorkspace(owner.id, org.id);

    await changeMemberRole(ownerWorkspace, member.id, "VIEWER");
    expect((await resolveTwice(memberSecret))?.org?.caller.role).toBe("VIEWER");

    await setMemberLimits(ownerWorkspace, member.id, { hour: 7 });
    expect((await resolveTwice(memberSecret))?.org?.memberLimits.hour).toBe(7);

    await getDb().organization.update({ where: { id: org.id }, data: { hourlyLimitOverride: 33 } });
    expect((await resolveTwice(memberSecret))?.org?.limits?.hour).toBe(33);

    await getDb().mcpServer.update({ where: { id: server.id }, data: { writesAdminOnly: true } });
    expect((await resolveTwice(memberSecret))?.org?.writesAdminOnly).toBe(true);

    await getDb().user.update({ where: { id: member.id }, data: { suspendedAt: new Date() } });
    expect((await resolveTwice(memberSecret))?.org?.caller.suspended).toBe(true);
    await getDb().user.update({ where: { id: member.id }, data: { suspendedAt: null } });

    await removeMember(ownerWorkspace, member.id);
    expect(await resolveTwice(memberSecret)).toBeNull();
  });

  it("stops a member's old URL when it is issued again", async () => {
    const { member, server, memberSecret } = await makeOrgServer();
    await resolveTwice(memberSecret);
    const fresh = await getDb().$transaction((tx) =>
      writeMemberAccess(tx, { serverId: server.id, userId: member.id }),
    );
    expect(await resolveTwice(memberSecret)).toBeNull();
    expect((await resolveTwice(fresh.slice(fresh.lastIndexOf("/") + 1)))?.org?.caller.userId).toBe(member.id);
  });
});
