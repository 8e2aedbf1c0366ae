// The explicit list of integrations the platform offers.
import delay from "./delay/index";
import formatter from "./formatter/index";
import github from "./github/index";
import jira from "./jira/index";
import linear from "./linear/index";
import type { ActionDefinition, AnyIntegration, IntegrationDefinition } from "./sdk/define";
import todoist from "./todoist/index";

// One line per app, in alphabetical order after the built-ins (keeps merges trivial).
export const integrations: AnyIntegration[] = [formatter, delay, github, jira, linear, todoist];

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
