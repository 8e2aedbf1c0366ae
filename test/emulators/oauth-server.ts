// A local OAuth 2.0 authorization server as RFC 6749, RFC 7636 (PKCE) and RFC 6819 describe
// one: registered client and exact redirect URI, single-use codes bound to the redirect URI and
// the PKCE challenge, refresh tokens that rotate (a used one is invalid_grant), and a protected
// resource that accepts only live access tokens. It approves every authorization at once, as a
// user who clicks "Allow" would.
import { createHash, randomBytes } from "node:crypto";
import {
  basicCredentials,
  bearerToken,
  type EmulatedRequest,
  type Reply,
  route,
  startEmulator,
} from "./emulator";

export type OAuthServerOptions = {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Lifetime of access tokens, in seconds. */
  accessTokenSeconds?: number;
  /** Answer protected-resource GETs with this body (an app's "who am I" endpoint). */
  profile?: Record<string, unknown>;
};

type Code = { redirectUri: string; challenge?: string; scope: string; used: boolean };

function oauthError(error: string, description: string, status = 400): Reply {
  return { status, json: { error, error_description: description } };
}

const token = () => randomBytes(24).toString("base64url");

export async function startOAuthServer(options: OAuthServerOptions) {
  const codes = new Map<string, Code>();
  const accessTokens = new Map<string, number>(); // token → expiry (ms)
  const refreshTokens = new Map<string, { valid: boolean }>();
  const stats = { codeExchanges: 0, refreshes: 0 };
  let heldRefresh: { arrive: () => void; released: Promise<void> } | undefined;

  function issueTokens(scope: string): Reply {
    const accessToken = `at-${token()}`;
    const refreshToken = `rt-${token()}`;
    const lifetime = options.accessTokenSeconds ?? 3600;
    accessTokens.set(accessToken, Date.now() + lifetime * 1000);
    refreshTokens.set(refreshToken, { valid: true });
    return {
      headers: { "cache-control": "no-store" },
      json: {
        access_token: accessToken,
        token_type: "Bearer",
        expires_in: lifetime,
        refresh_token: refreshToken,
        scope,
      },
    };
  }

  function authenticateClient(request: EmulatedRequest): boolean {
    const body = (request.body ?? {}) as Record<string, string>;
    const basic = basicCredentials(request);
    const id = basic ? decodeURIComponent(basic.user) : body.client_id;
    const secret = basic ? decodeURIComponent(basic.password) : body.client_secret;
    return id === options.clientId && secret === options.clientSecret;
  }

  const emulator = await startEmulator({
    name: "oauth",
    routes: [
      route("GET", "/authorize", (request) => {
        const query = request.query;
        // Errors about the client or redirect URI are shown to the user, never redirected (RFC 6749 4.1.2.1).
        if (query.get("client_id") !== options.clientId)
          return oauthError("invalid_client", "Unknown client");
        if (query.get("redirect_uri") !== options.redirectUri)
          return oauthError("invalid_request", "redirect_uri does not match the registered one");
        const back = new URL(options.redirectUri);
        const state = query.get("state");
        if (state) back.searchParams.set("state", state);
        const challenge = query.get("code_challenge") ?? undefined;
        if (query.get("response_type") !== "code")
          back.searchParams.set("error", "unsupported_response_type");
        else if (challenge && query.get("code_challenge_method") !== "S256")
          back.searchParams.set("error", "invalid_request");
        else {
          const code = `code-${token()}`;
          codes.set(code, {
            redirectUri: options.redirectUri,
            challenge,
            scope: query.get("scope") ?? "",
            used: false,
          });
          back.searchParams.set("code", code);
        }
        return { status: 302, headers: { location: back.toString() } };
      }),
      route("POST", "/token", async (request) => {
        if (!request.contentType.startsWith("application/x-www-form-urlencoded"))
          return oauthError("invalid_request", "The body must be application/x-www-form-urlencoded");
        if (!authenticateClient(request))
          return oauthError("invalid_client", "Client authentication failed", 401);
        const body = request.body as Record<string, string>;
        if (body.grant_type === "authorization_code") {
          stats.codeExchanges++;
          const code = codes.get(body.code ?? "");
          if (!code || code.used)
            return oauthError("invalid_grant", "The code is invalid or was already used");
          code.used = true;
          if (body.redirect_uri !== code.redirectUri)
            return oauthError("invalid_grant", "redirect_uri differs from the authorization request");
          if (code.challenge) {
            const verifier = body.code_verifier ?? "";
            if (createHash("sha256").update(verifier).digest("base64url") !== code.challenge)
              return oauthError("invalid_grant", "PKCE verification failed");
          }
          return issueTokens(code.scope);
        }
        if (body.grant_type === "refresh_token") {
          stats.refreshes++;
          const entry = refreshTokens.get(body.refresh_token ?? "");
          if (!entry?.valid)
            return oauthError("invalid_grant", "The refresh token is invalid, used or revoked");
          entry.valid = false; // rotation: each refresh token works once
          const reply = issueTokens("");
          const hold = heldRefresh;
          heldRefresh = undefined;
          if (hold) {
            hold.arrive();
            await hold.released;
          }
          return reply;
        }
        return oauthError("unsupported_grant_type", `grant_type ${body.grant_type} is not supported`);
      }),
      route("GET", "/*", (request) => {
        const accessToken = bearerToken(request);
        const expiry = accessToken ? accessTokens.get(accessToken) : undefined;
        if (!expiry || expiry < Date.now())
          return {
            status: 401,
            headers: { "www-authenticate": 'Bearer error="invalid_token"' },
            json: { error: { code: 401, message: "Invalid Credentials", status: "UNAUTHENTICATED" } },
          };
        return { json: options.profile ?? { ok: true } };
      }),
    ],
  });

  return {
    ...emulator,
    stats,
    /** Registers the client's redirect URI (known only once the platform has its port). */
    registerRedirectUri: (uri: string) => {
      options.redirectUri = uri;
    },
    /** Revokes every refresh token (the user removed the app at the provider). */
    revokeRefreshTokens: () => {
      for (const entry of refreshTokens.values()) entry.valid = false;
    },
    /**
     * Holds the answer to the next refresh (already rotated on this side) until `release()`;
     * `arrived` settles when that refresh comes in.
     */
    holdNextRefresh: () => {
      let arrive = () => {};
      let release = () => {};
      const arrived = new Promise<void>((resolve) => {
        arrive = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      heldRefresh = { arrive, released };
      return { arrived, release };
    },
    /** Expires every access token now. */
    expireAccessTokens: () => {
      for (const key of accessTokens.keys()) accessTokens.set(key, 0);
    },
    isLiveAccessToken: (candidate: string) => (accessTokens.get(candidate) ?? 0) > Date.now(),
    isLiveRefreshToken: (candidate: string) => refreshTokens.get(candidate)?.valid === true,
  };
}
