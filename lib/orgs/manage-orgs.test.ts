// Organizations and their members on the run's database: the role rules, the last owner, and what
// removing a member takes away, each in the audit trail with the organization.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb } from "@/lib/db/client";
import { disconnectRedis } from "@/lib/redis/client";
import { writeMemberAccess } from "@/lib/servers/server-access";
import { createUser } from "@/lib/users/create-user";
import { addMembership, changeMemberRole, createOrg, listOrgsOf, removeMember } from "./manage-orgs";
import type { OrgRole } from "./roles";
import { resolveWorkspace } from "./workspace";

afterAll(async () => {
  await disconnectDb();
  await disconnectRedis();
});

const newUser = () =>
  createUser({ email: `m-${randomBytes(5).toString("hex")}@example.test`, password: "a-long-password" });

/** An organization owned by a new user, with one more new user per role given. */
async function orgWith(...roles: OrgRole[]) {
  const owner = await newUser();
  const org = await createOrg(owner.id, "Acme");
  const others = [];
  for (const role of roles) {
    const user = await newUser();
    await getDb().$transaction((tx) => addMembership(tx, { orgId: org.id, userId: user.id, role }));
    others.push(user);
  }
  return { org, owner, others, as: (userId: string) => resolveWorkspace(userId, org.id) };
}

const roleOf = async (orgId: string, userId: string) =>
  (await getDb().membership.findUnique({ where: { orgId_userId: { orgId, userId } } }))?.role;

describe("organizations", () => {
  it("makes the creator the owner, and lists the organization with the role", async () => {
    const { org, owner } = await orgWith();
    expect(await listOrgsOf(owner.id)).toEqual([{ id: org.id, name: "Acme", role: "OWNER" }]);
    const created = await getDb().auditEvent.findFirst({
      where: { action: "org.created", targetId: org.id },
    });
    expect(created).toMatchObject({ actorId: owner.id, orgId: org.id });
  });

  it("reports an organization one is not a member of exactly like one that does not exist", async () => {
    const { org } = await orgWith();
    const outsider = await newUser();
    const [notMember, missing] = await Promise.allSettled([
      resolveWorkspace(outsider.id, org.id),
      resolveWorkspace(outsider.id, "no-such-org"),
    ]);
    expect(notMember).toMatchObject({ status: "rejected", reason: { code: "not_found" } });
    expect(missing).toMatchObject({ status: "rejected", reason: { code: "not_found" } });
    expect((notMember as PromiseRejectedResult).reason.message).toBe(
      (missing as PromiseRejectedResult).reason.message,
    );
  });

  it("lets admins change members' roles but not give or take the owner role", async () => {
    const { org, owner, others, as } = await orgWith("ADMIN", "MEMBER");
    const [admin, member] = [others[0]!, others[1]!];
    await changeMemberRole(await as(admin.id), member.id, "VIEWER");
    expect(await roleOf(org.id, member.id)).toBe("VIEWER");
    await expect(changeMemberRole(await as(admin.id), member.id, "OWNER")).rejects.toMatchObject({
      code: "forbidden",
      message: expect.stringContaining("only owners can give or take the owner role"),
    });
    await expect(changeMemberRole(await as(admin.id), owner.id, "MEMBER")).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(changeMemberRole(await as(member.id), admin.id, "VIEWER")).rejects.toMatchObject({
      code: "forbidden",
      message: expect.stringContaining("only its owners and admins can manage members"),
    });
    const changed = await getDb().auditEvent.findFirst({
      where: { action: "org.member_role_changed", targetId: member.id },
    });
    expect(changed).toMatchObject({
      orgId: org.id,
      actorId: admin.id,
      metadata: { from: "MEMBER", to: "VIEWER" },
    });
  });

  it("never leaves an organization without an owner, even when two owners step down at once", async () => {
    const { org, owner, others, as } = await orgWith("OWNER");
    const second = others[0]!;
    await expect(removeMember(await as(owner.id), owner.id)).resolves.toBeUndefined();
    await expect(removeMember(await as(second.id), second.id)).rejects.toMatchObject({ code: "conflict" });

    // Ten organizations with two owners each, both stepping down at the same moment.
    const pairs = await Promise.all(Array.from({ length: 10 }, () => orgWith("OWNER")));
    const steps = await Promise.all(
      pairs.flatMap((pair) =>
        [pair.owner.id, pair.others[0]!.id].map(async (id) => ({ id, workspace: await pair.as(id) })),
      ),
    );
    const outcomes = await Promise.allSettled(
      steps.map(({ id, workspace }) => changeMemberRole(workspace, id, "MEMBER")),
    );
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(10);
    for (const pair of pairs)
      expect(await getDb().membership.count({ where: { orgId: pair.org.id, role: "OWNER" } })).toBe(1);
    expect(await roleOf(org.id, second.id)).toBe("OWNER");
  });

  it("takes a removed member's own server URLs away with the membership, and only theirs", async () => {
    const { org, owner, others, as } = await orgWith("MEMBER", "MEMBER");
    const [leaving, staying] = [others[0]!, others[1]!];
    const server = await getDb().mcpServer.create({
      data: { userId: owner.id, orgId: org.id, name: "Shared", secretHash: randomBytes(32).toString("hex") },
    });
    for (const member of [leaving, staying])
      await getDb().$transaction((tx) => writeMemberAccess(tx, { serverId: server.id, userId: member.id }));
    await removeMember(await as(owner.id), leaving.id);
    const left = await getDb().serverAccess.findMany({
      where: { serverId: server.id },
      select: { userId: true },
    });
    expect(left).toEqual([{ userId: staying.id }]);
    expect(await roleOf(org.id, leaving.id)).toBeUndefined();
    const removed = await getDb().auditEvent.findFirst({
      where: { action: "org.member_removed", targetId: leaving.id },
    });
    expect(removed).toMatchObject({ orgId: org.id, actorId: owner.id });
  });
});
