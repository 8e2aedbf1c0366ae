// The AI app's side of signing in to the platform's MCP endpoint, for end-to-end tests: an
// in-memory OAuthClientProvider for the SDK's client (what a desktop app keeps on disk), a
// loopback HTTP listener for the redirect (RFC 8252, as desktop apps do), and the person's side in
// Chromium: sign in if asked, pick a server on the consent page, allow or deny.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import type { Page } from "playwright-core";
import { announceRevocation } from "@/lib/authorization-server/access-token-cache";
import { hashCredential } from "@/lib/authorization-server/credentials";
import { getDb } from "@/lib/db/client";

export type CallbackQuery = Record<string, string>;

/** A loopback listener for the authorization response; each `next()` waits for the next one. */
export type LoopbackCallback = {
  redirectUrl: string;
  next: (timeoutMs?: number) => Promise<CallbackQuery>;
  close: () => Promise<void>;
};

export async function startLoopbackCallback(pathname = "/callback"): Promise<LoopbackCallback> {
  const arrived: CallbackQuery[] = [];
  const waiting: ((query: CallbackQuery) => void)[] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== pathname) {
      response.writeHead(404).end();
      return;
    }
    const query = Object.fromEntries(url.searchParams);
    const waiter = waiting.shift();
    if (waiter) waiter(query);
    else arrived.push(query);
    response
      .writeHead(200, { "Content-Type": "text/html" })
      .end("<title>Done</title><p>You can close this.</p>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    redirectUrl: `http://127.0.0.1:${port}${pathname}`,
    next: (timeoutMs = 30_000) => {
      const first = arrived.shift();
      if (first) return Promise.resolve(first);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(answer), 1);
          reject(new Error(`no authorization response reached ${pathname} within ${timeoutMs} ms`));
        }, timeoutMs);
        const answer = (query: CallbackQuery) => {
          clearTimeout(timer);
          resolve(query);
        };
        waiting.push(answer);
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** What an SDK client keeps between runs, in memory, with the authorization URLs it was sent to. */
export class MemoryOAuthProvider implements OAuthClientProvider {
  client?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  /** The authorization server's issuer the 2.x SDK binds saved tokens to (the 1.x SDK gives none). */
  savedIssuer?: string;
  verifier?: string;
  readonly authorizationUrls: URL[] = [];
  readonly tokenHistory: OAuthTokens[] = [];
  /** The scopes the SDK invalidated, in order (the 2.x SDK drops tokens after invalid_grant). */
  readonly invalidated: string[] = [];

  /**
   * `clientMetadataUrl`: the https URL of the app's client ID metadata document, which the SDK
   * uses as its client_id instead of registering when the authorization server supports it.
   */
  constructor(
    readonly redirectUrl: string,
    readonly clientName = "Toolgate test client",
    readonly clientMetadataUrl?: string,
  ) {}

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.clientName,
      redirect_uris: [this.redirectUrl],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }

  clientInformation() {
    return this.client;
  }

  saveClientInformation(information: OAuthClientInformationMixed) {
    this.client = information;
  }

  tokens() {
    return this.saved;
  }

  saveTokens(tokens: OAuthTokens, context?: { issuer: string }) {
    this.saved = tokens;
    this.savedIssuer = context?.issuer;
    this.tokenHistory.push(tokens);
  }

  /** What the SDK calls when the server refuses what was kept (a revoked refresh token, say). */
  invalidateCredentials(scope: "all" | "client" | "tokens" | "verifier" | "discovery") {
    this.invalidated.push(scope);
    if (scope === "all" || scope === "tokens") this.saved = undefined;
    if (scope === "all" || scope === "client") this.client = undefined;
    if (scope === "all" || scope === "verifier") this.verifier = undefined;
  }

  redirectToAuthorization(url: URL) {
    this.authorizationUrls.push(url);
  }

  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }

  codeVerifier() {
    if (!this.verifier) throw new Error("no code verifier saved");
    return this.verifier;
  }
}

/**
 * The person's side of an authorization URL in Chromium: signs in on the platform's sign-in page
 * when sent there, then on the consent page picks `server` (a server's name, or a name for a new
 * one) and answers.
 */
export async function answerConsent(
  page: Page,
  authorizationUrl: string,
  options: {
    credentials?: { email: string; password: string };
    server: { existing: string } | { newName: string };
    allow?: boolean;
  },
): Promise<void> {
  page.setDefaultTimeout(60_000);
  await page.goto(authorizationUrl);
  if (new URL(page.url()).pathname === "/signin") {
    if (!options.credentials) throw new Error("the consent page asked to sign in");
    await page.getByLabel("Email").fill(options.credentials.email);
    await page.getByLabel("Password").fill(options.credentials.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/oauth/authorize");
  }
  await page.getByRole("heading", { level: 1, name: /^Allow .+ to use your tools\?$/ }).waitFor();
  if ("existing" in options.server)
    await page
      .getByRole("radio", { name: new RegExp(`^${escapeRegExp(options.server.existing)} ·`) })
      .check();
  else {
    await page.getByRole("radio", { name: "A new server, with no tools yet" }).check();
    await page.getByLabel("Name of the new server").fill(options.server.newName);
  }
  await page.getByRole("button", { name: options.allow === false ? "Deny" : "Allow", exact: true }).click();
  // The answer leaves the platform for the app's redirect URI (or comes back with a problem).
  await page.waitForURL((url) => url.pathname !== "/oauth/authorize" || url.searchParams.has("problem"));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Makes an access token expire now, as an hour's wait would: its row says so, and the platform's
 * processes are told to read it again (they keep tokens they have seen for a few seconds).
 */
export async function expireAccessToken(accessToken: string): Promise<void> {
  const row = await getDb().mcpToken.update({
    where: { tokenHash: hashCredential(accessToken) },
    data: { expiresAt: new Date(Date.now() - 1_000) },
    select: { grantId: true },
  });
  await announceRevocation([row.grantId]);
}
