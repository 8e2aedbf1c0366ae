// The call ledger's retention, on a scratch database of its own (pruning is global, and other test
// files write calls with clocks of their own): which calls go, that rollups stay, the batches, the
// hourly job's setting, and `npm run cli -- calls prune`.
import { randomBytes } from "node:crypto";
import type { Job } from "bullmq";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/env";
import { disconnectDb, getDb } from "@/lib/db/client";
import { pruneCallsJob } from "@/lib/queue/jobs/prune-calls";
import { createUser } from "@/lib/users/create-user";
import { createScratchDatabase, type ScratchDatabase } from "@/test/helpers/database";
import { runScript } from "@/test/helpers/run-script";
import { pruneOldCalls } from "./retention";

const dayMs = 86_400_000;
let database: ScratchDatabase;
let userId: string;

/** One call per age in days, oldest first; returns their ids. */
async function givenCalls(ages: number[], now = Date.now()): Promise<string[]> {
  const calls = ages.map((age, index) => ({
    id: `call-${randomBytes(6).toString("hex")}-${index}`,
    userId,
    toolName: "formatter_calculate",
    integration: "formatter",
    action: "calculate",
    status: "SUCCESS" as const,
    input: { secret: "kept only while the call is" },
    startedAt: new Date(now - age * dayMs),
    finishedAt: new Date(now - age * dayMs + 50),
  }));
  await getDb().call.createMany({ data: calls });
  return calls.map((call) => call.id);
}

async function remaining(ids: string[]): Promise<string[]> {
  const rows = await getDb().call.findMany({ where: { id: { in: ids } }, select: { id: true } });
  return ids.filter((id) => rows.some((row) => row.id === id));
}

beforeAll(async () => {
  database = await createScratchDatabase();
  await disconnectDb();
  vi.stubEnv("DATABASE_URL", database.url);
  resetEnvCache();
  userId = (await createUser({ email: `retention-${randomBytes(3).toString("hex")}@example.test` })).id;
});

beforeEach(async () => {
  await getDb().call.deleteMany(); // the scratch database is this file's alone
});

afterAll(async () => {
  await disconnectDb();
  await database?.drop();
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe("pruneOldCalls", () => {
  it("deletes the calls started before the retention period, in batches, and keeps the rollups", async () => {
    const hour = new Date(Math.floor((Date.now() - 100 * dayMs) / 3_600_000) * 3_600_000);
    await getDb().usageHourly.create({ data: { userId, hour, successCount: 5 } });
    const ids = await givenCalls([120, 100, 100, 100, 100, 100, 91, 89, 30, 0]);
    expect(await pruneOldCalls(90, new Date(), 2)).toBe(7);
    expect(await remaining(ids)).toEqual(ids.slice(7));
    expect(
      await getDb().usageHourly.findUniqueOrThrow({ where: { userId_hour: { userId, hour } } }),
    ).toMatchObject({
      successCount: 5,
    });
    expect(await pruneOldCalls(90)).toBe(0);
  });

  it("refuses a period that would cut into the current month", async () => {
    await expect(pruneOldCalls(34)).rejects.toThrow(/at least 35 days/);
    await expect(pruneOldCalls(40.5)).rejects.toThrow(/at least 35 days/);
  });
});

describe("the hourly job", () => {
  const run = () => pruneCallsJob.handle({}, {} as Job);

  it("applies CALL_RETENTION_DAYS, and keeps everything when it is 0", async () => {
    const ids = await givenCalls([70, 50]);
    vi.stubEnv("CALL_RETENTION_DAYS", "0");
    resetEnvCache();
    expect(await run()).toEqual({ deleted: 0 });
    expect(await remaining(ids)).toEqual(ids);
    vi.stubEnv("CALL_RETENTION_DAYS", "60");
    resetEnvCache();
    expect(await run()).toEqual({ deleted: 1 });
    expect(await remaining(ids)).toEqual([ids[1]]);
    vi.stubEnv("CALL_RETENTION_DAYS", "90");
    resetEnvCache();
  });
});

describe("npm run cli -- calls prune", () => {
  it("deletes calls older than --days, and refuses fewer than 35", async () => {
    const ids = await givenCalls([45, 38]);
    const env = { DATABASE_URL: database.url };
    const tooFew = await runScript("scripts/cli.ts", ["calls", "prune", "--days", "20"], env);
    expect(tooFew.code).toBe(2);
    expect(tooFew.stderr).toMatch(/--days: must be at least 35/);
    expect(await remaining(ids)).toEqual(ids);
    const pruned = await runScript("scripts/cli.ts", ["calls", "prune", "--days", "40"], env);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toBe("Deleted 1 call(s) older than 40 days.\n");
    expect(await remaining(ids)).toEqual([ids[1]]);
  }, 120_000);
});
