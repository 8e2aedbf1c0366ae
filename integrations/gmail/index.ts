// Gmail, through the Gmail API v1 (https://developers.google.com/gmail/api/reference/rest): send
// and draft RFC 2822 messages (base64url `raw`), search and read messages, change their labels.
import { z } from "zod";
import {
  defineIntegration,
  externalCreate,
  externalRead,
  externalUpdate,
  type OptionsLoader,
} from "@/integrations/sdk/define";
import { ActionError } from "@/integrations/sdk/errors";
import { type GoogleAuth, googleActionFor, googleApi, googleOptions } from "../google/api";
import { googleOAuth } from "../google/oauth";
import {
  attachmentsOf,
  base64url,
  buildMessage,
  headerOf,
  isMailAddress,
  type MessagePart,
  messageText,
} from "./mime";

const defineAction = googleActionFor();
const me = "/gmail/v1/users/me";

type GmailMessage = {
  id: string;
  threadId: string;
  labelIds?: string[];
  snippet?: string;
  internalDate?: string;
  payload?: MessagePart;
};

const address = z
  .string()
  .refine(isMailAddress, 'An email address, "ada@example.com" or "Ada Lovelace <ada@example.com>".');
const addresses = (who: string) =>
  z
    .array(address)
    .optional()
    .describe(`${who}: email addresses, each "ada@example.com" or "Ada Lovelace <ada@example.com>".`);
const singleLine = z.string().refine((value) => !/[\r\n]/.test(value), "No line breaks.");

const mailInput = z.object({
  to: addresses("Recipients"),
  cc: addresses("Copy recipients"),
  bcc: addresses("Blind copy recipients (not shown to the others)"),
  subject: z.string().describe("The subject line (any language)."),
  text: z.string().optional().describe("The plain-text body."),
  html: z
    .string()
    .optional()
    .describe("An HTML body; sent with the plain-text body (or a text version of the HTML) as alternative."),
  thread_id: z
    .string()
    .optional()
    .describe("To reply in a conversation: the thread's id (from search_messages or get_message)."),
  in_reply_to: singleLine
    .optional()
    .describe(
      'For a reply: the Message-ID header of the message answered ("<…@mail.gmail.com>", from get_message), so mail programs thread it; keep the subject the same ("Re: …").',
    ),
  from: address
    .optional()
    .describe("A send-as alias configured in Gmail; the account's own address when left out."),
});
type MailInput = z.infer<typeof mailInput>;

function rawMessage(input: MailInput): string {
  const recipients = [...(input.to ?? []), ...(input.cc ?? []), ...(input.bcc ?? [])];
  if (recipients.length === 0) throw new ActionError("Give at least one recipient in to, cc or bcc.");
  return base64url(
    buildMessage({
      subject: input.subject,
      ...(input.from && { from: input.from }),
      ...(input.to && { to: input.to }),
      ...(input.cc && { cc: input.cc }),
      ...(input.bcc && { bcc: input.bcc }),
      ...(input.text !== undefined && { text: input.text }),
      ...(input.html !== undefined && { html: input.html }),
      ...(input.in_reply_to && { inReplyTo: input.in_reply_to }),
    }),
  );
}

const sentMessage = z
  .object({ id: z.string(), threadId: z.string(), labelIds: z.array(z.string()).optional() })
  .passthrough();

const labelOptions: OptionsLoader<GoogleAuth> = googleOptions(async ({ http }) => {
  const { labels = [] } = await http.request<{ labels?: Array<{ id: string; name: string }> }>(
    `${me}/labels`,
  );
  return labels.map((label) => ({ value: label.id, label: label.name }));
});

type SendAs = { sendAsEmail: string; displayName?: string; isPrimary?: boolean; verificationStatus?: string };

/** The addresses the account may send as: its own, and the aliases Gmail has verified. */
const fromOptions: OptionsLoader<GoogleAuth> = googleOptions(async ({ http }) => {
  const { sendAs = [] } = await http.request<{ sendAs?: SendAs[] }>(`${me}/settings/sendAs`);
  return sendAs
    .filter((alias) => alias.isPrimary || alias.verificationStatus === "accepted")
    .map((alias) => ({
      value: alias.sendAsEmail,
      label: `${alias.displayName ? `${alias.displayName} <${alias.sendAsEmail}>` : alias.sendAsEmail}${alias.isPrimary ? " (the account's own)" : ""}`,
    }));
});

