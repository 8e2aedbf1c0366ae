// The integration SDK: an app is a manifest of actions, and each action is one zod schema plus
// one function. The same schema drives the configuration form, argument validation and the MCP
// input schema, so field descriptions, enums and defaults carry through everywhere.
import type { z } from "zod";
import type { ApiClient } from "./http";

/**
 * Marks an input field as secret (a header holding a token, a webhook URL that is its own
 * credential): a fixed value of it is sealed in the vault like a connection's credentials, and
 * its value is masked wherever it is shown (the tool's page, the REST API, the history). Apply it
 * last, around `.optional()` and `.describe()`. It is JSON Schema's `writeOnly` (a value sent,
 * never read back), so the inputSchema an MCP client gets says so too.
 */
export function secretField<Field extends z.ZodType>(field: Field): Field {
  return field.meta({ writeOnly: true }) as Field;
}

/** Annotations by the value a tool fixes one field to. */
export type AnnotationsByValue<A> = { field: string; values: Record<string, A> };

export type ActionAnnotations = {
  readOnly: boolean;
  destructive: boolean;
  idempotent: boolean;
  /** Whether the action reaches outside the platform (a third-party API). */
  openWorld: boolean;
};

/** What every function of an integration gets: the connection's credentials and a client for its API. */
export type ConnectionContext<Auth> = {
  auth: Auth;
  /** The app's API at its (possibly overridden) base URL, with the credentials applied. */
  http: ApiClient;
  /** Aborted when the call times out or is cancelled; `http` already honours it. */
  signal: AbortSignal;
};

export type ActionContext<Input, Auth> = ConnectionContext<Auth> & {
  input: Input;
  /** Reports progress (0..total) to the MCP client while the call runs. */
  progress: (done: number, total?: number, message?: string) => Promise<void>;
  /**
   * Relays a log message to the MCP client while the call runs (an upstream MCP server's own
   * `notifications/message`); the client's session level decides whether it is sent.
   */
  log?: (message: ActionLogMessage) => Promise<void>;
};

export const actionLogLevels = [
  "debug",
  "info",
  "notice",
  "warning",
  "error",
  "critical",
  "alert",
  "emergency",
] as const;
export type ActionLogMessage = { level: (typeof actionLogLevels)[number]; logger?: string; data: unknown };

export type ActionDefinition<
  Input extends z.ZodObject = z.ZodObject,
  Output extends z.ZodType = z.ZodType,
  Auth = unknown,
> = {
  key: string;
  title: string;
  description: string;
  input: Input;
  /** When declared, results are also returned as MCP structured content. */
  output?: Output;
  /**
   * An added app's input schema as its upstream wrote it: served to clients as it is (field modes
   * applied) instead of one generated from `input`, which then only checks it.
   */
  inputJsonSchema?: Record<string, unknown>;
  /** An added app's output schema as its upstream wrote it, declared as it is. */
  outputJsonSchema?: Record<string, unknown>;
  annotations: ActionAnnotations;
  /**
   * Annotations that hold when a tool fixes one field to a given value (the HTTP request's method):
   * a tool that always sends GET only reads. `annotations` hold otherwise.
   */
  annotationsByValue?: AnnotationsByValue<ActionAnnotations>;
  /** How long one run may take; 30 s when not given. */
  timeoutMs?: number;
  run: (context: ActionContext<z.output<Input>, Auth>) => Promise<z.input<Output>>;
  /** Dynamic choices for input fields (repositories, channels), by field name. */
  options?: Record<string, OptionsSource<Auth>>;
};

export type FieldOption = { value: string; label: string };

/**
 * Lists the choices for a field from the user's account; shared by the actions that need it.
 * `values` holds the chosen values of the fields the list depends on (see OptionsSource).
 */
export type OptionsLoader<Auth> = (
  context: ConnectionContext<Auth> & { values: Record<string, string> },
) => Promise<FieldOption[]>;

