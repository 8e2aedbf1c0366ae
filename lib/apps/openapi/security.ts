// How each connection of an OpenAPI app authenticates: one of the document's security schemes
// (or one the person names, for documents that declare none, like GitHub's), stored with the app,
// turned into the connection's credential fields and into what each request carries. An OAuth 2
// authorization code scheme (or an OpenID Connect one, its endpoints discovered) becomes a
// sign-in at the provider with the app's own client; other OAuth flows take a pasted token.
import { z } from "zod";
import { type AuthDefinition, apiKeyAuth, basicAuth, type CredentialField } from "@/integrations/sdk/define";
import { appOAuthEndpointsSchema } from "@/lib/apps/app-oauth-endpoints";
import { AppError } from "@/lib/errors/app-error";
import { assertPublicUrl } from "@/lib/http/assert-public-url";
import type { OpenApiDocument } from "./load-document";
import { discoverOpenIdEndpoints } from "./openid-discovery";
import type { Operation } from "./operations";

/** Sign-in at the provider (authorization code with PKCE), with the endpoints the document gives. */
export const oauthAuthSchema = appOAuthEndpointsSchema.extend({
  /** The document's scheme it came from: read again on a refresh. */
  scheme: z.string().max(200).optional(),
  /** Where an OpenID Connect scheme's endpoints were discovered. */
  openIdConnectUrl: z.string().max(2_000).optional(),
});

export const storedAuthSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("none") }),
  z.object({
    type: z.literal("api_key"),
    in: z.enum(["header", "query", "cookie"]),
    name: z.string().min(1).max(200),
    scheme: z.string().max(200).optional(),
  }),
  z.object({
    type: z.literal("bearer"),
    scheme: z.string().max(200).optional(),
    /** The document's scheme is OAuth 2 or OpenID Connect: the person pastes an access token. */
    oauth: z.boolean().optional(),
  }),
  z.object({ type: z.literal("basic"), scheme: z.string().max(200).optional() }),
  oauthAuthSchema,
]);
export type StoredAuth = z.infer<typeof storedAuthSchema>;
export type OAuthAuth = z.infer<typeof oauthAuthSchema>;

const schemeInputSchema = z
  .object({
    scheme: z.string().min(1).max(200),
    /** An OAuth 2 or OpenID Connect scheme: each person pastes an access token instead of signing in. */
    pastedToken: z.boolean().optional(),
    /** How the app's client authenticates at the token endpoint (the form unless told). */
    clientAuth: z.enum(["basic", "body"]).optional(),
  })
  .strict();

/** What a person may say about authentication when adding the app. */
export const authInputSchema = z.union([schemeInputSchema, storedAuthSchema]);
export type AuthInput = z.infer<typeof authInputSchema>;

type OAuthFlow = { authorizationUrl?: unknown; tokenUrl?: unknown };

type SecurityScheme = {
  type?: string;
  scheme?: string;
  in?: string;
  name?: string;
  flows?: { authorizationCode?: OAuthFlow };
  openIdConnectUrl?: unknown;
};

/** What a scheme becomes before an OpenID Connect one's endpoints are discovered. */
type SchemePlan = StoredAuth | { openIdConnectUrl: string; scheme: string };

/** Where the document and its scheme are, to resolve relative URLs and to read discovery documents. */
export type AuthContext = {
  /** The URL the description was read from (none for an upload). */
  documentUrl?: string;
  signal: AbortSignal;
};

function invalidAuth(message: string): AppError {
  return new AppError("validation_failed", message, { field: "auth" });
}

