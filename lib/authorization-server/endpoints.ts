// The authorization server's HTTP endpoints as (Request) => Response functions, which the route
// handlers under app/oauth export: metadata, token (RFC 6749 §3.2), registration (RFC 7591) and
// revocation (RFC 7009). They take no cookies, so any origin may call them (browser-based MCP
// clients do): answers carry permissive CORS headers and are never cached.
import { clientAddress } from "@/lib/http/client-address";
import { readRequestText } from "@/lib/http/read-body";
import { createLogger } from "@/lib/log/logger";
import { registerClient } from "./clients";
import { exchangeAuthorizationCode } from "./codes";
import { authorizationServerMetadata, protectedResourceMetadata } from "./metadata";
import { OAuthError } from "./oauth-error";
import { refreshTokens, revokeToken } from "./tokens";

const maxBodyBytes = 16_384;

const corsHeaders = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
  "Access-Control-Allow-Headers": "Authorization, Content-Type, MCP-Protocol-Version",
  "Access-Control-Max-Age": "600",
};

function json(body: unknown, status = 200, cache = "no-store"): Response {
  return Response.json(body, {
    status,
    headers: { ...corsHeaders, "Cache-Control": cache, Pragma: "no-cache" },
  });
}

function errorResponse(error: unknown): Response {
  if (error instanceof OAuthError) return json(error.toJSON(), error.status);
  createLogger({ module: "authorization-server" }).error(
    { err: (error as Error).message },
    "authorization server request failed",
  );
  return json({ error: "server_error", error_description: "The server failed; try again." }, 500);
}

/** The answer to a CORS preflight. */
export function preflight(): Response {
  return new Response(null, { status: 204, headers: corsHeaders });
}

export function serveProtectedResourceMetadata(): Response {
  return json(protectedResourceMetadata(), 200, "public, max-age=300");
}

export function serveAuthorizationServerMetadata(): Response {
  return json(authorizationServerMetadata(), 200, "public, max-age=300");
}

/** The form fields of a token or revocation request (application/x-www-form-urlencoded). */
async function readForm(request: Request): Promise<URLSearchParams> {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded")
    throw new OAuthError("invalid_request", "Send the request as application/x-www-form-urlencoded.");
  const text = await readRequestText(request, maxBodyBytes);
  if (text === null) throw new OAuthError("invalid_request", `The body is over ${maxBodyBytes} bytes.`);
  const form = new URLSearchParams(text);
  for (const name of new Set(form.keys()))
    if (form.getAll(name).length > 1) throw new OAuthError("invalid_request", `${name} is given twice.`);
  return form;
}

/**
 * The client_id a request carries: in the body, or as the user name of HTTP Basic (a client that
 * thinks it has a secret); public clients have nothing to prove beyond it.
 */
function clientIdOf(request: Request, form: URLSearchParams): string {
  const fromBody = form.get("client_id");
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(request.headers.get("authorization") ?? "");
  const fromHeader = basic?.[1]
    ? decodeURIComponent(Buffer.from(basic[1], "base64").toString("utf8").split(":")[0] ?? "")
    : undefined;
  if (fromBody && fromHeader && fromBody !== fromHeader)
    throw new OAuthError(
      "invalid_request",
      "client_id differs between the body and the Authorization header.",
    );
  const clientId = fromBody ?? fromHeader;
  if (!clientId) throw new OAuthError("invalid_client", "The request names no client (client_id).");
  return clientId;
}

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (!value) throw new OAuthError("invalid_request", `${name} is required.`);
  return value;
}

export async function serveToken(request: Request): Promise<Response> {
  try {
    const form = await readForm(request);
    const clientId = clientIdOf(request, form);
    const resource = form.get("resource") ?? undefined;
    const grantType = form.get("grant_type");
    if (grantType === "authorization_code")
      return json(
        await exchangeAuthorizationCode({
          code: required(form, "code"),
          clientId,
          redirectUri: required(form, "redirect_uri"),
          codeVerifier: required(form, "code_verifier"),
          resource,
        }),
      );
    if (grantType === "refresh_token")
      return json(await refreshTokens({ refreshToken: required(form, "refresh_token"), clientId, resource }));
    throw new OAuthError(
      "unsupported_grant_type",
      grantType
        ? `grant_type ${grantType.slice(0, 100)} is not supported; use authorization_code or refresh_token.`
        : "grant_type is required.",
    );
  } catch (error) {
    return errorResponse(error);
  }
}

export async function serveRegistration(request: Request): Promise<Response> {
  try {
    const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
    if (type !== "application/json")
      throw new OAuthError("invalid_client_metadata", "Send the client metadata as application/json.");
    const text = await readRequestText(request, maxBodyBytes);
    if (text === null)
      throw new OAuthError("invalid_client_metadata", `The body is over ${maxBodyBytes} bytes.`);
    let metadata: unknown;
    try {
      metadata = JSON.parse(text);
    } catch {
      throw new OAuthError("invalid_client_metadata", "The body is not valid JSON.");
    }
    return json(await registerClient(metadata, clientAddress(request.headers)), 201);
  } catch (error) {
    return errorResponse(error);
  }
}

export async function serveRevocation(request: Request): Promise<Response> {
  try {
    const form = await readForm(request);
    await revokeToken(required(form, "token"), clientIdOf(request, form));
    return json({});
  } catch (error) {
    return errorResponse(error);
  }
}
