// A usable access token for an OAuth connection: the stored one while it has more than a minute
// left, else a refreshed one. Refreshes of one connection are serialised across processes with a
// Redis lock, and whoever waits re-reads the row, so a rotated refresh token is used and stored
// exactly once. invalid_grant marks the connection for reconnection instead of retrying.
import { randomBytes } from "node:crypto";
import type { IntegrationDefinition, OAuth2Definition, OAuthCredentials } from "@/integrations/sdk/define";
import { CredentialsRejectedError, RetriableError } from "@/integrations/sdk/errors";
import { markConnectionNeedsReconnect } from "@/lib/connections/connection-status";
import { getDb } from "@/lib/db/client";
import { createLogger } from "@/lib/log/logger";
import { getRedis, redisKey } from "@/lib/redis/client";
import { open, seal } from "@/lib/vault/vault";
import { getOAuthClient, oauthClientSettings } from "./client-config";
import { requestTokens, type StoredTokens, storedTokensSchema, TokenEndpointError } from "./token-endpoint";

const log = createLogger({ module: "oauth" });

/** Refresh this long before the provider's expiry, so a token never expires mid-request. */
export const refreshMarginMs = 60_000;
const lockMs = 30_000;
const waitForOtherRefreshMs = 20_000;

/** Nothing can renew this access (no refresh token, no client): only a reconnection helps. */
export class CannotRenewError extends CredentialsRejectedError {}

export type OAuthConnectionRow = { id: string; userId: string; ciphertext: Uint8Array; updatedAt: Date };

export function toCredentials(tokens: StoredTokens): OAuthCredentials {
  return {
    accessToken: tokens.accessToken,
    ...(tokens.tokenType && { tokenType: tokens.tokenType }),
    ...(tokens.scope && { scope: tokens.scope }),
    ...(tokens.extra && { extra: tokens.extra }),
  };
}

async function openTokens(row: OAuthConnectionRow): Promise<StoredTokens> {
  const value = await open(row.ciphertext, { userId: row.userId, connectionId: row.id });
  return storedTokensSchema.parse(value);
}

function isFresh(tokens: StoredTokens, now: number): boolean {
  return tokens.expiresAt === undefined || tokens.expiresAt - now > refreshMarginMs;
}

async function readRow(connectionId: string): Promise<OAuthConnectionRow> {
  const row = await getDb().connection.findUnique({
    where: { id: connectionId },
    select: { id: true, userId: true, ciphertext: true, updatedAt: true },
  });
  if (!row) throw new CredentialsRejectedError("The connection was deleted.");
  return row;
}

const releaseScript = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

async function withRefreshLock<T>(connectionId: string, work: () => Promise<T>): Promise<T> {
  const redis = await getRedis();
  const key = redisKey("oauth-refresh", connectionId);
  const owner = randomBytes(12).toString("hex");
  const deadline = Date.now() + waitForOtherRefreshMs;
  while ((await redis.set(key, owner, "PX", lockMs, "NX")) !== "OK") {
    if (Date.now() > deadline)
      throw new RetriableError("Another refresh of this connection is taking too long.");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  try {
    return await work();
  } finally {
    await redis.eval(releaseScript, 1, key, owner).catch(() => {});
  }
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
  const client = getOAuthClient(integration);
  if (!client) {
    const [idSetting, secretSetting] = oauthClientSettings(integration.auth as OAuth2Definition);
    throw new CannotRenewError(
      `${integration.name}'s access needs renewing, and it cannot be: the administrator has not set ${idSetting} and ${secretSetting}.`,
    );
  }
  let fresh: StoredTokens;
  try {
    fresh = await requestTokens(client, { grant_type: "refresh_token", refresh_token: tokens.refreshToken });
  } catch (error) {
    if (!(error instanceof TokenEndpointError)) throw error;
    if (error.transient) throw new RetriableError(`${integration.name}: ${error.message}`);
    await markConnectionNeedsReconnect(
      row.id,
      `${integration.name} refused to renew access (${error.code}).`,
    );
    throw new CredentialsRejectedError(
      `${integration.name} refused to renew this connection's access (${error.code}). Reconnect the account.`,
    );
  }
  // Providers that do not rotate refresh tokens omit them from the answer: keep the old one.
  const next: StoredTokens = { ...fresh, refreshToken: fresh.refreshToken ?? tokens.refreshToken };
  if (!next.extra && tokens.extra) next.extra = tokens.extra;
  const { ciphertext, keyVersion } = await seal(next, { userId: row.userId, connectionId: row.id });
  const stored = await getDb().connection.updateMany({
    where: { id: row.id, updatedAt: row.updatedAt },
    data: {
      ciphertext,
      keyVersion,
      expiresAt: next.expiresAt ? new Date(next.expiresAt) : null,
      status: "OK",
      statusMessage: null,
    },
  });
  if (stored.count !== 1) log.warn({ connectionId: row.id }, "connection changed during a token refresh");
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
  return withRefreshLock(row.id, async () => {
    // Whoever held the lock before may have refreshed already: read again before refreshing.
    const current = await readRow(row.id);
    const currentTokens = await openTokens(current);
    if (usable(currentTokens)) return toCredentials(currentTokens);
    return toCredentials(await refresh(integration, current, currentTokens));
  });
}
