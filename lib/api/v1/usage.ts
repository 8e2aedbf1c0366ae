// GET /usage: tool calls used in the current hour, day and month (UTC calendar windows).
import { z } from "zod";
import { defineEndpoint } from "@/lib/api/define-endpoint";

const windowUsageSchema = z.object({
  used: z.number().int().describe("Successful or running calls in this window."),
  limit: z.number().int(),
  resetsAt: z.iso.datetime().describe("When the window ends (UTC)."),
});

export const usageSchema = z.object({
  hour: windowUsageSchema,
  day: windowUsageSchema,
  month: windowUsageSchema,
});

export const getUsageEndpoint = defineEndpoint({
  method: "GET",
  path: "/usage",
  operationId: "getUsage",
  tag: "Usage",
  summary: "Your quota use in the current windows",
  auth: true,
  response: usageSchema,
  status: 200,
  errors: [503],
});
