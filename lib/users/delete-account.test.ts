// Deleting one's account when one is an administrator or an organization's owner, on a scratch
// database of its own (the rule depends on how many administrators exist in the whole installation).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/env";
import { createConnection } from "@/lib/connections/manage-connections";
import { disconnectDb, getDb } from "@/lib/db/client";
import { addMembership, createOrg } from "@/lib/orgs/manage-orgs";
import { resolveWorkspace } from "@/lib/orgs/workspace";
import { disconnectRedis } from "@/lib/redis/client";
import { createServer } from "@/lib/servers/manage-servers";
import { createScratchDatabase, type ScratchDatabase } from "@/test/helpers/database";
import { createUser } from "./create-user";
import { deleteAccount } from "./delete-account";

let database: ScratchDatabase;
const password = "a-long-password";
const newAdmin = async () =>
  createUser({ email: `admin-${randomBytes(4).toString("hex")}@example.test`, password, admin: true });

beforeAll(async () => {
  database = await createScratchDatabase();
  await disconnectDb();
  vi.stubEnv("DATABASE_URL", database.url);
  resetEnvCache();
});

afterAll(async () => {
  await disconnectDb();
  await disconnectRedis();
  await database?.drop();
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe("deleteAccount for administrators", () => {
  it("refuses the only administrator, and lets one go once there is another", async () => {
    const only = await newAdmin();
    await expect(deleteAccount(only.id, { confirmEmail: only.email, password })).rejects.toMatchObject({
      code: "conflict",
    });
    expect(await getDb().user.count({ where: { id: only.id } })).toBe(1);
    await newAdmin();
    await deleteAccount(only.id, { confirmEmail: only.email, password });
    expect(await getDb().user.count({ where: { id: only.id } })).toBe(0);
  });

  it("lets exactly one of the last two administrators go when both leave at once", async () => {
    await getDb().user.deleteMany();
    const [first, second] = [await newAdmin(), await newAdmin()];
    const outcomes = await Promise.allSettled([
      deleteAccount(first.id, { confirmEmail: first.email, password }),
      deleteAccount(second.id, { confirmEmail: second.email, password }),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await getDb().user.count({ where: { role: "ADMIN" } })).toBe(1);
  });
});

describe("deleteAccount and organizations", () => {
  const newUser = () =>
    createUser({ email: `member-${randomBytes(4).toString("hex")}@example.test`, password });

  it("refuses the last owner of an organization with other members, naming it", async () => {
    await newAdmin(); // so the administrator rule is not what refuses
    const [owner, member] = [await newUser(), await newUser()];
    const org = await createOrg(owner.id, "Lone Owner Ltd");
    await getDb().$transaction((tx) =>
      addMembership(tx, { orgId: org.id, userId: member.id, role: "MEMBER" }),
    );
    await expect(deleteAccount(owner.id, { confirmEmail: owner.email, password })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("last owner of Lone Owner Ltd"),
    });
    expect(await getDb().user.count({ where: { id: owner.id } })).toBe(1);
  });

  it("hands what the account made in an organization to another owner; a sole member's org goes", async () => {
    await newAdmin();
    const [leaving, heir] = [await newUser(), await newUser()];
    const org = await createOrg(leaving.id, "Shared Co");
    await getDb().$transaction((tx) => addMembership(tx, { orgId: org.id, userId: heir.id, role: "OWNER" }));
    const workspace = await resolveWorkspace(leaving.id, org.id);
    const server = await createServer(workspace, "Team server");
    const connection = await createConnection(workspace, {
      integration: "github",
      label: "team-bot",
      credentials: { token: "ghp_team" },
    });
    const personal = await createServer(leaving.id, "Mine");
    const solo = await createOrg(leaving.id, "Just Me");

    await deleteAccount(leaving.id, { confirmEmail: leaving.email, password });

    expect(await getDb().mcpServer.findUnique({ where: { id: server.id } })).toMatchObject({
      userId: heir.id,
      orgId: org.id,
    });
    expect(await getDb().connection.findUnique({ where: { id: connection.id } })).toMatchObject({
      userId: heir.id,
      orgId: org.id,
    });
    expect(await getDb().mcpServer.count({ where: { id: personal.id } })).toBe(0);
    expect(await getDb().organization.count({ where: { id: solo.id } })).toBe(0);
    expect(await getDb().organization.count({ where: { id: org.id } })).toBe(1);
  });
});
