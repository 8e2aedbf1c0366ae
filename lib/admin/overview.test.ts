// The admin overview against the ledger: a scripted mix of successful, failed, timed-out and
// refused calls, some crossing an hour boundary, some older than 24 hours or 7 days, recorded
// through lib/calls/ledger.ts with explicit times on a database of their own; the overview
// (read from the UsageHourly rollup) must say what direct SQL over the Call ledger says.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/env";
import { sealCallInput } from "@/lib/calls/call-input";
import { createPendingCall, durationBucketBoundsMs, finishCall, recordRefusedCall } from "@/lib/calls/ledger";
import { disconnectDb, getDb } from "@/lib/db/client";
import { disconnectRedis } from "@/lib/redis/client";
import { createUser } from "@/lib/users/create-user";
import { createScratchDatabase, type ScratchDatabase } from "@/test/helpers/database";
import { type AdminOverview, bucketUpperBoundMs, getAdminOverview, quantileBucket } from "./overview";

const hourMs = 3_600_000;
// "Now" is 12:20 UTC: the current hour is 12:00, the 24-hour window starts at 13:00 yesterday.
const now = new Date("2031-03-12T12:20:00.000Z");
const at = (iso: string) => new Date(iso);

let database: ScratchDatabase;
let overview: AdminOverview;
let users: string[];

type Script =
  | { kind: "success" | "error" | "timeout"; user: number; start: string; durationMs: number }
  | { kind: "refused"; user: number; start: string }
  | { kind: "pending"; user: number; start: string };

// Durations fall in several buckets; calls starting at 10:59 finish after 11:00 and count in
// the hour they started.
const script: Script[] = [
  // 8 days ago: outside the overview.
  { kind: "success", user: 3, start: "2031-03-04T09:00:00.000Z", durationMs: 40 },
  // 30 hours ago (06:xx yesterday): in the 7 days, not in the last 24 hours.
  { kind: "success", user: 2, start: "2031-03-11T06:10:00.000Z", durationMs: 120 },
  { kind: "error", user: 2, start: "2031-03-11T06:40:00.000Z", durationMs: 3_000 },
  // The first hour of the 24-hour window.
  { kind: "success", user: 1, start: "2031-03-11T13:05:00.000Z", durationMs: 80 },
  // 10:00 today: many fast calls and one slow one.
  ...Array.from({ length: 18 }, (_, index) => ({
    kind: "success" as const,
    user: index % 2,
    start: `2031-03-12T10:${String(10 + index).padStart(2, "0")}:00.000Z`,
    durationMs: 60 + index * 10,
  })),
  { kind: "error", user: 0, start: "2031-03-12T10:40:00.000Z", durationMs: 700 },
  { kind: "timeout", user: 1, start: "2031-03-12T10:59:00.000Z", durationMs: 31_000 },
  { kind: "success", user: 0, start: "2031-03-12T10:59:58.500Z", durationMs: 2_200 },
  { kind: "refused", user: 1, start: "2031-03-12T10:59:59.000Z" },
  // 11:00 and the current hour.
  { kind: "refused", user: 1, start: "2031-03-12T11:00:00.000Z" },
  { kind: "refused", user: 2, start: "2031-03-12T11:30:00.000Z" },
  { kind: "success", user: 0, start: "2031-03-12T11:45:00.000Z", durationMs: 450 },
  { kind: "error", user: 2, start: "2031-03-12T12:01:00.000Z", durationMs: 9_000 },
  // Still running: the ledger has it, the rollup does not yet.
  { kind: "pending", user: 3, start: "2031-03-12T12:15:00.000Z" },
];

function newCall(userId: string, start: string) {
  return {
    id: randomUUID(),
    userId,
    serverId: null as unknown as string,
    toolId: null as unknown as string,
    toolName: "formatter_calculate",
    integration: "formatter",
    action: "calculate",
    input: { numbers: [1, 2] },
    startedAt: at(start),
  };
}

