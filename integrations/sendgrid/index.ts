// Twilio SendGrid, through its v3 Web API (https://www.twilio.com/docs/sendgrid/api-reference):
// Mail Send (POST /v3/mail/send) and Marketing Campaigns contacts and lists, with an API key as a
// bearer token. Errors come as `{errors: [{message, field, help}]}`.
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

type Auth = KeyCredentials<"api_key">;
const defineAction = actionFor<Auth>();

type ContactList = { id: string; name: string; contact_count?: number };

const listOptions: OptionsLoader<Auth> = async ({ http }) => {
  const page = await http.request<{ result: ContactList[] }>("/v3/marketing/lists", {
    query: { page_size: 1000 },
  });
  return page.result.map((list) => ({ value: list.id, label: list.name }));
};

type Template = { id: string; name: string; generation?: string };

/** The account's dynamic templates, a page of 200 at a time while there is a next page (a few at most). */
const templateOptions: OptionsLoader<Auth> = async ({ http }) => {
  const options: Array<{ value: string; label: string }> = [];
  let pageToken: string | undefined;
  for (let page = 0; page < 5; page++) {
    const answer = await http.request<{ result: Template[]; _metadata?: { next?: string } }>(
      "/v3/templates",
      {
        query: { generations: "dynamic", page_size: 200, ...(pageToken && { page_token: pageToken }) },
      },
    );
    for (const template of answer.result) options.push({ value: template.id, label: template.name });
    pageToken = answer._metadata?.next
      ? (new URL(answer._metadata.next).searchParams.get("page_token") ?? undefined)
      : undefined;
    if (!pageToken) break;
  }
  return options;
};

const address = z.email();
const recipients = (description: string) => z.array(address).max(1000).describe(description);

const sendEmail = defineAction({
  key: "send_email",
  title: "Send email",
  description:
    "Send an email through SendGrid from a verified sender: plain text and/or HTML, or a dynamic template with its data. SendGrid accepts it for delivery (202); it does not confirm delivery.",
  input: z.object({
    to: recipients("The recipients' email addresses.").min(1),
    cc: recipients("Addresses to copy.").optional(),
    bcc: recipients("Addresses to copy invisibly.").optional(),
    send_individually: z
      .boolean()
      .default(false)
      .describe(
        "Send each `to` recipient a separate email (they do not see each other); cc and bcc are then not allowed.",
      ),
    from_email: address.describe(
      "The sender's address: a verified Sender Identity or on an authenticated domain.",
    ),
    from_name: z.string().optional().describe("The sender's display name."),
    reply_to: address.optional().describe("Where replies go, if not to the sender."),
    subject: z
      .string()
      .min(1)
      .max(998)
      .optional()
      .describe("The subject line; needed unless the template sets it."),
    text: z.string().min(1).optional().describe("The plain-text body."),
    html: z.string().min(1).optional().describe("The HTML body."),
    template_id: z
      .string()
      .regex(/^d-[0-9a-f]{32}$/, 'a dynamic template ID ("d-" and 32 hex digits)')
      .optional()
      .describe('A dynamic template\'s ID ("d-…") to render instead of text/html.'),
    dynamic_template_data: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('The template\'s Handlebars data, such as {"first_name": "Ada"}.'),
    categories: z
      .array(z.string().max(255))
      .max(10)
      .optional()
      .describe("Categories for SendGrid's statistics."),
    send_at: z
      .number()
      .int()
      .optional()
      .describe(
        "When to send, as a Unix timestamp (seconds; at most 72 hours ahead). Immediately if left out.",
      ),
  }),
  output: z.object({ accepted: z.boolean(), message_id: z.string().nullable(), recipients: z.number() }),
  annotations: externalCreate,
  options: { template_id: templateOptions },
  run: async ({ input, http }) => {
    if (!input.text && !input.html && !input.template_id)
      throw new ActionError("Give the email's text, html, or a template_id.");
    if (!input.subject && !input.template_id) throw new ActionError("Give the email's subject.");
    if (input.send_individually && (input.cc?.length || input.bcc?.length))
      throw new ActionError("cc and bcc cannot be used with send_individually.");
    const toList = (emails: string[] | undefined) => emails?.map((email) => ({ email }));
    const shared = {
      ...(input.dynamic_template_data && { dynamic_template_data: input.dynamic_template_data }),
    };
    const personalizations = input.send_individually
      ? input.to.map((email) => ({ to: [{ email }], ...shared }))
      : [
          {
            to: toList(input.to),
            ...(input.cc?.length && { cc: toList(input.cc) }),
            ...(input.bcc?.length && { bcc: toList(input.bcc) }),
            ...shared,
          },
        ];
    // text/plain must come before text/html.
    const content = [
      ...(input.text ? [{ type: "text/plain", value: input.text }] : []),
      ...(input.html ? [{ type: "text/html", value: input.html }] : []),
    ];
    const response = await http.send("/v3/mail/send", {
      method: "POST",
      json: {
        personalizations,
        from: { email: input.from_email, ...(input.from_name && { name: input.from_name }) },
        ...(input.reply_to && { reply_to: { email: input.reply_to } }),
        ...(input.subject && { subject: input.subject }),
        ...(content.length > 0 && { content }),
        ...(input.template_id && { template_id: input.template_id }),
        ...(input.categories?.length && { categories: input.categories }),
        ...(input.send_at !== undefined && { send_at: input.send_at }),
      },
    });
    return {
      accepted: response.status === 202,
      message_id: response.headers.get("x-message-id"),
      recipients: input.to.length + (input.cc?.length ?? 0) + (input.bcc?.length ?? 0),
    };
  },
});

