// The explicit list of integrations the platform offers.
import delay from "./delay/index";
import formatter from "./formatter/index";
import gmail from "./gmail/index";
import google_calendar from "./google_calendar/index";
import google_drive from "./google_drive/index";
import google_sheets from "./google_sheets/index";
import type { ActionDefinition, AnyIntegration, IntegrationDefinition } from "./sdk/define";
import todoist from "./todoist/index";

// One line per app, in alphabetical order after the built-ins (keeps merges trivial).
export const integrations: AnyIntegration[] = [
  formatter,
  delay,
  gmail,
  google_calendar,
  google_drive,
  google_sheets,
  todoist,
];

const bySlug = new Map(integrations.map((integration) => [integration.slug, integration]));

export function findIntegration(slug: string): IntegrationDefinition | undefined {
  return bySlug.get(slug);
}

export function findAction(
  slug: string,
  key: string,
): { integration: IntegrationDefinition; action: ActionDefinition } | undefined {
  const integration = bySlug.get(slug);
  const action = integration?.actions.find((candidate) => candidate.key === key);
  return integration && action ? { integration, action } : undefined;
}
