// An upstream MCP server behind its own OAuth 2.1 authorization server, checking what real ones
// check (MCP authorization 2025-06-18 / 2025-11-25): Protected Resource Metadata at the
// path-suffixed well-known URL and a 401 naming it, RFC 8414 metadata, dynamic client registration
// (RFC 7591), exact redirect URIs, PKCE with S256 only, the `resource` indicator (RFC 8707)
// required and equal to the server's URI on authorize, token and refresh, single-use codes,
// rotating refresh tokens, and an MCP endpoint (the SDK's McpServer over Streamable HTTP) that
// accepts only live access tokens issued for its own audience. Authorization approves at once as
// the test user chosen with `approveAs`, so two people get two accounts.
import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";
import { type EmulatedRequest, type Reply, route, startEmulator } from "./emulator";

export type McpOAuthUpstreamOptions = {
  /** Access token lifetime, in seconds. */
  accessTokenSeconds?: number;
  /** The `resource` its Protected Resource Metadata claims (default: the server's own URI). */
  metadataResource?: (serverUri: string) => string;
  /** The PKCE methods the authorization server lists (default ["S256"]). */
  challengeMethods?: string[];
  /** Offers dynamic client registration (default true). */
  registration?: boolean;
  /** Says it accepts client ID metadata documents. */
  clientIdMetadataDocument?: boolean;
  /** The authorization server its Protected Resource Metadata names (default: its own). */
  metadataAuthorizationServer?: string;
};

type Client = { clientId: string; redirectUris: string[]; tokenEndpointAuthMethod: string };
type Code = {
  clientId: string;
  redirectUri: string;
  challenge: string;
  resource: string;
  user: string;
  used: boolean;
};
type Grant = { user: string; clientId: string; resource: string; valid: boolean };
type AccessToken = { user: string; audience: string; expiresAt: number; clientId: string };

/** A call the MCP endpoint served, with whose token it came. */
export type SeenCall = { tool: string; user: string; token: string; audience: string };

const token = (prefix: string) => `${prefix}-${randomBytes(24).toString("base64url")}`;

function oauthError(error: string, description: string, status = 400): Reply {
  return { status, json: { error, error_description: description } };
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );
}

