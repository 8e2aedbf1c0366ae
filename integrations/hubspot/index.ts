// HubSpot CRM v3 (https://developers.hubspot.com/docs/api/crm/understanding-the-crm): contacts,
// deals and notes through /crm/v3/objects/*, with a private app's access token as a bearer token.
// References: contacts https://developers.hubspot.com/docs/api/crm/contacts, search
// https://developers.hubspot.com/docs/api/crm/search, deals https://developers.hubspot.com/docs/api/crm/deals,
// notes https://developers.hubspot.com/docs/api/crm/notes, pipelines
// https://developers.hubspot.com/docs/api/crm/pipelines, account details
// https://developers.hubspot.com/docs/api/settings/account-information-api. Association type ids
// are HubSpot's defaults (HUBSPOT_DEFINED): deal→contact 3, deal→company 5, note→contact 202,
// note→company 190, note→deal 214.
import { z } from "zod";
import {
  actionFor,
  apiKeyAuth,
  defineIntegration,
  externalCreate,
  externalRead,
  externalUpdate,
  type KeyCredentials,
  type OptionsLoader,
} from "@/integrations/sdk/define";
import { ActionError } from "@/integrations/sdk/errors";

type Auth = KeyCredentials<"access_token">;
const defineAction = actionFor<Auth>();

/** A CRM record as HubSpot returns it; property values are strings (or null when unset). */
const record = z
  .object({
    id: z.string(),
    properties: z.record(z.string(), z.string().nullable()),
    createdAt: z.string().optional(),
    updatedAt: z.string().optional(),
    archived: z.boolean().optional(),
  })
  .passthrough();
type CrmRecord = z.infer<typeof record>;

const propertyValue = z.union([z.string(), z.number(), z.boolean()]);
const extraProperties = z
  .record(z.string(), propertyValue)
  .optional()
  .describe(
    'Any other properties by internal name, custom ones included (e.g. {"hs_lead_status": "NEW"}). Values are sent as strings.',
  );

const lifecycleStages = [
  "subscriber",
  "lead",
  "marketingqualifiedlead",
  "salesqualifiedlead",
  "opportunity",
  "customer",
  "evangelist",
  "other",
] as const;

const contactFields = {
  email: z.email().optional().describe("The contact's email address (HubSpot's unique key for contacts)."),
  firstname: z.string().optional().describe("First name."),
  lastname: z.string().optional().describe("Last name."),
  phone: z.string().optional().describe("Phone number."),
  company: z.string().optional().describe("Company name (a text property, not an association)."),
  website: z.string().optional().describe("Website URL."),
  jobtitle: z.string().optional().describe("Job title."),
  lifecyclestage: z.enum(lifecycleStages).optional().describe("Lifecycle stage (HubSpot's default stages)."),
  properties: extraProperties,
};

/** HubSpot's property map: the named fields plus the free-form ones, every value a string. */
function propertiesOf(input: Record<string, unknown>, named: readonly string[]): Record<string, string> {
  const properties: Record<string, string> = {};
  const extra = (input.properties ?? {}) as Record<string, string | number | boolean>;
  for (const [name, value] of Object.entries(extra)) properties[name] = String(value);
  for (const name of named) {
    const value = input[name];
    if (value !== undefined && value !== null) properties[name] = String(value);
  }
  return properties;
}

const contactPropertyNames = Object.keys(contactFields).filter((name) => name !== "properties");

type Association = {
  to: { id: string };
  types: Array<{ associationCategory: "HUBSPOT_DEFINED"; associationTypeId: number }>;
};

function associate(id: string | undefined, associationTypeId: number): Association[] {
  return id ? [{ to: { id }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId }] }] : [];
}

type Pipeline = {
  id: string;
  label: string;
  stages: Array<{ id: string; label: string; archived?: boolean; metadata?: Record<string, string> }>;
  archived?: boolean;
};

