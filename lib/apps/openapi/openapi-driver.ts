// APIs described by OpenAPI documents as apps: the document is read (by URL through the guarded
// client, or as uploaded), the picked operations become actions, one of its security schemes
// becomes the app's connection kind, and each accepted action sends the request its operation
// describes to the app's base URL (or the connection's own), through the SSRF-guarded client.
import { z } from "zod";
import type { ConnectionContext, IntegrationDefinition } from "@/integrations/sdk/define";
import { ActionError, CredentialsRejectedError } from "@/integrations/sdk/errors";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client.ts";
import { findUnstorableText, storableString, unstorableTextMessage } from "@/lib/db/storable-text";
import { AppError } from "@/lib/errors/app-error";
import type { DiscoveredAction } from "../action-definition";
import type { AppDriver, AppRecord, PreparedApp } from "../app-driver";
import { oauthDefinitionOfApp } from "../app-oauth";
import { type UpstreamText, upstreamTextsOf } from "../upstream-texts";
import { SchemaTooLargeError } from "./json-schema";
import { type LoadedDocument, loadDocument, maxDocumentBytes } from "./load-document";
import {
  actionOfOperation,
  listOperations,
  type Operation,
  type OperationInvoke,
  pickOperations,
  UnsupportedBodyError,
} from "./operations";
import { runOperation } from "./run-operation";
import {
  authDefinitionOf,
  authInputSchema,
  type Credentials,
  chooseAuth,
  credentialHeaders,
  credentialParameter,
  type StoredAuth,
  storedAuthSchema,
} from "./security";
import { resolveBaseUrl } from "./server-url";

const httpUrl = z.url({ protocol: /^https?$/, error: "Must be an http(s) URL." }).max(2_000);
const headerName = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, "Must be a header name (letters, digits, dashes).");

export const openApiInputSchema = z
  .object({
    name: storableString().trim().min(1).max(100),
    description: storableString().trim().max(500).optional(),
    spec: z
      .union([z.string().max(maxDocumentBytes), z.record(z.string(), z.unknown())])
      .optional()
      .describe("The OpenAPI 3.0/3.1 or Swagger 2.0 description itself: JSON or YAML text, or an object."),
    specUrl: httpUrl.optional().describe("Where the description is published."),
    baseUrl: httpUrl.optional().describe("The API's base URL, when not the description's first server."),
    serverVariables: z.record(z.string().max(100), z.string().max(500)).optional(),
    operations: z.array(z.string().trim().min(1).max(300)).max(1_000).optional(),
    tags: z.array(z.string().trim().min(1).max(200)).max(200).optional(),
    auth: authInputSchema.optional(),
    /** Each connection gives its own base URL (a self-hosted server of the same API). */
    connectionBaseUrl: z.boolean().default(false),
    /** Sent with every request to the app's own base URL (an API version, a User-Agent). */
    headers: z
      .record(
        headerName,
        storableString()
          .max(4_000)
          .regex(/^[^\r\n]*$/, "Must not contain a line break."),
      )
      .refine((headers) => Object.keys(headers).length <= 20, "At most 20 headers.")
      .optional(),
    credentials: z.record(z.string().max(100), storableString().max(10_000)).optional(),
    /** The OAuth client registered at the provider, for an API whose connections sign in there. */
    oauthClient: z
      .object({
        clientId: storableString().trim().min(1).max(500),
        clientSecret: storableString().max(2_000).optional(),
      })
      .strict()
      .optional(),
  })
  .refine((input) => (input.spec === undefined) !== (input.specUrl === undefined), {
    message: 'Give exactly one of "spec" (the description) and "specUrl" (where it is published).',
    path: ["spec"],
  });

const sourceSchema = z.object({
  specUrl: z.string().optional(),
  baseUrl: z.string(),
  serverVariables: z.record(z.string(), z.string()).optional(),
  operations: z.array(z.string()).optional(),
  tags: z.array(z.string()).optional(),
  connectionBaseUrl: z.boolean().default(false),
  /** A GET without required parameters, to check a connection with; none: the base URL is asked. */
  checkPath: z.string().optional(),
});
type Source = z.infer<typeof sourceSchema>;

