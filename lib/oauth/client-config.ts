// An OAuth app's client, from <PREFIX>_CLIENT_ID / _CLIENT_SECRET, and its endpoints (overridable
// with <PREFIX>_AUTHORIZE_URL / _TOKEN_URL). Unset client: the app says so instead of failing.
import { getIntegrationSetting } from "@/env";
import type { IntegrationDefinition, OAuth2Definition } from "@/integrations/sdk/define";

export type OAuthClient = {
  definition: OAuth2Definition;
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
};

export function oauthDefinitionOf(integration: IntegrationDefinition): OAuth2Definition | undefined {
  return integration.auth.type === "oauth2" ? integration.auth : undefined;
}

/** The settings an operator sets to enable the app, for messages and the README. */
export function oauthClientSettings(definition: OAuth2Definition): [string, string] {
  return [`${definition.settingsPrefix}_CLIENT_ID`, `${definition.settingsPrefix}_CLIENT_SECRET`];
}

export function getOAuthClient(integration: IntegrationDefinition): OAuthClient | undefined {
  const definition = oauthDefinitionOf(integration);
  if (!definition) return undefined;
  const [idSetting, secretSetting] = oauthClientSettings(definition);
  const clientId = getIntegrationSetting(idSetting);
  const clientSecret = getIntegrationSetting(secretSetting);
  if (!clientId || !clientSecret) return undefined;
  return {
    definition,
    clientId,
    clientSecret,
    authorizeUrl:
      getIntegrationSetting(`${definition.settingsPrefix}_AUTHORIZE_URL`) ?? definition.authorizeUrl,
    tokenUrl: getIntegrationSetting(`${definition.settingsPrefix}_TOKEN_URL`) ?? definition.tokenUrl,
  };
}
