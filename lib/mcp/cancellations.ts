// Cancellation of a running tools/call across requests. Each HTTP request gets its own stateless
// server, so the `notifications/cancelled` a client sends arrives in a different request (maybe on
// another replica) than the call it cancels. The notification is recorded in Redis under the
// server, the session and the request id; the request that runs the call polls for it.
// Without a session, request ids are scoped to the server only: clients of one server that skip
// sessions and reuse request ids could cancel each other's calls (never another tenant's).
import { z } from "zod";
import { getRedis, redisKey } from "@/lib/redis/client";

const ttlSeconds = 600;
const pollMs = 250;

const cancelledSchema = z.object({
  method: z.literal("notifications/cancelled"),
  params: z.object({ requestId: z.union([z.string(), z.number()]) }).loose(),
});

function keyOf(serverId: string, sessionId: string | null, requestId: string | number): string {
  return redisKey("mcp", "cancelled", serverId, sessionId ?? "-", JSON.stringify(requestId));
}

/** Records the cancellations among a request's messages, for the requests that run those calls. */
export async function recordCancellations(
  body: unknown,
  serverId: string,
  sessionId: string | null,
): Promise<void> {
  const messages = Array.isArray(body) ? body : [body];
  const requestIds = messages.flatMap((message) => {
    const parsed = cancelledSchema.safeParse(message);
    return parsed.success ? [parsed.data.params.requestId] : [];
  });
  if (requestIds.length === 0) return;
  const redis = await getRedis();
  await Promise.all(
    requestIds.map((requestId) => redis.set(keyOf(serverId, sessionId, requestId), "1", "EX", ttlSeconds)),
  );
}

/**
 * A signal that aborts when `signal` does or when the client cancels the request `requestId`.
 * Call `stop` when the request is done.
 */
export function watchForCancellation(
  signal: AbortSignal,
  serverId: string,
  sessionId: string | null,
  requestId: string | number,
): { signal: AbortSignal; stop: () => void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  const key = keyOf(serverId, sessionId, requestId);
  const timer = setInterval(async () => {
    const redis = await getRedis().catch(() => undefined);
    if (redis && (await redis.exists(key).catch(() => 0)))
      controller.abort(new Error("cancelled by the client"));
  }, pollMs);
  return {
    signal: controller.signal,
    stop: () => {
      clearInterval(timer);
      signal.removeEventListener("abort", onAbort);
    },
  };
}