async function play(step: Script): Promise<void> {
  const userId = users[step.user]!;
  const call = newCall(userId, step.start);
  if (step.kind === "refused") return recordRefusedCall(call, "Quota exceeded: the hourly limit is used up.");
  await createPendingCall({ ...call, sealedInput: await sealCallInput(call, {}, call.input) });
  if (step.kind === "pending") return;
  const finishedAt = new Date(call.startedAt.getTime() + step.durationMs);
  const outcome =
    step.kind === "success"
      ? ({ status: "SUCCESS", output: { result: 3 } } as const)
      : ({
          status: step.kind === "timeout" ? "TIMEOUT" : "ERROR",
          errorCode: step.kind,
          errorMessage: "It failed.",
        } as const);
  expect(await finishCall(call.id, outcome, finishedAt)).toBe(true);
  // A second finish (a retried job) changes nothing, the rollup included.
  expect(await finishCall(call.id, outcome, new Date(finishedAt.getTime() + 5_000))).toBe(false);
}

function bucketOf(durationMs: number): number {
  const index = durationBucketBoundsMs.findIndex((bound) => durationMs < bound);
  return index === -1 ? durationBucketBoundsMs.length : index;
}

beforeAll(async () => {
  database = await createScratchDatabase();
  await disconnectDb();
  vi.stubEnv("DATABASE_URL", database.url);
  resetEnvCache();
  users = [];
  for (let index = 0; index < 4; index++) {
    const user = await createUser({
      email: `overview-${index}-${randomBytes(3).toString("hex")}@example.test`,
    });
    users.push(user.id);
  }
  for (const step of script) await play(step);
  overview = await getAdminOverview(now);
});

