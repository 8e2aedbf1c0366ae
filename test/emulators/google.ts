// What Google's APIs share, for the Gmail, Sheets, Calendar and Drive emulators: bearer access
// tokens, the error body `{error: {code, message, status, errors: [{message, domain, reason}]}}`
// (https://cloud.google.com/apis/design/errors), and the OAuth token endpoint's refresh grant
// (https://developers.google.com/identity/protocols/oauth2/web-server#offline), so a test can
// point GOOGLE_TOKEN_URL at the emulator and watch a rejected token being renewed.
import { randomBytes } from "node:crypto";
import {
  type EmulatedRequest,
  type Emulator,
  type EmulatorOptions,
  type Reply,
  route,
  startEmulator,
} from "./emulator";

export const googleAccessToken = "ya29.a0AfH6SMBx-emulated-access-token";
export const googleRefreshToken = "1//0emulated-refresh-token";
export const googleClient = {
  id: "1234567890-emulated.apps.googleusercontent.com",
  secret: "GOCSPX-emulated",
};

const statusNames: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ALREADY_EXISTS",
  411: "LENGTH_REQUIRED",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
};

const reasons: Record<number, string> = {
  400: "badRequest",
  401: "authError",
  403: "forbidden",
  404: "notFound",
  409: "duplicate",
  411: "lengthRequired",
  429: "rateLimitExceeded",
  500: "backendError",
};

/** Google's JSON error reply. */
export function googleError(status: number, message: string, reason = reasons[status] ?? "error"): Reply {
  return {
    status,
    json: {
      error: {
        code: status,
        message,
        errors: [{ message, domain: status === 429 ? "usageLimits" : "global", reason }],
        ...(statusNames[status] && { status: statusNames[status] }),
      },
    },
  };
}

export const unauthenticated = (): Reply => ({
  ...googleError(
    401,
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
  ),
  headers: { "www-authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
});

/** A JSON body is required and must be sent as application/json. */
export function requireJson(request: EmulatedRequest): Reply | undefined {
  if (!request.contentType.startsWith("application/json"))
    return googleError(
      400,
      `Invalid JSON payload received. Unexpected Content-Type: ${request.contentType || "none"}`,
    );
  if (request.body === undefined) return googleError(400, "Invalid JSON payload received. Empty body.");
  return undefined;
}

export type GoogleEmulator = Emulator & {
  /** Access tokens the emulator accepts; a refresh adds one. */
  validTokens: Set<string>;
};

/**
 * An emulator of one Google API plus the token endpoint at POST /token, which renews access for
 * `googleRefreshToken` from `googleClient`.
 */
export async function startGoogleEmulator(
  options: Omit<EmulatorOptions, "authenticate" | "notFound">,
): Promise<GoogleEmulator> {
  const validTokens = new Set([googleAccessToken]);
  const tokenRoute = route("POST", "/token", (request) => {
    const form = (request.body ?? {}) as Record<string, string>;
    if (!request.contentType.startsWith("application/x-www-form-urlencoded"))
      return { status: 400, json: { error: "invalid_request", error_description: "Bad content type" } };
    if (form.client_id !== googleClient.id || form.client_secret !== googleClient.secret)
      return { status: 401, json: { error: "invalid_client", error_description: "Unauthorized" } };
    if (form.grant_type !== "refresh_token" || form.refresh_token !== googleRefreshToken)
      return {
        status: 400,
        json: { error: "invalid_grant", error_description: "Token has been expired or revoked." },
      };
    const accessToken = `ya29.${randomBytes(16).toString("hex")}`;
    validTokens.add(accessToken);
    return { json: { access_token: accessToken, expires_in: 3599, scope: "emulated", token_type: "Bearer" } };
  });
  const emulator = await startEmulator({
    ...options,
    routes: [tokenRoute, ...options.routes],
    authenticate: (request) => {
      if (request.path === "/token") return undefined;
      const match = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ""));
      return match?.[1] && validTokens.has(match[1]) ? undefined : unauthenticated();
    },
    notFound: (request) => ({
      status: 404,
      text: `The requested URL ${request.path} was not found on this server.`,
      headers: { "content-type": "text/html; charset=UTF-8" },
    }),
  });
  return Object.assign(emulator, { validTokens });
}