async function dealPipelines(http: { request: <T>(path: string) => Promise<T> }): Promise<Pipeline[]> {
  const { results } = await http.request<{ results: Pipeline[] }>("/crm/v3/pipelines/deals");
  return results.filter((pipeline) => !pipeline.archived);
}

const pipelineOptions: OptionsLoader<Auth> = async ({ http }) =>
  (await dealPipelines(http)).map((pipeline) => ({ value: pipeline.id, label: pipeline.label }));

const stageOptions: OptionsLoader<Auth> = async ({ http }) =>
  (await dealPipelines(http)).flatMap((pipeline) =>
    pipeline.stages
      .filter((stage) => !stage.archived)
      .map((stage) => ({ value: stage.id, label: `${pipeline.label}: ${stage.label}` })),
  );

type Owner = { id: string; email?: string; firstName?: string; lastName?: string; archived?: boolean };

const ownerOptions: OptionsLoader<Auth> = async ({ http }) => {
  const options: Array<{ value: string; label: string }> = [];
  let after: string | undefined;
  // A few pages at most: a choice list of thousands of owners helps nobody.
  for (let page = 0; page < 5; page++) {
    const answer = await http.request<{ results: Owner[]; paging?: { next?: { after: string } } }>(
      "/crm/v3/owners",
      { query: { limit: 100, archived: false, ...(after && { after }) } },
    );
    for (const owner of answer.results) {
      const name = [owner.firstName, owner.lastName].filter(Boolean).join(" ");
      const label = name && owner.email ? `${name} (${owner.email})` : name || owner.email || owner.id;
      options.push({ value: owner.id, label });
    }
    after = answer.paging?.next?.after;
    if (!after) break;
  }
  return options;
};

const createContact = defineAction({
  key: "create_contact",
  title: "Create contact",
  description:
    "Create a HubSpot contact. Fails with HubSpot's 409 (naming the existing id) when a contact with that email exists; use update_contact for it.",
  input: z.object(contactFields),
  output: record,
  annotations: externalCreate,
  run: async ({ input, http }) => {
    const properties = propertiesOf(input, contactPropertyNames);
    if (Object.keys(properties).length === 0)
      throw new ActionError("Give at least one property of the contact (an email, a name...).");
    return http.request<CrmRecord>("/crm/v3/objects/contacts", { method: "POST", json: { properties } });
  },
});

const updateContact = defineAction({
  key: "update_contact",
  title: "Update contact",
  description: "Change properties of an existing HubSpot contact, found by its record id or by its email.",
  input: z.object({
    contact_id: z
      .string()
      .min(1)
      .describe("The contact's record id, or its email address when id_property is email."),
    id_property: z
      .enum(["id", "email"])
      .default("id")
      .describe('How contact_id identifies the contact: "id" (the record id) or "email".'),
    ...contactFields,
    email: contactFields.email.describe("A new email address for the contact."),
  }),
  output: record,
  annotations: externalUpdate,
  run: async ({ input, http }) => {
    const properties = propertiesOf(input, contactPropertyNames);
    if (Object.keys(properties).length === 0) throw new ActionError("Give at least one property to change.");
    return http.request<CrmRecord>(`/crm/v3/objects/contacts/${encodeURIComponent(input.contact_id)}`, {
      method: "PATCH",
      query: { idProperty: input.id_property === "email" ? "email" : undefined },
      json: { properties },
    });
  },
});

const operators = [
  "EQ",
  "NEQ",
  "LT",
  "LTE",
  "GT",
  "GTE",
  "BETWEEN",
  "IN",
  "NOT_IN",
  "HAS_PROPERTY",
  "NOT_HAS_PROPERTY",
  "CONTAINS_TOKEN",
  "NOT_CONTAINS_TOKEN",
] as const;

