// A canary credential, planted in a connection and echoed back by the app in an error and in a
// result, must not appear in any log line, job payload or other Redis value, ledger row, audit
// event, tool result, or in the stored ciphertext.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEnv } from "@/env";
import { getDb } from "@/lib/db/client";
import { getRedis } from "@/lib/redis/client";
import type { Emulator } from "../emulators/emulator";
import { startTodoistEmulator } from "../emulators/todoist";
import { type AppHarness, startAppHarness, type ToolOutcome } from "../helpers/app-harness";

const canary = "canary-7f3a9c1e5b2d4f6a8e0c1d2b3a4f5e6d";

let emulator: Emulator;
let harness: AppHarness;
const outcomes: ToolOutcome[] = [];

async function everyRedisValue(): Promise<string> {
  const redis = await getRedis();
  const keys = await redis.keys(`*${getEnv().REDIS_PREFIX}*`);
  const values: string[] = [];
  for (const key of keys) {
    const type = await redis.type(key);
    const value =
      type === "string"
        ? await redis.get(key)
        : type === "hash"
          ? await redis.hgetall(key)
          : type === "list"
            ? await redis.lrange(key, 0, -1)
            : type === "zset"
              ? await redis.zrange(key, "0", "-1")
              : type === "set"
                ? await redis.smembers(key)
                : type === "stream"
                  ? await redis.xrange(key, "-", "+")
                  : null;
    values.push(`${key} ${JSON.stringify(value)}`);
  }
  return values.join("\n");
}

beforeAll(async () => {
  emulator = await startTodoistEmulator(canary);
  harness = await startAppHarness({ TODOIST_API_URL: emulator.url });
  await harness.connectWithKey("todoist", { api_token: canary });
  outcomes.push(await harness.call("todoist", "create_task", { content: "A task" }));
  // The app echoes the credential in an error message...
  emulator.injectOnce(
    { status: 400, json: { error: `Token ${canary} may not filter`, http_code: 400 } },
    "GET /api/v1/tasks/filter",
  );
  outcomes.push(await harness.call("todoist", "list_tasks", { filter: "today" }));
  // ...and in a result.
  emulator.injectOnce(
    { json: { results: [{ id: "1", content: `Remember ${canary}` }], next_cursor: null } },
    "GET /api/v1/tasks",
  );
  outcomes.push(await harness.call("todoist", "list_tasks", {}));
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await emulator?.stop();
});

describe("a canary credential", () => {
  it("reached the app, so the calls really used it", () => {
    expect(emulator.requests.every((request) => request.headers.authorization === `Bearer ${canary}`)).toBe(
      true,
    );
    expect(outcomes.map((outcome) => outcome.isError)).toEqual([false, true, false]);
  });

  it("is masked in tool results, even where the app echoed it", () => {
    for (const outcome of outcomes) expect(outcome.text).not.toContain(canary);
    expect(outcomes[1]?.text).toContain("Token [redacted] may not filter");
    expect(outcomes[2]?.text).toContain("Remember [redacted]");
  });

  it("is in no log line of the worker", () => {
    expect(harness.worker.output()).not.toContain(canary);
  });

  it("is in no job payload or other Redis value", async () => {
    const everything = await everyRedisValue();
    expect(everything).toContain("tool-calls"); // the queue's keys were read
    expect(everything).not.toContain(canary);
  });

  it("is in no ledger row, audit event or readable connection column", async () => {
    const db = getDb();
    const calls = await db.call.findMany({ where: { userId: harness.userId } });
    expect(calls).toHaveLength(3);
    expect(JSON.stringify(calls)).not.toContain(canary);
    const events = await db.auditEvent.findMany({});
    expect(JSON.stringify(events)).not.toContain(canary);
    const connections = await db.connection.findMany({ where: { userId: harness.userId } });
    for (const connection of connections) {
      expect(Buffer.from(connection.ciphertext).includes(canary)).toBe(false);
      const { ciphertext: _sealed, ...columns } = connection;
      expect(JSON.stringify(columns)).not.toContain(canary);
    }
  });
});
