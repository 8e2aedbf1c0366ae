// GET|POST /apps, GET|DELETE /apps/{slug}, POST /apps/{slug}/refresh, /accept and /check, PATCH
// /apps/{slug}/actions, PUT|DELETE /apps/{slug}/oauth-client: added apps (upstream MCP servers,
// OpenAPI-described APIs), personal or an organization's (`orgId`). Their definitions are
// untrusted: answers show what the scan found and each action's state; headers the owner gave are
// never returned, only their names, and an OAuth client's secret never, only whether one is set.
import { z } from "zod";
import { timestampSchema } from "@/lib/api/common-schemas";
import { defineEndpoint } from "@/lib/api/define-endpoint";
import { appOAuthClientInputSchema } from "@/lib/apps/app-oauth-client";
import { acceptActionsSchema, offeredActionsSchema } from "@/lib/apps/manage-apps";
import { storableString } from "@/lib/db/storable-text";
import { orgIdSchema, orgQuery } from "./org-scope";

export const appSlugParams = z.object({ slug: storableString().min(1).max(100) });

const headersSchema = z
  .record(z.string().max(100), z.string().max(4_000))
  .describe(
    "Sent with every request to the upstream; stored encrypted and never returned (only their names).",
  );

const mcpAppBody = z.looseObject({
  kind: z.literal("mcp"),
  name: z.string().describe("What people will call the app."),
  url: z
    .string()
    .optional()
    .describe(
      'The upstream MCP server\'s URL (Streamable HTTP, or legacy SSE); not for `"transport": "stdio"`.',
    ),
  headers: headersSchema.optional(),
  transport: z
    .enum(["auto", "streamable-http", "sse", "stdio"])
    .optional()
    .describe(
      '"auto" (the default) tries Streamable HTTP, then falls back to legacy SSE. "stdio" (administrators only): a command run on the workers\' host.',
    ),
  command: z
    .string()
    .optional()
    .describe('With `"transport": "stdio"`: an absolute path, or a name found in the `PATH` given in `env`.'),
  args: z.array(z.string()).optional().describe('With `"transport": "stdio"`: the command\'s arguments.'),
  env: z
    .record(z.string(), z.string())
    .optional()
    .describe(
      'With `"transport": "stdio"`: the only environment the command gets; values are stored encrypted and never returned (only their names).',
    ),
  auth: z
    .record(z.string(), z.unknown())
    .optional()
    .describe(
      'How each person\'s connection authenticates: `{"type": "none"}`, `{"type": "header", "header": "Authorization", "scheme": "Bearer"}`, or `{"type": "oauth"}` (each person signs in at the server\'s authorization server; its endpoints are discovered now, its tools read with the first connection).',
    ),
  credentials: z
    .record(z.string(), z.string())
    .optional()
    .describe("Your own first connection's credentials (`{value}` for a header), saved encrypted."),
});

const openApiAppBody = z.looseObject({
  kind: z.literal("openapi"),
  name: z.string().describe("What people will call the app."),
  spec: z
    .union([z.record(z.string(), z.unknown()), z.string()])
    .optional()
    .describe("The OpenAPI 3.x or Swagger 2.0 document itself (JSON object, or JSON or YAML text)."),
  specUrl: z.string().optional().describe("Where to read the document (give this or `spec`)."),
  baseUrl: z.string().optional().describe("The API's base URL, when not the document's first server."),
  operations: z
    .array(z.string())
    .optional()
    .describe(
      'The operations to import: operationIds or "METHOD /path". Needed for large documents (or `tags`).',
    ),
  tags: z.array(z.string()).optional().describe("Import the operations with these tags."),
  auth: z
    .record(z.string(), z.unknown())
    .optional()
    .describe(
      'Which security scheme connections use: `{"scheme": "<name>"}` (an OAuth 2 authorization code or OpenID Connect scheme signs in at the provider; add `"pastedToken": true` to paste access tokens instead, `"clientAuth": "basic"` to send the client secret with HTTP Basic); by default the first one the picked operations require.',
    ),
  oauthClient: z
    .object({ clientId: z.string(), clientSecret: z.string().optional() })
    .optional()
    .describe(
      "For an API whose connections sign in with OAuth: the client you registered at the provider for the app's redirect URI (`oauthRedirectUri` in the answer). Stored encrypted; the secret is never returned.",
    ),
});

