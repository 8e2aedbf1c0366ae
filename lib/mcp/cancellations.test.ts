// Cancellations in the run's Redis (cancellations.ts): one for a request that is running on the
// server and session aborts that call, for no longer than the call may run; one for any other
// request id (another session's, a made-up one) writes nothing at all.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectRedis, getRedis, redisKey } from "@/lib/redis/client";
import { recordCancellations, watchForCancellation } from "./cancellations";

afterAll(async () => {
  await disconnectRedis();
});

const newServerId = () => `server-${randomBytes(4).toString("hex")}`;
const cancelled = (requestId: string | number) => ({
  jsonrpc: "2.0",
  method: "notifications/cancelled",
  params: { requestId },
});

/** Every key of the run that names the server, whatever its shape. */
async function keysOf(serverId: string): Promise<string[]> {
  return (await getRedis()).keys(`${redisKey("*")}${serverId}*`);
}

describe("cancellations", () => {
  it("writes nothing for request ids that are not running", async () => {
    const serverId = newServerId();
    const flood = Array.from({ length: 2_000 }, (_, index) => cancelled(index));
    await recordCancellations(flood, serverId, null);
    await recordCancellations(cancelled("made-up"), serverId, "some-session");
    expect(await keysOf(serverId)).toEqual([]);
  });

  it("aborts the running call it names, and only that one, for no longer than the call may run", async () => {
    const serverId = newServerId();
    const runMs = 45_000;
    const call = await watchForCancellation(new AbortController().signal, serverId, "session-a", 7, runMs);
    const sameIdOtherSession = await watchForCancellation(
      new AbortController().signal,
      serverId,
      "session-b",
      7,
      runMs,
    );
    try {
      await recordCancellations(cancelled(7), serverId, "session-a");
      await expect.poll(() => call.signal.aborted).toBe(true);
      expect(sameIdOtherSession.signal.aborted).toBe(false);
      const keys = await keysOf(serverId);
      expect(keys).toHaveLength(2); // the running calls, and this cancellation
      const redis = await getRedis();
      const cancellation = keys.find((key) => key.includes(":cancelled:"))!;
      expect(await redis.pttl(cancellation)).toBeLessThanOrEqual(runMs);
      expect(await redis.pttl(cancellation)).toBeGreaterThan(0);
    } finally {
      await call.stop();
      await sameIdOtherSession.stop();
    }
    expect(await keysOf(serverId)).toEqual([]);
  });
});