const invokeSchema = z.object({
  method: z.enum(["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS"]),
  path: z.string(),
  parameters: z.array(
    z.object({
      name: z.string(),
      in: z.enum(["path", "query", "header", "cookie"]),
      property: z.string(),
      style: z.string().optional(),
      explode: z.boolean().optional(),
    }),
  ),
  body: z.object({ contentType: z.string(), property: z.string() }).optional(),
}) satisfies z.ZodType<OperationInvoke>;

function validationError(error: z.ZodError): AppError {
  const issue = error.issues[0];
  const field = issue?.path.join(".") || "body";
  return new AppError("validation_failed", `${field}: ${issue?.message ?? "invalid"}`, { field });
}

function sourceOf(app: AppRecord): Source {
  return sourceSchema.parse(app.source);
}

function authOf(app: AppRecord): StoredAuth {
  return storedAuthSchema.parse(app.auth);
}

/** A GET operation that needs nothing, to check that a connection's credentials work. */
function findCheckPath(operations: Operation[]): string | undefined {
  return operations.find(
    (entry) =>
      entry.method === "get" &&
      !entry.path.includes("{") &&
      ![...entry.pathParameters, ...(entry.operation.parameters ?? [])].some(
        (parameter) => parameter?.required,
      ),
  )?.path;
}

function checkCredentials(
  auth: ReturnType<typeof authDefinitionOf>,
  credentials: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (!credentials) return undefined;
  if (auth.type === "none" || auth.type === "oauth2")
    throw new AppError("validation_failed", "credentials: this API's connections take no credentials.", {
      field: "credentials",
    });
  const known = new Set(auth.fields.map((field) => field.name));
  const unknown = Object.keys(credentials).find((name) => !known.has(name));
  if (unknown)
    throw new AppError(
      "validation_failed",
      `credentials.${unknown}: not a credential of this API; its credentials are ${[...known].join(", ")}.`,
      { field: `credentials.${unknown}` },
    );
  const missing = auth.fields.find((field) => !credentials[field.name]?.trim());
  if (missing)
    throw new AppError("validation_failed", `credentials.${missing.name}: enter the ${missing.label}.`, {
      field: `credentials.${missing.name}`,
    });
  return credentials;
}

/** Why an operation cannot become an action (its input cannot be described or stored), if it cannot. */
function actionOrProblem(entry: Operation): { action: DiscoveredAction } | { problem: string } {
  let action: DiscoveredAction;
  try {
    action = actionOfOperation(entry);
  } catch (error) {
    if (error instanceof SchemaTooLargeError || error instanceof UnsupportedBodyError)
      return { problem: error.message };
    throw error;
  }
  // A $ref'd document's text ends up in the action: what PostgreSQL cannot store is refused here.
  if (findUnstorableText(action))
    return { problem: `it holds text that cannot be stored (${unstorableTextMessage})` };
  return { action };
}

/**
 * The operations as actions. One that cannot be one is refused by name when the person named it
 * (they can leave it out); one that came with a tag or with the whole description is left out,
 * as it is on a refresh (where it then stops being served).
 */
function actionsOf(picked: Operation[], named: ReadonlySet<Operation>): DiscoveredAction[] {
  return picked.flatMap((entry) => {
    const outcome = actionOrProblem(entry);
    if ("action" in outcome) return [outcome.action];
    if (!named.has(entry)) return [];
    throw new AppError(
      "validation_failed",
      `The operation "${entry.name.slice(0, 200)}" cannot be imported: ${outcome.problem}. Leave it out of "operations".`,
      { field: "operations" },
    );
  });
}

/** What the document says about the API as a whole (untrusted: scanned when stored). */
function textsOfDocument(loaded: LoadedDocument): UpstreamText[] {
  return upstreamTextsOf({ "info.description": loaded.api.info?.description });
}

