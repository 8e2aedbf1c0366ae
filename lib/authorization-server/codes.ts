// Authorization codes: issued after consent, single-use, alive for a minute, bound to the redirect
// URI, the PKCE challenge and the resource of the request that asked for them. A code presented a
// second time is a replay: the tokens issued for it are revoked (RFC 6749 §4.1.2).
import { getDb } from "@/lib/db/client";
import { announceRevocation } from "./access-token-cache";
import { hashCredential, looksLike, newCredential } from "./credentials";
import { OAuthError } from "./oauth-error";
import { verifierMatches } from "./pkce";
import { type IssuedTokens, issueTokens, revokeFamily } from "./tokens";

export const codeLifetimeMs = 60_000;

export async function issueAuthorizationCode(input: {
  grantId: string;
  redirectUri: string;
  codeChallenge: string;
  resource: string;
}): Promise<string> {
  const code = newCredential("code");
  await getDb().mcpAuthorizationCode.create({
    data: { codeHash: code.hash, ...input, expiresAt: new Date(Date.now() + codeLifetimeMs) },
  });
  return code.value;
}

export type CodeExchange = {
  code: string;
  clientId: string;
  redirectUri: string;
  codeVerifier: string;
  resource?: string;
};

/** The tokens for a code; the tokens' family is the code's, so that a replay can revoke them. */
export async function exchangeAuthorizationCode(exchange: CodeExchange): Promise<IssuedTokens> {
  const invalid = (why: string) => new OAuthError("invalid_grant", why);
  if (!looksLike("code", exchange.code))
    throw invalid("The authorization code is not one this server issued.");
  const codeHash = hashCredential(exchange.code);
  const now = new Date();
  let replayedGrantId: string | undefined;
  const outcome = await getDb().$transaction(async (tx) => {
    const code = await tx.mcpAuthorizationCode.findUnique({
      where: { codeHash },
      include: { grant: { include: { client: { select: { clientId: true } } } } },
    });
    if (!code) return invalid("The authorization code is not one this server issued.");
    const claimed = await tx.mcpAuthorizationCode.updateMany({
      where: { codeHash, usedAt: null },
      data: { usedAt: now },
    });
    if (claimed.count === 0) {
      await revokeFamily(tx, codeHash, now);
      replayedGrantId = code.grantId;
      return invalid("The authorization code was already used; the tokens issued for it are revoked.");
    }
    if (code.expiresAt <= now) return invalid("The authorization code expired.");
    if (code.grant.client.clientId !== exchange.clientId)
      return invalid("The authorization code was issued to another client.");
    if (code.grant.revokedAt) return invalid("The access this code was for was revoked.");
    if (code.redirectUri !== exchange.redirectUri)
      return invalid("redirect_uri is not the one the authorization request used.");
    if (!verifierMatches(exchange.codeVerifier, code.codeChallenge))
      return invalid("code_verifier does not match the code challenge.");
    if (exchange.resource !== undefined && exchange.resource !== code.resource)
      return new OAuthError("invalid_target", "The resource is not the one the authorization request named.");
    return issueTokens(tx, code.grant, codeHash, code.resource, now);
  });
  if (replayedGrantId) await announceRevocation([replayedGrantId]);
  if (outcome instanceof OAuthError) throw outcome;
  return outcome;
}