export async function startMcpOAuthUpstream(options: McpOAuthUpstreamOptions = {}) {
  const clients = new Map<string, Client>();
  const codes = new Map<string, Code>();
  const grants = new Map<string, Grant>(); // refresh token → grant
  const accessTokens = new Map<string, AccessToken>();
  const calls: SeenCall[] = [];
  const refreshes: Array<{ resource: string | undefined }> = [];
  let approvingUser = "ada";
  let serverUri = "";

  function issue(grant: Omit<Grant, "valid">): Reply {
    const accessToken = token("at");
    const refreshToken = token("rt");
    const lifetime = options.accessTokenSeconds ?? 3600;
    accessTokens.set(accessToken, {
      user: grant.user,
      audience: grant.resource,
      clientId: grant.clientId,
      expiresAt: Date.now() + lifetime * 1000,
    });
    grants.set(refreshToken, { ...grant, valid: true });
    return {
      headers: { "cache-control": "no-store" },
      json: {
        access_token: accessToken,
        token_type: "Bearer",
        expires_in: lifetime,
        refresh_token: refreshToken,
      },
    };
  }

  const registrationSchema = z.object({
    redirect_uris: z.array(z.string().url()).min(1),
    token_endpoint_auth_method: z.string().optional(),
    grant_types: z.array(z.string()).optional(),
    client_name: z.string().optional(),
  });

  const authorizationServer = await startEmulator({
    name: "mcp-oauth-as",
    routes: [
      route("GET", "/.well-known/oauth-authorization-server", () => ({
        json: {
          issuer: authorizationServer.url,
          authorization_endpoint: `${authorizationServer.url}/authorize`,
          token_endpoint: `${authorizationServer.url}/token`,
          ...(options.registration !== false && {
            registration_endpoint: `${authorizationServer.url}/register`,
          }),
          response_types_supported: ["code"],
          grant_types_supported: ["authorization_code", "refresh_token"],
          token_endpoint_auth_methods_supported: ["none"],
          code_challenge_methods_supported: options.challengeMethods ?? ["S256"],
          ...(options.clientIdMetadataDocument && { client_id_metadata_document_supported: true }),
        },
      })),
      route("POST", "/register", (request) => {
        const parsed = registrationSchema.safeParse(request.body);
        if (!parsed.success)
          return oauthError("invalid_client_metadata", parsed.error.issues[0]?.message ?? "invalid");
        const method = parsed.data.token_endpoint_auth_method ?? "client_secret_basic";
        if (method !== "none")
          return oauthError("invalid_client_metadata", "Only public clients may register here");
        const clientId = token("client");
        clients.set(clientId, {
          clientId,
          redirectUris: parsed.data.redirect_uris,
          tokenEndpointAuthMethod: method,
        });
        return {
          status: 201,
          json: {
            client_id: clientId,
            client_id_issued_at: Math.floor(Date.now() / 1000),
            redirect_uris: parsed.data.redirect_uris,
            token_endpoint_auth_method: method,
            grant_types: ["authorization_code", "refresh_token"],
          },
        };
      }),
      route("GET", "/authorize", (request) => {
        const query = request.query;
        const client = clients.get(query.get("client_id") ?? "");
        // Errors about the client or redirect URI are shown, never redirected (RFC 6749 4.1.2.1).
        if (!client) return oauthError("invalid_client", "Unknown client");
        const redirectUri = query.get("redirect_uri") ?? "";
        if (!client.redirectUris.includes(redirectUri))
          return oauthError("invalid_request", "redirect_uri is not one the client registered");
        const back = new URL(redirectUri);
        const state = query.get("state");
        if (state) back.searchParams.set("state", state);
        const refuse = (error: string) => {
          back.searchParams.set("error", error);
          return { status: 302, headers: { location: back.toString() } };
        };
        if (query.get("response_type") !== "code") return refuse("unsupported_response_type");
        const challenge = query.get("code_challenge");
        if (!challenge || query.get("code_challenge_method") !== "S256") return refuse("invalid_request");
        if (query.get("resource") !== serverUri) return refuse("invalid_target");
        const code = token("code");
        codes.set(code, {
          clientId: client.clientId,
          redirectUri,
          challenge,
          resource: serverUri,
          user: approvingUser,
          used: false,
        });
        back.searchParams.set("code", code);
        return { status: 302, headers: { location: back.toString() } };
      }),
      route("POST", "/token", (request: EmulatedRequest) => {
        if (!request.contentType.startsWith("application/x-www-form-urlencoded"))
          return oauthError("invalid_request", "The body must be application/x-www-form-urlencoded");
        const body = request.body as Record<string, string>;
        const client = clients.get(body.client_id ?? "");
        if (!client || request.headers.authorization)
          return oauthError("invalid_client", "Unknown client, or a secret for a public client", 401);
        if (body.resource !== serverUri)
          return oauthError("invalid_target", "resource is missing or is not this server's URI");
        if (body.grant_type === "authorization_code") {
          const code = codes.get(body.code ?? "");
          if (!code || code.used)
            return oauthError("invalid_grant", "The code is invalid or was already used");
          code.used = true;
          if (code.clientId !== client.clientId)
            return oauthError("invalid_grant", "The code is another client's");
          if (body.redirect_uri !== code.redirectUri)
            return oauthError("invalid_grant", "redirect_uri differs from the authorization request");
          if (
            createHash("sha256")
              .update(body.code_verifier ?? "")
              .digest("base64url") !== code.challenge
          )
            return oauthError("invalid_grant", "PKCE verification failed");
          return issue({ user: code.user, clientId: client.clientId, resource: code.resource });
        }
        if (body.grant_type === "refresh_token") {
          refreshes.push({ resource: body.resource });
          const grant = grants.get(body.refresh_token ?? "");
          if (!grant?.valid || grant.clientId !== client.clientId)
            return oauthError("invalid_grant", "The refresh token is invalid, used or revoked");
          grant.valid = false; // rotation: each refresh token works once
          return issue({ user: grant.user, clientId: grant.clientId, resource: grant.resource });
        }
        return oauthError("unsupported_grant_type", `grant_type ${body.grant_type} is not supported`);
      }),
    ],
  });

  function mcpServerFor(who: AccessToken, bearer: string): McpServer {
    const server = new McpServer({ name: "oauth-upstream", version: "1.0.0" });
    const seen = (tool: string) =>
      calls.push({ tool, user: who.user, token: bearer, audience: who.audience });
    server.registerTool(
      "whoami",
      { description: "Says whose account this is.", inputSchema: {}, annotations: { readOnlyHint: true } },
      async () => {
        seen("whoami");
        return { content: [{ type: "text", text: `account: ${who.user}` }] };
      },
    );
    server.registerTool(
      "add_note",
      { description: "Adds a note to the account.", inputSchema: { text: z.string() } },
      async ({ text }) => {
        seen("add_note");
        return { content: [{ type: "text", text: `${who.user} noted: ${text}` }] };
      },
    );
    return server;
  }

  const metadataPath = "/.well-known/oauth-protected-resource/mcp";
  const resourceServer = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://upstream");
    if (request.method === "GET" && url.pathname === metadataPath) {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          resource: options.metadataResource?.(serverUri) ?? serverUri,
          authorization_servers: [options.metadataAuthorizationServer ?? authorizationServer.url],
          scopes_supported: ["notes"],
          bearer_methods_supported: ["header"],
        }),
      );
      return;
    }
    if (url.pathname !== "/mcp") {
      response.writeHead(404).end();
      return;
    }
    const bearer = /^Bearer\s+(.+)$/i.exec(String(request.headers.authorization ?? ""))?.[1] ?? "";
    const found = accessTokens.get(bearer);
    // Only this server's own, unexpired tokens (no passthrough of another audience's token).
    if (!found || found.expiresAt <= Date.now() || found.audience !== serverUri) {
      const origin = `http://${request.headers.host}`;
      response.writeHead(401, {
        "content-type": "application/json",
        "www-authenticate": `Bearer error="invalid_token", resource_metadata="${origin}${metadataPath}", scope="notes"`,
      });
      response.end(JSON.stringify({ error: "invalid_token" }));
      return;
    }
    const server = mcpServerFor(found, bearer);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    response.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request, response);
  });
  const port = await listen(resourceServer);
  serverUri = `http://127.0.0.1:${port}/mcp`;

  return {
    /** The MCP endpoint, also its canonical URI (the audience of its tokens). */
    url: serverUri,
    authorizationServer,
    clients,
    calls,
    refreshes,
    /** Who the next authorizations approve as. */
    approveAs: (user: string) => {
      approvingUser = user;
    },
    /** Issues a token for another audience, as another server of the same authorization server would. */
    issueForeignToken: (user: string) => {
      const foreign = token("at");
      accessTokens.set(foreign, {
        user,
        audience: "https://other.example/mcp",
        clientId: "other",
        expiresAt: Date.now() + 3_600_000,
      });
      return foreign;
    },
    expireAccessTokens: () => {
      for (const entry of accessTokens.values()) entry.expiresAt = 0;
    },
    /** The user removed the app at the provider: its tokens and refresh tokens stop working. */
    revokeGrants: (user: string) => {
      for (const grant of grants.values()) if (grant.user === user) grant.valid = false;
      for (const entry of accessTokens.values()) if (entry.user === user) entry.expiresAt = 0;
    },
    isLiveAccessToken: (candidate: string) => (accessTokens.get(candidate)?.expiresAt ?? 0) > Date.now(),
    stop: async () => {
      resourceServer.closeAllConnections();
      await new Promise<void>((resolve) => resourceServer.close(() => resolve()));
      await authorizationServer.stop();
    },
  };
}

export type McpOAuthUpstream = Awaited<ReturnType<typeof startMcpOAuthUpstream>>;
