// Runs integration code (an action, a connection test, a field's options) with a connection:
// picks the connection, opens its credentials, builds the app's API client, and turns what the
// app answered into the connection's state: a 429 pauses the connection's work, a 401 refreshes
// an OAuth token once and otherwise marks the connection for reconnection, and a real call
// records its outcome and when the connection was last used (a check records its own).
import { getIntegrationSetting } from "@/env";
import type { ConnectionContext, IntegrationDefinition } from "@/integrations/sdk/define";
import { ActionError, CredentialsRejectedError, RateLimitedError } from "@/integrations/sdk/errors";
import { createApiClient } from "@/integrations/sdk/http";
import { getDb } from "@/lib/db/client";
import { createLogger } from "@/lib/log/logger";
import { CannotRenewError, getOAuthCredentials } from "@/lib/oauth/access-token";
import { getRedis, redisKey } from "@/lib/redis/client";
import { open, sealOwner } from "@/lib/vault/vault";
import { markConnectionNeedsReconnect, recordUse } from "./connection-status";
import { type Verdict, verdictOfCallFailure, workingVerdict } from "./connection-verdict";
import { scrubError, scrubValue, secretValuesOf } from "./secret-scrub";
import { type ConnectionStatus, needsReconnecting, pickDefaultConnection } from "./status-words";

const connectionRow = {
  id: true,
  userId: true,
  orgId: true,
  integration: true,
  label: true,
  status: true,
  statusMessage: true,
  lastUsedAt: true,
  ciphertext: true,
} as const;

const log = createLogger({ module: "connections" });

/** The user has no usable connection of the app (or the pinned one is gone). */
export class NoConnectionError extends ActionError {}

type ConnectionRow = {
  id: string;
  userId: string;
  orgId: string | null;
  integration: string;
  label: string;
  status: ConnectionStatus;
  statusMessage: string | null;
  lastUsedAt: Date | null;
  ciphertext: Uint8Array;
};

/**
 * Whose connections a use may take: a user's personal ones (orgId null), or an organization's
 * (for a call on its server, whoever of its members calls). A bare user id means the personal ones.
 */
export type ConnectionScope = { userId: string; orgId: string | null };

function scopeOf(owner: string | ConnectionScope): ConnectionScope {
  return typeof owner === "string" ? { userId: owner, orgId: null } : owner;
}

/** The connections a scope may use: never a member's personal one in an organization's call. */
function ownedByScope(scope: ConnectionScope) {
  return scope.orgId ? { orgId: scope.orgId } : { userId: scope.userId, orgId: null };
}

async function missingConnectionMessage(
  scope: ConnectionScope,
  integration: IntegrationDefinition,
  connectionId: string | null,
): Promise<string> {
  if (!connectionId)
    return scope.orgId
      ? `The organization has no ${integration.name} account connected. An owner or admin can connect one for it on the Connections page.`
      : `No ${integration.name} account is connected. Connect one on the Connections page first.`;
  const exists = (await getDb().connection.count({ where: { id: connectionId } })) > 0;
  if (exists && scope.orgId)
    return `This tool's ${integration.name} account is not one of the organization's, so it cannot be used here: an owner or admin must choose one of the organization's accounts for the tool.`;
  if (exists)
    return `This tool's ${integration.name} account belongs to an organization, not to you, so it cannot be used here: choose one of your own accounts for the tool.`;
  return `This tool's ${integration.name} connection no longer exists. Connect the account again and choose it for the tool.`;
}

/**
 * The pinned connection, or else the default one for the app (see pickDefaultConnection): in an
 * organization's call, among the organization's connections only; otherwise among the user's
 * personal ones only.
 */
export async function findConnection(
  owner: string | ConnectionScope,
  integration: IntegrationDefinition,
  connectionId: string | null,
  { ignoreStatus = false } = {},
): Promise<ConnectionRow> {
  const db = getDb();
  const scope = scopeOf(owner);
  const row = connectionId
    ? await db.connection.findFirst({
        where: { id: connectionId, ...ownedByScope(scope) },
        select: connectionRow,
      })
    : pickDefaultConnection(
        await db.connection.findMany({
          where: { ...ownedByScope(scope), integration: integration.slug },
          orderBy: { createdAt: "asc" },
          select: connectionRow,
        }),
      );
  if (!row || row.integration !== integration.slug)
    throw new NoConnectionError(await missingConnectionMessage(scope, integration, connectionId));
  if (needsReconnecting(row.status) && !ignoreStatus)
    throw new CredentialsRejectedError(
      `The ${integration.name} connection "${row.label}" needs to be reconnected${row.statusMessage ? ` (${row.statusMessage})` : ""}.`,
    );
  return row;
}

/** The API base URL: the operator's override, else one from the credentials, else the vendor's. */
function resolveBaseUrl(
  integration: IntegrationDefinition,
  auth: unknown,
): { baseUrl: string; trusted: boolean } {
  const api = integration.api;
  if (!api) return { baseUrl: "", trusted: false };
  // An added app has no setting: its URL is its owner's, never the operator's.
  const override = api.baseUrlSetting ? getIntegrationSetting(api.baseUrlSetting) : undefined;
  if (override) return { baseUrl: override, trusted: true };
  const fromUser = api.userBaseUrl?.(auth);
  if (fromUser) return { baseUrl: fromUser, trusted: false };
  return { baseUrl: api.baseUrl, trusted: true };
}

