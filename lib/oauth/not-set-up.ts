// What a person or an AI is told about an OAuth app whose client nobody has set up: only an
// administrator can change that (or, for an app a workspace added, whoever manages the app), so
// no message asks anyone else to connect an account.
import type { IntegrationDefinition } from "@/integrations/sdk/define";
import { oauthClientSettings, oauthDefinitionOf } from "./client-config";

/** Who sets the client up, and where: an administrator (or the environment), or the app's owner. */
function whoSetsUp(integration: IntegrationDefinition) {
  const definition = oauthDefinitionOf(integration);
  if (definition?.addedAppId) {
    const owner = "whoever added the app";
    return {
      who: owner,
      toolWho: "Whoever added the app",
      againWho: "Whoever added the app",
      ask: owner,
      where: "on its page under Apps",
    };
  }
  const settings = definition ? ` (or sets ${oauthClientSettings(definition).join(" and ")})` : "";
  return {
    who: "an administrator",
    toolWho: "The platform's administrator",
    againWho: "The administrator",
    ask: "their administrator",
    where: `on the Integrations page of the administration${settings}`,
  };
}

/** For the person connecting an account. */
export function notSetUpMessage(integration: IntegrationDefinition): string {
  const { who, where } = whoSetsUp(integration);
  return `${integration.name} is not set up on this platform yet: ${who} needs to set it up ${where}.`;
}

/** For the AI calling a tool of the app: the error says who can fix it. */
export function notSetUpToolMessage(integration: IntegrationDefinition): string {
  const { toolWho, ask, where } = whoSetsUp(integration);
  return `${integration.name} is not set up on this platform, so this tool cannot run. ${toolWho} must set up ${integration.name} ${where}; connecting an account is not possible until then. Tell the user to ask ${ask}.`;
}

/** For a connection whose token needs renewing after the client was removed. */
export function clientRemovedMessage(integration: IntegrationDefinition): string {
  const { againWho, where } = whoSetsUp(integration);
  return `${integration.name}'s access needs renewing, and it cannot be: ${integration.name} is no longer set up on this platform. ${againWho} must set it up again ${where}.`;
}
