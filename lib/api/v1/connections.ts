// GET|POST /connections, DELETE /connections/{id}: the user's connected third-party accounts.
import { z } from "zod";
import { idParams, timestampSchema } from "@/lib/api/common-schemas";
import { defineEndpoint } from "@/lib/api/define-endpoint";
import { createConnectionSchema } from "@/lib/connections/manage-connections";

export const connectionSchema = z
  .object({
    id: z.string(),
    integration: z.string(),
    label: z.string(),
    authType: z.string(),
    status: z.enum(["OK", "NEEDS_RECONNECT"]),
    statusMessage: z.string().nullable(),
    lastUsedAt: timestampSchema.nullable(),
    createdAt: timestampSchema,
  })
  .describe("A connected account. Its credentials are never returned.");

export const listConnectionsEndpoint = defineEndpoint({
  method: "GET",
  path: "/connections",
  operationId: "listConnections",
  tag: "Connections",
  summary: "List your connected accounts",
  auth: true,
  response: z.array(connectionSchema),
  status: 200,
  errors: [],
});

export const createConnectionEndpoint = defineEndpoint({
  method: "POST",
  path: "/connections",
  operationId: "createConnection",
  tag: "Connections",
  summary: "Connect an account with API-key style credentials",
  description:
    "For apps whose `auth.type` is `api_key` or `basic`. OAuth apps are connected in the browser; apps with `none` need no connection.",
  auth: true,
  body: createConnectionSchema,
  response: connectionSchema,
  status: 201,
  errors: [400, 413, 422],
});

export const deleteConnectionEndpoint = defineEndpoint({
  method: "DELETE",
  path: "/connections/{id}",
  operationId: "deleteConnection",
  tag: "Connections",
  summary: "Delete a connection",
  description: "Tools that used it stay, without a connection.",
  auth: true,
  params: idParams,
  status: 204,
  errors: [404],
});

export const testConnectionEndpoint = defineEndpoint({
  method: "POST",
  path: "/connections/{id}/test",
  operationId: "testConnection",
  tag: "Connections",
  summary: "Check that a connection's credentials work",
  description:
    "Makes one cheap authenticated read at the app. Success clears a needs-reconnection status; a refusal of the credentials sets it.",
  auth: true,
  params: idParams,
  response: z.discriminatedUnion("ok", [
    z.object({
      ok: z.literal(true),
      account: z.string().optional().describe("The account, when the app says."),
    }),
    z.object({
      ok: z.literal(false),
      message: z.string(),
      reconnectNeeded: z.boolean().describe("Whether the connection must be reconnected."),
    }),
  ]),
  status: 200,
  errors: [404],
});
