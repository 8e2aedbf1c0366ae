// The platform's OAuth client at an upstream MCP server's authorization server, as the MCP
// specification orders the ways to get one: a client ID metadata document (its URL is the
// client_id; only over https, where the server can fetch it), else dynamic client registration
// (RFC 7591) as a public client, else none (the app's owner must give one).
import { registerClient } from "@modelcontextprotocol/sdk/client/auth.js";
import type { AuthorizationServerMetadata } from "@modelcontextprotocol/sdk/shared/auth.js";
import { getAppUrl } from "@/env";
import { AppError } from "@/lib/errors/app-error";
import type { AppRecord } from "../app-driver";
import type { AppOAuthClientInput } from "../app-oauth";
import { type McpOAuth, readMcpApp } from "./mcp-app-config";
import { guardedDiscoveryFetch } from "./mcp-oauth-discovery";

const registrationTimeoutMs = 15_000;

/** Where the platform serves the app's client ID metadata document: also its client_id. */
export function clientMetadataDocumentUrl(slug: string): string {
  return `${getAppUrl()}/api/apps/${slug}/oauth-client`;
}

/** The client the platform is, as it describes itself to the authorization server. */
export function clientMetadataOf(app: Pick<AppRecord, "name">, redirectUri: string, auth: McpOAuth) {
  return {
    client_name: `Toolgate: ${app.name}`.slice(0, 200),
    redirect_uris: [redirectUri],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
    ...(auth.scopes.length > 0 && { scope: auth.scopes.join(" ") }),
  };
}

async function registerDynamically(
  app: AppRecord,
  auth: McpOAuth & { registrationUrl: string },
  redirectUri: string,
  signal: AbortSignal,
): Promise<AppOAuthClientInput> {
  // Only the endpoints registerClient reads; the rest of the metadata was checked on discovery.
  const metadata = {
    issuer: auth.issuer ?? auth.authorizeUrl,
    authorization_endpoint: auth.authorizeUrl,
    token_endpoint: auth.tokenUrl,
    registration_endpoint: auth.registrationUrl,
    response_types_supported: ["code"],
  } satisfies AuthorizationServerMetadata;
  try {
    const registered = await registerClient(metadata.issuer, {
      metadata,
      clientMetadata: clientMetadataOf(app, redirectUri, auth),
      fetchFn: guardedDiscoveryFetch(signal, registrationTimeoutMs),
    });
    return {
      clientId: registered.client_id,
      ...(registered.client_secret && { clientSecret: registered.client_secret }),
      registeredBy: "registration",
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new AppError(
      "upstream_error",
      `${app.name}'s authorization server refused to register this platform as a client (${auth.registrationUrl}): ${message.slice(0, 500)}`,
    );
  }
}

/** A client ID metadata document can be used: the server takes one and can fetch it (https). */
function usesMetadataDocument(auth: McpOAuth): boolean {
  return auth.clientIdMetadataDocument && new URL(getAppUrl()).protocol === "https:";
}

/** Whether connecting can register the platform's client by itself (else the owner sets one). */
export function canRegisterMcpOAuthClient(auth: McpOAuth): boolean {
  return usesMetadataDocument(auth) || auth.registrationUrl !== undefined;
}

/** The app's client, registered now; undefined when the authorization server offers no way. */
export async function registerMcpOAuthClient(
  app: AppRecord,
  redirectUri: string,
  signal: AbortSignal,
): Promise<AppOAuthClientInput | undefined> {
  const { auth } = readMcpApp(app);
  if (auth.type !== "oauth2") return undefined;
  if (usesMetadataDocument(auth))
    return { clientId: clientMetadataDocumentUrl(app.slug), registeredBy: "metadata_document" };
  if (auth.registrationUrl)
    return registerDynamically(app, { ...auth, registrationUrl: auth.registrationUrl }, redirectUri, signal);
  return undefined;
}
