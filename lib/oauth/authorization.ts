// The browser half of connecting an OAuth app: the authorize URL with a state that is random,
// bound to the signed-in user, single-use and expiring, and a PKCE challenge; then the callback,
// which consumes the state, exchanges the code at the exact redirect URI and stores the tokens.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { getAppUrl } from "@/env";
import type { IntegrationDefinition } from "@/integrations/sdk/define";
import { ensureAppOAuthClient } from "@/lib/apps/app-oauth-registration";
import { type AppOwner, findApp } from "@/lib/apps/app-registry";
import { readActionsWithFirstConnection } from "@/lib/apps/first-connection-actions";
import type { AuditContext } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { storableString } from "@/lib/db/storable-text";
import { AppError } from "@/lib/errors/app-error";
import {
  ownedBy,
  requirePermission,
  resolveWorkspace,
  type WorkspaceArg,
  workspaceOf,
} from "@/lib/orgs/workspace";
import { getRedis, redisKey } from "@/lib/redis/client";
import { toolFormReturnPath } from "@/lib/web/return-path";
import { getOAuthClient, oauthDefinitionOf } from "./client-config";
import { notSetUpMessage } from "./not-set-up";
import { saveOAuthConnection } from "./save-connection";
import { requestTokens, TokenEndpointError } from "./token-endpoint";

/** How long a person has to approve the app at the provider. */
export const stateLifetimeSeconds = 600;

const pendingSchema = z.object({
  userId: z.string(),
  /** The organization whose connection this will be (none: the person's own). */
  orgId: z.string().optional(),
  integration: z.string(),
  codeVerifier: z.string().optional(),
  label: z.string().optional(),
  reconnectId: z.string().optional(),
  returnTo: z.string().optional(),
});

// The state itself is not stored, only its hash: a leaked Redis dump cannot complete a flow.
const stateKey = (state: string) =>
  redisKey("oauth-state", createHash("sha256").update(state).digest("base64url"));

export function oauthRedirectUri(slug: string): string {
  return `${getAppUrl()}/api/oauth/${slug}/callback`;
}

/** A built-in app, or one the workspace added, that connects with OAuth. */
async function getOAuthIntegration(slug: string, owner?: AppOwner): Promise<IntegrationDefinition> {
  const integration = await findApp(slug, { owner });
  if (!integration || !oauthDefinitionOf(integration))
    throw new AppError("not_found", `"${slug}" is not an app that connects with OAuth.`);
  return integration;
}

export const beginAuthorizationSchema = z.object({
  label: storableString().trim().min(1).max(100).optional(),
  reconnect: storableString().max(100).optional(),
  /** A tool form to come back to (only such paths are accepted). */
  returnTo: z
    .string()
    .optional()
    .refine((value) => value === undefined || toolFormReturnPath(value) !== undefined),
});

