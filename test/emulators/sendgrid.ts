// Twilio SendGrid's v3 API as its reference describes it (https://www.twilio.com/docs/sendgrid/api-reference):
// bearer API keys with per-key scopes, Mail Send's validation (202 with an empty body and an
// X-Message-Id header), Marketing contacts and lists, and errors as `{errors: [{message, field, help}]}`.
import { z } from "zod";
import { bearerToken, checkBody, type EmulatedRequest, type Reply, route, startEmulator } from "./emulator";

export const sendgridApiKey = "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";
/** A key with Mail Send only (no Marketing, no user.email.read). */
export const sendgridMailOnlyKey = "SG.mailonlymailonlymail.mailonlymailonlymailonlymailonlymailonly00";

function sendgridError(
  status: number,
  ...errors: Array<{ message: string; field?: string | null; help?: string | null }>
): Reply {
  return { status, json: { errors: errors.map((error) => ({ field: null, help: null, ...error })) } };
}

const recipient = z.object({
  email: z.email("does not contain a valid address."),
  name: z.string().optional(),
});
const mailSend = z.object({
  personalizations: z
    .array(
      z.object({
        to: z
          .array(recipient)
          .min(
            1,
            "The to array is required for all personalization objects, and must have at least one email object with a valid email address.",
          ),
        cc: z.array(recipient).optional(),
        bcc: z.array(recipient).optional(),
        subject: z.string().optional(),
        dynamic_template_data: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .min(1)
    .max(1000),
  from: recipient,
  reply_to: recipient.optional(),
  subject: z.string().optional(),
  content: z.array(z.object({ type: z.string().min(1), value: z.string().min(1) })).optional(),
  template_id: z.string().optional(),
  categories: z.array(z.string()).max(10).optional(),
  send_at: z.number().int().optional(),
});

const scopes = {
  full: [
    "mail.send",
    "marketing.read",
    "marketing.write",
    "templates.read",
    "user.email.read",
    "user.profile.read",
    "scopes.read",
  ],
  mailOnly: ["mail.send"],
};

/** Dynamic templates (and one legacy, which a list of dynamic ones leaves out): 201 of them, two pages of 200. */
export const sendgridTemplates = [
  { id: "d-0c9a0f8e3b6d4b3c9f1e2a3b4c5d6e7f", name: "Welcome", generation: "dynamic" },
  ...Array.from({ length: 200 }, (_, index) => ({
    id: `d-${index.toString(16).padStart(32, "0")}`,
    name: `Campaign ${index}`,
    generation: "dynamic",
  })),
];
const legacyTemplate = {
  id: "8f5c1a0e-1b2c-4d3e-9f4a-5b6c7d8e9f00",
  name: "Old receipt",
  generation: "legacy",
};

export async function startSendgridEmulator() {
  const verifiedSenders = ["news@example.com"];
  const lists = [
    {
      id: "ca7a3796-e8a8-4029-9ccb-df8937940562",
      name: "Newsletter",
      contact_count: 2,
      _metadata: { self: "…" },
    },
    {
      id: "f2fe66a1-43f3-4e3a-87b1-c6a600d805f0",
      name: "Beta testers",
      contact_count: 0,
      _metadata: { self: "…" },
    },
  ];
  const contacts = new Map<string, Record<string, unknown>>([
    [
      "ada@example.com",
      {
        id: "3a8ecb2f-c3c4-4d1c-9d6f-8a5b1d1c4b22",
        email: "ada@example.com",
        first_name: "Ada",
        last_name: "Lovelace",
        list_ids: [lists[0]!.id],
        created_at: "2025-11-01T10:00:00Z",
        updated_at: "2025-11-01T10:00:00Z",
        custom_fields: {},
      },
    ],
  ]);
  let messageCounter = 0;
  let jobCounter = 0;

  const scopesOf = (request: EmulatedRequest) =>
    bearerToken(request) === sendgridApiKey ? scopes.full : scopes.mailOnly;
  const forbidden = (request: EmulatedRequest, scope: string) =>
    scopesOf(request).includes(scope) ? undefined : sendgridError(403, { message: "access forbidden" });
  const requireJson = (request: EmulatedRequest) =>
    request.contentType.startsWith("application/json")
      ? undefined
      : sendgridError(415, { message: "Content-Type should be application/json." });
  const invalid = (problem: string) =>
    sendgridError(
      400,
      ...problem.split("; ").map((part) => {
        const [field = "", message = "is invalid"] = part.split(": ");
        return { field, message, help: "http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html" };
      }),
    );

  return startEmulator({
    name: "sendgrid",
    authenticate: (request) => {
      const key = bearerToken(request);
      return key === sendgridApiKey || key === sendgridMailOnlyKey
        ? undefined
        : sendgridError(401, { message: "The provided authorization grant is invalid, expired, or revoked" });
    },
    notFound: () => sendgridError(404, { message: "resource not found" }),
    routes: [
      route("GET", "/v3/scopes", (request) => ({ json: { scopes: scopesOf(request) } })),
      route(
        "GET",
        "/v3/user/email",
        (request) => forbidden(request, "user.email.read") ?? { json: { email: "ada@example.com" } },
      ),
      route("POST", "/v3/mail/send", (request) => {
        const refused = forbidden(request, "mail.send") ?? requireJson(request);
        if (refused) return refused;
        const checked = checkBody(request, mailSend, invalid);
        if (!checked.ok) return checked.reply;
        const mail = checked.body;
        if (!mail.template_id && !mail.content?.length)
          return invalid(
            "content: Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. We typically suggest both text/plain and text/html blocks are included, but only one block is required.",
          );
        if (mail.content && mail.content.length > 1 && mail.content[0]?.type !== "text/plain")
          return invalid("content: If present, text/plain content must be first, followed by text/html.");
        if (!mail.template_id && !mail.subject && mail.personalizations.some((p) => !p.subject))
          return invalid(
            "subject: The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.",
          );
        for (const [index, personalization] of mail.personalizations.entries()) {
          const all = [
            ...personalization.to,
            ...(personalization.cc ?? []),
            ...(personalization.bcc ?? []),
          ].map((r) => r.email.toLowerCase());
          if (new Set(all).size !== all.length)
            return invalid(
              `personalizations.${index}: Each email address in the personalization block should be unique between to, cc, and bcc.`,
            );
        }
        if (!verifiedSenders.includes(mail.from.email))
          return sendgridError(403, {
            field: "from",
            message:
              "The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved. Visit https://sendgrid.com/docs/for-developers/sending-email/sender-identity/ to see the Sender Identity requirements",
          });
        return { status: 202, headers: { "x-message-id": `W0fYq3kHSPe2zK7u5cRm${++messageCounter}` } };
      }),
      // Retrieve paged transactional templates: page_size 1-200 is required; the next page's
      // page_token comes in _metadata.next.
      route("GET", "/v3/templates", (request) => {
        const refused = forbidden(request, "templates.read");
        if (refused) return refused;
        const pageSize = Number(request.query.get("page_size"));
        if (!(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 200))
          return sendgridError(400, { field: "page_size", message: "page_size should be between 1 and 200" });
        const generations = (request.query.get("generations") ?? "legacy").split(",");
        const all = [...sendgridTemplates, legacyTemplate].filter((template) =>
          generations.includes(template.generation),
        );
        const token = request.query.get("page_token");
        const start = token ? Number(Buffer.from(token, "base64url").toString()) : 0;
        const next =
          start + pageSize < all.length ? Buffer.from(String(start + pageSize)).toString("base64url") : null;
        const self = `https://api.sendgrid.com/v3/templates?page_size=${pageSize}`;
        return {
          json: {
            result: all.slice(start, start + pageSize).map((template) => ({
              ...template,
              updated_at: "2025-03-01 10:00:00",
              versions: [],
            })),
            _metadata: { self, ...(next && { next: `${self}&page_token=${next}` }), count: all.length },
          },
        };
      }),
      route("GET", "/v3/marketing/lists", (request) => {
        const refused = forbidden(request, "marketing.read");
        if (refused) return refused;
        const pageSize = Number(request.query.get("page_size") ?? 100);
        if (!(pageSize >= 1 && pageSize <= 1000))
          return sendgridError(400, { field: "page_size", message: "page_size must be between 1 and 1000" });
        return {
          json: { result: lists.slice(0, pageSize), _metadata: { self: request.path, count: lists.length } },
        };
      }),
      route("PUT", "/v3/marketing/contacts", (request) => {
        const refused = forbidden(request, "marketing.write") ?? requireJson(request);
        if (refused) return refused;
        const checked = checkBody(
          request,
          z.object({
            list_ids: z.array(z.string()).optional(),
            contacts: z
              .array(z.object({ email: z.email() }).passthrough())
              .min(1)
              .max(30_000),
          }),
          invalid,
        );
        if (!checked.ok) return checked.reply;
        const unknownList = checked.body.list_ids?.find((id) => !lists.some((list) => list.id === id));
        if (unknownList)
          return sendgridError(400, { field: "list_ids", message: `list ID ${unknownList} does not exist` });
        for (const incoming of checked.body.contacts) {
          const key = String(incoming.email).toLowerCase();
          const existing = contacts.get(key);
          contacts.set(key, {
            id: existing?.id ?? `c0ffee00-0000-4000-8000-${String(contacts.size).padStart(12, "0")}`,
            ...existing,
            ...incoming,
            list_ids: [
              ...new Set([...((existing?.list_ids as string[]) ?? []), ...(checked.body.list_ids ?? [])]),
            ],
          });
        }
        return { status: 202, json: { job_id: `2387e363-4104-4225-8960-4a5758492351-${++jobCounter}` } };
      }),
      route("POST", "/v3/marketing/contacts/search/emails", (request) => {
        const refused = forbidden(request, "marketing.read") ?? requireJson(request);
        if (refused) return refused;
        const checked = checkBody(
          request,
          z.object({ emails: z.array(z.string()).min(1).max(100) }),
          invalid,
        );
        if (!checked.ok) return checked.reply;
        const result: Record<string, unknown> = {};
        for (const email of checked.body.emails) {
          const found = contacts.get(email.toLowerCase());
          result[email] = found ? { contact: found } : { error: "contact not found" };
        }
        if (!checked.body.emails.some((email) => contacts.has(email.toLowerCase())))
          return sendgridError(404, { message: "No contacts found" });
        return { json: { result } };
      }),
    ],
  });
}