/**
 * A field's choices: a loader, or a loader whose list depends on other fields' values (the tables
 * of the chosen base), which must be given before the list can be read.
 */
export type OptionsSource<Auth> =
  | OptionsLoader<Auth>
  | { dependsOn: readonly string[]; load: OptionsLoader<Auth> };

export function describeOptionsSource<Auth>(source: OptionsSource<Auth>): {
  dependsOn: readonly string[];
  load: OptionsLoader<Auth>;
} {
  return typeof source === "function" ? { dependsOn: [], load: source } : source;
}

export type CredentialField = {
  name: string;
  label: string;
  secret: boolean;
  /** Where to find the value (shown next to the field). */
  help?: string;
};

/** The credentials an OAuth 2.0 connection hands its actions (refreshed before they expire). */
export type OAuthCredentials = {
  accessToken: string;
  tokenType?: string;
  scope?: string;
  /** Other fields of the token response the app's actions need (a workspace id, say). */
  extra?: Record<string, string>;
};

export type AuthDefinition =
  | { type: "none" }
  | { type: "api_key"; fields: CredentialField[] }
  | { type: "basic"; fields: CredentialField[] }
  | OAuth2Definition;

export type OAuth2Definition = {
  type: "oauth2";
  /** Prefix of its settings: <PREFIX>_CLIENT_ID, _CLIENT_SECRET, and _AUTHORIZE_URL/_TOKEN_URL overrides. */
  settingsPrefix: string;
  /** Whose client it is, when one client serves several apps ("Google"); else the app's name. */
  clientName?: string;
  /** Where an administrator registers the client with the vendor and finds its id and secret. */
  consoleUrl?: string;
  authorizeUrl: string;
  tokenUrl: string;
  scopes: string[];
  /** How scopes are joined in the authorize URL (a space unless the provider says otherwise). */
  scopeSeparator?: string;
  pkce: boolean;
  /**
   * Where the client id and secret go on the token endpoint ("body" unless "basic"); "none" for a
   * public client, which sends its id alone.
   */
  clientAuth?: "basic" | "body" | "none";
  /**
   * An app a workspace added: its client is the one stored for the app (lib/apps/app-oauth.ts)
   * and its endpoints are untrusted, reached through the guarded client.
   */
  addedAppId?: string;
  /**
   * An added app whose driver registers a client when the first person connects (its upstream
   * offers a way): it can be connected before it has one.
   */
  registersClient?: boolean;
  /** RFC 8707 resource indicator, sent on the authorize, token and refresh requests. */
  resource?: string;
  /** Extra authorize parameters (Google's access_type=offline, for a refresh token). */
  authorizeParams?: Record<string, string>;
  /** Token-response fields kept for the actions, beyond the tokens themselves. */
  keepFromTokenResponse?: string[];
  /**
   * Token-endpoint error codes by which the app says the grant itself is gone (revoked, expired,
   * never valid), beyond RFC 6749's invalid_grant: only these ask the person to reconnect.
   */
  revokedGrantErrors?: string[];
};

/** How the app's API is reached: its base URL (overridable by a setting) and its credentials. */
export type ApiDefinition<Auth> = {
  baseUrl: string;
  /** The setting that overrides `baseUrl` (GITHUB_API_URL for GitHub Enterprise, an emulator in tests). */
  baseUrlSetting: string;
  /** A base URL that comes from the user's credentials (a self-hosted site); checked against SSRF. */
  userBaseUrl?: (auth: Auth) => string | undefined;
  /**
   * Other API roots of the same vendor that actions name in full (Drive's, from Sheets); every
   * request stays under the base URL or one of these.
   */
  otherBaseUrls?: string[];
  headers: (auth: Auth) => Record<string, string>;
  /** The app's own error text, where the generic reading of error bodies misses it. */
  describeError?: (body: unknown, status: number) => string | undefined;
};

