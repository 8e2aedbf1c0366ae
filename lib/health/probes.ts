// Health probes for one process of a deployment, as container health checks and process
// managers ask them: is this web server answering with its database and Redis reachable, and has
// a worker on this host beaten recently. The platform-wide answer stays GET /api/health.
import { hostname } from "node:os";
import { z } from "zod";
import type { RedisClient } from "@/lib/redis/client";
import { listLiveWorkers } from "./heartbeat";

export type ProbeResult = { ok: boolean; detail: string };

const partsSchema = z.object({
  database: z.object({ ok: z.boolean() }),
  redis: z.object({ ok: z.boolean() }),
});

/**
 * The web server at `baseUrl` is healthy when /api/health answers and says its database and Redis
 * are reachable. Workers are not its concern: a web replica that starts before any worker is
 * still ready to serve pages, and the worker probe covers the workers.
 */
export async function probeWeb(baseUrl: string, timeoutMs = 3_000): Promise<ProbeResult> {
  let response: Response;
  try {
    response = await fetch(new URL("/api/health", baseUrl), { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    return { ok: false, detail: `no answer from ${baseUrl}: ${(error as Error).message}` };
  }
  const parts = partsSchema.safeParse(await response.json().catch(() => null));
  if (!parts.success) return { ok: false, detail: `HTTP ${response.status} without a health report` };
  const { database, redis } = { database: parts.data.database.ok, redis: parts.data.redis.ok };
  return {
    ok: database && redis,
    detail: `HTTP ${response.status}, database ${database ? "ok" : "not ok"}, redis ${redis ? "ok" : "not ok"}`,
  };
}

/** A worker on this host is healthy when its heartbeat is younger than three intervals. */
export async function probeWorker(
  redis: RedisClient,
  intervalMs: number,
  host = hostname(),
): Promise<ProbeResult> {
  const live = await listLiveWorkers(redis, intervalMs);
  const own = live.filter((worker) => worker.id.startsWith(`${host}:`));
  return own.length > 0
    ? { ok: true, detail: `${own.length} live worker(s) on ${host}` }
    : { ok: false, detail: `no worker heartbeat from ${host} in the last ${(intervalMs * 3) / 1000} s` };
}
