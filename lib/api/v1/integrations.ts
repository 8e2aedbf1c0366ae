// GET /integrations: the apps and actions a tool can be built from.
import { z } from "zod";
import { defineEndpoint } from "@/lib/api/define-endpoint";
import { storableString } from "@/lib/db/storable-text";
import { orgIdSchema, orgQuery } from "./org-scope";

const jsonSchema = z.record(z.string(), z.unknown()).describe("A JSON Schema (draft 2020-12).");

const credentialFieldSchema = z.object({
  name: z.string().describe("The key to use in `credentials` when connecting."),
  label: z.string(),
  secret: z.boolean().describe("Whether the value is a secret (shown masked, never returned)."),
  help: z.string().optional(),
});

const actionSchema = z.object({
  key: z.string().describe("Use as `action` when adding a tool."),
  title: z.string(),
  description: z.string(),
  inputSchema: jsonSchema.describe("The tool's input schema when every field is left to the AI."),
  outputSchema: jsonSchema.optional().describe("Present when the action returns structured content."),
  annotations: z.object({
    readOnlyHint: z.boolean(),
    destructiveHint: z.boolean(),
    idempotentHint: z.boolean(),
    openWorldHint: z.boolean(),
  }),
  annotationsByValue: z
    .object({ field: z.string(), values: z.record(z.string(), z.record(z.string(), z.boolean())) })
    .optional()
    .describe(
      "Annotations of a tool that fixes `field` to one of these values (a GET-only HTTP request reads only).",
    ),
  optionsFields: z
    .array(z.string())
    .describe("Fields whose choices GET /integrations/{slug}/actions/{action}/options/{field} lists."),
  optionsDependOn: z
    .record(z.string(), z.array(z.string()))
    .describe(
      "For option fields whose choices depend on other fields (the tables of a base): those fields, whose values go in the `values` parameter.",
    ),
});

export const integrationSchema = z.object({
  slug: z.string().describe("Use as `integration` when connecting or adding a tool."),
  name: z.string(),
  description: z.string(),
  category: z.string(),
  auth: z.object({
    type: z
      .enum(["none", "api_key", "basic", "oauth2"])
      .describe('"none": no connection needed; "oauth2": connect in the browser.'),
    fields: z.array(credentialFieldSchema).describe("Credentials to send when connecting (key-style auth)."),
    configured: z
      .boolean()
      .optional()
      .describe(
        "OAuth apps: false until an administrator sets the app's client id and secret (on /admin/integrations, or with the settings below).",
      ),
    connectPath: z
      .string()
      .optional()
      .describe("OAuth apps: open this path in a signed-in browser to connect."),
    settings: z
      .array(z.string())
      .optional()
      .describe(
        "OAuth apps: the environment variables that set up its client (they win over /admin/integrations).",
      ),
  }),
  actions: z.array(actionSchema),
});

export const listIntegrationsEndpoint = defineEndpoint({
  method: "GET",
  path: "/integrations",
  operationId: "listIntegrations",
  tag: "Integrations",
  summary: "List apps and their actions: the built-in ones and those the workspace added",
  auth: true,
  query: orgQuery,
  response: z.array(integrationSchema),
  status: 200,
  errors: [],
});

export const listFieldOptionsEndpoint = defineEndpoint({
  method: "GET",
  path: "/integrations/{slug}/actions/{action}/options/{field}",
  operationId: "listFieldOptions",
  tag: "Integrations",
  summary: "List the choices for an action's field from your account",
  description:
    "For fields in the action's `optionsFields` (a repository, a channel). Uses `connectionId`, or your oldest working connection of the app. A list that depends on other fields (`optionsDependOn`) needs their values in `values`.",
  auth: true,
  params: z.object({
    slug: storableString().max(100),
    action: storableString().max(100),
    field: storableString().max(100),
  }),
  query: z.object({
    orgId: orgIdSchema.optional(),
    connectionId: storableString().max(100).optional(),
    values: storableString()
      .max(4_000)
      .optional()
      .describe('The values of the fields this list depends on, as a JSON object: {"base_id":"app1"}.'),
  }),
  response: z.array(z.object({ value: z.string(), label: z.string() })),
  status: 200,
  errors: [404, 422, 429, 502],
});
