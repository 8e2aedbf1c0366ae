// A notes API described by an OpenAPI document whose accounts sign in with OAuth 2 authorization
// code at a separate local authorization server (oauth-server.ts: registered client and secret,
// exact redirect URI, PKCE, single-use codes, rotating refresh tokens). The API publishes its
// description (the authorization server's address filled in) and an OpenID Connect discovery
// document naming that server's endpoints, and accepts only live access tokens that server issued.
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { bearerToken, checkBody, type Handler, type Reply, route, startEmulator } from "./emulator";
import { startOAuthServer } from "./oauth-server";

export const notesClient = { clientId: "notes-client-1", clientSecret: "notes-secret-canary-5b8e2f" };

const description = readFileSync(
  path.resolve(import.meta.dirname, "../fixtures/openapi/notes-oauth.yaml"),
  "utf8",
);

const unauthorized: Reply = {
  status: 401,
  headers: { "www-authenticate": 'Bearer error="invalid_token"' },
  json: { error: "invalid_token", message: "The access token is missing, expired or not ours." },
};

export async function startOAuthNotes() {
  const authorization = await startOAuthServer({ ...notesClient, redirectUri: "set by the test" });
  const notes: { id: number; text: string }[] = [];
  const tokensSeen: string[] = [];
  let edit: (text: string) => string = (text) => text;

  const signedIn =
    (handle: Handler): Handler =>
    (request, params) => {
      const token = bearerToken(request);
      if (!token || !authorization.isLiveAccessToken(token)) return unauthorized;
      tokensSeen.push(token);
      return handle(request, params);
    };

  const api = await startEmulator({
    name: "oauth-notes",
    notFound: (request) => ({
      status: 404,
      json: { message: `No route ${request.method} ${request.path}.` },
    }),
    routes: [
      route("GET", "/openapi.yaml", () => ({
        text: edit(description.replaceAll("AUTHORIZATION_SERVER", authorization.url)),
        headers: { "content-type": "application/yaml" },
      })),
      route("GET", "/.well-known/openid-configuration", () => ({
        json: {
          issuer: api.url,
          authorization_endpoint: `${authorization.url}/authorize`,
          token_endpoint: `${authorization.url}/token`,
          token_endpoint_auth_methods_supported: ["client_secret_basic"],
          response_types_supported: ["code"],
        },
      })),
      route(
        "GET",
        "/v1/notes",
        signedIn(() => ({ json: notes })),
      ),
      route(
        "POST",
        "/v1/notes",
        signedIn((request) => {
          const checked = checkBody(request, z.strictObject({ text: z.string().min(1) }), (problem) => ({
            status: 400,
            json: { message: problem },
          }));
          if (!checked.ok) return checked.reply;
          const note = { id: notes.length + 1, text: checked.body.text };
          notes.push(note);
          return { status: 201, json: note };
        }),
      ),
    ],
  });

  return {
    api,
    authorization,
    specUrl: `${api.url}/openapi.yaml`,
    /** The bearer tokens the API accepted, in order. */
    tokensSeen,
    /** Changes the published description from now on. */
    editDescription: (change: (text: string) => string) => {
      edit = change;
    },
    stop: async () => {
      await api.stop();
      await authorization.stop();
    },
  };
}
export type OAuthNotes = Awaited<ReturnType<typeof startOAuthNotes>>;
