// What a person or an AI is told about an OAuth app whose client nobody has set up: only an
// administrator can change that, so no message asks anyone else to connect an account.
import type { IntegrationDefinition } from "@/integrations/sdk/define";
import { oauthClientSettings, oauthDefinitionOf } from "./client-config";

/** Where an administrator sets it up, and the environment variables that do the same. */
function whereToSetUp(integration: IntegrationDefinition): string {
  const definition = oauthDefinitionOf(integration);
  const settings = definition ? ` (or sets ${oauthClientSettings(definition).join(" and ")})` : "";
  return `on the Integrations page of the administration${settings}`;
}

/** For the person connecting an account. */
export function notSetUpMessage(integration: IntegrationDefinition): string {
  return `${integration.name} is not set up on this platform yet: an administrator needs to set it up ${whereToSetUp(integration)}.`;
}

/** For the AI calling a tool of the app: the error says who can fix it. */
export function notSetUpToolMessage(integration: IntegrationDefinition): string {
  return `${integration.name} is not set up on this platform, so this tool cannot run. The platform's administrator must set up ${integration.name} ${whereToSetUp(integration)}; connecting an account is not possible until then. Tell the user to ask their administrator.`;
}

/** For a connection whose token needs renewing after the client was removed. */
export function clientRemovedMessage(integration: IntegrationDefinition): string {
  return `${integration.name}'s access needs renewing, and it cannot be: ${integration.name} is no longer set up on this platform. The administrator must set it up again ${whereToSetUp(integration)}.`;
}
