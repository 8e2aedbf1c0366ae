// GET|POST /connections, DELETE /connections/{id}: the user's connected third-party accounts.
import { z } from "zod";
import { idParams, timestampSchema } from "@/lib/api/common-schemas";
import { defineEndpoint } from "@/lib/api/define-endpoint";
import { createConnectionSchema } from "@/lib/connections/manage-connections";
import { connectionStatuses } from "@/lib/connections/status-words";
import { orgIdSchema, orgQuery } from "./org-scope";

const statusSchema = z
  .enum(connectionStatuses)
  .describe(
    "The result of the connection's last check or real call: `OK` (working), `UNCHECKED` (nothing has happened yet), `UNREACHABLE` (the app could not be reached from this server, or answered with a server error: not the credentials' fault), `NOT_WORKING` (the app answered the check with another error), `NEEDS_RECONNECT` (the app refused the credentials: reconnect). More values may be added.",
  );

export const connectionSchema = z
  .object({
    id: z.string(),
    integration: z.string(),
    label: z.string(),
    authType: z.string(),
    status: statusSchema,
    statusText: z
      .string()
      .describe(
        'The status in the words the pages use: "Working", "Not working: can\'t reach GitHub", "Needs reconnecting", "Not checked yet".',
      ),
    statusMessage: z
      .string()
      .nullable()
      .describe("Why it is not working, with what to do about it; null while it works or is not checked."),
    lastCheckedAt: timestampSchema
      .nullable()
      .describe("When it was last checked (POST /connections/{id}/test)."),
    lastUsedAt: timestampSchema
      .nullable()
      .describe("When a tool call last used it (not a check, nor a form's list of choices); to the minute."),
    createdAt: timestampSchema,
  })
  .describe("A connected account. Its credentials are never returned.");

export const listConnectionsEndpoint = defineEndpoint({
  method: "GET",
  path: "/connections",
  operationId: "listConnections",
  tag: "Connections",
  summary: "List your connected accounts (or an organization's: every member sees them, never credentials)",
  auth: true,
  query: orgQuery,
  response: z.array(connectionSchema),
  status: 200,
  errors: [404],
});

export const createConnectionEndpoint = defineEndpoint({
  method: "POST",
  path: "/connections",
  operationId: "createConnection",
  tag: "Connections",
  summary: "Connect an account with API-key style credentials",
  description:
    "For apps whose `auth.type` is `api_key` or `basic`. OAuth apps are connected in the browser; apps with `none` need no connection. The connection is saved as `UNCHECKED`: POST /connections/{id}/test checks it. With `orgId` it is the organization's (owners and admins).",
  auth: true,
  query: orgQuery,
  body: createConnectionSchema.extend({ orgId: orgIdSchema.optional() }),
  response: connectionSchema,
  status: 201,
  errors: [400, 404, 413, 422],
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
  query: orgQuery,
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
    "Makes one cheap authenticated read at the app and stores the result as the connection's status: `OK`; `NEEDS_RECONNECT` when the app refuses the credentials (401, 403, a revoked grant); `UNREACHABLE` when the app cannot be reached from this server (unknown name, refused connection, timeout, TLS) or answers with a server error; `NOT_WORKING` for another error. A rate limit leaves the status as it was.",
  auth: true,
  params: idParams,
  query: orgQuery,
  response: z.discriminatedUnion("ok", [
    z.object({
      ok: z.literal(true),
      account: z.string().optional().describe("The account, when the app says."),
    }),
    z.object({
      ok: z.literal(false),
      status: statusSchema.describe("The connection's status after the check (`OK` when `ok` is true)."),
      message: z.string().describe("Why, with what to do about it."),
      reconnectNeeded: z.boolean().describe("Whether the connection must be reconnected."),
    }),
  ]),
  status: 200,
  errors: [404],
});
