// GET /usage: tool calls used in the current hour, day and month (UTC calendar windows), in the
// personal workspace or (orgId) an organization's, with the caller's own share of it.
import { z } from "zod";
import { idSchema } from "@/lib/api/common-schemas";
import { defineEndpoint } from "@/lib/api/define-endpoint";

const windowUsageSchema = z.object({
  used: z.number().int().describe("Successful or running calls in this window."),
  limit: z.number().int(),
  resetsAt: z.iso.datetime().describe("When the window ends (UTC)."),
});

const memberWindowUsageSchema = windowUsageSchema.extend({
  limit: z
    .number()
    .int()
    .nullable()
    .describe("Your own limit in this window; null: only the organization's."),
});

export const usageSchema = z.object({
  hour: windowUsageSchema,
  day: windowUsageSchema,
  month: windowUsageSchema,
  member: z
    .object({ hour: memberWindowUsageSchema, day: memberWindowUsageSchema, month: memberWindowUsageSchema })
    .optional()
    .describe("With orgId: your own calls in the organization, against your limits there."),
});

export const getUsageEndpoint = defineEndpoint({
  method: "GET",
  path: "/usage",
  operationId: "getUsage",
  tag: "Usage",
  summary: "Your quota use in the current windows",
  description:
    "With `orgId`, the organization's use of its limits (every member's calls on its servers) and, as `member`, yours inside it.",
  auth: true,
  query: z.object({
    orgId: idSchema.optional().describe("An organization you belong to; none: your personal workspace."),
  }),
  response: usageSchema,
  status: 200,
  errors: [404, 503],
});
