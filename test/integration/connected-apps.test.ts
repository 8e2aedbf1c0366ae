// Connected apps (lib/authorization-server/grants.ts) on the run's database: who sees which AI
// apps' grants, who may revoke them, and that revoking one ends its tokens at once (the access
// token stops verifying, the refresh token stops refreshing) and is audited without secrets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listServerGrants, listUserGrants, revokeGrant } from "@/lib/authorization-server/grants";
import { OAuthError } from "@/lib/authorization-server/oauth-error";
import { refreshTokens, verifyAccessToken } from "@/lib/authorization-server/tokens";
import { getDb } from "@/lib/db/client";
import { addMembership, createOrg } from "@/lib/orgs/manage-orgs";
import type { OrgRole } from "@/lib/orgs/roles";
import { personalWorkspace, resolveWorkspace } from "@/lib/orgs/workspace";
import { createServer } from "@/lib/servers/manage-servers";
import { createUser } from "@/lib/users/create-user";
import { uniqueEmail } from "../helpers/mcp";
import { seedGrant } from "../helpers/mcp-grants";
import { closeTestConnections } from "../helpers/teardown";

const resource = "http://127.0.0.1:3000/mcp";

const newUser = async (label: string) => (await createUser({ email: uniqueEmail(label) })).id;

let adminId: string;

beforeAll(async () => {
  // Created first and explicitly, so that no other account here becomes the administrator.
  adminId = (await createUser({ email: uniqueEmail("apps-admin"), admin: true })).id;
});

afterAll(async () => {
  await closeTestConnections();
});

async function refusal(promise: Promise<unknown>) {
  return promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
}

describe("a person's connected apps", () => {
  let userId: string;
  let serverId: string;

  beforeAll(async () => {
    userId = await newUser("apps-owner");
    serverId = (await createServer(userId, "Claude at home")).id;
  });

  it("lists each active grant with its app, redirect host, server and dates", async () => {
    const seeded = await seedGrant({
      userId,
      serverId,
      resource,
      appName: "Claude",
      redirectUri: "https://claude.ai/api/mcp/auth_callback",
    });
    const apps = await listUserGrants(userId);
    expect(apps).toHaveLength(1);
    expect(apps[0]).toMatchObject({
      id: seeded.grantId,
      appName: "Claude",
      redirectHost: "claude.ai",
      clientKind: "registration",
      server: { id: serverId, name: "Claude at home", orgName: null },
      lastUsedAt: null,
    });
    expect(await listServerGrants(personalWorkspace(userId), serverId)).toEqual(apps);
    // Someone else's list never holds it, nor can they list this server's apps.
    const other = await newUser("apps-other");
    expect(await listUserGrants(other)).toEqual([]);
    expect(await refusal(listServerGrants(personalWorkspace(other), serverId))).toMatchObject({
      code: "not_found",
    });
    await revokeGrant(userId, seeded.grantId);
  });

  it("revokes a grant: its access token stops verifying and its refresh token stops refreshing", async () => {
    const seeded = await seedGrant({ userId, serverId, resource, appName: "Cursor" });
    const verified = await verifyAccessToken(seeded.accessToken, resource);
    expect(verified).toMatchObject({ grantId: seeded.grantId, userId, serverId });
    expect(
      (await listUserGrants(userId)).find((app) => app.id === seeded.grantId)?.lastUsedAt,
    ).toBeInstanceOf(Date);

    await revokeGrant(userId, seeded.grantId, { ip: "203.0.113.9" });

    expect(await verifyAccessToken(seeded.accessToken, resource)).toEqual({ problem: "revoked" });
    const refused = await refusal(
      refreshTokens({ refreshToken: seeded.refreshToken, clientId: seeded.clientId }),
    );
    expect(refused).toBeInstanceOf(OAuthError);
    expect((refused as OAuthError).code).toBe("invalid_grant");
    const grant = await getDb().mcpGrant.findUniqueOrThrow({
      where: { id: seeded.grantId },
      select: { revokedAt: true, revokedById: true, tokens: { select: { revokedAt: true } } },
    });
    expect(grant.revokedAt).toBeInstanceOf(Date);
    expect(grant.revokedById).toBe(userId);
    expect(grant.tokens).toHaveLength(2);
    for (const token of grant.tokens) expect(token.revokedAt).toBeInstanceOf(Date);
    expect((await listUserGrants(userId)).map((app) => app.id)).not.toContain(seeded.grantId);

    const events = await getDb().auditEvent.findMany({
      where: { action: "mcp_grant.revoked", targetId: seeded.grantId },
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: userId,
      orgId: null,
      targetType: "mcp_grant",
      ip: "203.0.113.9",
      metadata: { name: "Cursor", serverId, serverName: "Claude at home", userId },
    });
    const stored = JSON.stringify(events[0]);
    expect(stored).not.toContain(seeded.accessToken);
    expect(stored).not.toContain(seeded.refreshToken);

    // A second revocation finds nothing to revoke.
    expect(await refusal(revokeGrant(userId, seeded.grantId))).toMatchObject({ code: "not_found" });
  });

  it("refuses another person's revocation as if the grant did not exist, and the token keeps working", async () => {
    const seeded = await seedGrant({ userId, serverId, resource });
    const intruder = await newUser("apps-intruder");
    const refused = await refusal(revokeGrant(intruder, seeded.grantId));
    const unknown = await refusal(revokeGrant(intruder, "no-such-grant"));
    expect(refused).toMatchObject({ code: "not_found" });
    expect((refused as Error).message).toBe((unknown as Error).message);
    expect(await verifyAccessToken(seeded.accessToken, resource)).toMatchObject({ grantId: seeded.grantId });
    expect(await getDb().auditEvent.count({ where: { targetId: seeded.grantId } })).toBe(0);
    await revokeGrant(userId, seeded.grantId);
  });

  it("lets a platform administrator revoke anyone's grant, recorded with the administrator as actor", async () => {
    const seeded = await seedGrant({ userId, serverId, resource });
    await revokeGrant(adminId, seeded.grantId);
    expect(await verifyAccessToken(seeded.accessToken, resource)).toEqual({ problem: "revoked" });
    const grant = await getDb().mcpGrant.findUniqueOrThrow({ where: { id: seeded.grantId } });
    expect(grant.revokedById).toBe(adminId);
    expect(
      await getDb().auditEvent.findFirst({
        where: { action: "mcp_grant.revoked", targetId: seeded.grantId },
      }),
    ).toMatchObject({ actorId: adminId, metadata: { userId } });
  });
});

