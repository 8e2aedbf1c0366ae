// The server snapshot cache of one process: what a snapshot carries about the owner; that every
// kind of write made straight through getDb(), by no domain module, is seen by the next
// resolution (inside an interactive transaction: once it commits); and the two bounds for
// announcements that never arrive (a dropped subscriber connection; the maximum age).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEnv, requireEnv, setEnv } from "@/env";
import { createPrismaClient, disconnectDb, getDb } from "@/lib/db/client";
import { disconnectRedis, getRedis } from "@/lib/redis/client";
import { createServer } from "@/lib/servers/manage-servers";
import { generateServerSecret, hashServerSecret } from "@/lib/servers/server-secrets";
import { addTool, addToolSchema } from "@/lib/tools/manage-tools";
import { createUser } from "@/lib/users/create-user";
import type { ServerSnapshot } from "./server-snapshot";
import {
  closeSnapshotFeed,
  feedConnectionName,
  resolveServerBySecret,
  whenSnapshotFeedLive,
} from "./snapshot-cache";

// A client without the invalidating extension: its writes are announced to no one, as if the
// announcement had been lost.
const unannounced = createPrismaClient(requireEnv("DATABASE_URL"));
const defaultMaxAgeMs = getEnv().SERVER_SNAPSHOT_MAX_AGE_MS;

beforeAll(async () => {
  expect(await whenSnapshotFeedLive()).toBe(true);
});

afterAll(async () => {
  setEnv({ SERVER_SNAPSHOT_MAX_AGE_MS: String(defaultMaxAgeMs) });
  await closeSnapshotFeed();
  await Promise.allSettled([disconnectDb(), disconnectRedis(), unannounced.$disconnect()]);
});

async function makeServer() {
  const email = `snapshot-${randomBytes(4).toString("hex")}@example.test`;
  const user = await createUser({ email, password: "correct horse battery staple" });
  const server = await createServer(user.id, "Snapshot test");
  const tool = await addTool(
    user.id,
    server.id,
    addToolSchema.parse({ integration: "formatter", action: "count_text" }),
  );
  const secret = server.url.slice(server.url.lastIndexOf("/") + 1);
  return { userId: user.id, serverId: server.id, toolId: tool.id, secret };
}

/**
 * The snapshot, once it is held in the cache (a second resolution gives the very same object).
 * Announcements of other test files' writes may empty the cache meanwhile, hence the retries.
 */
async function cachedSnapshot(secret: string): Promise<ServerSnapshot> {
  let held: ServerSnapshot | null = null;
  await expect
    .poll(async () => {
      const first = await resolveServerBySecret(secret);
      held = first && (await resolveServerBySecret(secret)) === first ? first : null;
      return held !== null;
    })
    .toBe(true);
  return held!;
}

describe("server snapshot", () => {
  it("carries the owner's effective limits and suspension", async () => {
    const { secret } = await makeServer();
    expect((await resolveServerBySecret(secret))?.owner).toEqual({
      suspended: false,
      limits: { hour: 80, day: 160, month: 300 },
    });
  });

  it("resolves nothing for an unknown or malformed secret", async () => {
    expect(await resolveServerBySecret(generateServerSecret())).toBeNull();
    expect(await resolveServerBySecret("not a secret")).toBeNull();
  });
});