const inWorkspace = { orgId: orgIdSchema.optional() };

export const createAppBody = z.discriminatedUnion(
  "kind",
  [
    // A URL unless the upstream is a command; checked even when other fields are wrong, so every
    // missing field is named at once.
    mcpAppBody
      .extend(inWorkspace)
      .refine((body) => body.transport === "stdio" || typeof body.url === "string", {
        path: ["url"],
        message: "Invalid input: expected string, received undefined",
        when: () => true,
      }),
    openApiAppBody.extend(inWorkspace),
  ],
  { error: 'Give the kind of app: "mcp" or "openapi".' },
);

const findingSchema = z.object({
  kind: z
    .enum(["hidden_text", "instruction", "tag", "file_access", "exfiltration"])
    .describe(
      "What the scan saw: invisible characters, words to the AI, a tag, a file path, or a request to send data away.",
    ),
  where: z
    .string()
    .describe('Where in the definition: "description", "inputSchema.properties.path.description".'),
  excerpt: z.string().describe("The text around it, hidden characters shown as <U+XXXX>."),
});

const definitionSchema = z
  .object({
    title: z.string(),
    description: z.string(),
    inputSchema: z.record(z.string(), z.unknown()),
    outputSchema: z.record(z.string(), z.unknown()).optional(),
    annotations: z.object({
      readOnly: z.boolean(),
      destructive: z.boolean(),
      idempotent: z.boolean(),
      openWorld: z.boolean(),
    }),
    invoke: z.unknown().optional(),
  })
  .describe("An action's definition as the upstream gave it (untrusted; capped).");

const actionSchema = z.object({
  key: z.string().describe("The action's key: tools name it."),
  upstreamName: z.string(),
  title: z.string(),
  status: z
    .enum(["served", "changed", "flagged", "new", "not_offered", "removed"])
    .describe(
      "`served`; or why not: `changed` (differs from what was accepted: review and accept), `flagged` (the scan found something; never accepted), `new` (never accepted), `not_offered`, `removed` (upstream no longer lists it).",
    ),
  statusText: z.string(),
  served: z.boolean(),
  offered: z.boolean(),
  hash: z.string().describe("The current definition's hash: send it to /accept to accept this definition."),
  acceptedHash: z.string().nullable(),
  acceptedAt: timestampSchema.nullable(),
  removedAt: timestampSchema.nullable(),
  findings: z.array(findingSchema),
  definition: definitionSchema.nullable(),
  acceptedDefinition: definitionSchema
    .nullable()
    .describe("What was accepted (null: never); compare with `definition` when `changed`."),
});

const healthSchema = z
  .object({
    healthy: z
      .boolean()
      .nullable()
      .describe("Whether the upstream answered its last check; null: not checked yet."),
    lastCheckedAt: timestampSchema.nullable(),
    lastOkAt: timestampSchema.nullable(),
    lastError: z.string().nullable(),
    latencyMs: z.number().int().nullable(),
  })
  .describe("The upstream's health, as calls, refreshes and checks (POST /apps/{slug}/check) found it.");

export const appSummarySchema = z.object({
  slug: z.string().describe("The app's slug: connections and tools name it as `integration`."),
  kind: z.enum(["mcp", "openapi"]),
  name: z.string(),
  description: z.string(),
  orgId: z.string().nullable(),
  createdAt: timestampSchema,
  refreshedAt: timestampSchema.nullable(),
  health: healthSchema,
  actionCount: z.number().int(),
  servedCount: z.number().int(),
  reviewCount: z.number().int().describe("Actions waiting for review (changed, flagged or new)."),
});

