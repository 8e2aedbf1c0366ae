// The call history's filters (server, tool, status) and paging, against the test run's database:
// every query stays inside the user's calls, filters combine with the `before` cursor, and with
// no filters the REST view is what it was (no payloads).
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb } from "@/lib/db/client";
import type { CallStatus } from "@/lib/db/generated/client.ts";
import { createUser } from "@/lib/users/create-user";
import { listCallFilterChoices, listCalls, listCallsWithPayloads } from "./list-calls";

afterAll(async () => {
  await disconnectDb();
});

async function makeUser(label: string) {
  const user = await createUser({
    email: `${label}-${randomBytes(4).toString("hex")}@example.test`,
    password: "correct horse battery staple",
  });
  const db = getDb();
  const make = (name: string) =>
    db.mcpServer.create({ data: { userId: user.id, name, secretHash: randomUUID() } });
  const [first, second] = [await make("First"), await make("Second")];
  await db.tool.createMany({
    data: [
      { serverId: first.id, integration: "formatter", action: "calculate", name: "calculate" },
      { serverId: first.id, integration: "formatter", action: "extract_json", name: "extract_json" },
      { serverId: second.id, integration: "formatter", action: "calculate", name: "calculate" },
    ],
  });
  return { userId: user.id, first: first.id, second: second.id };
}

type Row = { serverId: string | null; toolName: string; status: CallStatus };
const base = new Date("2030-01-15T10:00:00.000Z");

/** Inserts the rows one second apart, oldest first; returns their ids newest first. */
async function insertCalls(userId: string, rows: Row[]): Promise<string[]> {
  const ids: string[] = [];
  for (const [index, row] of rows.entries()) {
    const id = randomUUID();
    ids.unshift(id);
    await getDb().call.create({
      data: {
        id,
        userId,
        ...row,
        integration: "formatter",
        action: row.toolName,
        input: { index },
        output: row.status === "SUCCESS" ? { value: index } : undefined,
        errorMessage: row.status === "ERROR" ? "The text is not valid JSON" : null,
        startedAt: new Date(base.getTime() + index * 1_000),
      },
    });
  }
  return ids;
}

let alice: Awaited<ReturnType<typeof makeUser>>;
let bob: Awaited<ReturnType<typeof makeUser>>;
let aliceIds: string[];
let rows: Row[];

beforeAll(async () => {
  [alice, bob] = [await makeUser("alice"), await makeUser("bob")];
  rows = [
    { serverId: alice.first, toolName: "calculate", status: "SUCCESS" },
    { serverId: alice.first, toolName: "extract_json", status: "ERROR" },
    { serverId: alice.second, toolName: "calculate", status: "SUCCESS" },
    { serverId: alice.first, toolName: "calculate", status: "REFUSED" },
    { serverId: alice.second, toolName: "calculate", status: "ERROR" },
    { serverId: null, toolName: "calculate", status: "TIMEOUT" },
    { serverId: alice.first, toolName: "extract_json", status: "SUCCESS" },
  ];
  aliceIds = await insertCalls(alice.userId, rows);
  await insertCalls(bob.userId, [
    { serverId: bob.first, toolName: "calculate", status: "ERROR" },
    { serverId: bob.first, toolName: "calculate", status: "SUCCESS" },
  ]);
});

/** Alice's ids (newest first) of the rows that match. */
function expected(match: (row: Row) => boolean): string[] {
  return rows
    .map((row, index) => ({ row, id: aliceIds[rows.length - 1 - index]! }))
    .filter(({ row }) => match(row))
    .map(({ id }) => id)
    .reverse();
}

const ids = (calls: { id: string }[]) => calls.map((call) => call.id);

describe("listCalls", () => {
  it("without filters lists only the user's calls, newest first, without payloads", async () => {
    const calls = await listCalls(alice.userId, { limit: 50 });
    expect(ids(calls)).toEqual(aliceIds);
    expect(calls[0]).not.toHaveProperty("input");
    expect(calls[0]).not.toHaveProperty("output");
  });

  it("filters by server, tool and status, alone and together", async () => {
    const query = { limit: 50 };
    expect(ids(await listCalls(alice.userId, query, { serverId: alice.second }))).toEqual(
      expected((row) => row.serverId === alice.second),
    );
    expect(ids(await listCalls(alice.userId, query, { toolName: "extract_json" }))).toEqual(
      expected((row) => row.toolName === "extract_json"),
    );
    expect(ids(await listCalls(alice.userId, query, { status: "ERROR" }))).toEqual(
      expected((row) => row.status === "ERROR"),
    );
    const combined = await listCalls(alice.userId, query, {
      serverId: alice.first,
      toolName: "calculate",
      status: "REFUSED",
    });
    expect(ids(combined)).toEqual(
      expected(
        (row) => row.serverId === alice.first && row.toolName === "calculate" && row.status === "REFUSED",
      ),
    );
    expect(combined).toHaveLength(1);
  });

  it("pages through filtered calls with `before` without gaps or repeats", async () => {
    const filters = { toolName: "calculate" };
    const all = expected((row) => row.toolName === "calculate");
    const first = await listCalls(alice.userId, { limit: 2 }, filters);
    const second = await listCalls(alice.userId, { limit: 2, before: first.at(-1)!.id }, filters);
    const third = await listCalls(alice.userId, { limit: 2, before: second.at(-1)!.id }, filters);
    expect([...ids(first), ...ids(second), ...ids(third)]).toEqual(all);
    expect(third).toHaveLength(1);
  });

  it("never reaches another user's calls through a filter or a cursor", async () => {
    expect(await listCalls(alice.userId, { limit: 50 }, { serverId: bob.first })).toEqual([]);
    expect(await listCalls(bob.userId, { limit: 50 }, { serverId: alice.first })).toEqual([]);
    await expect(listCalls(bob.userId, { limit: 50, before: aliceIds[0] })).rejects.toThrow(
      /no call of yours/,
    );
  });
});

describe("listCallsWithPayloads", () => {
  it("adds each call's stored input and output, with the same filters", async () => {
    const calls = await listCallsWithPayloads(alice.userId, { limit: 50 }, { status: "SUCCESS" });
    expect(ids(calls)).toEqual(expected((row) => row.status === "SUCCESS"));
    expect(calls.at(-1)).toMatchObject({ input: { index: 0 }, output: { value: 0 } });
  });
});

describe("listCallFilterChoices", () => {
  it("offers the user's servers and the distinct names of their tools", async () => {
    expect(await listCallFilterChoices(alice.userId)).toEqual({
      servers: [
        { id: alice.first, name: "First" },
        { id: alice.second, name: "Second" },
      ],
      toolNames: ["calculate", "extract_json"],
    });
  });
});
