// Requests to an OAuth app's token endpoint (code exchange and refresh), and the reading of its
// answers: tokens, lifetime, the fields the app's actions keep, and errors such as invalid_grant.
import { z } from "zod";
import { encodeForm, retryAfterMs } from "@/integrations/sdk/http";
import { guardedFetch } from "@/lib/http/guarded-fetch";
import type { OAuthClient } from "./client-config";

/** What the vault holds for an OAuth connection. */
export const storedTokensSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  /** Epoch milliseconds; absent when the provider did not say. */
  expiresAt: z.number().optional(),
  tokenType: z.string().optional(),
  scope: z.string().optional(),
  extra: z.record(z.string(), z.string()).optional(),
});
export type StoredTokens = z.infer<typeof storedTokensSchema>;

const tokenResponseSchema = z
  .object({
    access_token: z.string().min(1),
    refresh_token: z.string().min(1).optional(),
    expires_in: z.coerce.number().positive().optional(),
    token_type: z.string().optional(),
    scope: z.string().optional(),
  })
  .passthrough();

/**
 * The token endpoint refused or could not be reached: `code` is the OAuth error ("invalid_grant",
 * ...), `status` the HTTP status (none when the endpoint was not reached).
 */
export class TokenEndpointError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
    /** From Retry-After, when the endpoint said how long to wait. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "TokenEndpointError";
  }
}

function flattenKept(body: Record<string, unknown>, names: string[] | undefined): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of names ?? []) {
    // Dotted names reach into nested objects (Slack's "team.id").
    const value = name
      .split(".")
      .reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], body);
    if (typeof value === "string" || typeof value === "number") kept[name] = String(value);
  }
  return kept;
}

/** The client's credentials on the token request: HTTP Basic, the form, or its id alone (public). */
function clientAuthentication(client: OAuthClient): {
  form: Record<string, string>;
  headers: Record<string, string>;
} {
  const method = client.definition.clientAuth ?? "body";
  if (method === "basic" && client.clientSecret !== undefined)
    return {
      form: {},
      headers: {
        authorization: `Basic ${Buffer.from(
          `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`,
        ).toString("base64")}`,
      },
    };
  if (method === "none" || client.clientSecret === undefined)
    return { form: { client_id: client.clientId }, headers: {} };
  return { form: { client_id: client.clientId, client_secret: client.clientSecret }, headers: {} };
}

export async function requestTokens(
  client: OAuthClient,
  params: Record<string, string>,
  now = Date.now(),
): Promise<StoredTokens> {
  const authentication = clientAuthentication(client);
  const form = {
    ...params,
    ...(client.definition.resource && { resource: client.definition.resource }),
    ...authentication.form,
  };
  let response: Awaited<ReturnType<typeof guardedFetch>>;
  try {
    response = await guardedFetch(client.tokenUrl, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
        ...authentication.headers,
      },
      body: encodeForm(form),
      // The operator configured this endpoint, or it is the provider's own; an added app's came
      // from its upstream and is checked like any user-supplied URL.
      trustedDestination: client.source !== "app",
      timeoutMs: 15_000,
    });
  } catch (error) {
    throw new TokenEndpointError(
      "unreachable",
      `The token endpoint could not be reached: ${(error as Error).message}`,
    );
  }
  const waitMs = response.status === 429 ? retryAfterMs(response.headers) : undefined;
  let body: Record<string, unknown>;
  try {
    body = response.json<Record<string, unknown>>();
  } catch {
    throw new TokenEndpointError(
      "invalid_response",
      `The token endpoint answered HTTP ${response.status} without JSON.`,
      response.status,
      waitMs,
    );
  }
  const parsed = tokenResponseSchema.safeParse(body);
  if (response.status >= 400 || !parsed.success) {
    const code = typeof body.error === "string" ? body.error : "invalid_response";
    const description = typeof body.error_description === "string" ? `: ${body.error_description}` : "";
    throw new TokenEndpointError(
      code,
      `The token endpoint refused (${code})${description}.`,
      response.status,
      waitMs,
    );
  }
  const tokens = parsed.data;
  const extra = flattenKept(body, client.definition.keepFromTokenResponse);
  return {
    accessToken: tokens.access_token,
    ...(tokens.refresh_token && { refreshToken: tokens.refresh_token }),
    ...(tokens.expires_in && { expiresAt: now + tokens.expires_in * 1000 }),
    ...(tokens.token_type && { tokenType: tokens.token_type }),
    ...(tokens.scope && { scope: tokens.scope }),
    ...(Object.keys(extra).length > 0 && { extra }),
  };
}
