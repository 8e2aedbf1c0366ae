// The ledger's statements on every call's path run on the driver directly (lib/db/client.ts),
// beside Prisma's client, which reads and writes the same rows: both must agree on every column,
// times included, whatever the time zone of the process (pg reads `timestamp` as local time).
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb } from "@/lib/db/client";
import { createUser } from "@/lib/users/create-user";
import { createPendingCall, finishCall, type NewCall, readCallToRun } from "./ledger";

const originalZone = process.env.TZ;
let owner: { userId: string; serverId: string; toolId: string; connectionId: string };

beforeAll(async () => {
  const user = await createUser({ email: `ledger-${randomBytes(4).toString("hex")}@example.test` });
  const db = getDb();
  const server = await db.mcpServer.create({
    data: { userId: user.id, name: "Ledger", secretHash: randomUUID() },
  });
  const connection = await db.connection.create({
    data: {
      userId: user.id,
      integration: "github",
      label: "Mine",
      authType: "api_key",
      ciphertext: randomBytes(16),
      keyVersion: 1,
    },
  });
  const tool = await db.tool.create({
    data: {
      serverId: server.id,
      integration: "github",
      action: "create_issue",
      name: "create_issue",
      connectionId: connection.id,
    },
  });
  owner = { userId: user.id, serverId: server.id, toolId: tool.id, connectionId: connection.id };
});

afterEach(() => {
  if (originalZone === undefined) delete process.env.TZ;
  else process.env.TZ = originalZone;
});

afterAll(async () => {
  await disconnectDb();
});

function newCall(startedAt: Date, draft?: NewCall["draft"]): NewCall {
  return {
    id: randomUUID(),
    userId: owner.userId,
    serverId: owner.serverId,
    toolId: owner.toolId,
    toolName: "create_issue",
    integration: "github",
    action: "create_issue",
    input: { title: "Broken", labels: ["bug"], body: null },
    startedAt,
    ...(draft && { draft }),
  };
}

describe.each(["Pacific/Kiritimati", "America/Los_Angeles", "UTC"])("in the time zone %s", (zone) => {
  it("records a call, reads it for its worker and finishes it as Prisma reads them", async () => {
    process.env.TZ = zone;
    const startedAt = new Date(Date.now() - 1_234);
    const call = newCall(startedAt);
    const sealed = new Uint8Array(randomBytes(48));
    await createPendingCall({ ...call, sealedInput: sealed });

    const stored = await getDb().call.findUniqueOrThrow({ where: { id: call.id } });
    expect(stored).toMatchObject({
      userId: owner.userId,
      orgId: null,
      serverId: owner.serverId,
      toolId: owner.toolId,
      status: "PENDING",
      counted: true,
      draft: false,
      draftConnectionId: null,
      input: call.input,
      startedAt,
    });
    expect(Buffer.from(stored.sealedInput ?? [])).toEqual(Buffer.from(sealed));

    const toRun = await readCallToRun(call.id);
    expect(toRun).toMatchObject({
      id: call.id,
      userId: owner.userId,
      orgId: null,
      status: "PENDING",
      startedAt,
      connectionId: owner.connectionId,
      output: null,
    });
    expect(Buffer.from(toRun?.sealedInput ?? [])).toEqual(Buffer.from(sealed));

    const finishedAt = new Date(startedAt.getTime() + 1_500);
    expect(await finishCall(call.id, { status: "SUCCESS", output: { url: "https://x/1" } }, finishedAt)).toBe(
      true,
    );
    expect(await finishCall(call.id, { status: "SUCCESS", output: {} }, finishedAt)).toBe(false);
    const finished = await getDb().call.findUniqueOrThrow({ where: { id: call.id } });
    expect(finished).toMatchObject({
      status: "SUCCESS",
      output: { url: "https://x/1" },
      sealedInput: null,
      durationMs: 1_500,
      finishedAt,
    });
    const hour = new Date(Math.floor(startedAt.getTime() / 3_600_000) * 3_600_000);
    const rollup = await getDb().usageHourly.findUniqueOrThrow({
      where: { userId_hour: { userId: owner.userId, hour } },
    });
    expect(rollup.successCount).toBeGreaterThan(0);
    expect(await readCallToRun(call.id)).toMatchObject({ status: "SUCCESS", output: { url: "https://x/1" } });
  });
});

it("records a try of unsaved settings with the account chosen for it", async () => {
  const call = newCall(new Date(), { connectionId: owner.connectionId });
  await createPendingCall({ ...call, toolId: null, sealedInput: new Uint8Array(randomBytes(8)) });
  expect(await getDb().call.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({
    draft: true,
    draftConnectionId: owner.connectionId,
    toolId: null,
  });
  expect(await readCallToRun(call.id)).toMatchObject({ connectionId: owner.connectionId });
});

it("finishes a failed call with its error, uncounted", async () => {
  const call = newCall(new Date());
  await createPendingCall({ ...call, sealedInput: new Uint8Array(randomBytes(8)) });
  await finishCall(call.id, { status: "TIMEOUT", errorCode: "timeout", errorMessage: "x".repeat(3_000) });
  const finished = await getDb().call.findUniqueOrThrow({ where: { id: call.id } });
  expect(finished).toMatchObject({ status: "TIMEOUT", errorCode: "timeout", counted: false });
  expect(finished.errorMessage).toHaveLength(2_000);
});
