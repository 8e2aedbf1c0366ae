// How an upstream MCP server says where its people sign in (MCP authorization): an unauthenticated
// probe whose 401 names the Protected Resource Metadata (RFC 9728; else its well-known URLs), that
// metadata's resource checked against the server's URL, and its authorization server's metadata
// (RFC 8414, then OpenID discovery), which must offer PKCE S256. Every request goes through the
// SSRF-guarded client: the server and the documents it points to are untrusted.
import {
  discoverAuthorizationServerMetadata,
  discoverOAuthProtectedResourceMetadata,
  extractWWWAuthenticateParams,
} from "@modelcontextprotocol/sdk/client/auth.js";
import { checkResourceAllowed } from "@modelcontextprotocol/sdk/shared/auth-utils.js";
import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import { AppError } from "@/lib/errors/app-error";
import { BlockedAddressError } from "@/lib/http/guarded-fetch";
import { createGuardedStreamFetch } from "@/lib/http/guarded-stream-fetch";
import { type McpOAuth, mcpOAuthSchema } from "./mcp-app-config";

/** Metadata documents are small: a larger answer is not one. */
const maxDocumentBytes = 256 * 1024;

/** A fetch for the SDK's discovery helpers: guarded, capped, and ended by `signal` or its own timeout. */
export function guardedDiscoveryFetch(signal: AbortSignal, timeoutMs: number): FetchLike {
  const fetch = createGuardedStreamFetch({ maxResponseBytes: maxDocumentBytes });
  return (url, init) => {
    const signals = [signal, AbortSignal.timeout(timeoutMs), ...(init?.signal ? [init.signal] : [])];
    return fetch(url, { ...init, signal: AbortSignal.any(signals) });
  };
}

/** The server's canonical URI (MCP authorization, "Canonical Server URI"): no fragment, no lone "/". */
export function canonicalServerUri(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.hash = "";
  return url.pathname === "/" && !url.search ? url.origin : url.href;
}

/** What the server answers a client that brings no token: its WWW-Authenticate, when it is a 401. */
async function probeUnauthenticated(serverUrl: string, fetch: FetchLike) {
  const response = await fetch(serverUrl, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": LATEST_PROTOCOL_VERSION,
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: {
        protocolVersion: LATEST_PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: "toolgate", version: "1.0.0" },
      },
    }),
  });
  await response.body?.cancel().catch(() => {});
  return response.status === 401 ? extractWWWAuthenticateParams(response) : {};
}

/** The endpoint the client authenticates to the token endpoint with, when it has a secret. */
function clientAuthOf(methods: string[] | undefined): McpOAuth["clientAuth"] {
  if (methods?.includes("client_secret_basic") && !methods.includes("client_secret_post")) return "basic";
  return "body";
}

const sameUrl = (a: string, b: string) => a.replace(/\/+$/, "") === b.replace(/\/+$/, "");

/** What went wrong, for the person adding the app: a refused address names the URL field. */
function discoveryError(serverUrl: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const blocked = error instanceof BlockedAddressError ? error : (error as { cause?: unknown })?.cause;
  if (blocked instanceof BlockedAddressError)
    return new AppError("validation_failed", `url: ${serverUrl}'s OAuth discovery: ${blocked.message}`);
  const message = error instanceof Error ? error.message : String(error);
  return new AppError(
    "upstream_error",
    `Could not read how ${serverUrl} signs people in (OAuth discovery): ${message.slice(0, 500)}`,
  );
}

/**
 * The OAuth endpoints of the MCP server at `serverUrl`, as its app stores them, or an AppError that
 * says which step refused and why.
 */
export async function discoverMcpOAuth(
  serverUrl: string,
  { signal, timeoutMs }: { signal: AbortSignal; timeoutMs: number },
): Promise<McpOAuth> {
  const fetch = guardedDiscoveryFetch(signal, timeoutMs);
  const resource = canonicalServerUri(serverUrl);
  try {
    const challenge = await probeUnauthenticated(serverUrl, fetch);
    const protectedResource = await discoverOAuthProtectedResourceMetadata(
      serverUrl,
      { ...(challenge.resourceMetadataUrl && { resourceMetadataUrl: challenge.resourceMetadataUrl }) },
      fetch,
    );
    // RFC 9728 §3.3: metadata naming another resource may be an impersonation; it is not used.
    if (
      !checkResourceAllowed({ requestedResource: resource, configuredResource: protectedResource.resource })
    )
      throw new AppError(
        "validation_failed",
        `url: ${serverUrl}'s protected resource metadata is for another resource (${protectedResource.resource.slice(0, 200)}), so it cannot be trusted for this server.`,
      );
    const authorizationServer = protectedResource.authorization_servers?.[0];
    if (!authorizationServer)
      throw new AppError(
        "validation_failed",
        `url: ${serverUrl}'s protected resource metadata names no authorization server.`,
      );
    const metadata = await discoverAuthorizationServerMetadata(authorizationServer, { fetchFn: fetch });
    if (!metadata)
      throw new AppError(
        "upstream_error",
        `${authorizationServer} publishes no authorization server metadata (RFC 8414 or OpenID discovery).`,
      );
    // RFC 8414 §3.3: the metadata must be the issuer's own.
    if (!sameUrl(metadata.issuer, authorizationServer))
      throw new AppError(
        "upstream_error",
        `${authorizationServer}'s metadata names another issuer (${metadata.issuer.slice(0, 200)}).`,
      );
    if (!metadata.code_challenge_methods_supported?.includes("S256"))
      throw new AppError(
        "validation_failed",
        `auth: ${authorizationServer} does not offer PKCE with S256 (code_challenge_methods_supported), which MCP authorization requires; this server cannot be connected with OAuth.`,
      );
    const scopes = challenge.scope?.split(" ").filter(Boolean) ?? protectedResource.scopes_supported ?? [];
    const found = mcpOAuthSchema.safeParse({
      type: "oauth2",
      authorizeUrl: metadata.authorization_endpoint,
      tokenUrl: metadata.token_endpoint,
      scopes: scopes.slice(0, 100),
      resource,
      clientAuth: clientAuthOf(metadata.token_endpoint_auth_methods_supported),
      issuer: metadata.issuer,
      ...(metadata.registration_endpoint && { registrationUrl: metadata.registration_endpoint }),
      clientIdMetadataDocument: metadata.client_id_metadata_document_supported === true,
    });
    if (!found.success)
      throw new AppError(
        "upstream_error",
        `${authorizationServer}'s metadata is not usable: ${found.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}.`,
      );
    return found.data;
  } catch (error) {
    throw discoveryError(serverUrl, error);
  }
}
