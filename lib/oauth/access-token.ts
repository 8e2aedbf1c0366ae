// A usable access token for an OAuth connection: the stored one while it has more than a minute
// left, else a refreshed one. Refreshes of one connection are serialised across processes (a Redis
// lock, then a re-read), and the rotated tokens are stored under that lock whatever else wrote the
// row meanwhile, so a rotated refresh token is used and stored exactly once. What a refused
// refresh means for the connection is decided in refresh-failure.ts.
import type { IntegrationDefinition, OAuth2Definition, OAuthCredentials } from "@/integrations/sdk/define";
import { CredentialsRejectedError } from "@/integrations/sdk/errors";
import { markConnectionNeedsReconnect } from "@/lib/connections/connection-status";
import { getDb } from "@/lib/db/client";
import { createLogger } from "@/lib/log/logger";
import { open, seal, sealOwner } from "@/lib/vault/vault";
import { getOAuthClient } from "./client-config";
import { withCredentialsLock } from "./credentials-lock";
import { handleRefreshFailure, refuseUnconfiguredClient } from "./refresh-failure";
import { requestTokens, type StoredTokens, storedTokensSchema, TokenEndpointError } from "./token-endpoint";

const log = createLogger({ module: "oauth" });

/** Refresh this long before the provider's expiry, so a token never expires mid-request. */
export const refreshMarginMs = 60_000;

/** Nothing can renew this access (no refresh token): only a reconnection helps. */
export class CannotRenewError extends CredentialsRejectedError {}

/** `orgId`: the organization whose connection it is (sealed for it); absent or null for a personal one. */
export type OAuthConnectionRow = {
  id: string;
  userId: string;
  orgId?: string | null;
  ciphertext: Uint8Array;
};

const ownerOf = (row: OAuthConnectionRow) => sealOwner({ userId: row.userId, orgId: row.orgId ?? null });

export function toCredentials(tokens: StoredTokens): OAuthCredentials {
  return {
    accessToken: tokens.accessToken,
    ...(tokens.tokenType && { tokenType: tokens.tokenType }),
    ...(tokens.scope && { scope: tokens.scope }),
    ...(tokens.extra && { extra: tokens.extra }),
  };
}

async function openTokens(row: OAuthConnectionRow): Promise<StoredTokens> {
  const value = await open(row.ciphertext, { userId: ownerOf(row), connectionId: row.id });
  return storedTokensSchema.parse(value);
}

function isFresh(tokens: StoredTokens, now: number): boolean {
  return tokens.expiresAt === undefined || tokens.expiresAt - now > refreshMarginMs;
}

async function readRow(connectionId: string): Promise<OAuthConnectionRow> {
  const row = await getDb().connection.findUnique({
    where: { id: connectionId },
    select: { id: true, userId: true, orgId: true, ciphertext: true },
  });
  if (!row) throw new CredentialsRejectedError("The connection was deleted.");
  return row;
}

async function refresh(
  integration: IntegrationDefinition,
  row: OAuthConnectionRow,
  tokens: StoredTokens,
): Promise<StoredTokens> {
  if (!tokens.refreshToken) {
    await markConnectionNeedsReconnect(
      row.id,
      `${integration.name}'s access expired and it gave no refresh token.`,
    );
    throw new CannotRenewError(`${integration.name}'s access expired. Reconnect the account.`);
  }
  const definition = integration.auth as OAuth2Definition;
  const client = await getOAuthClient(integration);
  if (!client) throw await refuseUnconfiguredClient(integration);
  let fresh: StoredTokens;
  try {
    fresh = await requestTokens(client, { grant_type: "refresh_token", refresh_token: tokens.refreshToken });
  } catch (error) {
    if (!(error instanceof TokenEndpointError)) throw error;
    throw await handleRefreshFailure(integration, definition, row.id, error);
  }
  // Providers that do not rotate refresh tokens omit them from the answer: keep the old one.
  const next: StoredTokens = { ...fresh, refreshToken: fresh.refreshToken ?? tokens.refreshToken };
  if (!next.extra && tokens.extra) next.extra = tokens.extra;
  const { ciphertext, keyVersion } = await seal(next, { userId: ownerOf(row), connectionId: row.id });
  // Under the lock nobody else writes tokens, and the old refresh token is spent: these must be
  // stored whatever else (a lastUsedAt, a rename) touched the row meanwhile.
  await getDb().connection.updateMany({
    where: { id: row.id },
    data: {
      ciphertext,
      keyVersion,
      expiresAt: next.expiresAt ? new Date(next.expiresAt) : null,
      status: "OK",
      statusMessage: null,
    },
  });
  log.info({ connectionId: row.id, integration: integration.slug }, "oauth token refreshed");
  return next;
}

/**
 * The connection's current credentials. `rejectedToken` is an access token the app just refused
 * (a 401): it is refreshed unless another process already replaced it.
 */
export async function getOAuthCredentials(
  integration: IntegrationDefinition,
  row: OAuthConnectionRow,
  rejectedToken?: string,
): Promise<OAuthCredentials> {
  const now = Date.now();
  const tokens = await openTokens(row);
  const usable = (candidate: StoredTokens) =>
    isFresh(candidate, now) && (rejectedToken === undefined || candidate.accessToken !== rejectedToken);
  if (usable(tokens)) return toCredentials(tokens);
  return withCredentialsLock(row.id, async () => {
    // Whoever held the lock before may have refreshed already: read again before refreshing.
    const current = await readRow(row.id);
    const currentTokens = await openTokens(current);
    if (usable(currentTokens)) return toCredentials(currentTokens);
    return toCredentials(await refresh(integration, current, currentTokens));
  });
}
