// An authorization request (RFC 6749 §4.1.1 with PKCE and RFC 8707's resource) read from the
// authorize URL's query. What is wrong with the client or its redirect URI is shown to the person
// and never redirected (the URI cannot be trusted); anything else wrong goes back to the client
// as an error on its redirect URI, as §4.1.2.1 asks. A valid request is kept in Redis while the
// person signs in and decides, under an id that the consent page and its form carry.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { getRedis, redisKey } from "@/lib/redis/client";
import { findClient, type RegisteredClient } from "./clients";
import { issuer, mcpResource, mcpScope } from "./metadata";
import { OAuthError, type OAuthErrorCode } from "./oauth-error";
import { redirectUriMatches } from "./redirect-uris";

export type AuthorizationRequest = {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  state: string | null;
  resource: string;
  scope: string;
};

export type ReadAuthorizationRequest =
  | { outcome: "valid"; request: AuthorizationRequest; client: RegisteredClient }
  /** Shown to the person: the client or its redirect URI cannot be trusted with an answer. */
  | { outcome: "unanswerable"; message: string }
  /** Sent back to the client's redirect URI. */
  | { outcome: "refused"; location: string };

/** How long a person has to sign in and decide. */
const pendingLifetimeSeconds = 15 * 60;

const single = (params: URLSearchParams, name: string): string | undefined => {
  const values = params.getAll(name);
  return values.length === 1 ? values[0] : undefined;
};

/** The client's redirect URI with the answer's parameters, and `iss` (RFC 9207). */
export function answerLocation(redirectUri: string, answer: Record<string, string | null>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(answer)) if (value !== null) url.searchParams.set(name, value);
  url.searchParams.set("iss", issuer());
  return url.toString();
}

function refusal(
  redirectUri: string,
  state: string | null,
  error: OAuthErrorCode,
  description: string,
): ReadAuthorizationRequest {
  return {
    outcome: "refused",
    location: answerLocation(redirectUri, { error, error_description: description, state }),
  };
}

const challengeSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

export async function readAuthorizationRequest(params: URLSearchParams): Promise<ReadAuthorizationRequest> {
  const clientId = single(params, "client_id");
  if (!clientId) return { outcome: "unanswerable", message: "The request names no client (client_id)." };
  let client: RegisteredClient;
  try {
    client = await findClient(clientId);
  } catch (error) {
    if (error instanceof OAuthError) return { outcome: "unanswerable", message: error.description };
    throw error;
  }
  const redirectUri = single(params, "redirect_uri");
  if (!redirectUri)
    return { outcome: "unanswerable", message: "The request names no redirect URI (redirect_uri)." };
  if (!redirectUriMatches(redirectUri, client.redirectUris))
    return {
      outcome: "unanswerable",
      message: `The redirect URI ${redirectUri.slice(0, 200)} is not one that ${client.name} registered.`,
    };

  const state = single(params, "state") ?? null;
  if (state !== null && state.length > 1_000)
    return refusal(redirectUri, null, "invalid_request", "state is longer than 1000 characters.");
  const refuse = (error: OAuthErrorCode, description: string) =>
    refusal(redirectUri, state, error, description);
  if (single(params, "response_type") !== "code")
    return refuse("unsupported_response_type", "Only response_type=code is supported.");
  const codeChallenge = single(params, "code_challenge");
  if (!codeChallenge) return refuse("invalid_request", "PKCE is required: send code_challenge.");
  if (single(params, "code_challenge_method") !== "S256")
    return refuse("invalid_request", "code_challenge_method must be S256; plain is not accepted.");
  if (!challengeSchema.safeParse(codeChallenge).success)
    return refuse("invalid_request", "code_challenge is not a base64url SHA-256 digest (43 characters).");
  const resources = params.getAll("resource");
  if (resources.length > 1) return refuse("invalid_target", "Only one resource may be asked for.");
  const resource = resources[0] ?? mcpResource();
  if (resource !== mcpResource())
    return refuse("invalid_target", `The only resource here is ${mcpResource()}.`);
  const scopes = (single(params, "scope") ?? mcpScope).split(" ").filter(Boolean);
  if (scopes.some((scope) => scope !== mcpScope))
    return refuse("invalid_scope", `The only scope here is "${mcpScope}".`);

  return {
    outcome: "valid",
    client,
    request: { clientId, redirectUri, codeChallenge, state, resource, scope: mcpScope },
  };
}

const pendingKey = (id: string) => redisKey("oauth", "authorization-request", id);
const pendingIdPattern = /^[A-Za-z0-9_-]{22}$/;

/** Keeps a valid request while the person signs in and decides; returns its id. */
export async function keepPendingRequest(request: AuthorizationRequest): Promise<string> {
  const id = randomBytes(16).toString("base64url");
  await (await getRedis()).set(pendingKey(id), JSON.stringify(request), "EX", pendingLifetimeSeconds);
  return id;
}

export async function findPendingRequest(id: string): Promise<AuthorizationRequest | null> {
  if (!pendingIdPattern.test(id)) return null;
  const stored = await (await getRedis()).get(pendingKey(id));
  return stored ? (JSON.parse(stored) as AuthorizationRequest) : null;
}

/** Takes a pending request for a decision: each is decided once. */
export async function takePendingRequest(id: string): Promise<AuthorizationRequest | null> {
  if (!pendingIdPattern.test(id)) return null;
  const stored = await (await getRedis()).getdel(pendingKey(id));
  return stored ? (JSON.parse(stored) as AuthorizationRequest) : null;
}