const oauthClientSchema = z
  .object({
    clientId: z.string(),
    registeredBy: z
      .string()
      .describe(
        '"owner" (set by whoever manages the app), "registration" or "metadata_document" (registered by the platform).',
      ),
    secretSet: z
      .boolean()
      .describe("Whether a client secret is stored (never returned); false: a public client."),
  })
  .describe("The OAuth client the app's connections sign in with; null when none is set.");
const upstreamTextSchema = z
  .object({
    where: z
      .enum(["instructions", "serverInfo.description", "info.description"])
      .describe(
        "An MCP server's `instructions` or serverInfo `description`, or an OpenAPI document's `info.description`.",
      ),
    text: z.string().describe("The text, capped at 4,000 characters."),
    truncated: z.boolean(),
    findings: z.array(findingSchema).describe("What the scan found in the whole text."),
  })
  .describe("What the upstream says about itself: untrusted, never passed on to AI apps.");

export const appSchema = appSummarySchema.extend({
  source: z.unknown().describe("Where the upstream is (its URL, the document's URL, the base URL)."),
  auth: z.unknown().describe("How each connection authenticates to the upstream."),
  headerNames: z.array(z.string()).describe("The names of the headers sent upstream; never their values."),
  oauthClient: oauthClientSchema.nullable(),
  oauthRedirectUri: z
    .string()
    .nullable()
    .describe(
      "For an app whose connections sign in with OAuth: the redirect URI to register with its client at the provider; else null.",
    ),
  upstreamTexts: z.array(upstreamTextSchema),
  actions: z.array(actionSchema),
});

const discoverySchema = z
  .object({
    added: z.array(z.string()),
    changed: z.array(z.string()),
    removed: z.array(z.string()),
    unchanged: z.number().int(),
    flagged: z.record(z.string(), z.array(findingSchema)),
    refused: z.array(z.object({ upstreamName: z.string(), reason: z.string() })),
  })
  .describe("What this reading of the upstream found, by action key.");

export const listAppsEndpoint = defineEndpoint({
  method: "GET",
  path: "/apps",
  operationId: "listApps",
  tag: "Apps",
  summary: "List your added apps (or an organization's)",
  auth: true,
  query: orgQuery,
  response: z.array(appSummarySchema),
  status: 200,
  errors: [404],
});

export const createAppEndpoint = defineEndpoint({
  method: "POST",
  path: "/apps",
  operationId: "createApp",
  tag: "Apps",
  summary: "Add an upstream MCP server or an OpenAPI-described API as an app",
  description:
    "Reads the upstream's actions (through the SSRF-guarded client), scans each definition for hidden instructions and accepts the clean ones; flagged ones wait for review. With `orgId` the app is the organization's (owners and admins).",
  auth: true,
  query: orgQuery,
  body: createAppBody,
  response: appSchema.extend({
    discovery: discoverySchema,
    connection: z
      .object({ id: z.string().nullable(), error: z.string().nullable() })
      .nullable()
      .describe("Your first connection, when `credentials` were given; `error` says why it was not saved."),
  }),
  status: 201,
  errors: [400, 404, 409, 413, 422, 502],
});

export const getAppEndpoint = defineEndpoint({
  method: "GET",
  path: "/apps/{slug}",
  operationId: "getApp",
  tag: "Apps",
  summary: "Get an added app with each action's state, findings and definitions",
  auth: true,
  params: appSlugParams,
  query: orgQuery,
  response: appSchema,
  status: 200,
  errors: [404],
});

export const deleteAppEndpoint = defineEndpoint({
  method: "DELETE",
  path: "/apps/{slug}",
  operationId: "deleteApp",
  tag: "Apps",
  summary: "Delete an added app",
  description: "Its tools on every server and every connection to it are deleted with it.",
  auth: true,
  params: appSlugParams,
  query: orgQuery,
  status: 204,
  errors: [404],
});