afterAll(async () => {
  await disconnectDb();
  await disconnectRedis();
  await database?.drop();
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe("quantileBucket", () => {
  it("finds the bucket of the nearest-rank percentile", () => {
    expect(quantileBucket([0, 0, 0], 0.95)).toBeNull();
    expect(quantileBucket([19, 1, 0], 0.95)).toBe(0);
    expect(quantileBucket([18, 2, 0], 0.95)).toBe(1);
    expect(quantileBucket([0, 0, 1], 0.95)).toBe(2);
    expect(bucketUpperBoundMs(2)).toBe(500);
    expect(bucketUpperBoundMs(durationBucketBoundsMs.length)).toBeNull();
  });
});

describe("the admin overview", () => {
  it("covers the last 168 hours and 7 UTC days, oldest first", () => {
    expect(overview.hours).toHaveLength(168);
    expect(overview.hours.at(-1)?.hour).toBe("2031-03-12T12:00:00.000Z");
    expect(overview.hours[0]?.hour).toBe(
      new Date(Date.parse("2031-03-12T12:00:00.000Z") - 167 * hourMs).toISOString(),
    );
    expect(overview.days.map((day) => day.day)).toEqual(
      ["06", "07", "08", "09", "10", "11", "12"].map((day) => `2031-03-${day}T00:00:00.000Z`),
    );
  });

  it("counts each hour's calls by outcome as the ledger does", async () => {
    const ledger = await getDb().$queryRaw<{ hour: Date; success: number; error: number; refused: number }[]>`
      SELECT date_trunc('hour', "startedAt") AS "hour",
             count(*) FILTER (WHERE "status" = 'SUCCESS')::int AS "success",
             count(*) FILTER (WHERE "status" IN ('ERROR', 'TIMEOUT'))::int AS "error",
             count(*) FILTER (WHERE "status" = 'REFUSED')::int AS "refused"
        FROM "Call"
       WHERE "status" <> 'PENDING' AND "startedAt" >= ${overview.hours[0]!.hour}::timestamp
       GROUP BY 1 ORDER BY 1`;
    const busy = overview.hours
      .filter((point) => point.success + point.error + point.refused > 0)
      .map(({ hour, success, error, refused }) => ({ hour, success, error, refused }));
    expect(busy).toEqual(ledger.map((row) => ({ ...row, hour: row.hour.toISOString() })));
    // The calls that started at 10:59 count at 10:00, though they finished after 11:00.
    expect(busy.find((point) => point.hour === "2031-03-12T10:00:00.000Z")).toEqual({
      hour: "2031-03-12T10:00:00.000Z",
      success: 19,
      error: 2,
      refused: 1,
    });
  });

  it("gives each hour's error rate and p95 bucket as the ledger's durations do", async () => {
    const ledger = await getDb().$queryRaw<{ hour: Date; failed: number; ran: number; p95: number }[]>`
      SELECT date_trunc('hour', "startedAt") AS "hour",
             count(*) FILTER (WHERE "status" IN ('ERROR', 'TIMEOUT'))::int AS "failed",
             count(*)::int AS "ran",
             percentile_disc(0.95) WITHIN GROUP (ORDER BY "durationMs") AS "p95"
        FROM "Call"
       WHERE "status" IN ('SUCCESS', 'ERROR', 'TIMEOUT') AND "startedAt" >= ${overview.hours[0]!.hour}::timestamp
       GROUP BY 1 ORDER BY 1`;
    const ran = overview.hours.filter((point) => point.errorRate !== null);
    expect(ran.map((point) => [point.hour, point.errorRate, point.p95Bucket])).toEqual(
      ledger.map((row) => [row.hour.toISOString(), row.failed / row.ran, bucketOf(row.p95)]),
    );
    // 10:00 ran 21 calls: the 20th fastest (rank ceil(0.95 * 21)) took 2.2 s.
    const ten = overview.hours.find((point) => point.hour === "2031-03-12T10:00:00.000Z");
    expect(ten?.p95Bucket).toBe(4);
    expect(bucketUpperBoundMs(4)).toBe(2_500);
    // Hours with refusals only have no error rate and no p95.
    const eleven = overview.hours.find((point) => point.hour === "2031-03-12T11:00:00.000Z");
    expect(eleven).toMatchObject({ refused: 2, success: 1, errorRate: 0, p95Bucket: 2 });
  });

  it("sums the last 24 hours and the last 7 days as the ledger does", async () => {
    const totals = async (since: string) => {
      const [row] = await getDb().$queryRaw<
        { success: number; error: number; refused: number; users: number; p95: number | null }[]
      >`
        SELECT count(*) FILTER (WHERE "status" = 'SUCCESS')::int AS "success",
               count(*) FILTER (WHERE "status" IN ('ERROR', 'TIMEOUT'))::int AS "error",
               count(*) FILTER (WHERE "status" = 'REFUSED')::int AS "refused",
               count(DISTINCT "userId")::int AS "users",
               percentile_disc(0.95) WITHIN GROUP (ORDER BY "durationMs")
                 FILTER (WHERE "status" <> 'REFUSED') AS "p95"
          FROM "Call"
         WHERE "status" <> 'PENDING' AND "startedAt" >= ${since}::timestamp`;
      const { success, error, refused, users: activeUsers, p95 } = row!;
      return {
        calls: success + error + refused,
        success,
        error,
        refused,
        errorRate: error / (success + error),
        p95Bucket: p95 === null ? null : bucketOf(p95),
        activeUsers,
      };
    };
    expect(overview.last24h).toEqual(await totals("2031-03-11T13:00:00.000Z"));
    expect(overview.last7d).toEqual(await totals(overview.hours[0]!.hour));
    expect(overview.last24h).toMatchObject({ success: 21, error: 3, refused: 3, activeUsers: 3 });
    // 24 calls ran: the 23rd fastest took 9 s (only the 31 s timeout was slower): under 10 s.
    expect(overview.last24h.p95Bucket).toBe(6);
    expect(overview.last7d).toMatchObject({ success: 22, error: 4, refused: 3, activeUsers: 3 });
  });

  it("counts active users per UTC day as the ledger does", async () => {
    const ledger = await getDb().$queryRaw<{ day: Date; users: number }[]>`
      SELECT date_trunc('day', "startedAt") AS "day", count(DISTINCT "userId")::int AS "users"
        FROM "Call"
       WHERE "status" <> 'PENDING' AND "startedAt" >= '2031-03-06T00:00:00'::timestamp
       GROUP BY 1`;
    const expected = new Map(ledger.map((row) => [row.day.toISOString(), row.users]));
    expect(overview.days.map((day) => [day.day, day.activeUsers])).toEqual(
      overview.days.map((day) => [day.day, expected.get(day.day) ?? 0]),
    );
    expect(overview.days.at(-1)).toEqual({ day: "2031-03-12T00:00:00.000Z", activeUsers: 3 });
    expect(overview.days.at(-2)).toEqual({ day: "2031-03-11T00:00:00.000Z", activeUsers: 2 });
  });

  it("shows an empty window as zeros", async () => {
    const empty = await getAdminOverview(new Date("2035-01-01T00:00:00.000Z"));
    expect(empty.last7d).toEqual({
      calls: 0,
      success: 0,
      error: 0,
      refused: 0,
      errorRate: null,
      p95Bucket: null,
      activeUsers: 0,
    });
    expect(empty.hours.every((point) => point.p95Bucket === null && point.errorRate === null)).toBe(true);
  });
});
