// The Integrations page's view of the OAuth apps: one entry per OAuth client (apps that share a
// settings prefix share a client, like Google's four), with where its id and secret come from,
// the callback URL each of its apps needs registered with the vendor, and the vendor's console.
import { integrations } from "@/integrations/registry";
import type { OAuth2Definition } from "@/integrations/sdk/define";
import { AppError } from "@/lib/errors/app-error";
import { oauthRedirectUri } from "./authorization";
import { environmentSettingsSet, oauthClientSettings, oauthDefinitionOf } from "./client-config";
import { listStoredClients, type StoredClientSummary } from "./stored-client";

export type OAuthClientState = "environment" | "stored" | "not_set_up";

export type OAuthClientSetup = {
  prefix: string;
  name: string;
  apps: { slug: string; name: string; redirectUri: string }[];
  consoleUrl?: string;
  /** <PREFIX>_CLIENT_ID and <PREFIX>_CLIENT_SECRET. */
  settings: [string, string];
  /** Those of the two that are set (both: the environment's client is used). */
  environmentSet: string[];
  stored?: StoredClientSummary;
  state: OAuthClientState;
};

type Group = { definition: OAuth2Definition; apps: { slug: string; name: string }[] };

function groupByClient(): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const integration of integrations) {
    const definition = oauthDefinitionOf(integration);
    if (!definition) continue;
    const group = groups.get(definition.settingsPrefix) ?? { definition, apps: [] };
    group.apps.push({ slug: integration.slug, name: integration.name });
    groups.set(definition.settingsPrefix, group);
  }
  return groups;
}

/** Refuses a prefix that no OAuth app of the registry has (a crafted request). */
export function assertOAuthClientPrefix(prefix: string): void {
  if (!groupByClient().has(prefix)) throw new AppError("not_found", "There is no such app to set up.");
}

export async function listOAuthClientSetups(): Promise<OAuthClientSetup[]> {
  const stored = new Map((await listStoredClients()).map((client) => [client.prefix, client]));
  return [...groupByClient()].map(([prefix, { definition, apps }]) => {
    const settings = oauthClientSettings(definition);
    const environmentSet = environmentSettingsSet(definition);
    const storedClient = stored.get(prefix);
    const state: OAuthClientState =
      environmentSet.length === settings.length ? "environment" : storedClient ? "stored" : "not_set_up";
    return {
      prefix,
      name: definition.clientName ?? apps[0]?.name ?? prefix,
      apps: apps.map((app) => ({ ...app, redirectUri: oauthRedirectUri(app.slug) })),
      ...(definition.consoleUrl && { consoleUrl: definition.consoleUrl }),
      settings,
      environmentSet,
      ...(storedClient && { stored: storedClient }),
      state,
    };
  });
}
