// The explicit list of integrations the platform offers.
import airtable from "./airtable/index";
import asana from "./asana/index";
import delay from "./delay/index";
import discord from "./discord/index";
import formatter from "./formatter/index";
import github from "./github/index";
import gmail from "./gmail/index";
import googleCalendar from "./google_calendar/index";
import googleDrive from "./google_drive/index";
import googleSheets from "./google_sheets/index";
import http from "./http/index";
import hubspot from "./hubspot/index";
import jira from "./jira/index";
import linear from "./linear/index";
import notion from "./notion/index";
import type { ActionDefinition, AnyIntegration, IntegrationDefinition } from "./sdk/define";
import sendgrid from "./sendgrid/index";
import slack from "./slack/index";
import stripe from "./stripe/index";
import telegram from "./telegram/index";
import todoist from "./todoist/index";
import trello from "./trello/index";
import twilio from "./twilio/index";
import webhook from "./webhook/index";

// Built-ins first, then one app per line in alphabetical order.
// biome-ignore format: one entry per line keeps merges of new apps trivial
export const integrations: AnyIntegration[] = [
  formatter,
  delay,
  http,
  webhook,
  airtable,
  asana,
  discord,
  github,
  gmail,
  googleCalendar,
  googleDrive,
  googleSheets,
  hubspot,
  jira,
  linear,
  notion,
  sendgrid,
  slack,
  stripe,
  telegram,
  todoist,
  trello,
  twilio,
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
