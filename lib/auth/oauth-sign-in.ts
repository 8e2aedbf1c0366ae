// Signing in with GitHub, Google or single sign-on (OpenID Connect): which account a provider
// identity opens (an identity already linked, else the account with the provider-verified address,
// else a new one), the single sign-on an organization may require of its members, and GitHub's
// profile read so that its address counts only when GitHub has verified it.
import { getOidcSettings } from "@/env";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { findSsoRequirement } from "@/lib/orgs/sso-settings";
import { createUser } from "@/lib/users/create-user";
import { oidcProviderId } from "./provider-ids";

/** Auth.js's id of the single sign-on (OpenID Connect) provider, in its callback URL too. */
export { oidcProviderId };

/** A member of an organization that requires single sign-on tried another way in. */
export class SsoRequiredError extends Error {
  constructor(
    readonly userId: string,
    readonly orgId: string,
    readonly orgName: string,
  ) {
    super(`${orgName} requires its members to sign in with single sign-on.`);
    this.name = "SsoRequiredError";
  }
}

/** Throws SsoRequiredError if the person belongs to an organization that requires single sign-on. */
export async function refuseIfSsoRequired(userId: string): Promise<void> {
  const requirement = await findSsoRequirement(userId);
  if (requirement) throw new SsoRequiredError(userId, requirement.orgId, requirement.orgName);
}

/** The message for a refused sign-in of a member whose organization requires single sign-on. */
export function describeSsoRefusal(orgName: string): string {
  const name = getOidcSettings()?.name ?? "Single sign-on";
  return `${orgName} requires its members to sign in with single sign-on: use "Continue with ${name}" instead.`;
}

/**
 * Links an OAuth sign-in to a user (by provider account, then by email) and returns its id. A new
 * account obeys the sign-up setting: while it is by invitation only, createUser refuses one
 * without an invitation made out to the verified address. Through any provider but single
 * sign-on, a member of an organization that requires it is refused (SsoRequiredError) before an
 * identity is linked.
 */
export async function resolveOAuthUser(
  provider: string,
  providerAccountId: string,
  email: string | null | undefined,
  name?: string | null,
) {
  const db = getDb();
  const identity = await db.identity.findUnique({
    where: { provider_providerAccountId: { provider, providerAccountId } },
  });
  const viaSso = provider === oidcProviderId;
  if (identity) {
    if (!viaSso) await refuseIfSsoRequired(identity.userId);
    return identity.userId;
  }
  if (!email) return null;
  const normalized = email.toLowerCase();
  const existing = await db.user.findUnique({ where: { email: normalized }, select: { id: true } });
  if (existing && !viaSso) await refuseIfSsoRequired(existing.id);
  const user =
    existing ?? (await createUser({ email: normalized, name: name ?? undefined, verifiedEmail: true }));
  await db.identity.create({ data: { userId: user.id, provider, providerAccountId } });
  // Signing in through a provider that vouches for the address opens an existing account: recorded.
  if (existing)
    await recordAuditEvent(
      { actorId: user.id },
      "user.identity_linked",
      { type: "user", id: user.id },
      {
        provider,
      },
    );
  return user.id;
}

/**
 * GitHub's profile with the address that may open an account: its primary address only if GitHub
 * has verified it (Auth.js's default takes the primary one either way, and an unverified address
 * must never link to the account that owns it here).
 */
export async function githubProfileWithVerifiedEmail({
  tokens,
  provider,
}: {
  tokens: { access_token?: string };
  provider: { userinfo?: { url?: URL | string } };
}) {
  const headers = { Authorization: `Bearer ${tokens.access_token}`, "User-Agent": "toolgate" };
  const userUrl = String(provider.userinfo?.url);
  const profile = (await (await fetch(userUrl, { headers })).json()) as Record<string, unknown>;
  const answer = await fetch(`${userUrl}/emails`, { headers });
  const emails = answer.ok
    ? ((await answer.json()) as { email: string; primary: boolean; verified: boolean }[])
    : [];
  const primary = Array.isArray(emails) ? emails.find((entry) => entry.primary && entry.verified) : undefined;
  return { ...profile, email: primary?.email ?? null, email_verified: primary !== undefined };
}