async function prepare(input: unknown, signal: AbortSignal): Promise<PreparedApp> {
  const parsed = openApiInputSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const given = parsed.data;
  const loaded = await loadDocument(
    given.specUrl !== undefined ? { specUrl: given.specUrl } : { spec: given.spec as string },
    signal,
  );
  const all = listOperations(loaded.api);
  const picked = pickOperations(all, { operations: given.operations, tags: given.tags });
  if (picked.length === 0)
    throw new AppError("validation_failed", "The description has no operations to import.", {
      field: "spec",
    });
  const named = new Set(
    given.operations?.length ? pickOperations(all, { operations: given.operations }) : [],
  );
  const actions = actionsOf(picked, named);
  if (actions.length === 0)
    throw new AppError("validation_failed", "None of the picked operations can be imported.", {
      field: "operations",
    });
  const auth = await chooseAuth(loaded.api, picked, given.auth, { documentUrl: loaded.url, signal });
  checkOAuthChoices(auth, given);
  const source: Source = {
    ...(given.specUrl !== undefined && { specUrl: given.specUrl }),
    baseUrl: resolveBaseUrl(loaded, given.baseUrl, given.serverVariables),
    ...(given.serverVariables && { serverVariables: given.serverVariables }),
    ...(given.operations?.length && { operations: given.operations }),
    ...(given.tags?.length && { tags: given.tags }),
    connectionBaseUrl: given.connectionBaseUrl,
    ...(() => {
      const checkPath = findCheckPath(picked) ?? findCheckPath(all);
      return checkPath ? { checkPath } : {};
    })(),
  };
  const credentials = checkCredentials(authDefinitionOf(auth, given.connectionBaseUrl), given.credentials);
  return {
    name: given.name,
    // Never the document's own info.description: that is the upstream's text, kept apart (texts).
    description: (given.description ?? `API at ${new URL(source.baseUrl).host}`).slice(0, 500),
    source,
    auth,
    headers: given.headers ?? {},
    // An uploaded description is kept to read it again on a refresh; a published one is fetched again.
    ...(given.specUrl === undefined && { document: loaded.original }),
    ...(credentials && { credentials }),
    ...(given.oauthClient && {
      oauthClient: {
        clientId: given.oauthClient.clientId,
        ...(given.oauthClient.clientSecret && { clientSecret: given.oauthClient.clientSecret }),
        registeredBy: "owner" as const,
      },
    }),
    actions,
    texts: textsOfDocument(loaded),
  };
}

/** An OAuth client only for an API whose connections sign in with OAuth, and then no own base URLs. */
function checkOAuthChoices(
  auth: StoredAuth,
  given: { oauthClient?: unknown; connectionBaseUrl: boolean },
): void {
  if (auth.type !== "oauth2" && given.oauthClient)
    throw new AppError(
      "validation_failed",
      "oauthClient: this API's connections do not sign in with OAuth (its security scheme is not an OAuth 2 authorization code or OpenID Connect one).",
      { field: "oauthClient" },
    );
  // The sign-in's client and endpoints are the app's: an account elsewhere would need its own.
  if (auth.type === "oauth2" && given.connectionBaseUrl)
    throw new AppError(
      "validation_failed",
      "connectionBaseUrl: connections that sign in with OAuth use the app's base URL.",
      { field: "connectionBaseUrl" },
    );
}

async function loadStored(app: AppRecord, source: Source, signal: AbortSignal): Promise<LoadedDocument> {
  if (source.specUrl !== undefined) return loadDocument({ specUrl: source.specUrl }, signal);
  const row = await getDb().app.findUnique({ where: { id: app.id }, select: { document: true } });
  if (!row?.document || typeof row.document !== "object")
    throw new AppError("not_found", `${app.name} has no stored OpenAPI description to read again.`);
  return loadDocument({ spec: row.document as Record<string, unknown> }, signal);
}

