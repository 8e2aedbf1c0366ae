// Auth.js configuration: email and password (Credentials) always, GitHub, Google and single sign-on
// (any OpenID Connect provider) when their client ids are configured. A member of an organization
// that requires single sign-on may sign in only through it. Sessions are JWTs in HttpOnly, SameSite=Lax cookies, Secure
// (and __Secure- prefixed) whenever APP_URL is https, each with an id that a sign-out revokes.
import { randomUUID } from "node:crypto";
import type { AuthConfig } from "@auth/core";
import { CredentialsSignin } from "@auth/core/errors";
import type { OIDCConfig, Provider } from "@auth/core/providers";
import Credentials from "@auth/core/providers/credentials";
import GitHub from "@auth/core/providers/github";
import Google from "@auth/core/providers/google";
import { z } from "zod";
import { getAppUrl, getEnv, getOidcSettings, requireEnv } from "@/env";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { isAppError } from "@/lib/errors/app-error";
import { clientAddress, forwardedClientIp } from "@/lib/http/client-address";
import { createLogger } from "@/lib/log/logger";
import { autoJoinByDomain, findSsoRequirement } from "@/lib/orgs/sso-settings";
import { emailSchema } from "@/lib/users/schemas";
import {
  githubProfileWithVerifiedEmail,
  oidcProviderId,
  resolveOAuthUser,
  SsoRequiredError,
} from "./oauth-sign-in";
import { getDecoyHash, verifyPassword } from "./password";
import { clearRateLimit, hitRateLimit, signInLimits } from "./rate-limit";
import { isSessionRevoked, revokeSession, sessionMaxAgeSeconds } from "./revoked-sessions";

type RefusalCode =
  | "invalid_credentials"
  | "invalid_input"
  | "rate_limited"
  | "suspended"
  | "unavailable"
  // Followed by ":" and the id of the organization that requires single sign-on (the sign-in page
  // names it).
  | `sso_required:${string}`;

class SignInRefused extends CredentialsSignin {
  constructor(code: RefusalCode) {
    super();
    this.code = code;
  }
}

/** Where a refused provider sign-in of a member of an organization requiring single sign-on lands. */
function ssoRefusalUrl(orgId: string): string {
  return `/signin?${new URLSearchParams({ error: "AccessDenied", code: "sso_required", org: orgId })}`;
}

const credentialsSchema = z.object({ email: emailSchema, password: z.string().min(1).max(200) });

async function authorizeWithPassword(raw: unknown, request: Request) {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) throw new SignInRefused("invalid_input");
  const { email, password } = parsed.data;
  const address = clientAddress(request.headers);
  const accountKey = `${email}|${address}`;
  try {
    const [account, accountTotal, ip] = await Promise.all([
      hitRateLimit(signInLimits.perAccount, accountKey),
      hitRateLimit(signInLimits.perAccountAnyAddress, email),
      hitRateLimit(signInLimits.perAddress, address),
    ]);
    if (!account.allowed || !accountTotal.allowed || !ip.allowed) throw new SignInRefused("rate_limited");
  } catch (error) {
    if (error instanceof SignInRefused) throw error;
    throw new SignInRefused("unavailable");
  }
  const user = await getDb().user.findUnique({ where: { email } });
  const valid = await verifyPassword(password, user?.passwordHash ?? (await getDecoyHash()));
  // Attempts on existing accounts go to the audit trail (never the password); guesses at
  // addresses nobody has are only counted, so they cannot fill it.
  const from = { ip: forwardedClientIp(request.headers), userAgent: request.headers.get("user-agent") };
  if (!user?.passwordHash || !valid || user.suspendedAt) {
    const reason = !user?.passwordHash || !valid ? "invalid_credentials" : "suspended";
    if (user)
      await recordAuditEvent(
        { ...from, actorId: null },
        "user.sign_in_failed",
        { type: "user", id: user.id },
        {
          method: "password",
          reason,
        },
      );
    throw new SignInRefused(reason);
  }
  // Checked only once the password is right, so the refusal (which names the organization) tells
  // nothing to someone who does not know it.
  const ssoRequirement = await findSsoRequirement(user.id);
  if (ssoRequirement) {
    await recordAuditEvent(
      { ...from, actorId: null },
      "user.sign_in_failed",
      { type: "user", id: user.id },
      { method: "password", reason: "sso_required", orgId: ssoRequirement.orgId },
    );
    throw new SignInRefused(`sso_required:${ssoRequirement.orgId}`);
  }
  await Promise.all([
    clearRateLimit(signInLimits.perAccount, accountKey),
    clearRateLimit(signInLimits.perAccountAnyAddress, email),
  ]).catch(() => {});
  await recordAuditEvent(
    { ...from, actorId: user.id },
    "user.signed_in",
    { type: "user", id: user.id },
    {
      method: "password",
    },
  );
  return { id: user.id, email: user.email, name: user.name };
}

function oauthProviders(): Provider[] {
  const env = getEnv();
  const providers: Provider[] = [];
  if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET) {
    providers.push(
      GitHub({
        clientId: env.AUTH_GITHUB_ID,
        clientSecret: env.AUTH_GITHUB_SECRET,
        ...(env.AUTH_GITHUB_ENTERPRISE_URL && { enterprise: { baseUrl: env.AUTH_GITHUB_ENTERPRISE_URL } }),
        userinfo: { request: githubProfileWithVerifiedEmail },
      }),
    );
  }
  if (env.AUTH_GOOGLE_ID && env.AUTH_GOOGLE_SECRET) {
    providers.push(Google({ clientId: env.AUTH_GOOGLE_ID, clientSecret: env.AUTH_GOOGLE_SECRET }));
  }
  const oidc = getOidcSettings();
  if (oidc) providers.push(oidcProvider(oidc));
  return providers;
}

