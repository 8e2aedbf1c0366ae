// What a failed token refresh means. Only a grant the app says is gone (invalid_grant, or the app's
// own words for it) asks the person to reconnect. A rate limit, an outage, or a refused or unset
// OAuth client of the platform (a mistyped secret) leaves the connection as it is, fails the call
// with a message that says so, and is reported to the administrators: a log line at error and an
// entry in the audit trail, at most one per app and problem every ten minutes.
import type { IntegrationDefinition, OAuth2Definition } from "@/integrations/sdk/define";
import {
  ActionError,
  CredentialsRejectedError,
  RateLimitedError,
  RetriableError,
} from "@/integrations/sdk/errors";
import { defaultRateLimitWaitMs } from "@/integrations/sdk/http";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { markConnectionNeedsReconnect } from "@/lib/connections/connection-status";
import { createLogger } from "@/lib/log/logger";
import { getRedis, redisKey } from "@/lib/redis/client";
import { oauthClientSettings } from "./client-config";
import { clientRemovedMessage } from "./not-set-up";
import type { TokenEndpointError } from "./token-endpoint";

const log = createLogger({ module: "oauth" });
const reportEveryMs = 10 * 60_000;

/** The platform's OAuth client for the app is refused or not set up: an administrator must act. */
export class OAuthClientError extends ActionError {
  constructor(message: string) {
    super(message);
    this.name = "OAuthClientError";
  }
}

type Problem = { code: string; status?: number; detail: string };

/**
 * Tells the administrators, without any secret: the app, the OAuth error code, the HTTP status
 * and the endpoint's own description.
 */
async function reportOAuthProblem(
  integration: IntegrationDefinition,
  action: "oauth.client_error" | "oauth.token_endpoint_failed",
  problem: Problem,
): Promise<void> {
  const facts = {
    integration: integration.slug,
    error: problem.code,
    ...(problem.status !== undefined && { httpStatus: problem.status }),
    detail: problem.detail.slice(0, 300),
  };
  log.error(facts, `${action}: ${integration.name} could not renew an access token`);
  try {
    // An outage fails every refresh: one entry in the trail says it as well as a thousand.
    const redis = await getRedis();
    const key = redisKey(
      "oauth-problem-reported",
      integration.slug,
      action,
      problem.code,
      String(problem.status),
    );
    if ((await redis.set(key, "1", "PX", reportEveryMs, "NX")) !== "OK") return;
  } catch {
    // Without Redis nothing can be counted: report every time rather than never.
  }
  await recordAuditEvent({}, action, { type: "integration", id: integration.slug }, facts).catch(
    (error: Error) =>
      log.error({ err: error.message }, "could not record an OAuth problem in the audit trail"),
  );
}

function isRevokedGrant(definition: OAuth2Definition, code: string): boolean {
  return code === "invalid_grant" || (definition.revokedGrantErrors ?? []).includes(code);
}

/** Marks, reports and explains a refused refresh; returns the error the call fails with. */
export async function handleRefreshFailure(
  integration: IntegrationDefinition,
  definition: OAuth2Definition,
  connectionId: string,
  error: TokenEndpointError,
): Promise<Error> {
  const name = integration.name;
  if (isRevokedGrant(definition, error.code)) {
    await markConnectionNeedsReconnect(connectionId, `${name} refused to renew access (${error.code}).`);
    return new CredentialsRejectedError(
      `${name} refused to renew this connection's access (${error.code}). Reconnect the account.`,
    );
  }
  const problem = { code: error.code, status: error.status, detail: error.message };
  if (error.status === 429) {
    const waitMs = error.retryAfterMs ?? defaultRateLimitWaitMs;
    await reportOAuthProblem(integration, "oauth.token_endpoint_failed", problem);
    return new RateLimitedError(
      `${name} is rate limiting access-token renewals (HTTP 429) and asks to wait ${Math.ceil(waitMs / 1000)} s; the connection itself is fine.`,
      waitMs,
    );
  }
  if (error.status === undefined || error.status === 408 || error.status >= 500) {
    await reportOAuthProblem(integration, "oauth.token_endpoint_failed", problem);
    const what = error.status === undefined ? "could not be reached" : `answered HTTP ${error.status}`;
    return new RetriableError(
      `${name}'s token endpoint ${what}, so the access token could not be renewed; the connection itself is fine. Try again shortly.`,
    );
  }
  await reportOAuthProblem(integration, "oauth.client_error", problem);
  const [idSetting, secretSetting] = oauthClientSettings(definition);
  return new OAuthClientError(
    `${name} refused this platform's OAuth client (${error.code}), so the access token could not be renewed; the connection itself is fine. An administrator needs to check its client ID and secret on the Integrations page of the administration (or ${idSetting} and ${secretSetting}).`,
  );
}

/** The app's OAuth client is not set (any more): a refresh cannot even be asked for. */
export async function refuseUnconfiguredClient(
  integration: IntegrationDefinition,
): Promise<OAuthClientError> {
  const message = clientRemovedMessage(integration);
  await reportOAuthProblem(integration, "oauth.client_error", { code: "not_configured", detail: message });
  return new OAuthClientError(message);
}
