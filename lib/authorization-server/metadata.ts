// What the platform publishes about its MCP endpoint as an OAuth protected resource (RFC 9728)
// and about itself as the authorization server for it (RFC 8414, and the OpenID discovery
// document clients fall back to). The issuer is the platform's URL; the resource is its MCP
// endpoint, the audience every access token is bound to.
import { getAppUrl } from "@/env";

export const mcpScope = "mcp";

/** Where the authorization server's endpoints live, under the issuer. */
export const authorizationServerPaths = {
  authorize: "/oauth/authorize",
  token: "/oauth/token",
  register: "/oauth/register",
  revoke: "/oauth/revoke",
} as const;

export function issuer(): string {
  return getAppUrl();
}

/** The MCP endpoint's canonical URI: the resource indicator clients send and tokens are bound to. */
export function mcpResource(): string {
  return `${getAppUrl()}/mcp`;
}

/** RFC 9728 §3.1's well-known location for a resource with a path: the path after the suffix. */
export function protectedResourceMetadataUrl(): string {
  const resource = new URL(mcpResource());
  return `${resource.origin}/.well-known/oauth-protected-resource${resource.pathname}`;
}

export function protectedResourceMetadata() {
  return {
    resource: mcpResource(),
    authorization_servers: [issuer()],
    scopes_supported: [mcpScope],
    bearer_methods_supported: ["header"],
    resource_name: "Toolgate MCP endpoint",
  };
}

export function authorizationServerMetadata() {
  const base = issuer();
  return {
    issuer: base,
    authorization_endpoint: `${base}${authorizationServerPaths.authorize}`,
    token_endpoint: `${base}${authorizationServerPaths.token}`,
    registration_endpoint: `${base}${authorizationServerPaths.register}`,
    revocation_endpoint: `${base}${authorizationServerPaths.revoke}`,
    scopes_supported: [mcpScope],
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    token_endpoint_auth_methods_supported: ["none"],
    revocation_endpoint_auth_methods_supported: ["none"],
    code_challenge_methods_supported: ["S256"],
    client_id_metadata_document_supported: true,
    authorization_response_iss_parameter_supported: true,
  };
}

/** The value of WWW-Authenticate on a 401 from the MCP endpoint (RFC 9728 §5.1). */
export function bearerChallenge(error?: "invalid_token"): string {
  const parts = [
    `resource_metadata="${protectedResourceMetadataUrl()}"`,
    `scope="${mcpScope}"`,
    ...(error ? [`error="${error}"`] : []),
  ];
  return `Bearer ${parts.join(", ")}`;
}
