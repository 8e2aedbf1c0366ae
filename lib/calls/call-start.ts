// Whether a call's action has started, decided once per call by one Redis key that the worker
// and the web process both change only through the scripts below: the worker claims the start
// just before it runs the action, a client's cancellation (or the sweeper of lost calls) claims
// the stop. Whichever comes first wins, so a stopped call never starts and a started one runs to
// its end, whatever the cancellation says.
import { getRedis, type RedisClient, redisKey } from "@/lib/redis/client";

// Outlives any job of the call: a job that turns up after its call was stopped must still see it.
const ttlSeconds = 86_400;

/** What the history says of a call stopped by its client before its action started. */
export const cancelledBeforeStartMessage =
  "The client cancelled the call before its action started; nothing ran and no quota was used.";

// Values: absent (not started), "stopped" (must never start), "started", or "started-cancel"
// (started, and its client asked to cancel). Anything else is an older "started" marker.
const claimStartScript = `
local value = redis.call('GET', KEYS[1])
if not value then
  redis.call('SET', KEYS[1], 'started', 'EX', ARGV[1])
  return 'started'
end
if value == 'stopped' then return 'stopped' end
return 'restarted'
`;

const claimCancelScript = `
local value = redis.call('GET', KEYS[1])
if not value or value == 'stopped' then
  redis.call('SET', KEYS[1], 'stopped', 'EX', ARGV[1])
  return 'stopped'
end
redis.call('SET', KEYS[1], 'started-cancel', 'EX', ARGV[1])
return 'started'
`;

const stopIfNotStartedScript = `
local value = redis.call('GET', KEYS[1])
if not value or value == 'stopped' then
  redis.call('SET', KEYS[1], 'stopped', 'EX', ARGV[1])
  return 'stopped'
end
return 'started'
`;

// A 429 means the app did not carry out the request: the start is given back, unless the client
// has asked to cancel meanwhile, in which case the call stops here.
const releaseStartScript = `
local value = redis.call('GET', KEYS[1])
if value == 'started-cancel' or value == 'stopped' then
  redis.call('SET', KEYS[1], 'stopped', 'EX', ARGV[1])
  return 'stopped'
end
redis.call('DEL', KEYS[1])
return 'released'
`;

type StartRedis = RedisClient & {
  claimCallStart(key: string, ttl: number): Promise<"started" | "restarted" | "stopped">;
  claimCallCancel(key: string, ttl: number): Promise<"stopped" | "started">;
  stopCallIfNotStarted(key: string, ttl: number): Promise<"stopped" | "started">;
  releaseCallStart(key: string, ttl: number): Promise<"released" | "stopped">;
};

function withScripts(redis: RedisClient): StartRedis {
  if (!("claimCallStart" in redis)) {
    redis.defineCommand("claimCallStart", { numberOfKeys: 1, lua: claimStartScript });
    redis.defineCommand("claimCallCancel", { numberOfKeys: 1, lua: claimCancelScript });
    redis.defineCommand("stopCallIfNotStarted", { numberOfKeys: 1, lua: stopIfNotStartedScript });
    redis.defineCommand("releaseCallStart", { numberOfKeys: 1, lua: releaseStartScript });
  }
  return redis as StartRedis;
}

export function callStartKey(callId: string): string {
  return redisKey("call", callId, "started");
}

/**
 * The worker, just before running the action: "started" on the first delivery, "restarted" when
 * an earlier delivery had started it (its worker died), "stopped" when it must not run.
 */
export async function claimCallStart(callId: string) {
  return withScripts(await getRedis()).claimCallStart(callStartKey(callId), ttlSeconds);
}

/** The client cancelled: "stopped" if the action had not started (it never will), else "started". */
export async function claimCallCancel(callId: string) {
  return withScripts(await getRedis()).claimCallCancel(callStartKey(callId), ttlSeconds);
}

/** Like claimCallCancel, without recording a cancellation (for calls stopped by the platform). */
export async function stopCallIfNotStarted(callId: string) {
  return withScripts(await getRedis()).stopCallIfNotStarted(callStartKey(callId), ttlSeconds);
}

/** Before waiting out a 429: "released" (it may start again later) or "stopped" (cancelled meanwhile). */
export async function releaseCallStart(callId: string) {
  return withScripts(await getRedis()).releaseCallStart(callStartKey(callId), ttlSeconds);
}