/**
 * Single sign-on through the configured OpenID Connect provider: its endpoints from the issuer's
 * discovery document, the code flow with PKCE, state and nonce, and the person's claims from the
 * userinfo endpoint (many providers put no email in the ID token). Like GitHub's and Google's,
 * these requests go to an address the operator configured, not one a user supplied, so they use
 * the plain fetch rather than lib/http/guarded-fetch.ts (which would refuse a provider on the
 * operator's own network).
 */
function oidcProvider(
  settings: NonNullable<ReturnType<typeof getOidcSettings>>,
): OIDCConfig<Record<string, unknown>> {
  return {
    id: oidcProviderId,
    name: settings.name,
    type: "oidc",
    issuer: settings.issuer,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    checks: ["pkce", "state", "nonce"],
    authorization: { params: { scope: "openid email profile" } },
    idToken: false,
    profile: (profile) => ({
      id: String(profile.sub),
      name: typeof profile.name === "string" ? profile.name : null,
      email: typeof profile.email === "string" ? profile.email : null,
    }),
  };
}

/** The OAuth providers a person can sign in with, for the sign-in page. */
export function listSignInProviders(): { id: string; name: string }[] {
  return oauthProviders().map((provider) => {
    const config = typeof provider === "function" ? provider() : provider;
    return { id: config.id, name: config.name };
  });
}

let cachedConfig: AuthConfig | undefined;

export function getAuthConfig(): AuthConfig {
  if (cachedConfig) return cachedConfig;
  const log = createLogger({ module: "auth" });
  cachedConfig = {
    basePath: "/api/auth",
    secret: requireEnv("AUTH_SECRET"),
    trustHost: true,
    useSecureCookies: getAppUrl().startsWith("https://"),
    session: { strategy: "jwt", maxAge: sessionMaxAgeSeconds },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      Credentials({
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        authorize: authorizeWithPassword,
      }),
      ...oauthProviders(),
    ],
    callbacks: {
      async signIn({ user, account, profile }) {
        if (!account || account.provider === "credentials") return true;
        // Only an address the provider has verified may find or open an account by address
        // (Google's and single sign-on's OpenID profiles say so themselves; GitHub's is checked above).
        const verifiedEmail = profile?.email_verified === true ? user.email : null;
        let userId: string | null;
        try {
          userId = await resolveOAuthUser(
            account.provider,
            account.providerAccountId,
            verifiedEmail,
            user.name,
          );
        } catch (error) {
          if (isAppError(error) && error.code === "forbidden")
            return "/signin?error=AccessDenied&code=invitation_required";
          if (!(error instanceof SsoRequiredError)) throw error;
          await recordAuditEvent(
            { actorId: null },
            "user.sign_in_failed",
            { type: "user", id: error.userId },
            { method: account.provider, reason: "sso_required", orgId: error.orgId },
          );
          return ssoRefusalUrl(error.orgId);
        }
        if (!userId) return "/signin?error=AccessDenied&code=email_required";
        const found = await getDb().user.findUnique({ where: { id: userId }, select: { suspendedAt: true } });
        const suspended = Boolean(found?.suspendedAt);
        await recordAuditEvent(
          { actorId: suspended ? null : userId },
          suspended ? "user.sign_in_failed" : "user.signed_in",
          { type: "user", id: userId },
          { method: account.provider, ...(suspended && { reason: "suspended" }) },
        );
        if (suspended) return "/signin?error=AccessDenied&code=suspended";
        // A verified address at a domain an organization claimed joins that organization.
        if (account.provider === oidcProviderId && verifiedEmail)
          await autoJoinByDomain(userId, verifiedEmail, { actorId: userId });
        return true;
      },
      async jwt({ token, user, account }) {
        // Set once, at sign-in, and carried through every refresh of the token: a password change
        // refuses the sessions signed in before it (lib/auth/session.ts), a sign-out this one.
        if (user) {
          token.signedInAt = Date.now();
          token.sid = randomUUID();
        } else if (typeof token.sid !== "string" || (await isSessionRevoked(token.sid))) {
          // Signed out, or from before sessions had ids (so one no sign-out could end): no session,
          // and no renewed cookie either.
          return null;
        }
        if (account && account.provider !== "credentials") {
          const identity = await getDb().identity.findUnique({
            where: {
              provider_providerAccountId: {
                provider: account.provider,
                providerAccountId: account.providerAccountId,
              },
            },
          });
          if (identity) token.uid = identity.userId;
        } else if (user?.id) {
          token.uid = user.id;
        }
        return token;
      },
      session({ session, token }) {
        return {
          ...session,
          userId: typeof token.uid === "string" ? token.uid : undefined,
          signedInAt: typeof token.signedInAt === "number" ? token.signedInAt : 0,
        };
      },
    },
    events: {
      // Auth.js clears the cookie of the browser that signs out; this ends every copy of it.
      async signOut(message) {
        const token = "token" in message ? message.token : null;
        if (typeof token?.sid === "string" && typeof token.uid === "string")
          await revokeSession(token.uid, token.sid);
      },
    },
    logger: {
      error: (error) => log.warn({ type: (error as { type?: string }).type ?? error.name }, "auth error"),
      warn: (code) => log.warn({ code }, "auth warning"),
      debug: () => {},
    },
  };
  return cachedConfig;
}