const filter = z.object({
  propertyName: z
    .string()
    .min(1)
    .describe('The property to test, by internal name ("email", "lifecyclestage").'),
  operator: z
    .enum(operators)
    .describe(
      "How to compare: EQ, NEQ, LT..., IN/NOT_IN (values), BETWEEN (value and highValue), HAS_PROPERTY, CONTAINS_TOKEN (whole word; * wildcards).",
    ),
  value: z
    .string()
    .optional()
    .describe("The value to compare with (dates as epoch milliseconds or YYYY-MM-DD)."),
  highValue: z.string().optional().describe("The upper bound, for BETWEEN."),
  values: z.array(z.string()).optional().describe("The values, for IN and NOT_IN."),
});

const defaultContactProperties = ["email", "firstname", "lastname", "phone", "company", "lifecyclestage"];

const searchContacts = defineAction({
  key: "search_contacts",
  title: "Search contacts",
  description:
    "Find HubSpot contacts by a text query (name, email, phone, company) and/or property filters. Filters within a group must all match; any group may match. Recently created or changed contacts can take a few seconds to appear.",
  input: z.object({
    query: z
      .string()
      .optional()
      .describe("Text to look for in the default searchable properties (names, email, phone, company)."),
    filter_groups: z
      .array(z.object({ filters: z.array(filter).min(1).max(6).describe("Conditions that must all hold.") }))
      .max(5)
      .optional()
      .describe(
        'Groups of conditions (up to 5 groups, 6 filters each, 18 in all); a contact matches when any group does. E.g. [{"filters":[{"propertyName":"email","operator":"EQ","value":"ada@example.com"}]}].',
      ),
    properties: z
      .array(z.string())
      .optional()
      .describe(`Properties to return for each contact; by default ${defaultContactProperties.join(", ")}.`),
    sort_by: z.string().optional().describe('A property to sort by, such as "lastmodifieddate".'),
    sort_direction: z
      .enum(["ASCENDING", "DESCENDING"])
      .default("DESCENDING")
      .describe("Sort order, with sort_by."),
    limit: z
      .number()
      .int()
      .min(1)
      .max(200)
      .default(10)
      .describe("At most this many contacts (HubSpot allows 200)."),
    after: z
      .string()
      .optional()
      .describe("The paging cursor (next_after) of a previous search, for the next page."),
  }),
  output: z.object({ total: z.number(), contacts: z.array(record), next_after: z.string().nullable() }),
  annotations: externalRead,
  run: async ({ input, http }) => {
    const result = await http.request<{
      total: number;
      results: CrmRecord[];
      paging?: { next?: { after: string } };
    }>("/crm/v3/objects/contacts/search", {
      method: "POST",
      json: {
        ...(input.query && { query: input.query }),
        ...(input.filter_groups && { filterGroups: input.filter_groups }),
        properties: input.properties ?? defaultContactProperties,
        ...(input.sort_by && { sorts: [{ propertyName: input.sort_by, direction: input.sort_direction }] }),
        limit: input.limit,
        ...(input.after && { after: input.after }),
      },
    });
    return { total: result.total, contacts: result.results, next_after: result.paging?.next?.after ?? null };
  },
});

const createDeal = defineAction({
  key: "create_deal",
  title: "Create deal",
  description:
    "Create a HubSpot deal in a pipeline stage, optionally associated with a contact and a company.",
  input: z.object({
    dealname: z.string().min(1).describe("The deal's name."),
    dealstage: z
      .string()
      .min(1)
      .describe("The internal id of the deal stage (such as appointmentscheduled), not its label."),
    pipeline: z
      .string()
      .optional()
      .describe('The internal id of the pipeline; the default pipeline ("default") when left out.'),
    amount: z.number().optional().describe("The deal's amount, in the account's currency."),
    closedate: z
      .string()
      .optional()
      .describe("The expected close date, ISO 8601 (2026-12-31 or 2026-12-31T17:00:00Z)."),
    hubspot_owner_id: z.string().optional().describe("The id of the HubSpot user who owns the deal."),
    contact_id: z.string().optional().describe("The record id of a contact to associate the deal with."),
    company_id: z.string().optional().describe("The record id of a company to associate the deal with."),
    properties: extraProperties,
  }),
  output: record,
  annotations: externalCreate,
  options: { dealstage: stageOptions, pipeline: pipelineOptions, hubspot_owner_id: ownerOptions },
  run: async ({ input, http }) => {
    const properties = propertiesOf(input, [
      "dealname",
      "dealstage",
      "pipeline",
      "amount",
      "closedate",
      "hubspot_owner_id",
    ]);
    const associations = [...associate(input.contact_id, 3), ...associate(input.company_id, 5)];
    return http.request<CrmRecord>("/crm/v3/objects/deals", {
      method: "POST",
      json: { properties, ...(associations.length > 0 && { associations }) },
    });
  },
});