const sendEmail = defineAction({
  key: "send_email",
  title: "Send email",
  description:
    "Send an email from the connected Gmail account: plain text and/or HTML, with Cc and Bcc; in an existing conversation when thread_id (and in_reply_to) are given.",
  input: mailInput,
  output: sentMessage,
  annotations: externalCreate,
  options: { from: fromOptions },
  run: async ({ input, http }) => {
    const sent = await http.request<GmailMessage>(`${me}/messages/send`, {
      method: "POST",
      json: { raw: rawMessage(input), ...(input.thread_id && { threadId: input.thread_id }) },
    });
    return { id: sent.id, threadId: sent.threadId, labelIds: sent.labelIds ?? [] };
  },
});

const createDraft = defineAction({
  key: "create_draft",
  title: "Create draft",
  description: "Save an email as a Gmail draft, to be reviewed and sent by the person later.",
  input: mailInput,
  output: z.object({ id: z.string(), message: sentMessage }),
  annotations: externalCreate,
  options: { from: fromOptions },
  run: async ({ input, http }) => {
    const draft = await http.request<{ id: string; message: GmailMessage }>(`${me}/drafts`, {
      method: "POST",
      json: {
        message: { raw: rawMessage(input), ...(input.thread_id && { threadId: input.thread_id }) },
      },
    });
    return {
      id: draft.id,
      message: {
        id: draft.message.id,
        threadId: draft.message.threadId,
        labelIds: draft.message.labelIds ?? [],
      },
    };
  },
});

const messageSummary = z.object({
  id: z.string(),
  threadId: z.string(),
  from: z.string().optional(),
  to: z.string().optional(),
  subject: z.string().optional(),
  date: z.string().optional(),
  snippet: z.string().optional(),
  labelIds: z.array(z.string()).optional(),
});

const summaryHeaders = ["From", "To", "Subject", "Date"];

const searchMessages = defineAction({
  key: "search_messages",
  title: "Search messages",
  description:
    'Find messages with Gmail\'s search syntax ("from:ada@example.com is:unread newer_than:7d", "subject:invoice has:attachment"); returns sender, subject, date and snippet of each.',
  input: z.object({
    query: z
      .string()
      .default("")
      .describe("A Gmail search query, as typed in Gmail's search box; empty for the latest messages."),
    label_ids: z
      .array(z.string())
      .optional()
      .describe('Only messages with all these label ids ("INBOX", "UNREAD", or a user label\'s id).'),
    max_results: z.number().int().min(1).max(50).default(10).describe("At most this many messages."),
    include_spam_trash: z.boolean().default(false).describe("Whether to include messages in Spam and Trash."),
    page_token: z.string().optional().describe("The next_page_token of a previous search, for more results."),
  }),
  output: z.object({
    messages: z.array(messageSummary),
    next_page_token: z.string().optional(),
    result_size_estimate: z.number().optional(),
  }),
  annotations: externalRead,
  options: { label_ids: labelOptions },
  run: async ({ input, http, progress }) => {
    const list = await http.request<{
      messages?: Array<{ id: string; threadId: string }>;
      nextPageToken?: string;
      resultSizeEstimate?: number;
    }>(`${me}/messages`, {
      query: {
        ...(input.query && { q: input.query }),
        maxResults: input.max_results,
        labelIds: input.label_ids,
        includeSpamTrash: input.include_spam_trash,
        pageToken: input.page_token,
      },
    });
    const found = list.messages ?? [];
    const messages: z.infer<typeof messageSummary>[] = [];
    // messages.list gives ids only: the headers come from one metadata read per message.
    for (let start = 0; start < found.length; start += 5) {
      const batch = await Promise.all(
        found.slice(start, start + 5).map((entry) =>
          http.request<GmailMessage>(`${me}/messages/${encodeURIComponent(entry.id)}`, {
            query: { format: "metadata", metadataHeaders: summaryHeaders },
          }),
        ),
      );
      for (const message of batch)
        messages.push({
          id: message.id,
          threadId: message.threadId,
          from: headerOf(message.payload, "From"),
          to: headerOf(message.payload, "To"),
          subject: headerOf(message.payload, "Subject"),
          date: headerOf(message.payload, "Date"),
          snippet: message.snippet,
          labelIds: message.labelIds ?? [],
        });
      await progress(messages.length, found.length);
    }
    return {
      messages,
      ...(list.nextPageToken && { next_page_token: list.nextPageToken }),
      ...(list.resultSizeEstimate !== undefined && { result_size_estimate: list.resultSizeEstimate }),
    };
  },
});

