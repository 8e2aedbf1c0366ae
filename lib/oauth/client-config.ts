// An OAuth app's client and its endpoints (overridable with <PREFIX>_AUTHORIZE_URL / _TOKEN_URL).
// The client comes from <PREFIX>_CLIENT_ID / _CLIENT_SECRET when both are set, else from what an
// administrator set on the Integrations page (stored-client.ts), read when needed so that a
// change is used at once by every process. Unset client: the app says so instead of failing.
// An app a workspace added has its own client (lib/apps/app-oauth.ts) and untrusted endpoints.
import { getIntegrationSetting } from "@/env";
import type { IntegrationDefinition, OAuth2Definition } from "@/integrations/sdk/define";
import { hasAppOAuthClient, readAppOAuthClient } from "@/lib/apps/app-oauth";
import { hasStoredClient, listStoredClients, readStoredClient } from "./stored-client";

/** "app": an added app's client, whose endpoints came from an upstream and are not trusted. */
export type OAuthClientSource = "environment" | "stored" | "app";

export type OAuthClient = {
  definition: OAuth2Definition;
  clientId: string;
  /** Absent for a public client (an added app's registered one). */
  clientSecret?: string;
  authorizeUrl: string;
  tokenUrl: string;
  source: OAuthClientSource;
};

async function addedAppClient(
  definition: OAuth2Definition & { addedAppId: string },
): Promise<OAuthClient | undefined> {
  const client = await readAppOAuthClient(definition.addedAppId);
  if (!client) return undefined;
  return {
    definition,
    clientId: client.clientId,
    ...(client.clientSecret && { clientSecret: client.clientSecret }),
    source: "app",
    authorizeUrl: definition.authorizeUrl,
    tokenUrl: definition.tokenUrl,
  };
}

const isAddedApp = (definition: OAuth2Definition): definition is OAuth2Definition & { addedAppId: string } =>
  definition.addedAppId !== undefined;

export function oauthDefinitionOf(integration: IntegrationDefinition): OAuth2Definition | undefined {
  return integration.auth.type === "oauth2" ? integration.auth : undefined;
}

/** The settings an operator sets to enable the app, for messages and the README. */
export function oauthClientSettings(definition: OAuth2Definition): [string, string] {
  return [`${definition.settingsPrefix}_CLIENT_ID`, `${definition.settingsPrefix}_CLIENT_SECRET`];
}

/** The client id and secret from the environment: both, or undefined. */
function environmentClient(
  definition: OAuth2Definition,
): { clientId: string; clientSecret: string } | undefined {
  const [idSetting, secretSetting] = oauthClientSettings(definition);
  const clientId = getIntegrationSetting(idSetting);
  const clientSecret = getIntegrationSetting(secretSetting);
  return clientId && clientSecret ? { clientId, clientSecret } : undefined;
}

/** Which of the two environment variables are set (one alone does not set the client up). */
export function environmentSettingsSet(definition: OAuth2Definition): string[] {
  return oauthClientSettings(definition).filter((setting) => getIntegrationSetting(setting) !== undefined);
}

export async function getOAuthClient(integration: IntegrationDefinition): Promise<OAuthClient | undefined> {
  const definition = oauthDefinitionOf(integration);
  if (!definition) return undefined;
  if (isAddedApp(definition)) return addedAppClient(definition);
  const fromEnvironment = environmentClient(definition);
  const credentials = fromEnvironment ?? (await readStoredClient(definition.settingsPrefix));
  if (!credentials) return undefined;
  return {
    definition,
    ...credentials,
    source: fromEnvironment ? "environment" : "stored",
    authorizeUrl:
      getIntegrationSetting(`${definition.settingsPrefix}_AUTHORIZE_URL`) ?? definition.authorizeUrl,
    tokenUrl: getIntegrationSetting(`${definition.settingsPrefix}_TOKEN_URL`) ?? definition.tokenUrl,
  };
}

/** The settings prefixes whose client is set, by the environment or here: one query, no secret opened. */
export async function listSetUpClientPrefixes(definitions: OAuth2Definition[]): Promise<Set<string>> {
  const stored = new Set((await listStoredClients()).map((client) => client.prefix));
  const setUp = new Set(
    definitions
      .filter((definition) => environmentClient(definition) || stored.has(definition.settingsPrefix))
      .map((definition) => definition.settingsPrefix),
  );
  for (const definition of definitions.filter(isAddedApp))
    if (definition.registersClient || (await hasAppOAuthClient(definition.addedAppId)))
      setUp.add(definition.settingsPrefix);
  return setUp;
}

/** Whether the app can be connected here: not an OAuth app, or one whose client is set. */
export async function isOAuthClientSetUp(integration: IntegrationDefinition): Promise<boolean> {
  const definition = oauthDefinitionOf(integration);
  if (!definition) return true;
  if (isAddedApp(definition))
    return definition.registersClient === true || hasAppOAuthClient(definition.addedAppId);
  return environmentClient(definition) !== undefined || (await hasStoredClient(definition.settingsPrefix));
}