describe("writes made straight through getDb() reach the cached snapshot", () => {
  it("a rotated secret: the old one is refused, the new one opens the server", async () => {
    const { serverId, secret } = await makeServer();
    await cachedSnapshot(secret);
    const newSecret = generateServerSecret();
    await getDb().mcpServer.update({
      where: { id: serverId },
      data: { secretHash: hashServerSecret(newSecret) },
    });
    expect(await resolveServerBySecret(secret)).toBeNull();
    expect((await resolveServerBySecret(newSecret))?.serverId).toBe(serverId);
  });

  it("a deleted server", async () => {
    const { serverId, secret } = await makeServer();
    await cachedSnapshot(secret);
    await getDb().mcpServer.delete({ where: { id: serverId } });
    expect(await resolveServerBySecret(secret)).toBeNull();
  });

  it("a tool added, edited and removed", async () => {
    const { serverId, toolId, secret } = await makeServer();
    await cachedSnapshot(secret);
    const added = await getDb().tool.create({
      data: { serverId, integration: "formatter", action: "transform_text", name: "added_tool" },
    });
    expect((await resolveServerBySecret(secret))?.tools.map((tool) => tool.name)).toContain("added_tool");

    await cachedSnapshot(secret);
    await getDb().tool.update({ where: { id: toolId }, data: { description: "Edited" } });
    expect((await resolveServerBySecret(secret))?.tools.find((tool) => tool.id === toolId)?.description).toBe(
      "Edited",
    );

    await cachedSnapshot(secret);
    await getDb().tool.delete({ where: { id: added.id } });
    expect((await resolveServerBySecret(secret))?.tools.map((tool) => tool.id)).toEqual([toolId]);
  });

  it("the limits of the owner's plan", async () => {
    const { userId, secret } = await makeServer();
    const plan = await getDb().plan.create({
      data: {
        name: `Snapshot ${randomBytes(4).toString("hex")}`,
        hourlyLimit: 7,
        dailyLimit: 8,
        monthlyLimit: 9,
      },
    });
    await getDb().user.update({ where: { id: userId }, data: { planId: plan.id } });
    expect((await cachedSnapshot(secret)).owner.limits).toEqual({ hour: 7, day: 8, month: 9 });
    await getDb().plan.update({ where: { id: plan.id }, data: { hourlyLimit: 70 } });
    expect((await resolveServerBySecret(secret))?.owner.limits).toEqual({ hour: 70, day: 8, month: 9 });
  });

  it("the owner's suspension", async () => {
    const { userId, secret } = await makeServer();
    await cachedSnapshot(secret);
    await getDb().user.update({ where: { id: userId }, data: { suspendedAt: new Date() } });
    expect((await resolveServerBySecret(secret))?.owner.suspended).toBe(true);
  });

  it("the owner's limit overrides", async () => {
    const { userId, secret } = await makeServer();
    await cachedSnapshot(secret);
    await getDb().user.updateMany({ where: { id: userId }, data: { hourlyLimitOverride: 5 } });
    expect((await resolveServerBySecret(secret))?.owner.limits).toEqual({ hour: 5, day: 160, month: 300 });
  });

  it("a deleted connection, which leaves its tools without one", async () => {
    const { userId, toolId, secret } = await makeServer();
    const connection = await getDb().connection.create({
      data: {
        userId,
        integration: "formatter",
        label: "Unused",
        authType: "none",
        ciphertext: Buffer.from("not a credential"),
        keyVersion: 1,
      },
    });
    await getDb().tool.update({ where: { id: toolId }, data: { connectionId: connection.id } });
    expect((await cachedSnapshot(secret)).tools[0]?.connectionId).toBe(connection.id);
    await getDb().connection.delete({ where: { id: connection.id } });
    expect((await resolveServerBySecret(secret))?.tools[0]?.connectionId).toBeNull();
  });

  it("a write in an interactive transaction, once it commits, over a load made before the commit", async () => {
    const { userId, secret } = await makeServer();
    await cachedSnapshot(secret);
    await getDb().$transaction(async (tx) => {
      await tx.user.update({ where: { id: userId }, data: { suspendedAt: new Date() } });
      // Not committed yet: this load reads the old state, and the cache may keep it for now.
      expect((await cachedSnapshot(secret)).owner.suspended).toBe(false);
    });
    expect((await resolveServerBySecret(secret))?.owner.suspended).toBe(true);
  });
});

describe("announcements that never arrive", () => {
  it("a change is seen within the maximum age", async () => {
    setEnv({ SERVER_SNAPSHOT_MAX_AGE_MS: "1000" });
    try {
      const { userId, secret } = await makeServer();
      await cachedSnapshot(secret);
      const changedAt = Date.now();
      await unannounced.user.update({ where: { id: userId }, data: { suspendedAt: new Date() } });
      expect((await resolveServerBySecret(secret))?.owner.suspended).toBe(false); // the message was lost
      await expect
        .poll(async () => (await resolveServerBySecret(secret))?.owner.suspended, { interval: 50 })
        .toBe(true);
      expect(Date.now() - changedAt).toBeLessThan(1_000 + 500);
    } finally {
      setEnv({ SERVER_SNAPSHOT_MAX_AGE_MS: String(defaultMaxAgeMs) });
    }
  });

  it("a change made while the subscriber was disconnected is seen once it reconnects", async () => {
    setEnv({ SERVER_SNAPSHOT_MAX_AGE_MS: "60000" });
    try {
      const { userId, secret } = await makeServer();
      await cachedSnapshot(secret);
      const redis = await getRedis();
      const clients = (await redis.call("CLIENT", "LIST", "TYPE", "pubsub")) as string;
      const feed = clients.split("\n").find((line) => line.includes(` name=${feedConnectionName()} `));
      const id = feed && /\bid=(\d+)/.exec(feed)?.[1];
      expect(id).toBeDefined();
      await redis.call("CLIENT", "KILL", "ID", id!);
      await unannounced.user.update({ where: { id: userId }, data: { suspendedAt: new Date() } });
      expect(await whenSnapshotFeedLive()).toBe(true);
      expect((await resolveServerBySecret(secret))?.owner.suspended).toBe(true);
    } finally {
      setEnv({ SERVER_SNAPSHOT_MAX_AGE_MS: String(defaultMaxAgeMs) });
    }
  });
});
