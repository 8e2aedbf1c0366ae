// GET /calls: the call history of a workspace, newest first, paged with `before`.
import { z } from "zod";
import { idSchema, timestampSchema } from "@/lib/api/common-schemas";
import { defineEndpoint } from "@/lib/api/define-endpoint";
import { listCallsQuerySchema } from "@/lib/calls/list-calls";

export const callSchema = z.object({
  id: z.string(),
  serverId: z.string().nullable().describe("Null once the server was deleted."),
  toolName: z.string(),
  integration: z.string(),
  action: z.string(),
  status: z.enum(["PENDING", "SUCCESS", "ERROR", "REFUSED", "TIMEOUT"]),
  durationMs: z.number().int().nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  startedAt: timestampSchema,
  finishedAt: timestampSchema.nullable(),
  cancelRequestedAt: timestampSchema
    .nullable()
    .describe(
      "When the client asked to cancel the call. Before its action started, that stopped it (status ERROR, errorCode cancelled); after, the call ran to its end and `status` is its outcome.",
    ),
  userId: z.string().describe("Who made the call."),
  calledBy: z.string().describe("The email address of who made the call."),
  orgId: z
    .string()
    .nullable()
    .describe("The organization whose server ran the call; null for a personal one."),
  draft: z
    .boolean()
    .describe(
      "True for a try from the tool editor of settings not saved (yet): no AI app made it, and toolName is the name typed there.",
    ),
});

export const listCallsEndpoint = defineEndpoint({
  method: "GET",
  path: "/calls",
  operationId: "listCalls",
  tag: "Calls",
  summary: "Your call history, newest first",
  description:
    "For the next page, pass the id of the last call you received as `before`. With `orgId`, the calls on that organization's servers: every member's for its owners and admins, your own for other members.",
  auth: true,
  query: listCallsQuerySchema.extend({
    orgId: idSchema.optional().describe("An organization you belong to; none: your personal workspace."),
  }),
  response: z.array(callSchema),
  status: 200,
  errors: [404, 422],
});
