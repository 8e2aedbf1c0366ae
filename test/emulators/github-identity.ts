// GitHub's OAuth web flow as "Continue with GitHub" uses it, at a GitHub Enterprise Server base
// URL (https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps):
// /login/oauth/authorize redirects back at once (the person approves), /login/oauth/access_token
// checks the client, the code, the redirect URI and the PKCE verifier, and /api/v3/user and
// /api/v3/user/emails answer for the token (a profile without a public email, as many are).
import { createHash, randomBytes } from "node:crypto";
import { bearerToken, route, startEmulator } from "./emulator";

/** `verified: false`: the primary address is not verified at GitHub yet. */
export type GitHubPerson = { id: number; login: string; name: string; email: string; verified?: boolean };

export async function startGitHubIdentityEmulator(client: { id: string; secret: string }) {
  let person: GitHubPerson | undefined;
  let redirectUri = "";
  const codes = new Map<string, { challenge: string; redirectUri: string; person: GitHubPerson }>();
  const tokens = new Map<string, GitHubPerson>();
  const error = (message: string) => ({
    status: 200,
    json: { error: "bad_verification_code", error_description: message },
  });

  const emulator = await startEmulator({
    name: "github-identity",
    routes: [
      route("GET", "/login/oauth/authorize", (request) => {
        const query = request.query;
        if (query.get("client_id") !== client.id) return { status: 404, text: "Not Found" };
        if (query.get("redirect_uri") !== redirectUri)
          return { status: 400, text: "The redirect_uri is not associated with this application." };
        const challenge = query.get("code_challenge");
        // GitHub takes state as optional; Auth.js protects this flow with PKCE instead.
        if (query.get("code_challenge_method") !== "S256" || !challenge || !person)
          return { status: 400, text: "Bad authorization request." };
        const code = randomBytes(10).toString("hex");
        codes.set(code, { challenge, redirectUri, person });
        const back = new URL(redirectUri);
        back.searchParams.set("code", code);
        const state = query.get("state");
        if (state) back.searchParams.set("state", state);
        return { status: 302, headers: { location: back.toString() } };
      }),
      route("POST", "/login/oauth/access_token", (request) => {
        const form = (request.body ?? {}) as Record<string, string>;
        const basic = request.headers.authorization?.startsWith("Basic ")
          ? Buffer.from(request.headers.authorization.slice(6), "base64")
              .toString()
              .split(":")
              .map(decodeURIComponent)
          : [form.client_id, form.client_secret];
        if (basic[0] !== client.id || basic[1] !== client.secret)
          return { status: 200, json: { error: "incorrect_client_credentials" } };
        const grant = codes.get(form.code ?? "");
        codes.delete(form.code ?? "");
        if (!grant) return error("The code passed is incorrect or expired.");
        if (form.redirect_uri !== grant.redirectUri) return error("The redirect_uri does not match.");
        const verifier = createHash("sha256")
          .update(form.code_verifier ?? "")
          .digest("base64url");
        if (verifier !== grant.challenge)
          return error("The code_verifier does not match the code_challenge.");
        const accessToken = `gho_${randomBytes(18).toString("hex")}`;
        tokens.set(accessToken, grant.person);
        return { json: { access_token: accessToken, token_type: "bearer", scope: "read:user,user:email" } };
      }),
      route("GET", "/api/v3/user", (request) => {
        const owner = tokens.get(bearerToken(request) ?? "");
        if (!owner) return { status: 401, json: { message: "Bad credentials" } };
        return {
          json: { id: owner.id, login: owner.login, name: owner.name, email: null, avatar_url: null },
        };
      }),
      route("GET", "/api/v3/user/emails", (request) => {
        const owner = tokens.get(bearerToken(request) ?? "");
        if (!owner) return { status: 401, json: { message: "Bad credentials" } };
        return {
          json: [
            {
              email: `${owner.login}@users.noreply.github.example`,
              primary: false,
              verified: true,
              visibility: null,
            },
            { email: owner.email, primary: true, verified: owner.verified ?? true, visibility: "private" },
          ],
        };
      }),
    ],
  });
  return {
    ...emulator,
    /** Who approves the next sign-in. */
    signInAs(next: GitHubPerson) {
      person = next;
    },
    registerRedirectUri(uri: string) {
      redirectUri = uri;
    },
  };
}
