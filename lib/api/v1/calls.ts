// GET /calls: the call history, newest first, paged with `before`.
import { z } from "zod";
import { timestampSchema } from "@/lib/api/common-schemas";
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
  description: "For the next page, pass the id of the last call you received as `before`.",
  auth: true,
  query: listCallsQuerySchema,
  response: z.array(callSchema),
  status: 200,
  errors: [422],
});
