// Access and refresh tokens. Access tokens are short-lived and bound to the MCP endpoint's
// resource (RFC 8707): each request checks the token's audience, expiry and revocation, and its
// grant's. Refresh tokens rotate: each use issues a new pair in the same family, and a refresh
// token presented a second time (stolen and replayed, or the legitimate client after the thief)
// revokes the whole family (OAuth 2.1 §4.3.1, refresh token reuse detection).
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client.ts";
import { announceRevocation, findAccessTokenRow } from "./access-token-cache";
import { hashCredential, looksLike, newCredential } from "./credentials";
import { OAuthError } from "./oauth-error";

export const accessTokenLifetimeMs = 60 * 60_000;
export const refreshTokenLifetimeMs = 30 * 24 * 60 * 60_000;
/** A grant's "last used" is written at most this often, not on every request. */
const lastUsedResolutionMs = 60_000;

export type IssuedTokens = {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token: string;
  scope: string;
};

type Transaction = Prisma.TransactionClient;

/** A new access and refresh token for the grant, in the refresh token family given. */
export async function issueTokens(
  tx: Transaction,
  grant: { id: string; scope: string },
  familyId: string,
  resource: string,
  now = new Date(),
): Promise<IssuedTokens> {
  const access = newCredential("access");
  const refresh = newCredential("refresh");
  await tx.mcpToken.createMany({
    data: [
      {
        tokenHash: access.hash,
        kind: "access",
        grantId: grant.id,
        familyId,
        resource,
        expiresAt: new Date(now.getTime() + accessTokenLifetimeMs),
      },
      {
        tokenHash: refresh.hash,
        kind: "refresh",
        grantId: grant.id,
        familyId,
        resource,
        expiresAt: new Date(now.getTime() + refreshTokenLifetimeMs),
      },
    ],
  });
  return {
    access_token: access.value,
    token_type: "Bearer",
    expires_in: Math.floor(accessTokenLifetimeMs / 1000),
    refresh_token: refresh.value,
    scope: grant.scope,
  };
}

export async function revokeFamily(tx: Transaction, familyId: string, now = new Date()): Promise<void> {
  await tx.mcpToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: now } });
}

/**
 * Exchanges a refresh token for a new pair. `clientId` is the client_id the request carried; a
 * resource, when given, must be the one the grant was for.
 */
export async function refreshTokens(input: {
  refreshToken: string;
  clientId: string;
  resource?: string;
}): Promise<IssuedTokens> {
  const invalid = (why: string) => new OAuthError("invalid_grant", why);
  if (!looksLike("refresh", input.refreshToken))
    throw invalid("The refresh token is not one this server issued.");
  const now = new Date();
  let reusedGrantId: string | undefined;
  const outcome = await getDb().$transaction(async (tx) => {
    const token = await tx.mcpToken.findUnique({
      where: { tokenHash: hashCredential(input.refreshToken) },
      include: { grant: { include: { client: { select: { clientId: true } } } } },
    });
    if (token?.kind !== "refresh") return invalid("The refresh token is not one this server issued.");
    if (token.grant.client.clientId !== input.clientId)
      return invalid("The refresh token was issued to another client.");
    if (token.revokedAt || token.grant.revokedAt) return invalid("The refresh token was revoked.");
    // Marked used only if nobody used it first: of two concurrent uses, one wins and one is a reuse.
    const claimed = await tx.mcpToken.updateMany({
      where: { tokenHash: token.tokenHash, usedAt: null },
      data: { usedAt: now },
    });
    if (claimed.count === 0) {
      await revokeFamily(tx, token.familyId, now);
      reusedGrantId = token.grant.id;
      return invalid(
        "The refresh token was already used; every token of this sign-in is revoked. Sign in again.",
      );
    }
    if (token.expiresAt <= now) return invalid("The refresh token expired. Sign in again.");
    if (input.resource !== undefined && input.resource !== token.resource)
      return new OAuthError("invalid_target", "The resource is not the one this sign-in was for.");
    return issueTokens(tx, token.grant, token.familyId, token.resource, now);
  });
  // Thrown outside the transaction, so that a family revoked for a reuse stays revoked.
  if (reusedGrantId) await announceRevocation([reusedGrantId]);
  if (outcome instanceof OAuthError) throw outcome;
  return outcome;
}

export type VerifiedAccess = { grantId: string; userId: string; serverId: string; clientId: string };
export type AccessProblem = "invalid" | "expired" | "revoked" | "audience";

/** Checks an access token presented to the resource `expectedResource` (the MCP endpoint's URL). */
export async function verifyAccessToken(
  token: string,
  expectedResource: string,
  now = new Date(),
): Promise<VerifiedAccess | { problem: AccessProblem }> {
  if (!looksLike("access", token)) return { problem: "invalid" };
  const row = await findAccessTokenRow(hashCredential(token), () =>
    getDb().mcpToken.findUnique({
      where: { tokenHash: hashCredential(token) },
      select: {
        kind: true,
        resource: true,
        expiresAt: true,
        revokedAt: true,
        grant: {
          select: {
            id: true,
            userId: true,
            serverId: true,
            clientId: true,
            revokedAt: true,
            lastUsedAt: true,
          },
        },
      },
    }),
  );
  if (row?.kind !== "access") return { problem: "invalid" };
  if (row.revokedAt || row.grant.revokedAt) return { problem: "revoked" };
  if (row.expiresAt <= now) return { problem: "expired" };
  if (row.resource !== expectedResource) return { problem: "audience" };
  const { grant } = row;
  if (!grant.lastUsedAt || now.getTime() - grant.lastUsedAt.getTime() > lastUsedResolutionMs) {
    // Marked on the (possibly cached) row first, so that concurrent requests write it once.
    grant.lastUsedAt = now;
    await getDb().mcpGrant.updateMany({ where: { id: grant.id }, data: { lastUsedAt: now } });
  }
  return { grantId: grant.id, userId: grant.userId, serverId: grant.serverId, clientId: grant.clientId };
}

/**
 * RFC 7009: revokes the token if it is one of this client's (a refresh token takes its family
 * with it); anything else is ignored, and the caller answers 200 either way.
 */
export async function revokeToken(token: string, clientId: string, now = new Date()): Promise<void> {
  if (!looksLike("access", token) && !looksLike("refresh", token)) return;
  const revokedGrantId = await getDb().$transaction(async (tx) => {
    const row = await tx.mcpToken.findUnique({
      where: { tokenHash: hashCredential(token) },
      select: {
        tokenHash: true,
        kind: true,
        familyId: true,
        grant: { select: { id: true, client: { select: { clientId: true } } } },
      },
    });
    if (!row || row.grant.client.clientId !== clientId) return undefined;
    if (row.kind === "refresh") await revokeFamily(tx, row.familyId, now);
    else
      await tx.mcpToken.updateMany({
        where: { tokenHash: row.tokenHash, revokedAt: null },
        data: { revokedAt: now },
      });
    return row.grant.id;
  });
  if (revokedGrantId) await announceRevocation([revokedGrantId]);
}