/** The provider's authorize URL to send the user's browser to. */
export async function beginAuthorization(
  owner: WorkspaceArg,
  slug: string,
  options: z.output<typeof beginAuthorizationSchema> = {},
): Promise<string> {
  const workspace = workspaceOf(owner);
  const { userId } = workspace;
  requirePermission(workspace, "manage_shared");
  const integration = await getOAuthIntegration(slug, workspace);
  const addedAppId = oauthDefinitionOf(integration)?.addedAppId;
  if (addedAppId) await ensureAppOAuthClient(addedAppId, oauthRedirectUri(integration.slug));
  const client = await getOAuthClient(integration);
  if (!client) throw new AppError("conflict", notSetUpMessage(integration));
  if (options.reconnect) {
    const owned = await getDb().connection.count({
      where: { id: options.reconnect, ...ownedBy(workspace), integration: integration.slug },
    });
    if (!owned) throw new AppError("not_found", "No such connection to reconnect.");
  }
  const state = randomBytes(32).toString("base64url");
  const codeVerifier = client.definition.pkce ? randomBytes(48).toString("base64url") : undefined;
  const pending: z.infer<typeof pendingSchema> = {
    userId,
    ...(workspace.orgId && { orgId: workspace.orgId }),
    integration: integration.slug,
    ...(codeVerifier && { codeVerifier }),
    ...(options.label && { label: options.label }),
    ...(options.reconnect && { reconnectId: options.reconnect }),
    ...(options.returnTo && { returnTo: options.returnTo }),
  };
  await (await getRedis()).set(stateKey(state), JSON.stringify(pending), "EX", stateLifetimeSeconds);

  const url = new URL(client.authorizeUrl);
  const params: Record<string, string> = {
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: oauthRedirectUri(integration.slug),
    state,
    ...(client.definition.scopes.length > 0 && {
      scope: client.definition.scopes.join(client.definition.scopeSeparator ?? " "),
    }),
    ...(codeVerifier && {
      code_challenge: createHash("sha256").update(codeVerifier).digest("base64url"),
      code_challenge_method: "S256",
    }),
    ...(client.definition.resource && { resource: client.definition.resource }),
    ...client.definition.authorizeParams,
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

export const callbackQuerySchema = z.object({
  code: z.string().max(4096).optional(),
  state: z.string().max(512).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});

/** Finishes the flow the state names; returns the connection it made or reconnected. */
export async function completeAuthorization(
  userId: string,
  slug: string,
  query: z.output<typeof callbackQuerySchema>,
  context: AuditContext = {},
): Promise<{ id: string; label: string; returnTo?: string }> {
  // Whose app it is was checked when the authorization began, which the state binds to.
  const integration = await getOAuthIntegration(slug);
  if (!query.state)
    throw new AppError("bad_request", "The provider's answer has no state; start connecting again.");
  // Consumed before anything else: whatever happens next, this state cannot be used again.
  const stored = await (await getRedis()).getdel(stateKey(query.state));
  const pending = stored ? pendingSchema.safeParse(JSON.parse(stored)).data : undefined;
  if (!pending)
    throw new AppError(
      "bad_request",
      "This connection attempt expired or was already used; start connecting again.",
    );
  if (pending.userId !== userId)
    throw new AppError(
      "forbidden",
      "This connection attempt was started by another account; start connecting again.",
    );
  if (pending.integration !== integration.slug)
    throw new AppError("bad_request", "This connection attempt was for another app; start connecting again.");
  if (query.error)
    throw new AppError(
      "bad_request",
      `${integration.name} did not grant access (${query.error}${query.error_description ? `: ${query.error_description}` : ""}).`,
    );
  if (!query.code) throw new AppError("bad_request", `${integration.name} sent no authorization code.`);
  const client = await getOAuthClient(integration);
  if (!client) throw new AppError("conflict", `${integration.name} is not set up on this platform any more.`);
  let tokens: Awaited<ReturnType<typeof requestTokens>>;
  try {
    tokens = await requestTokens(client, {
      grant_type: "authorization_code",
      code: query.code,
      redirect_uri: oauthRedirectUri(integration.slug),
      ...(pending.codeVerifier && { code_verifier: pending.codeVerifier }),
    });
  } catch (error) {
    if (error instanceof TokenEndpointError)
      throw new AppError(
        "upstream_error",
        `${integration.name} refused to finish connecting: ${error.message}`,
      );
    throw error;
  }
  // The membership is checked again: it may have changed while the person was at the provider.
  const workspace = await resolveWorkspace(userId, pending.orgId);
  const connection = await saveOAuthConnection(
    workspace,
    integration,
    tokens,
    {
      ...(pending.label && { label: pending.label }),
      ...(pending.reconnectId && { reconnectId: pending.reconnectId }),
    },
    context,
  );
  // An added app whose tools only a signed-in person can list gets them with its first account.
  await readActionsWithFirstConnection(workspace, integration, connection.id);
  const returnTo = toolFormReturnPath(pending.returnTo);
  return { ...connection, ...(returnTo && { returnTo }) };
}