const contact = z.object({
  email: address.describe("The contact's email address (their identifier)."),
  first_name: z.string().max(50).optional().describe("First name."),
  last_name: z.string().max(50).optional().describe("Last name."),
  phone_number: z.string().optional().describe("Phone number."),
  city: z.string().max(60).optional().describe("City."),
  country: z.string().optional().describe("Country (name or code)."),
  postal_code: z.string().optional().describe("Postal code."),
});

const addContacts = defineAction({
  key: "add_contacts",
  title: "Add or update contacts",
  description:
    "Add Marketing Campaigns contacts, or update them (matched by email; fields left out keep their values), optionally onto lists. SendGrid processes the job within a few minutes.",
  input: z.object({
    contacts: z.array(contact).min(1).max(100).describe("The contacts to add or update."),
    list_ids: z
      .array(z.string().regex(/^[0-9a-f-]{36}$/i, "a list ID"))
      .optional()
      .describe("IDs of the lists to add them to (see list_contact_lists)."),
  }),
  output: z.object({ job_id: z.string(), contacts: z.number() }),
  // An upsert by email: sending the same contacts again changes nothing more.
  annotations: externalUpdate,
  options: { list_ids: listOptions },
  run: async ({ input, http }) => {
    const answer = await http.request<{ job_id: string }>("/v3/marketing/contacts", {
      method: "PUT",
      json: { ...(input.list_ids?.length && { list_ids: input.list_ids }), contacts: input.contacts },
    });
    return { job_id: answer.job_id, contacts: input.contacts.length };
  },
});

