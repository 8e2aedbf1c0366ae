// GET|POST /servers/{id}/tools, PATCH|DELETE /servers/{id}/tools/{toolId}: configured actions.
import { z } from "zod";
import { idParams, idSchema, timestampSchema } from "@/lib/api/common-schemas";
import { defineEndpoint } from "@/lib/api/define-endpoint";
import { orgRoles } from "@/lib/orgs/roles";
import { fieldSettingsSchema } from "@/lib/tools/field-settings";
import { addToolSchema, updateToolSchema } from "@/lib/tools/manage-tools";
import { orgIdSchema, orgQuery } from "./org-scope";

export const toolSchema = z.object({
  id: z.string(),
  name: z.string().describe("The MCP tool name, unique within the server."),
  description: z.string().nullable().describe("Null: the action's own description is used."),
  integration: z.string(),
  action: z.string(),
  connectionId: z.string().nullable(),
  allowedRoles: z
    .array(z.enum(orgRoles))
    .describe(
      "An organization's tool: the roles that may call it (with allowedUserIds; both empty: everyone).",
    ),
  allowedUserIds: z.array(z.string()).describe("An organization's tool: members who may call it."),
  fields: fieldSettingsSchema.describe(
    'Fields that are not "ai" (the default), with their settings; a secret fixed value is `{mode: "fixed", secret: true}`, never its value.',
  ),
  inputSchema: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe("The JSON Schema the MCP client sees; null if the action is no longer offered."),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});

const toolParams = z.object({ id: idSchema, toolId: idSchema });

const fieldModes =
  'Each input field is `{mode: "ai"}` (the AI fills it; the default for a field not listed), `{mode: "fixed", value}` (always this value, hidden from the AI) or `{mode: "omit"}` (never sent; not allowed for required fields). A fixed value with `secret: true`, and any fixed value of a field the action declares secret (`writeOnly` in its input schema, such as HTTP headers or a webhook URL), is sealed: answers show it as `{mode: "fixed", secret: true}` without the value, and `{mode: "fixed", secret: true}` without a value keeps the one stored.';

export const listToolsEndpoint = defineEndpoint({
  method: "GET",
  path: "/servers/{id}/tools",
  operationId: "listTools",
  tag: "Tools",
  summary: "List a server's tools",
  auth: true,
  params: idParams,
  query: orgQuery,
  response: z.array(toolSchema),
  status: 200,
  errors: [404],
});

export const addToolEndpoint = defineEndpoint({
  method: "POST",
  path: "/servers/{id}/tools",
  operationId: "addTool",
  tag: "Tools",
  summary: "Add a tool: one action of an app, configured",
  description: `The name defaults to \`<integration>_<action>\`. ${fieldModes}`,
  auth: true,
  params: idParams,
  query: orgQuery,
  body: addToolSchema.extend({ orgId: orgIdSchema.optional() }),
  response: toolSchema,
  status: 201,
  errors: [400, 404, 409, 413, 422],
});

export const updateToolEndpoint = defineEndpoint({
  method: "PATCH",
  path: "/servers/{id}/tools/{toolId}",
  operationId: "updateTool",
  tag: "Tools",
  summary: "Rename or reconfigure a tool",
  description: `Only the properties given change; \`fields\` replaces all field settings. ${fieldModes}`,
  auth: true,
  params: toolParams,
  query: orgQuery,
  body: updateToolSchema,
  response: toolSchema,
  status: 200,
  errors: [400, 404, 409, 413, 422],
});

export const deleteToolEndpoint = defineEndpoint({
  method: "DELETE",
  path: "/servers/{id}/tools/{toolId}",
  operationId: "deleteTool",
  tag: "Tools",
  summary: "Remove a tool from a server",
  auth: true,
  params: toolParams,
  query: orgQuery,
  status: 204,
  errors: [404],
});
