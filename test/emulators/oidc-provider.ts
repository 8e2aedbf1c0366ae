// A real OpenID Connect provider on loopback for "Continue with single sign-on": panva's
// oidc-provider (certified by the OpenID Foundation), with its development login and consent pages
// (any password; the login names the account), one confidential client for the platform that must
// use PKCE, and accounts the test adds with a verified or unverified address. Offline throughout.
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export type OidcAccount = { login: string; email: string; emailVerified: boolean; name: string };

export type OidcProviderEmulator = {
  /** The issuer, as AUTH_OIDC_ISSUER names it. */
  issuer: string;
  /** Starts answering, with the platform's callback URL as the client's one redirect URI. */
  registerClient: (redirectUri: string) => void;
  addAccount: (account: OidcAccount) => void;
  /** The query of every authorization request received, in order. */
  authorizationRequests: URLSearchParams[];
  stop: () => Promise<void>;
};

export async function startOidcProvider(client: {
  id: string;
  secret: string;
}): Promise<OidcProviderEmulator> {
  const accounts = new Map<string, OidcAccount>();
  const authorizationRequests: URLSearchParams[] = [];
  let handle: http.RequestListener | undefined;
  // Listening first: the issuer is the address, and the provider is made once the platform's
  // callback URL (on a port chosen later) is known.
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://emulator");
    if (url.pathname === "/auth") authorizationRequests.push(url.searchParams);
    if (!handle) {
      response.writeHead(503).end("The provider has no client yet.");
      return;
    }
    handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    authorizationRequests,
    registerClient(redirectUri) {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: client.id,
            client_secret: client.secret,
            redirect_uris: [redirectUri],
            grant_types: ["authorization_code"],
            response_types: ["code"],
            token_endpoint_auth_method: "client_secret_basic",
          },
        ],
        pkce: { required: () => true },
        claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
        features: { devInteractions: { enabled: true } },
        cookies: { keys: ["oidc-emulator-cookie-key-for-tests"] },
        // Lifetimes in seconds (its defaults work too, but announce themselves on every use).
        ttl: {
          AccessToken: 600,
          AuthorizationCode: 60,
          Grant: 600,
          IdToken: 600,
          Interaction: 600,
          Session: 600,
        },
        async findAccount(_context, sub) {
          const account = accounts.get(sub);
          if (!account) return undefined;
          return {
            accountId: sub,
            claims: async () => ({
              sub,
              email: account.email,
              email_verified: account.emailVerified,
              name: account.name,
            }),
          };
        },
      });
      handle = provider.callback() as http.RequestListener;
    },
    addAccount(account) {
      accounts.set(account.login, account);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
