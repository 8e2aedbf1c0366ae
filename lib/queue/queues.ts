// Producers: one BullMQ Queue per queue name, created on first use, failing fast when Redis is
// unreachable (no offline queue) so that callers can answer 503 instead of hanging.
import { type JobsOptions, Queue, QueueEvents } from "bullmq";
import type { z } from "zod";
import { createRedis, createWorkerRedis } from "@/lib/redis/client";
import { bullPrefix } from "./connection";
import type { JobDefinition } from "./define-job";

const globalForQueues = globalThis as unknown as {
  queues?: Map<string, Queue>;
  events?: Map<string, QueueEvents>;
};

export function getQueue(name: string): Queue {
  globalForQueues.queues ??= new Map();
  let queue = globalForQueues.queues.get(name);
  if (!queue) {
    queue = new Queue(name, { connection: createRedis(), prefix: bullPrefix() });
    globalForQueues.queues.set(name, queue);
  }
  return queue;
}

/** Completion events of a queue, for waiting on a job's result (one subscriber per process). */
export function getQueueEvents(name: string): QueueEvents {
  globalForQueues.events ??= new Map();
  let events = globalForQueues.events.get(name);
  if (!events) {
    events = new QueueEvents(name, { connection: createWorkerRedis(), prefix: bullPrefix() });
    globalForQueues.events.set(name, events);
  }
  return events;
}

export async function enqueueJob<Payload extends z.ZodType>(
  definition: JobDefinition<Payload, unknown>,
  payload: z.input<Payload>,
  options?: JobsOptions,
) {
  const data = definition.payload.parse(payload);
  return getQueue(definition.queue).add(definition.name, data, {
    removeOnComplete: { count: 1_000 },
    removeOnFail: { count: 5_000 },
    ...options,
  });
}

export async function closeQueues(): Promise<void> {
  const closing = [...(globalForQueues.queues?.values() ?? []), ...(globalForQueues.events?.values() ?? [])];
  globalForQueues.queues?.clear();
  globalForQueues.events?.clear();
  await Promise.all(closing.map((item) => item.close()));
}
