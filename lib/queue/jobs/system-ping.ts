// A round trip through the queue: `npm run cli -- worker ping` uses it to show that a worker
// consumes jobs, not only that it is alive.
import { z } from "zod";
import { defineJob } from "@/lib/queue/define-job";

export const systemPing = defineJob({
  queue: "system",
  name: "ping",
  payload: z.object({ sentAt: z.number().int() }),
  handle: async ({ sentAt }) => ({ receivedAt: Date.now(), queuedMs: Date.now() - sentAt, pid: process.pid }),
});
