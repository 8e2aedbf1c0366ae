// Two processes with their own server snapshot and MCP session caches, sharing the run's
// PostgreSQL and Redis as web replicas do: a URL rotated, or a session deleted, through one is
// refused by the other once the announcement arrives, and when the announcement is lost, within
// the maximum age (SERVER_SNAPSHOT_MAX_AGE_MS).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { getEnv, requireEnv } from "@/env";
import { createPrismaClient, disconnectDb } from "@/lib/db/client";
import { disconnectRedis } from "@/lib/redis/client";
import { createServer } from "@/lib/servers/manage-servers";
import { generateServerSecret, hashServerSecret } from "@/lib/servers/server-secrets";
import { closeSnapshotFeed } from "@/lib/servers/snapshot-cache";
import { createUser } from "@/lib/users/create-user";

const projectRoot = path.resolve(import.meta.dirname, "../..");
const replicas: ChildProcess[] = [];
// Writes through this client are announced to no one, as if the announcement were lost.
const unannounced = createPrismaClient(requireEnv("DATABASE_URL"));

afterAll(async () => {
  for (const replica of replicas) replica.kill("SIGTERM");
  await closeSnapshotFeed();
  await Promise.allSettled([disconnectDb(), disconnectRedis(), unannounced.$disconnect()]);
});

type Replica = { send: (command: object) => Promise<Record<string, unknown>> };

async function startReplica(maxAgeMs: number): Promise<Replica> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/helpers/snapshot-replica.ts"], {
    cwd: projectRoot,
    env: {
      ...process.env,
      REDIS_PREFIX: getEnv().REDIS_PREFIX,
      SERVER_SNAPSHOT_MAX_AGE_MS: String(maxAgeMs),
    },
    stdio: ["pipe", "pipe", "inherit"],
  });
  replicas.push(child);
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error("the replica exited");
    return JSON.parse(value) as Record<string, unknown>;
  };
  expect(await next()).toEqual({ ready: true });
  return {
    send: async (command) => {
      child.stdin!.write(`${JSON.stringify(command)}\n`);
      return next();
    },
  };
}

async function makeServer() {
  const email = `replicas-${randomBytes(4).toString("hex")}@example.test`;
  const user = await createUser({ email, password: "correct horse battery staple" });
  const server = await createServer(user.id, "Replica test");
  return { userId: user.id, serverId: server.id, secret: server.url.slice(server.url.lastIndexOf("/") + 1) };
}

/** Resolves through a replica until it answers from its cache. */
async function cacheOn(replica: Replica, secret: string, serverId: string): Promise<void> {
  await expect
    .poll(async () => replica.send({ resolve: secret }), { interval: 20 })
    .toEqual({ serverId, cached: true });
}

/** Milliseconds until the replica refuses the secret. */
async function untilRefused(replica: Replica, secret: string, since: number): Promise<number> {
  await expect
    .poll(async () => (await replica.send({ resolve: secret })).serverId, { interval: 10, timeout: 20_000 })
    .toBeNull();
  return Date.now() - since;
}

describe("server snapshots on two replicas", () => {
  it("a URL rotated through one replica is refused by the other as soon as the announcement arrives", async () => {
    // A maximum age far beyond the wait below: only the announcement can make the other refuse.
    const [first, second] = await Promise.all([startReplica(60_000), startReplica(60_000)]);
    const { userId, serverId, secret } = await makeServer();
    await cacheOn(first!, secret, serverId);
    await cacheOn(second!, secret, serverId);
    const rotatedAt = Date.now();
    const { url } = await first!.send({ rotate: { userId, serverId } });
    expect(await first!.send({ resolve: secret })).toEqual({ serverId: null, cached: false });
    const elapsed = await untilRefused(second!, secret, rotatedAt);
    console.log(`rotated URL refused by the other replica after ${elapsed} ms`);
    expect(elapsed).toBeLessThan(1_000);
    const newSecret = String(url).slice(String(url).lastIndexOf("/") + 1);
    expect((await second!.send({ resolve: newSecret })).serverId).toBe(serverId);
  }, 60_000);

  it("a session deleted through one replica is refused by the other as soon as the announcement arrives", async () => {
    const [first, second] = await Promise.all([startReplica(60_000), startReplica(60_000)]);
    const { serverId } = await makeServer();
    const { id } = (await first!.send({ createSession: serverId })) as { id: string };
    for (const replica of [first!, second!])
      await expect
        .poll(async () => replica.send({ findSession: { id, serverId } }), { interval: 20 })
        .toEqual({ found: true, cached: true });
    const deletedAt = Date.now();
    await first!.send({ deleteSession: { id, serverId } });
    expect(await first!.send({ findSession: { id, serverId } })).toEqual({ found: false, cached: false });
    await expect
      .poll(async () => (await second!.send({ findSession: { id, serverId } })).found, { interval: 10 })
      .toBe(false);
    const elapsed = Date.now() - deletedAt;
    console.log(`deleted session refused by the other replica after ${elapsed} ms`);
    expect(elapsed).toBeLessThan(1_000);
  }, 60_000);

  it("a change whose announcement is lost is seen within the maximum age", async () => {
    const maxAgeMs = 1_500;
    const replica = await startReplica(maxAgeMs);
    const { serverId, secret } = await makeServer();
    await cacheOn(replica, secret, serverId);
    const changedAt = Date.now();
    await unannounced.mcpServer.update({
      where: { id: serverId },
      data: { secretHash: hashServerSecret(generateServerSecret()) },
    });
    // Still served from the cache: nothing told this replica.
    expect(await replica.send({ resolve: secret })).toEqual({ serverId, cached: true });
    const elapsed = await untilRefused(replica, secret, changedAt);
    console.log(`unannounced rotation refused after ${elapsed} ms (maximum age ${maxAgeMs} ms)`);
    expect(elapsed).toBeLessThanOrEqual(maxAgeMs + 500);
  }, 60_000);
});
