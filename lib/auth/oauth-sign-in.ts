// Signing in with GitHub or Google: which account a provider identity opens (an identity already
// linked, else the account with the provider-verified address, else a new one), and GitHub's
// profile read so that its address counts only when GitHub has verified it.
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { createUser } from "@/lib/users/create-user";

/**
 * Links an OAuth sign-in to a user (by provider account, then by email) and returns its id. A new
 * account obeys the sign-up setting: while it is by invitation only, createUser refuses one
 * without an invitation made out to the verified address.
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
  if (identity) return identity.userId;
  if (!email) return null;
  const normalized = email.toLowerCase();
  const existing = await db.user.findUnique({ where: { email: normalized }, select: { id: true } });
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