const createNote = defineAction({
  key: "create_note",
  title: "Add note",
  description: "Log a note on the timeline of a HubSpot contact, deal and/or company.",
  input: z.object({
    body: z.string().min(1).max(65_536).describe("The note's text (HTML allowed)."),
    contact_id: z.string().optional().describe("The record id of the contact to attach the note to."),
    deal_id: z.string().optional().describe("The record id of the deal to attach the note to."),
    company_id: z.string().optional().describe("The record id of the company to attach the note to."),
    timestamp: z
      .string()
      .optional()
      .describe(
        "When the activity happened, ISO 8601 (it sets the note's place on the timeline); now if left out.",
      ),
    hubspot_owner_id: z
      .string()
      .optional()
      .describe("The id of the HubSpot user shown as the note's author."),
  }),
  output: record,
  annotations: externalCreate,
  options: { hubspot_owner_id: ownerOptions },
  run: async ({ input, http }) => {
    const associations = [
      ...associate(input.contact_id, 202),
      ...associate(input.deal_id, 214),
      ...associate(input.company_id, 190),
    ];
    if (associations.length === 0)
      throw new ActionError("Give a contact_id, deal_id or company_id: a note must be attached to a record.");
    const properties: Record<string, string> = {
      hs_note_body: input.body,
      hs_timestamp: input.timestamp ?? new Date().toISOString(),
      ...(input.hubspot_owner_id && { hubspot_owner_id: input.hubspot_owner_id }),
    };
    return http.request<CrmRecord>("/crm/v3/objects/notes", {
      method: "POST",
      json: { properties, associations },
    });
  },
});

/** HubSpot's error body: `{status: "error", message, correlationId, category, errors?: [...]}`. */
function describeError(body: unknown): string | undefined {
  if (!body || typeof body !== "object") return undefined;
  const error = body as {
    message?: string;
    category?: string;
    errors?: Array<{ message?: string; context?: Record<string, unknown> }>;
  };
  if (typeof error.message !== "string") return undefined;
  const details = (error.errors ?? [])
    .map((item) => {
      const scopes = item.context?.requiredGranularScopes ?? item.context?.requiredScopes;
      return Array.isArray(scopes) ? `required scopes: ${scopes.join(", ")}` : item.message;
    })
    .filter((text): text is string => Boolean(text) && !error.message?.includes(text as string));
  return [error.message, ...details].join("; ") + (error.category ? ` (${error.category})` : "");
}

export default defineIntegration<Auth>({
  slug: "hubspot",
  name: "HubSpot",
  description: "Contacts, deals and notes in HubSpot CRM.",
  category: "CRM",
  auth: apiKeyAuth([
    {
      name: "access_token",
      label: "Private app access token",
      secret: true,
      help: "HubSpot → Settings → Integrations → Private Apps → your app → Auth → Access token (pat-...). Give the app the scopes crm.objects.contacts.read/write and crm.objects.deals.read/write.",
    },
  ]),
  api: {
    baseUrl: "https://api.hubapi.com",
    baseUrlSetting: "HUBSPOT_API_URL",
    headers: (auth) => ({ authorization: `Bearer ${auth.access_token}` }),
    describeError,
  },
  test: async ({ http }) => {
    const account = await http.request<{ portalId: number; uiDomain?: string }>("/account-info/v3/details");
    return { account: `HubSpot account ${account.portalId}` };
  },
  actions: [createContact, updateContact, searchContacts, createDeal, createNote],
});