describe("an organization's server", () => {
  let orgId: string;
  let serverId: string;
  const members: Partial<Record<OrgRole, string>> = {};

  beforeAll(async () => {
    const owner = await newUser("apps-org-owner");
    orgId = (await createOrg(owner, "Acme")).id;
    members.OWNER = owner;
    for (const role of ["ADMIN", "MEMBER", "VIEWER"] as const) {
      const id = await newUser(`apps-org-${role.toLowerCase()}`);
      await getDb().$transaction((tx) => addMembership(tx, { orgId, userId: id, role }));
      members[role] = id;
    }
    serverId = (await createServer(await resolveWorkspace(owner, orgId), "Shared")).id;
  });

  it("shows owners and admins every member's apps, and anyone else only their own", async () => {
    const memberGrant = await seedGrant({ userId: members.MEMBER!, serverId, resource, appName: "ChatGPT" });
    const viewerGrant = await seedGrant({ userId: members.VIEWER!, serverId, resource, appName: "Claude" });
    for (const role of ["OWNER", "ADMIN"] as const) {
      const seen = await listServerGrants(await resolveWorkspace(members[role]!, orgId), serverId);
      expect(seen.map((app) => app.id).sort()).toEqual([memberGrant.grantId, viewerGrant.grantId].sort());
    }
    const memberSees = await listServerGrants(await resolveWorkspace(members.MEMBER!, orgId), serverId);
    expect(memberSees.map((app) => app.id)).toEqual([memberGrant.grantId]);
    expect(memberSees[0]).toMatchObject({ server: { orgName: "Acme" }, appName: "ChatGPT" });
    // The server is not in anyone's personal workspace.
    expect(await refusal(listServerGrants(personalWorkspace(members.OWNER!), serverId))).toMatchObject({
      code: "not_found",
    });
    await revokeGrant(members.MEMBER!, memberGrant.grantId);
    await revokeGrant(members.VIEWER!, viewerGrant.grantId);
  });

  it("lets an organization admin revoke a member's grant, audited in the organization's trail", async () => {
    const seeded = await seedGrant({ userId: members.MEMBER!, serverId, resource, appName: "ChatGPT" });
    // A fellow member cannot.
    expect(await refusal(revokeGrant(members.VIEWER!, seeded.grantId))).toMatchObject({ code: "not_found" });
    expect(await verifyAccessToken(seeded.accessToken, resource)).toMatchObject({ grantId: seeded.grantId });

    await revokeGrant(members.ADMIN!, seeded.grantId);
    expect(await verifyAccessToken(seeded.accessToken, resource)).toEqual({ problem: "revoked" });
    expect(
      await getDb().auditEvent.findFirst({
        where: { action: "mcp_grant.revoked", targetId: seeded.grantId },
      }),
    ).toMatchObject({ actorId: members.ADMIN, orgId, metadata: { name: "ChatGPT", serverId } });
  });

  it("does not let an admin of another organization revoke it", async () => {
    const seeded = await seedGrant({ userId: members.MEMBER!, serverId, resource });
    const elsewhere = await newUser("apps-other-org");
    await createOrg(elsewhere, "Other");
    expect(await refusal(revokeGrant(elsewhere, seeded.grantId))).toMatchObject({ code: "not_found" });
    expect(await verifyAccessToken(seeded.accessToken, resource)).toMatchObject({ grantId: seeded.grantId });
    await revokeGrant(members.MEMBER!, seeded.grantId);
  });
});
