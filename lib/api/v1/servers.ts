// GET|POST /servers, GET|PATCH|DELETE /servers/{id}, POST /servers/{id}/rotate and /my-url, DELETE
// /servers/{id}/members/{userId}: MCP endpoints, personal or an organization's (`orgId`).
import { z } from "zod";
import { idParams, idSchema, timestampSchema } from "@/lib/api/common-schemas";
import { defineEndpoint } from "@/lib/api/define-endpoint";
import { createServerSchema, updateServerSchema } from "@/lib/servers/manage-servers";
import { orgIdSchema, orgQuery } from "./org-scope";

export const serverSchema = z.object({
  id: z.string(),
  name: z.string(),
  orgId: z.string().nullable().describe("The organization it belongs to; null: yours."),
  writesAdminOnly: z
    .boolean()
    .describe("An organization's server: tools that change data may be called by owners and admins only."),
  toolCount: z.number().int(),
  createdAt: timestampSchema,
  rotatedAt: timestampSchema.nullable(),
});

const serverWithUrlSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    url: z
      .url()
      .describe(
        "The MCP URL with its secret (for an organization's server, your own URL for it). Shown only in this answer: store it now.",
      ),
    createdAt: timestampSchema,
  })
  .describe("The only answer that carries the server's secret.");

export const listServersEndpoint = defineEndpoint({
  method: "GET",
  path: "/servers",
  operationId: "listServers",
  tag: "Servers",
  summary: "List your MCP servers (or an organization's)",
  auth: true,
  query: orgQuery,
  response: z.array(serverSchema),
  status: 200,
  errors: [404],
});

export const createServerEndpoint = defineEndpoint({
  method: "POST",
  path: "/servers",
  operationId: "createServer",
  tag: "Servers",
  summary: "Create an MCP server",
  description:
    "With `orgId` the server is the organization's (owners and admins): every member gets their own URL for it; the answer carries yours.",
  auth: true,
  query: orgQuery,
  body: createServerSchema.extend({ orgId: orgIdSchema.optional() }),
  response: serverWithUrlSchema,
  status: 201,
  errors: [400, 404, 413, 422],
});

export const getServerEndpoint = defineEndpoint({
  method: "GET",
  path: "/servers/{id}",
  operationId: "getServer",
  tag: "Servers",
  summary: "Get an MCP server (without its secret)",
  auth: true,
  params: idParams,
  query: orgQuery,
  response: serverSchema,
  status: 200,
  errors: [404],
});

export const deleteServerEndpoint = defineEndpoint({
  method: "DELETE",
  path: "/servers/{id}",
  operationId: "deleteServer",
  tag: "Servers",
  summary: "Delete an MCP server",
  description: "Its URL stops working at once (in an organization: every member's).",
  auth: true,
  params: idParams,
  query: orgQuery,
  status: 204,
  errors: [404],
});

export const rotateServerEndpoint = defineEndpoint({
  method: "POST",
  path: "/servers/{id}/rotate",
  operationId: "rotateServerSecret",
  tag: "Servers",
  summary: "Replace the server's secret",
  description:
    "Returns the new URL; the old one stops working at once. For an organization's server, replaces your own URL only (as POST /servers/{id}/my-url).",
  auth: true,
  params: idParams,
  query: orgQuery,
  response: serverWithUrlSchema,
  status: 200,
  errors: [404],
});

export const updateServerEndpoint = defineEndpoint({
  method: "PATCH",
  path: "/servers/{id}",
  operationId: "updateServer",
  tag: "Servers",
  summary: "Rename a server, or make its writing tools admin-only",
  auth: true,
  params: idParams,
  query: orgQuery,
  body: updateServerSchema,
  response: serverSchema,
  status: 200,
  errors: [400, 404, 413, 422],
});

export const issueMemberUrlEndpoint = defineEndpoint({
  method: "POST",
  path: "/servers/{id}/my-url",
  operationId: "issueMyServerUrl",
  tag: "Servers",
  summary: "Your own URL for an organization's server",
  description: "New each time: your previous URL for it stops working; other members' keep working.",
  auth: true,
  params: idParams,
  query: orgQuery,
  response: serverWithUrlSchema,
  status: 200,
  errors: [400, 404],
});

export const revokeMemberUrlEndpoint = defineEndpoint({
  method: "DELETE",
  path: "/servers/{id}/members/{userId}",
  operationId: "revokeMemberServerUrl",
  tag: "Servers",
  summary: "Stop one member's URL for an organization's server",
  description: "Your own, or (owners and admins) anyone's. Only that person's URL stops working.",
  auth: true,
  params: z.object({ id: idSchema, userId: idSchema }),
  query: orgQuery,
  status: 204,
  errors: [400, 404],
});
