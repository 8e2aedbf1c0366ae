// Serialises every write of an OAuth connection's tokens (a refresh, a reconnection) across
// processes with a Redis lock, so a rotated refresh token is never overwritten by older tokens.
import { randomBytes } from "node:crypto";
import { RetriableError } from "@/integrations/sdk/errors";
import { getRedis, redisKey } from "@/lib/redis/client";

/** Longer than a token request may take (15 s), so the lock cannot lapse while its holder works. */
const lockMs = 30_000;
const waitForHolderMs = 20_000;

const releaseScript = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

export async function withCredentialsLock<T>(connectionId: string, work: () => Promise<T>): Promise<T> {
  const redis = await getRedis();
  const key = redisKey("oauth-refresh", connectionId);
  const owner = randomBytes(12).toString("hex");
  const deadline = Date.now() + waitForHolderMs;
  while ((await redis.set(key, owner, "PX", lockMs, "NX")) !== "OK") {
    if (Date.now() > deadline)
      throw new RetriableError("Another refresh of this connection is taking too long.");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  try {
    return await work();
  } finally {
    await redis.eval(releaseScript, 1, key, owner).catch(() => {});
  }
}