/** What "test connection" reports: the account the credentials belong to, when the app says. */
export type ConnectionTestResult = { account?: string };

export type IntegrationDefinition<Auth = unknown> = {
  slug: string;
  name: string;
  description: string;
  category: string;
  auth: AuthDefinition;
  /** Required unless the app needs no account. */
  api?: ApiDefinition<Auth>;
  /** A cheap authenticated read that shows the credentials work. Required with `api`. */
  test?: (context: ConnectionContext<Auth>) => Promise<ConnectionTestResult>;
  // biome-ignore lint/suspicious/noExplicitAny: an integration holds actions of many input types
  actions: ActionDefinition<any, any, Auth>[];
};

export function defineAction<Input extends z.ZodObject, Output extends z.ZodType = z.ZodType, Auth = unknown>(
  definition: ActionDefinition<Input, Output, Auth>,
): ActionDefinition<Input, Output, Auth> {
  return definition;
}

/** defineAction with the app's credential type fixed: `const action = actionFor<Auth>();`. */
export function actionFor<Auth>() {
  return <Input extends z.ZodObject, Output extends z.ZodType = z.ZodType>(
    definition: ActionDefinition<Input, Output, Auth>,
  ): ActionDefinition<Input, Output, Auth> => definition;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds apps of every credential type
export type AnyIntegration = IntegrationDefinition<any>;

export function defineIntegration<Auth = unknown>(
  definition: IntegrationDefinition<Auth>,
): IntegrationDefinition<Auth> {
  const keys = new Set<string>();
  for (const action of definition.actions) {
    if (keys.has(action.key)) throw new Error(`${definition.slug}: duplicate action key "${action.key}"`);
    keys.add(action.key);
    for (const [field, source] of Object.entries(action.options ?? {})) {
      if (!(field in action.input.shape))
        throw new Error(`${definition.slug}/${action.key}: options for unknown field "${field}"`);
      for (const dependency of describeOptionsSource(source).dependsOn)
        if (!(dependency in action.input.shape) || dependency === field)
          throw new Error(
            `${definition.slug}/${action.key}: options of "${field}" depend on "${dependency}"`,
          );
    }
  }
  if (definition.auth.type !== "none" && (!definition.api || !definition.test))
    throw new Error(`${definition.slug}: an app with accounts needs \`api\` and a connection \`test\``);
  return definition;
}

export const noAuth: AuthDefinition = { type: "none" };

/** Key-style credentials as actions receive them: the declared fields, by name. */
export type KeyCredentials<Name extends string = string> = Record<Name, string>;

export function apiKeyAuth(fields: CredentialField[]): AuthDefinition {
  return { type: "api_key", fields };
}

export function basicAuth(fields: CredentialField[]): AuthDefinition {
  return { type: "basic", fields };
}

export function oauth2(definition: Omit<OAuth2Definition, "type">): OAuth2Definition {
  return { type: "oauth2", ...definition };
}

/** Annotations of a read from a third-party API. */
export const externalRead: ActionAnnotations = {
  readOnly: true,
  destructive: false,
  idempotent: true,
  openWorld: true,
};

/** Annotations of a write that creates something new each time (not safe to repeat). */
export const externalCreate: ActionAnnotations = {
  readOnly: false,
  destructive: false,
  idempotent: false,
  openWorld: true,
};

/** Annotations of a write that sets a state (repeating it changes nothing more). */
export const externalUpdate: ActionAnnotations = {
  readOnly: false,
  destructive: false,
  idempotent: true,
  openWorld: true,
};

/** Annotations of a deletion or an overwrite that loses data. */
export const externalDelete: ActionAnnotations = {
  readOnly: false,
  destructive: true,
  idempotent: true,
  openWorld: true,
};

/** Annotations of an action that only computes: no side effects, nothing outside the platform. */
export const pureComputation: ActionAnnotations = {
  readOnly: true,
  destructive: false,
  idempotent: true,
  openWorld: false,
};
