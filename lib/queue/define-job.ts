// A job is declared once (queue, name, payload schema, handler) and enqueued only through
// enqueueJob, which validates the payload. Payloads carry ids, never secrets: BullMQ stores
// job data in Redis in clear text.
import type { Job } from "bullmq";
import type { z } from "zod";

export type JobDefinition<Payload extends z.ZodType, Result> = {
  queue: string;
  name: string;
  payload: Payload;
  /** `token` is the worker's lock on the job, for moving it (to delayed, say) from the handler. */
  handle: (payload: z.infer<Payload>, job: Job, token?: string) => Promise<Result>;
};

export function defineJob<Payload extends z.ZodType, Result>(
  definition: JobDefinition<Payload, Result>,
): JobDefinition<Payload, Result> {
  return definition;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds jobs of every payload type
export type AnyJobDefinition = JobDefinition<any, unknown>;