const findContacts = defineAction({
  key: "find_contacts",
  title: "Find contacts by email",
  description: "Look up Marketing Campaigns contacts by email address: their names, lists and other fields.",
  input: z.object({ emails: z.array(address).min(1).max(100).describe("The email addresses to look up.") }),
  output: z.object({
    contacts: z.array(
      z
        .object({
          email: z.string(),
          id: z.string().optional(),
          first_name: z.string().optional(),
          last_name: z.string().optional(),
          list_ids: z.array(z.string()).optional(),
          created_at: z.string().optional(),
          updated_at: z.string().optional(),
        })
        .passthrough(),
    ),
    not_found: z.array(z.string()),
  }),
  annotations: externalRead,
  run: async ({ input, http }) => {
    type Found = Record<string, { contact?: Record<string, unknown>; error?: string }>;
    let result: Found;
    try {
      ({ result } = await http.request<{ result: Found }>("/v3/marketing/contacts/search/emails", {
        method: "POST",
        json: { emails: input.emails },
      }));
    } catch (error) {
      // SendGrid answers 404 when none of the addresses is a contact.
      if (error instanceof ActionError && /HTTP 404/.test(error.message))
        return { contacts: [], not_found: input.emails };
      throw error;
    }
    const contacts = [];
    const notFound = [];
    for (const email of input.emails) {
      const found = result[email]?.contact ?? result[email.toLowerCase()]?.contact;
      if (!found) {
        notFound.push(email);
        continue;
      }
      const pick = (name: string) =>
        typeof found[name] === "string" ? { [name]: found[name] as string } : {};
      contacts.push({
        email: typeof found.email === "string" ? found.email : email,
        ...pick("id"),
        ...pick("first_name"),
        ...pick("last_name"),
        ...pick("phone_number"),
        ...pick("city"),
        ...pick("country"),
        ...(Array.isArray(found.list_ids) && { list_ids: found.list_ids as string[] }),
        ...pick("created_at"),
        ...pick("updated_at"),
      });
    }
    return { contacts, not_found: notFound };
  },
});

const listContactLists = defineAction({
  key: "list_contact_lists",
  title: "List contact lists",
  description: "List the Marketing Campaigns contact lists, with their IDs and sizes.",
  input: z.object({
    page_size: z.number().int().min(1).max(1000).default(100).describe("At most this many lists."),
  }),
  output: z.object({
    lists: z.array(z.object({ id: z.string(), name: z.string(), contact_count: z.number().optional() })),
  }),
  annotations: externalRead,
  run: async ({ input, http }) => {
    const page = await http.request<{ result: ContactList[] }>("/v3/marketing/lists", {
      query: { page_size: input.page_size },
    });
    return {
      lists: page.result.map(({ id, name, contact_count }) => ({
        id,
        name,
        ...(contact_count !== undefined && { contact_count }),
      })),
    };
  },
});

type SendGridError = { message?: string; field?: string | null; help?: unknown };

export default defineIntegration<Auth>({
  slug: "sendgrid",
  name: "SendGrid",
  description: "Send email and manage Marketing Campaigns contacts with Twilio SendGrid.",
  category: "Email",
  auth: apiKeyAuth([
    {
      name: "api_key",
      label: "API key",
      secret: true,
      help: "SendGrid → Settings → API Keys → Create API Key, with Mail Send access (and Marketing access for contacts and lists). It starts with SG.",
    },
  ]),
  api: {
    baseUrl: "https://api.sendgrid.com",
    baseUrlSetting: "SENDGRID_API_URL",
    headers: (auth) => ({ authorization: `Bearer ${auth.api_key.trim()}` }),
    describeError: (body, status) => {
      const errors = (body as { errors?: SendGridError[] } | undefined)?.errors;
      if (!Array.isArray(errors) || errors.length === 0) return undefined;
      const text = errors
        .slice(0, 5)
        .map((error) => (error.field ? `${error.field}: ${error.message}` : error.message))
        .join("; ");
      return status === 403 ? `${text} (the API key lacks the permission this needs)` : text;
    },
  },
  test: async ({ http }) => {
    const { scopes } = await http.request<{ scopes: string[] }>("/v3/scopes");
    if (scopes.includes("user.email.read")) {
      const { email } = await http.request<{ email: string }>("/v3/user/email");
      return { account: email };
    }
    return { account: `API key (${scopes.length} permission${scopes.length === 1 ? "" : "s"})` };
  },
  actions: [sendEmail, addContacts, findContacts, listContactLists],
});
