// The state of each part the platform depends on, checked with short timeouts so that a dead
// dependency makes the answer "unhealthy" quickly rather than slow.
import { getEnv } from "@/env";
import { getDb } from "@/lib/db/client";
import { getRedis } from "@/lib/redis/client";
import { withTimeout } from "@/lib/util/with-timeout";
import { listLiveWorkers } from "./heartbeat";

type PartState = { ok: boolean; latencyMs: number; error?: string };
export type HealthReport = {
  status: "ok" | "unhealthy";
  database: PartState;
  redis: PartState;
  worker: PartState & { live: number };
};

async function timePart<T>(check: () => Promise<T>): Promise<PartState & { value?: T }> {
  const started = performance.now();
  try {
    const value = await withTimeout(check(), 2_000, "the check");
    return { ok: true, latencyMs: Math.round(performance.now() - started), value };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: describe(error) };
  }
}

// Driver errors can carry connection strings; report only one line, without URLs. Prisma's
// messages start with an empty line and end with the cause, so the last non-empty line is used.
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause =
    message
      .split("\n")
      .filter((line) => line.trim() !== "")
      .at(-1) ?? "unknown error";
  return cause
    .trim()
    .replace(/\b[a-z]+:\/\/\S+/gi, "[url]")
    .slice(0, 200);
}

export async function checkHealth(): Promise<HealthReport> {
  const [database, redis] = await Promise.all([
    timePart(() => getDb().$queryRaw`SELECT 1`),
    timePart(async () => (await getRedis(1_000)).ping()),
  ]);
  const workers = redis.ok
    ? await timePart(async () => listLiveWorkers(await getRedis(), getEnv().HEARTBEAT_INTERVAL_MS))
    : { ok: false, latencyMs: 0, error: "Redis is unavailable", value: [] };
  const live = workers.value?.length ?? 0;
  const worker = {
    ok: workers.ok && live > 0,
    latencyMs: workers.latencyMs,
    live,
    ...(workers.error ? { error: workers.error } : live === 0 ? { error: "no worker heartbeat" } : {}),
  };
  const { value: _d, ...databaseState } = database;
  const { value: _r, ...redisState } = redis;
  return {
    status: databaseState.ok && redisState.ok && worker.ok ? "ok" : "unhealthy",
    database: databaseState,
    redis: redisState,
    worker,
  };
}
