// GET|POST /servers, GET|DELETE /servers/{id}, POST /servers/{id}/rotate: personal MCP endpoints.
import { z } from "zod";
import { idParams, timestampSchema } from "@/lib/api/common-schemas";
import { defineEndpoint } from "@/lib/api/define-endpoint";
import { createServerSchema } from "@/lib/servers/manage-servers";

export const serverSchema = z.object({
  id: z.string(),
  name: z.string(),
  toolCount: z.number().int(),
  createdAt: timestampSchema,
  rotatedAt: timestampSchema.nullable(),
});

const serverWithUrlSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    url: z.url().describe("The MCP URL with its secret. Shown only in this answer: store it now."),
    createdAt: timestampSchema,
  })
  .describe("The only answer that carries the server's secret.");

export const listServersEndpoint = defineEndpoint({
  method: "GET",
  path: "/servers",
  operationId: "listServers",
  tag: "Servers",
  summary: "List your MCP servers",
  auth: true,
  response: z.array(serverSchema),
  status: 200,
  errors: [],
});

export const createServerEndpoint = defineEndpoint({
  method: "POST",
  path: "/servers",
  operationId: "createServer",
  tag: "Servers",
  summary: "Create an MCP server",
  auth: true,
  body: createServerSchema,
  response: serverWithUrlSchema,
  status: 201,
  errors: [400, 413, 422],
});

export const getServerEndpoint = defineEndpoint({
  method: "GET",
  path: "/servers/{id}",
  operationId: "getServer",
  tag: "Servers",
  summary: "Get an MCP server (without its secret)",
  auth: true,
  params: idParams,
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
  description: "Its URL stops working at once.",
  auth: true,
  params: idParams,
  status: 204,
  errors: [404],
});

export const rotateServerEndpoint = defineEndpoint({
  method: "POST",
  path: "/servers/{id}/rotate",
  operationId: "rotateServerSecret",
  tag: "Servers",
  summary: "Replace the server's secret",
  description: "Returns the new URL; the old one stops working at once.",
  auth: true,
  params: idParams,
  response: serverWithUrlSchema,
  status: 200,
  errors: [404],
});
