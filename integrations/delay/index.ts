// Delay: waits before answering, reporting progress each second (Zapier's "Delay" counterpart).
// Useful to pace an agent, and it exercises progress notifications and cancellation.
import { z } from "zod";
import { defineAction, defineIntegration, noAuth } from "@/integrations/sdk/define";

export const waitFor = defineAction({
  key: "wait",
  title: "Wait",
  description: "Wait for a number of seconds, then answer.",
  input: z.object({ seconds: z.number().min(0).max(60).describe("How long to wait, up to 60 seconds.") }),
  output: z.object({ waitedSeconds: z.number() }),
  annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  timeoutMs: 65_000,
  run: async ({ input: { seconds }, signal, progress }) => {
    const started = Date.now();
    const total = seconds * 1000;
    while (Date.now() - started < total) {
      if (signal.aborted) throw new Error("The wait was cancelled.");
      const step = Math.min(1000, total - (Date.now() - started));
      await new Promise((resolve) => setTimeout(resolve, step));
      await progress(Math.min(Date.now() - started, total) / 1000, seconds);
    }
    return { waitedSeconds: seconds };
  },
});

export default defineIntegration({
  slug: "delay",
  name: "Delay",
  description: "Wait before continuing.",
  category: "Built-in tools",
  auth: noAuth,
  actions: [waitFor],
});
