// Cancellation of a running tools/call across requests. Each HTTP request gets its own stateless
// server, so the `notifications/cancelled` a client sends arrives in a different request (maybe on
// another replica) than the call it cancels. A running call registers its request id in its
// server's sorted set of running calls, scored by the time it may run until; a cancellation of
// a registered request is recorded under a key that lives no longer than that call, and one for
// any other request id writes nothing, so cancellations take no more room than the running calls.
// Without a session, request ids are scoped to the server only: clients of one server that skip
// sessions and reuse request ids could cancel each other's calls (never another tenant's).
import { createHash } from "node:crypto";
import { z } from "zod";
import { getRedis, type RedisClient, redisKey } from "@/lib/redis/client";

const pollMs = 250;
// The most cancellations one request may carry that are looked at; a real client sends one.
const maxCancellationsPerRequest = 100;

const cancelledSchema = z.object({
  method: z.literal("notifications/cancelled"),
  params: z.object({ requestId: z.union([z.string(), z.number()]) }).loose(),
});

// The keys of one server share a hash tag, so the scripts below work on Redis Cluster too.
const runningKey = (serverId: string) => redisKey("mcp", `{${serverId}}`, "running");
const cancelledKey = (serverId: string, member: string) =>
  redisKey("mcp", `{${serverId}}`, "cancelled", member);

/** A request's name among its server's running calls: fixed length, whatever id the client chose. */
function memberOf(sessionId: string | null, requestId: string | number): string {
  return createHash("sha256")
    .update(`${sessionId ?? "-"}\n${JSON.stringify(requestId)}`)
    .digest("base64url")
    .slice(0, 32);
}

// Drops the calls past their time, adds this one, and lets the set expire with its last call.
const registerScript = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], last[2])
return 1
`;

// Records a cancellation only for a call that is running, until that call's time is up.
const recordScript = `
local deadline = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]))
local now = tonumber(ARGV[2])
if not deadline or deadline <= now then return 0 end
redis.call('SET', KEYS[2], '1', 'PX', math.floor(deadline - now))
return 1
`;

type CancellationRedis = RedisClient & {
  registerRunningCall(key: string, member: string, deadline: number, now: number): Promise<number>;
  recordCancellation(running: string, cancelled: string, member: string, now: number): Promise<number>;
};

function withScripts(redis: RedisClient): CancellationRedis {
  if (!("registerRunningCall" in redis)) {
    redis.defineCommand("registerRunningCall", { numberOfKeys: 1, lua: registerScript });
    redis.defineCommand("recordCancellation", { numberOfKeys: 2, lua: recordScript });
  }
  return redis as CancellationRedis;
}

/** Records the cancellations among a request's messages, for the requests that run those calls. */
export async function recordCancellations(
  body: unknown,
  serverId: string,
  sessionId: string | null,
): Promise<void> {
  const messages = Array.isArray(body) ? body : [body];
  const members = new Set<string>();
  for (const message of messages) {
    const parsed = cancelledSchema.safeParse(message);
    if (parsed.success) members.add(memberOf(sessionId, parsed.data.params.requestId));
    if (members.size >= maxCancellationsPerRequest) break;
  }
  if (members.size === 0) return;
  const redis = withScripts(await getRedis());
  const now = Date.now();
  await Promise.all(
    [...members].map((member) =>
      redis.recordCancellation(runningKey(serverId), cancelledKey(serverId, member), member, now),
    ),
  );
}

/**
 * Registers a running call for `runMs` at most, and gives a signal that aborts when `signal` does
 * or when the client cancels the request `requestId`. Call `stop` when the request is done.
 */
export async function watchForCancellation(
  signal: AbortSignal,
  serverId: string,
  sessionId: string | null,
  requestId: string | number,
  runMs: number,
): Promise<{ signal: AbortSignal; stop: () => Promise<void> }> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  const member = memberOf(sessionId, requestId);
  const running = runningKey(serverId);
  const cancelled = cancelledKey(serverId, member);
  const now = Date.now();
  // Without Redis the call fails anyway (it cannot take quota); it just cannot be cancelled.
  const redis = await getRedis()
    .then(withScripts)
    .catch(() => undefined);
  // Not awaited: the call need not wait for it, and stop's removal is sent after it on the same
  // connection. A cancellation that comes before it lands is ignored, as the protocol allows.
  void redis?.registerRunningCall(running, member, now + runMs, now).catch(() => {});
  const timer = setInterval(async () => {
    if (redis && (await redis.exists(cancelled).catch(() => 0)))
      controller.abort(new Error("cancelled by the client"));
  }, pollMs);
  return {
    signal: controller.signal,
    stop: async () => {
      clearInterval(timer);
      signal.removeEventListener("abort", onAbort);
      await redis
        ?.multi()
        .zrem(running, member)
        .del(cancelled)
        .exec()
        .catch(() => {});
    },
  };
}
