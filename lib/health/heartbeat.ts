// Worker liveness: each worker process writes its id into a sorted set scored by time, and
// health checks count the ids seen recently. Stale ids are pruned on every beat.
import { type RedisClient, redisKey } from "@/lib/redis/client";

const heartbeatKey = () => redisKey("workers", "heartbeats");

export function startHeartbeat(
  redis: RedisClient,
  workerId: string,
  intervalMs: number,
): () => Promise<void> {
  const beat = async () => {
    const now = Date.now();
    await redis
      .multi()
      .zadd(heartbeatKey(), now, workerId)
      .zremrangebyscore(heartbeatKey(), 0, now - intervalMs * 10)
      .exec()
      .catch(() => {});
  };
  void beat();
  const timer = setInterval(beat, intervalMs);
  return async () => {
    clearInterval(timer);
    await redis.zrem(heartbeatKey(), workerId).catch(() => {});
  };
}

/** Workers whose last beat is younger than three intervals, newest beat first. */
export async function listLiveWorkers(
  redis: RedisClient,
  intervalMs: number,
): Promise<{ id: string; lastBeat: number }[]> {
  const entries = await redis.zrangebyscore(
    heartbeatKey(),
    Date.now() - intervalMs * 3,
    "+inf",
    "WITHSCORES",
  );
  const workers: { id: string; lastBeat: number }[] = [];
  for (let index = 0; index < entries.length; index += 2) {
    workers.push({ id: entries[index]!, lastBeat: Number(entries[index + 1]) });
  }
  return workers.sort((a, b) => b.lastBeat - a.lastBeat);
}