const bodyLimit = 100_000;

const getMessage = defineAction({
  key: "get_message",
  title: "Get message",
  description:
    "Read one message in full: its headers, its text (the plain-text part, else the HTML as text) and the names of its attachments.",
  input: z.object({ message_id: z.string().min(1).describe("The message's id (from search_messages).") }),
  output: messageSummary.extend({
    cc: z.string().optional(),
    message_id_header: z.string().optional(),
    text: z.string(),
    truncated: z.boolean(),
    attachments: z.array(z.object({ filename: z.string(), mimeType: z.string(), size: z.number() })),
  }),
  annotations: externalRead,
  run: async ({ input, http }) => {
    const message = await http.request<GmailMessage>(
      `${me}/messages/${encodeURIComponent(input.message_id)}`,
      {
        query: { format: "full" },
      },
    );
    const payload = message.payload ?? {};
    const text = messageText(payload);
    return {
      id: message.id,
      threadId: message.threadId,
      from: headerOf(payload, "From"),
      to: headerOf(payload, "To"),
      cc: headerOf(payload, "Cc"),
      subject: headerOf(payload, "Subject"),
      date: headerOf(payload, "Date"),
      message_id_header: headerOf(payload, "Message-ID"),
      snippet: message.snippet,
      labelIds: message.labelIds ?? [],
      text: text.slice(0, bodyLimit),
      truncated: text.length > bodyLimit,
      attachments: attachmentsOf(payload),
    };
  },
});

const modifyLabels = defineAction({
  key: "modify_labels",
  title: "Add or remove labels",
  description:
    'Add labels to a message and/or remove them: archive (remove "INBOX"), mark read (remove "UNREAD"), star (add "STARRED"), or apply a user label by its id (see list_labels).',
  input: z.object({
    message_id: z.string().min(1).describe("The message's id."),
    add_label_ids: z.array(z.string()).default([]).describe("Label ids to add."),
    remove_label_ids: z.array(z.string()).default([]).describe("Label ids to remove."),
  }),
  output: sentMessage,
  annotations: externalUpdate,
  options: { add_label_ids: labelOptions, remove_label_ids: labelOptions },
  run: async ({ input, http }) => {
    if (input.add_label_ids.length === 0 && input.remove_label_ids.length === 0)
      throw new ActionError("Give at least one label id to add or to remove.");
    const message = await http.request<GmailMessage>(
      `${me}/messages/${encodeURIComponent(input.message_id)}/modify`,
      { method: "POST", json: { addLabelIds: input.add_label_ids, removeLabelIds: input.remove_label_ids } },
    );
    return { id: message.id, threadId: message.threadId, labelIds: message.labelIds ?? [] };
  },
});

const listLabels = defineAction({
  key: "list_labels",
  title: "List labels",
  description: "List the account's labels (system ones such as INBOX and the user's own) with their ids.",
  input: z.object({}),
  output: z.object({
    labels: z.array(z.object({ id: z.string(), name: z.string(), type: z.string().optional() })),
  }),
  annotations: externalRead,
  run: async ({ http }) => {
    const { labels = [] } = await http.request<{
      labels?: Array<{ id: string; name: string; type?: string }>;
    }>(`${me}/labels`);
    return { labels: labels.map(({ id, name, type }) => ({ id, name, ...(type && { type }) })) };
  },
});

export default defineIntegration<GoogleAuth>({
  slug: "gmail",
  name: "Gmail",
  description: "Send, draft, search and label email in Gmail.",
  category: "Email",
  // gmail.modify: read, send, draft and label (everything but deleting for good).
  auth: googleOAuth(["https://www.googleapis.com/auth/gmail.modify"]),
  api: googleApi("https://gmail.googleapis.com", "GMAIL_API_URL"),
  test: async ({ http }) => {
    const profile = await http.request<{ emailAddress?: string }>(`${me}/profile`);
    return { account: profile.emailAddress };
  },
  actions: [sendEmail, createDraft, searchMessages, getMessage, modifyLabels, listLabels],
});