export function buildConnectionContext<Auth>(
  integration: IntegrationDefinition,
  auth: Auth,
  signal: AbortSignal,
): ConnectionContext<Auth> {
  const { baseUrl, trusted } = resolveBaseUrl(integration, auth);
  const http = createApiClient({
    appName: integration.name,
    baseUrl,
    headers: integration.api?.headers(auth as never) ?? {},
    signal,
    trustedDestination: trusted,
    otherBaseUrls: integration.api?.otherBaseUrls,
    describeError: integration.api?.describeError,
  });
  return { auth, http, signal };
}

const pauseKey = (connectionId: string) => redisKey("connection", connectionId, "paused");

async function assertNotPaused(integration: IntegrationDefinition, connectionId: string): Promise<void> {
  const redis = await getRedis();
  const remainingMs = await redis.pttl(pauseKey(connectionId));
  if (remainingMs > 0)
    throw new RateLimitedError(
      `${integration.name} asked to slow down; this connection's requests wait ${Math.ceil(remainingMs / 1000)} s.`,
      remainingMs,
    );
}

async function pauseConnection(connectionId: string, waitMs: number): Promise<void> {
  const redis = await getRedis();
  // Only ever lengthened: a shorter wait from a later answer does not cut an earlier one.
  const remainingMs = await redis.pttl(pauseKey(connectionId));
  if (waitMs > remainingMs)
    await redis.set(pauseKey(connectionId), "1", "PX", Math.max(1, Math.ceil(waitMs)));
}

async function openAuth(
  integration: IntegrationDefinition,
  row: ConnectionRow,
  rejectedToken?: string,
): Promise<unknown> {
  if (integration.auth.type === "oauth2") return getOAuthCredentials(integration, row, rejectedToken);
  return open(row.ciphertext, { userId: sealOwner(row), connectionId: row.id });
}

export type ConnectionUse<T> = (context: ConnectionContext<unknown>) => Promise<T>;

/**
 * Why the connection is used. A "call" (an AI app's or "Run it once") records its outcome and
 * "last used"; a "check" records nothing here (its caller records the verdict) and tries a
 * connection even while it is marked for reconnection; "options" (a form's list of choices) only
 * marks refused credentials.
 */
export type ConnectionPurpose = "call" | "check" | "options";

/** Runs `use` with the row's credentials; a 401 renews an OAuth token once and tries again. */
async function runWithCredentials<T>(
  integration: IntegrationDefinition,
  row: ConnectionRow,
  signal: AbortSignal,
  use: ConnectionUse<T>,
): Promise<T> {
  const run = async (auth: unknown) => {
    const secrets = secretValuesOf(integration, auth);
    try {
      return scrubValue(await use(buildConnectionContext(integration, auth, signal)), secrets);
    } catch (error) {
      if (error instanceof RateLimitedError) await pauseConnection(row.id, error.retryAfterMs);
      throw scrubError(error, secrets);
    }
  };
  const auth = await openAuth(integration, row);
  try {
    return await run(auth);
  } catch (error) {
    if (!(error instanceof CredentialsRejectedError) || integration.auth.type !== "oauth2") throw error;
    // An OAuth token can be revoked or expire early: one refresh, then one more try.
    const rejected = (auth as { accessToken: string }).accessToken;
    let renewed: unknown;
    try {
      renewed = await openAuth(integration, row, rejected);
    } catch (refreshError) {
      // Nothing could renew it: the app's own words (token_revoked, say) explain it best.
      if (refreshError instanceof CannotRenewError) throw error;
      throw refreshError;
    }
    return await run(renewed);
  }
}

/** The call's own outcome matters more than its note on the connection: that may be lost. */
async function recordUseSafely(row: ConnectionRow, verdict: Verdict | null): Promise<void> {
  try {
    await recordUse(row, verdict);
  } catch (error) {
    log.warn({ connectionId: row.id, err: (error as Error).message }, "could not record a connection's use");
  }
}

/**
 * Runs `use` with the connection's credentials (none for apps without accounts). `connectionId`
 * pins a connection; null takes the default one for the app. `owner`: a user id (their personal
 * connections) or a scope naming the organization whose connections a call on its server uses.
 */
export async function withConnection<T>(
  owner: string | ConnectionScope,
  integration: IntegrationDefinition,
  connectionId: string | null,
  signal: AbortSignal,
  use: ConnectionUse<T>,
  { purpose }: { purpose: ConnectionPurpose },
): Promise<T> {
  if (integration.auth.type === "none") return use(buildConnectionContext(integration, undefined, signal));
  const row = await findConnection(owner, integration, connectionId, { ignoreStatus: purpose === "check" });
  await assertNotPaused(integration, row.id);
  try {
    const result = await runWithCredentials(integration, row, signal, use);
    if (purpose === "call") await recordUseSafely(row, workingVerdict);
    return result;
  } catch (error) {
    if (purpose === "call") await recordUseSafely(row, verdictOfCallFailure(error, integration.name));
    else if (purpose === "options" && error instanceof CredentialsRejectedError)
      await markConnectionNeedsReconnect(row.id, error.message);
    throw error;
  }
}