export const refreshAppEndpoint = defineEndpoint({
  method: "POST",
  path: "/apps/{slug}/refresh",
  operationId: "refreshApp",
  tag: "Apps",
  summary: "Read the app's actions from the upstream again",
  description:
    "Nothing is accepted by itself: a changed definition stops being served until accepted again (POST /apps/{slug}/accept); a new action waits for review too.",
  auth: true,
  params: appSlugParams,
  query: orgQuery,
  response: appSchema.extend({ discovery: discoverySchema }),
  status: 200,
  errors: [404, 409, 502],
});

export const acceptAppActionsEndpoint = defineEndpoint({
  method: "POST",
  path: "/apps/{slug}/accept",
  operationId: "acceptAppActions",
  tag: "Apps",
  summary: "Accept actions' definitions as reviewed",
  description:
    "Each action's key with the `hash` of the definition you reviewed; a definition that changed since is refused (409) so that what is accepted is what was shown.",
  auth: true,
  params: appSlugParams,
  query: orgQuery,
  body: z.object({ actions: acceptActionsSchema, ...inWorkspace }),
  response: z.object({ accepted: z.array(z.string()), app: appSchema }),
  status: 200,
  errors: [400, 404, 409, 413, 422],
});

export const setOfferedActionsEndpoint = defineEndpoint({
  method: "PATCH",
  path: "/apps/{slug}/actions",
  operationId: "setOfferedAppActions",
  tag: "Apps",
  summary: "Choose which of the app's actions it offers",
  auth: true,
  params: appSlugParams,
  query: orgQuery,
  body: z.object({ offered: offeredActionsSchema, ...inWorkspace }),
  response: appSchema,
  status: 200,
  errors: [400, 404, 413, 422],
});

export const setAppOAuthClientEndpoint = defineEndpoint({
  method: "PUT",
  path: "/apps/{slug}/oauth-client",
  operationId: "setAppOAuthClient",
  tag: "Apps",
  summary: "Set the OAuth client the app's connections sign in with",
  description:
    "For an app whose connections sign in with OAuth: the client ID (and secret) registered at the provider for `oauthRedirectUri`. An empty or absent `clientSecret` keeps the stored secret when the client ID is unchanged; a new client ID without a secret is a public client. The secret is stored encrypted and never returned.",
  auth: true,
  params: appSlugParams,
  query: orgQuery,
  body: appOAuthClientInputSchema.extend(inWorkspace),
  response: appSchema,
  status: 200,
  errors: [400, 403, 404, 409, 413, 422],
});

export const deleteAppOAuthClientEndpoint = defineEndpoint({
  method: "DELETE",
  path: "/apps/{slug}/oauth-client",
  operationId: "deleteAppOAuthClient",
  tag: "Apps",
  summary: "Remove the app's OAuth client",
  description:
    "Nobody can connect an account, or renew an existing connection's access, until a client is set again.",
  auth: true,
  params: appSlugParams,
  query: orgQuery,
  status: 204,
  errors: [403, 404, 409],
});

export const checkAppEndpoint = defineEndpoint({
  method: "POST",
  path: "/apps/{slug}/check",
  operationId: "checkApp",
  tag: "Apps",
  summary: "Check now whether the app's upstream answers",
  description:
    "Reaches the upstream now (an MCP server: a handshake and its tool list; an OpenAPI app: its connection check), with your own connection when the app has accounts and you have one; an upstream that asks for credentials still answers. The outcome is recorded as the app's health and returned. Anyone who may use the workspace's apps may check.",
  auth: true,
  params: appSlugParams,
  query: orgQuery,
  response: z.object({
    healthy: z.boolean(),
    latencyMs: z.number().int().describe("How long the check took."),
    error: z.string().nullable().describe("Why it did not answer; null when it did."),
    checkedAt: timestampSchema,
    usedConnection: z.boolean().describe("Whether your own connection was used."),
  }),
  status: 200,
  errors: [403, 404],
});
