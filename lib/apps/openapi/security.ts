// How each connection of an OpenAPI app authenticates: one of the document's security schemes
// (or one the person names, for documents that declare none, like GitHub's), stored with the app,
// turned into the connection's credential fields and into what each request carries.
import { z } from "zod";
import { type AuthDefinition, apiKeyAuth, basicAuth, type CredentialField } from "@/integrations/sdk/define";
import { AppError } from "@/lib/errors/app-error";
import type { OpenApiDocument } from "./load-document";
import type { Operation } from "./operations";

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
]);
export type StoredAuth = z.infer<typeof storedAuthSchema>;

/** What a person may say about authentication when adding the app. */
export const authInputSchema = z.union([
  z.object({ scheme: z.string().min(1).max(200) }).strict(),
  storedAuthSchema,
]);
export type AuthInput = z.infer<typeof authInputSchema>;

type SecurityScheme = {
  type?: string;
  scheme?: string;
  in?: string;
  name?: string;
};

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

/**
 * The app's authentication: the one the person named or described, else the first scheme this
 * platform supports among those the picked operations require, else none.
 */
export function chooseAuth(
  api: OpenApiDocument,
  picked: Operation[],
  input: AuthInput | undefined,
): StoredAuth {
  const schemes = (api.components?.securitySchemes ?? {}) as Record<string, SecurityScheme>;
  if (input && "scheme" in input && !("type" in input)) {
    const scheme = schemes[input.scheme];
    if (!scheme)
      throw new AppError(
        "validation_failed",
        `The description has no security scheme "${input.scheme}"; it has: ${Object.keys(schemes).join(", ") || "none"}.`,
        { field: "auth.scheme" },
      );
    const stored = storedOfScheme(input.scheme, scheme);
    if (!stored)
      throw new AppError(
        "validation_failed",
        `The security scheme "${input.scheme}" (${scheme.type}) is not supported: use an API key, HTTP bearer or basic scheme, or describe one in "auth".`,
        { field: "auth.scheme" },
      );
    return stored;
  }
  if (input) return input as StoredAuth;
  for (const name of requiredSchemeNames(api, picked)) {
    const scheme = schemes[name];
    const stored = scheme && storedOfScheme(name, scheme);
    if (stored) return stored;
  }
  return { type: "none" };
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
  }
}

/** The connection kind: the scheme's credential fields, and the base URL when each account has its own. */
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