/** The connection's own base URL when the app lets each connection give one, else the app's. */
function baseUrlFor(source: Source, credentials: Credentials): string {
  const own = source.connectionBaseUrl ? credentials?.baseUrl?.trim() : undefined;
  if (!own) return source.baseUrl;
  if (!httpUrl.safeParse(own).success)
    throw new ActionError(`The connection's API base URL "${own.slice(0, 200)}" is not an http(s) URL.`);
  return own;
}

function connect(app: AppRecord): Pick<IntegrationDefinition, "auth" | "api" | "test"> {
  const source = sourceOf(app);
  const auth = authOf(app);
  return {
    auth:
      auth.type === "oauth2"
        ? oauthDefinitionOfApp(app, auth)
        : authDefinitionOf(auth, source.connectionBaseUrl),
    api: {
      baseUrl: source.baseUrl,
      // The URL is the app's owner's (or the connection's): never trusted, always SSRF-checked.
      baseUrlSetting: "",
      userBaseUrl: (credentials: unknown) => baseUrlFor(source, credentials as Credentials),
      // The owner's headers go only to the owner's base URL, never to one a connection chose.
      headers: (credentials: unknown) => ({
        ...(baseUrlFor(source, credentials as Credentials) === source.baseUrl && app.headers),
        ...credentialHeaders(auth, credentials as Credentials),
      }),
    },
    // A GET the description says needs nothing, when there is one; else whether the base URL
    // answers at all (any answer but a refusal of the credentials, a 5xx or no answer will do).
    test: async (context: ConnectionContext<unknown>) => {
      const credential = credentialParameter(auth, context.auth as Credentials);
      const invoke: OperationInvoke = { method: "GET", path: source.checkPath ?? "/", parameters: [] };
      try {
        await runOperation(context.http, invoke, {}, credential);
      } catch (error) {
        const answered =
          !source.checkPath &&
          error instanceof ActionError &&
          !(error instanceof CredentialsRejectedError) &&
          error.httpStatus !== undefined;
        if (!answered) throw error;
      }
      return {};
    },
  };
}

/**
 * On a refresh, an OAuth sign-in taken from one of the document's schemes follows the document:
 * its endpoints and scopes (and an OpenID Connect scheme's discovered endpoints) as they are now.
 */
async function rereadOAuth(
  app: AppRecord,
  loaded: LoadedDocument,
  picked: Operation[],
  signal: AbortSignal,
): Promise<void> {
  const stored = authOf(app);
  if (stored.type !== "oauth2" || !stored.scheme) return;
  // The way the client authenticates was chosen when the app was added: it stays.
  const clientAuth = stored.clientAuth === "basic" ? "basic" : "body";
  const now = await chooseAuth(
    loaded.api,
    picked,
    { scheme: stored.scheme, clientAuth },
    { documentUrl: loaded.url, signal },
  );
  // A scheme that no longer signs in (its authorization code flow gone) keeps the sign-in the
  // connections were made with, rather than silently asking them for pasted tokens.
  if (now.type !== "oauth2" || JSON.stringify(now) === JSON.stringify(stored)) return;
  await getDb().app.update({ where: { id: app.id }, data: { auth: now as Prisma.InputJsonValue } });
}

export const openApiDriver: AppDriver = {
  prepare,
  connect,
  discover: async (app, access) => {
    const source = sourceOf(app);
    const loaded = await loadStored(app, source, access.signal);
    const picked = pickOperations(listOperations(loaded.api), source, { again: true });
    await rereadOAuth(app, loaded, picked, access.signal);
    access.onTexts?.(textsOfDocument(loaded));
    return actionsOf(picked, new Set());
  },
  run: async (app, action, context) => {
    const invoke = invokeSchema.safeParse(action.definition.invoke);
    if (!invoke.success)
      throw new ActionError(`${app.name}: the action "${action.key}" has no request to send.`);
    const credential = credentialParameter(authOf(app), context.auth as Credentials);
    return runOperation(context.http, invoke.data, context.input, credential);
  },
};