/** A URL of the document, resolved against where the document was published. */
function documentLink(value: unknown, what: string, documentUrl: string | undefined): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2_000)
    throw invalidAuth(`The security scheme's ${what} is missing.`);
  let url: URL;
  try {
    url = documentUrl ? new URL(value, documentUrl) : new URL(value);
  } catch {
    throw invalidAuth(
      `The security scheme's ${what} "${value.slice(0, 200)}" is not a full URL (an uploaded description has no address to resolve it against).`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw invalidAuth(`The security scheme's ${what} must be an http(s) URL, not ${url.protocol}`);
  return url.toString();
}

/** The scopes the picked operations require of the scheme (an operation's own security overrides the document's). */
function scopesOf(api: OpenApiDocument, picked: Operation[], name: string): string[] {
  const scopes = new Set<string>();
  for (const entry of picked)
    for (const requirement of entry.operation.security ?? api.security ?? [])
      for (const scope of requirement[name] ?? []) scopes.add(scope);
  return [...scopes];
}

function planOfScheme(
  name: string,
  scheme: SecurityScheme,
  scopes: () => string[],
  { documentUrl, pastedToken }: { documentUrl?: string; pastedToken?: boolean },
): SchemePlan | undefined {
  if (!pastedToken && scheme.type === "oauth2" && scheme.flows?.authorizationCode) {
    const flow = scheme.flows.authorizationCode;
    return {
      type: "oauth2",
      authorizeUrl: documentLink(flow.authorizationUrl, "authorizationUrl", documentUrl),
      tokenUrl: documentLink(flow.tokenUrl, "tokenUrl", documentUrl),
      scopes: scopes(),
      clientAuth: "body",
      scheme: name,
    };
  }
  if (!pastedToken && scheme.type === "openIdConnect")
    return {
      openIdConnectUrl: documentLink(scheme.openIdConnectUrl, "openIdConnectUrl", documentUrl),
      scheme: name,
    };
  return storedOfScheme(name, scheme);
}

function storedOfScheme(name: string, scheme: SecurityScheme): StoredAuth | undefined {
  if (scheme.type === "apiKey" && scheme.name && ["header", "query", "cookie"].includes(scheme.in ?? ""))
    return {
      type: "api_key",
      in: scheme.in as "header" | "query" | "cookie",
      name: scheme.name,
      scheme: name,
    };
  if (scheme.type === "http" && scheme.scheme?.toLowerCase() === "bearer")
    return { type: "bearer", scheme: name };
  if (scheme.type === "http" && scheme.scheme?.toLowerCase() === "basic")
    return { type: "basic", scheme: name };
  if (scheme.type === "oauth2" || scheme.type === "openIdConnect")
    return { type: "bearer", scheme: name, oauth: true };
  return undefined;
}

/** The schemes the picked operations ask for, in the document's order of preference. */
function requiredSchemeNames(api: OpenApiDocument, picked: Operation[]): string[] {
  const names: string[] = [];
  for (const requirements of [...picked.map((entry) => entry.operation.security), api.security])
    for (const requirement of requirements ?? [])
      for (const name of Object.keys(requirement)) names.push(name);
  return [...new Set(names)];
}

/** The plan's stored form: an OpenID Connect scheme's endpoints read from its discovery document. */
async function storedOfPlan(plan: SchemePlan, scopes: string[], context: AuthContext): Promise<StoredAuth> {
  if (!("openIdConnectUrl" in plan) || "type" in plan) return plan;
  const discovered = await discoverOpenIdEndpoints(plan.openIdConnectUrl, context.signal);
  return {
    type: "oauth2",
    authorizeUrl: discovered.authorizeUrl,
    tokenUrl: discovered.tokenUrl,
    scopes: [...new Set(["openid", ...scopes])],
    clientAuth: discovered.clientAuth,
    issuer: discovered.issuer,
    scheme: plan.scheme,
    openIdConnectUrl: plan.openIdConnectUrl,
  };
}

/**
 * Refuses OAuth endpoints at addresses the guarded client may not reach (promise 12 in
 * docs/security.md): the token URL would be refused on every exchange anyway, and the
 * authorization URL is where people's browsers are sent.
 */
async function assertReachableEndpoints(auth: OAuthAuth): Promise<void> {
  for (const [what, url] of [
    ["authorization URL", auth.authorizeUrl],
    ["token URL", auth.tokenUrl],
  ] as const) {
    try {
      await assertPublicUrl(url);
    } catch (error) {
      throw invalidAuth(`The OAuth ${what} ${url.slice(0, 300)} is refused: ${(error as Error).message}`);
    }
  }
}

function chooseScheme(
  api: OpenApiDocument,
  picked: Operation[],
  input: AuthInput | undefined,
  documentUrl: string | undefined,
): SchemePlan {
  const schemes = (api.components?.securitySchemes ?? {}) as Record<string, SecurityScheme>;
  if (input && "scheme" in input && !("type" in input)) {
    const scheme = schemes[input.scheme];
    if (!scheme)
      throw new AppError(
        "validation_failed",
        `The description has no security scheme "${input.scheme}"; it has: ${Object.keys(schemes).join(", ") || "none"}.`,
        { field: "auth.scheme" },
      );
    const plan = planOfScheme(input.scheme, scheme, () => scopesOf(api, picked, input.scheme), {
      documentUrl,
      pastedToken: input.pastedToken,
    });
    if (!plan)
      throw new AppError(
        "validation_failed",
        `The security scheme "${input.scheme}" (${scheme.type}) is not supported: use an API key, HTTP bearer or basic, OAuth 2 or OpenID Connect scheme, or describe one in "auth".`,
        { field: "auth.scheme" },
      );
    return plan;
  }
  if (input) return input as StoredAuth;
  for (const name of requiredSchemeNames(api, picked)) {
    const scheme = schemes[name];
    const plan = scheme && planOfScheme(name, scheme, () => scopesOf(api, picked, name), { documentUrl });
    if (plan) return plan;
  }
  return { type: "none" };
}

/**
 * The app's authentication: the one the person named or described, else the first scheme this
 * platform supports among those the picked operations require, else none. OAuth endpoints are
 * checked against the address policy; an OpenID Connect scheme's are discovered first.
 */
export async function chooseAuth(
  api: OpenApiDocument,
  picked: Operation[],
  input: AuthInput | undefined,
  context: AuthContext,
): Promise<StoredAuth> {
  const plan = chooseScheme(api, picked, input, context.documentUrl);
  const schemeName = "scheme" in plan ? plan.scheme : undefined;
  const stored = await storedOfPlan(plan, schemeName ? scopesOf(api, picked, schemeName) : [], context);
  if (stored.type !== "oauth2") return stored;
  const clientAuth = input && "scheme" in input && !("type" in input) ? input.clientAuth : undefined;
  const auth = clientAuth ? { ...stored, clientAuth } : stored;
  await assertReachableEndpoints(auth);
  return auth;
}

export const baseUrlField: CredentialField = {
  name: "baseUrl",
  label: "API base URL",
  secret: false,
  help: "Where this account's API is (a self-hosted server), such as https://api.example.com/v1.",
};

function fieldsOf(auth: StoredAuth): CredentialField[] {
  switch (auth.type) {
    case "none":
      return [];
    case "api_key":
      return [
        {
          name: "apiKey",
          label: "API key",
          secret: true,
          help: `Sent as the ${auth.in === "header" ? "header" : auth.in === "query" ? "query parameter" : "cookie"} "${auth.name}".`,
        },
      ];
    case "bearer":
      return [
        {
          name: "token",
          label: auth.oauth ? "OAuth access token" : "Bearer token",
          secret: true,
          help: "Sent as Authorization: Bearer <token>.",
        },
      ];
    case "basic":
      return [
        { name: "username", label: "Username", secret: false },
        { name: "password", label: "Password", secret: true },
      ];
    case "oauth2":
      return [];
  }
}

/**
 * The connection kind of a scheme whose credentials a person enters: its fields, and the base URL
 * when each account has its own (an OAuth sign-in is the driver's: oauthDefinitionOfApp).
 */
export function authDefinitionOf(auth: StoredAuth, connectionBaseUrl: boolean): AuthDefinition {
  const fields = [...fieldsOf(auth), ...(connectionBaseUrl ? [baseUrlField] : [])];
  if (fields.length === 0) return { type: "none" };
  return auth.type === "basic" ? basicAuth(fields) : apiKeyAuth(fields);
}

export type Credentials = Record<string, string> | undefined;

/** The headers that carry the credentials (query and cookie API keys are added by the request). */
export function credentialHeaders(auth: StoredAuth, credentials: Credentials): Record<string, string> {
  if (!credentials) return {};
  if (auth.type === "api_key" && auth.in === "header" && credentials.apiKey)
    return { [auth.name]: credentials.apiKey };
  if (auth.type === "bearer" && credentials.token) return { authorization: `Bearer ${credentials.token}` };
  // An OAuth connection's credentials are its current tokens (lib/oauth/access-token.ts).
  if (auth.type === "oauth2" && credentials.accessToken)
    return { authorization: `Bearer ${credentials.accessToken}` };
  if (auth.type === "basic" && credentials.username !== undefined)
    return {
      authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password ?? ""}`, "utf8").toString("base64")}`,
    };
  return {};
}

/** An API key the scheme puts in the query or a cookie, for the request to add. */
export function credentialParameter(
  auth: StoredAuth,
  credentials: Credentials,
): { in: "query" | "cookie"; name: string; value: string } | undefined {
  if (auth.type !== "api_key" || auth.in === "header" || !credentials?.apiKey) return undefined;
  return { in: auth.in, name: auth.name, value: credentials.apiKey };
}
