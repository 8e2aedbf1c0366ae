// The Gmail API v1 as its reference describes it (https://developers.google.com/gmail/api/reference/rest):
// messages.send and drafts.create take `raw`, a base64url RFC 2822 message, which is decoded here
// and checked line by line (CRLF endings, header syntax, ASCII-only headers with RFC 2047 encoded
// words, recipients, MIME structure and transfer encodings) as Gmail refuses a malformed one.
import { z } from "zod";
import { checkBody, type Reply, route } from "./emulator";
import { type GoogleEmulator, googleError, requireJson, startGoogleEmulator } from "./google";

export type ParsedMail = {
  headers: Record<string, string>;
  subject?: string;
  to: string[];
  cc: string[];
  bcc: string[];
  text?: string;
  html?: string;
  contentType: string;
};

type Part = { headers: Record<string, string>; body: string };

class MailError extends Error {}

function decodeEncodedWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, "$1")
    .replace(
      /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g,
      (_word, charset: string, encoding: string, text: string) => {
        if (!/^utf-8$/i.test(charset) && !/^us-ascii$/i.test(charset))
          throw new MailError(`unsupported charset ${charset}`);
        if (encoding.toUpperCase() === "B") {
          if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new MailError("bad base64 in an encoded word");
          return Buffer.from(text, "base64").toString("utf8");
        }
        return Buffer.from(
          text
            .replace(/_/g, " ")
            .replace(/=([0-9A-F]{2})/gi, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16))),
          "latin1",
        ).toString("utf8");
      },
    );
}

/** Splits a header block (CRLF lines) into unfolded headers, checking each line's syntax. */
function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  let last: string | undefined;
  for (const line of block.split("\r\n")) {
    if (line.length > 998) throw new MailError("a header line is longer than 998 characters");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: RFC 2822 headers are US-ASCII without controls
    if (/[^\x09\x20-\x7e]/.test(line)) throw new MailError(`header line has non-ASCII characters: ${line}`);
    if (/^[ \t]/.test(line)) {
      if (!last) throw new MailError("a continuation line before any header");
      headers[last] += ` ${line.trim()}`;
      continue;
    }
    const match = /^([\x21-\x39\x3b-\x7e]+):[ \t]?(.*)$/.exec(line);
    if (!match) throw new MailError(`not a header line: ${line}`);
    last = match[1]!.toLowerCase();
    if (headers[last] !== undefined && ["to", "cc", "bcc", "subject", "from"].includes(last))
      throw new MailError(`duplicate ${match[1]} header`);
    headers[last] = match[2]!;
  }
  return headers;
}

function splitHeadersAndBody(text: string): Part {
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) throw new MailError("no blank line between headers and body");
  return { headers: parseHeaders(text.slice(0, end)), body: text.slice(end + 4) };
}

function parameter(contentType: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}=(?:"([^"]*)"|([^;\\s]+))`, "i").exec(contentType);
  return match?.[1] ?? match?.[2];
}

function decodeBody(part: Part): string {
  const encoding = (part.headers["content-transfer-encoding"] ?? "7bit").toLowerCase();
  if (encoding === "7bit") {
    if (Buffer.byteLength(part.body) !== part.body.length)
      throw new MailError("8-bit characters in a 7bit body");
    return part.body;
  }
  if (encoding === "base64") {
    const lines = part.body.split("\r\n").filter(Boolean);
    if (lines.some((line) => line.length > 76 || !/^[A-Za-z0-9+/]+={0,2}$/.test(line)))
      throw new MailError("malformed base64 body");
    return Buffer.from(lines.join(""), "base64").toString("utf8");
  }
  if (encoding === "quoted-printable")
    return Buffer.from(
      part.body
        .replace(/=\r\n/g, "")
        .replace(/=([0-9A-F]{2})/gi, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      "latin1",
    ).toString("utf8");
  throw new MailError(`unknown Content-Transfer-Encoding ${encoding}`);
}

function collectBodies(part: Part, into: { text?: string; html?: string }): void {
  const contentType = part.headers["content-type"] ?? "text/plain";
  if (/^multipart\//i.test(contentType)) {
    const boundary = parameter(contentType, "boundary");
    if (!boundary) throw new MailError("multipart without a boundary");
    const delimiter = `--${boundary}`;
    const closing = part.body.indexOf(`\r\n${delimiter}--`);
    if (!part.body.startsWith(`${delimiter}\r\n`) && !part.body.includes(`\r\n${delimiter}\r\n`))
      throw new MailError("multipart body has no part");
    if (closing < 0) throw new MailError("multipart body has no closing delimiter");
    const inner = part.body.slice(part.body.indexOf(`${delimiter}\r\n`) + delimiter.length + 2, closing);
    for (const chunk of inner.split(`\r\n${delimiter}\r\n`)) collectBodies(splitHeadersAndBody(chunk), into);
    return;
  }
  const charset = parameter(contentType, "charset");
  if (charset && !/^(utf-8|us-ascii)$/i.test(charset)) throw new MailError(`unexpected charset ${charset}`);
  const decoded = decodeBody(part);
  if (/^text\/plain/i.test(contentType)) into.text ??= decoded;
  else if (/^text\/html/i.test(contentType)) into.html ??= decoded;
}

const mailbox = /^(?:[^<>]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@",]+@[^<>\s@",]+)$/;

function addressList(value: string | undefined, header: string): string[] {
  if (value === undefined) return [];
  const entries: string[] = [];
  let current = "";
  let quoted = false;
  let escaped = false;
  for (const character of value) {
    if (escaped) escaped = false;
    else if (character === "\\" && quoted) escaped = true;
    else if (character === '"') quoted = !quoted;
    if (character === "," && !quoted) {
      entries.push(current.trim());
      current = "";
    } else current += character;
  }
  entries.push(current.trim());
  for (const entry of entries) if (!mailbox.test(entry)) throw new MailError(`Invalid ${header} header`);
  return entries.map(decodeEncodedWords);
}

/** The decoded message, or the reason Gmail would refuse it. */
export function parseRawMessage(raw: string, { needsRecipient }: { needsRecipient: boolean }): ParsedMail {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(raw)) throw new MailError("raw is not base64url");
  const text = Buffer.from(raw, "base64url").toString("utf8");
  if (/(^|[^\r])\n/.test(text) || /\r(?!\n)/.test(text)) throw new MailError("lines must end with CRLF");
  const top = splitHeadersAndBody(text);
  const headers = Object.fromEntries(
    Object.entries(top.headers).map(([name, value]) => [name, decodeEncodedWords(value)]),
  );
  const to = addressList(top.headers.to, "To");
  const cc = addressList(top.headers.cc, "Cc");
  const bcc = addressList(top.headers.bcc, "Bcc");
  if (needsRecipient && to.length + cc.length + bcc.length === 0)
    throw new MailError("Recipient address required");
  const contentType = top.headers["content-type"] ?? "text/plain";
  if (top.headers["content-type"] && top.headers["mime-version"] !== "1.0")
    throw new MailError("MIME-Version: 1.0 is missing");
  const bodies: { text?: string; html?: string } = {};
  collectBodies(top, bodies);
  return {
    headers,
    ...(headers.subject !== undefined && { subject: headers.subject }),
    to,
    cc,
    bcc,
    ...bodies,
    contentType,
  };
}

type StoredMessage = {
  id: string;
  threadId: string;
  labelIds: string[];
  snippet: string;
  internalDate: string;
  payload: Record<string, unknown>;
};

const systemLabels = ["INBOX", "UNREAD", "STARRED", "IMPORTANT", "SENT", "DRAFT", "SPAM", "TRASH"];

const b64url = (text: string) => Buffer.from(text).toString("base64url");

function seedMessage(
  id: string,
  headers: Record<string, string>,
  text: string,
  html: string,
  labelIds: string[],
): StoredMessage {
  return {
    id,
    threadId: id,
    labelIds,
    snippet: text.slice(0, 100),
    internalDate: "1767258000000",
    payload: {
      partId: "",
      mimeType: "multipart/alternative",
      filename: "",
      headers: Object.entries(headers).map(([name, value]) => ({ name, value })),
      body: { size: 0 },
      parts: [
        {
          partId: "0",
          mimeType: "text/plain",
          filename: "",
          headers: [{ name: "Content-Type", value: 'text/plain; charset="UTF-8"' }],
          body: { size: Buffer.byteLength(text), data: b64url(text) },
        },
        {
          partId: "1",
          mimeType: "text/html",
          filename: "",
          headers: [{ name: "Content-Type", value: 'text/html; charset="UTF-8"' }],
          body: { size: Buffer.byteLength(html), data: b64url(html) },
        },
        {
          partId: "2",
          mimeType: "application/pdf",
          filename: "invoice.pdf",
          headers: [{ name: "Content-Type", value: 'application/pdf; name="invoice.pdf"' }],
          body: { size: 48213, attachmentId: "ANGjdJ8-emulated" },
        },
      ],
    },
  };
}

function header(message: StoredMessage, name: string): string {
  const headers = (message.payload.headers ?? []) as Array<{ name: string; value: string }>;
  return headers.find((entry) => entry.name.toLowerCase() === name.toLowerCase())?.value ?? "";
}

function matches(message: StoredMessage, query: string): boolean {
  for (const term of query.toLowerCase().split(/\s+/).filter(Boolean)) {
    const [operator, value] = term.includes(":") ? term.split(/:(.*)/) : [undefined, term];
    if (
      operator === "from" &&
      !header(message, "From")
        .toLowerCase()
        .includes(value ?? "")
    )
      return false;
    if (
      operator === "subject" &&
      !header(message, "Subject")
        .toLowerCase()
        .includes(value ?? "")
    )
      return false;
    if (operator === "is" && !message.labelIds.includes((value ?? "").toUpperCase())) return false;
    if (operator === undefined) {
      const haystack =
        `${header(message, "From")} ${header(message, "Subject")} ${message.snippet}`.toLowerCase();
      if (!haystack.includes(term)) return false;
    }
  }
  return true;
}

const rawBody = z.object({ raw: z.string().min(1), threadId: z.string().optional() }).passthrough();

export async function startGmailEmulator(): Promise<
  GoogleEmulator & { sent: ParsedMail[]; drafts: ParsedMail[] }
> {
  const sent: ParsedMail[] = [];
  const drafts: ParsedMail[] = [];
  const labels = [
    ...systemLabels.map((id) => ({ id, name: id, type: "system" })),
    { id: "Label_1", name: "Receipts", type: "user" },
    { id: "Label_2", name: "Travel", type: "user" },
  ];
  const messages = new Map<string, StoredMessage>();
  for (const message of [
    seedMessage(
      "18c1f0a2b3c4d5e6",
      {
        From: "Grace Hopper <grace@example.com>",
        To: "ada@example.com",
        Subject: "Invoice for March",
        Date: "Thu, 1 Jan 2026 09:00:00 +0000",
        "Message-ID": "<CAF=invoice-1@mail.gmail.com>",
      },
      "Hello Ada,\r\nthe invoice for March is attached.\r\nGrace",
      "<p>Hello Ada,</p><p>the invoice for March is attached.</p>",
      ["INBOX", "UNREAD"],
    ),
    seedMessage(
      "18c1f0a2b3c4d5e7",
      {
        From: "Alan Turing <alan@example.com>",
        To: "ada@example.com",
        Subject: "Lunch on Friday?",
        Date: "Fri, 2 Jan 2026 12:00:00 +0000",
        "Message-ID": "<CAF=lunch-2@mail.gmail.com>",
      },
      "Shall we have lunch on Friday?",
      "<p>Shall we have lunch on Friday?</p>",
      ["INBOX"],
    ),
  ])
    messages.set(message.id, message);
  let nextId = 0;

  function accept(raw: unknown, needsRecipient: boolean): { mail: ParsedMail } | { reply: Reply } {
    if (typeof raw !== "string" || raw === "")
      return {
        reply: googleError(
          400,
          "'raw' RFC822 payload message string or uploading message via /upload/* URL required",
        ),
      };
    try {
      return { mail: parseRawMessage(raw, { needsRecipient }) };
    } catch (error) {
      if (error instanceof MailError) return { reply: googleError(400, error.message, "invalidArgument") };
      throw error;
    }
  }

  function store(mail: ParsedMail, labelIds: string[], threadId?: string): StoredMessage {
    const id = `18c1f0a2b3c${(nextId++).toString(16).padStart(5, "0")}`;
    const message: StoredMessage = {
      id,
      threadId: threadId ?? id,
      labelIds,
      snippet: (mail.text ?? "").slice(0, 100),
      internalDate: String(Date.now()),
      payload: {
        mimeType: mail.contentType.split(";")[0],
        headers: Object.entries(mail.headers).map(([name, value]) => ({ name, value })),
        body: { size: 0 },
      },
    };
    messages.set(id, message);
    return message;
  }

  const emulator = await startGoogleEmulator({
    name: "gmail",
    routes: [
      route("GET", "/gmail/v1/users/me/profile", () => ({
        json: {
          emailAddress: "ada@example.com",
          messagesTotal: messages.size,
          threadsTotal: messages.size,
          historyId: "4321",
        },
      })),
      route("GET", "/gmail/v1/users/me/labels", () => ({ json: { labels } })),
      // users.settings.sendAs.list: the primary address and every alias, verified or not.
      route("GET", "/gmail/v1/users/me/settings/sendAs", () => ({
        json: {
          sendAs: [
            { sendAsEmail: "ada@example.com", displayName: "Ada Lovelace", isPrimary: true, isDefault: true },
            {
              sendAsEmail: "support@example.com",
              displayName: "Example Support",
              replyToAddress: "",
              isDefault: false,
              treatAsAlias: true,
              verificationStatus: "accepted",
            },
            {
              sendAsEmail: "unconfirmed@example.com",
              displayName: "",
              isDefault: false,
              treatAsAlias: true,
              verificationStatus: "pending",
            },
          ],
        },
      })),
      route("POST", "/gmail/v1/users/me/messages/send", (request) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const checked = checkBody(request, rawBody, (problem) => googleError(400, problem));
        if (!checked.ok) return checked.reply;
        const accepted = accept(checked.body.raw, true);
        if ("reply" in accepted) return accepted.reply;
        const { mail } = accepted;
        sent.push(mail);
        const message = store(mail, ["SENT"], checked.body.threadId);
        return { json: { id: message.id, threadId: message.threadId, labelIds: message.labelIds } };
      }),
      route("POST", "/gmail/v1/users/me/drafts", (request) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const checked = checkBody(request, z.object({ message: rawBody }), (problem) =>
          googleError(400, problem),
        );
        if (!checked.ok) return checked.reply;
        const accepted = accept(checked.body.message.raw, false);
        if ("reply" in accepted) return accepted.reply;
        const { mail } = accepted;
        drafts.push(mail);
        const message = store(mail, ["DRAFT"], checked.body.message.threadId);
        return {
          json: {
            id: `r-${message.id}`,
            message: { id: message.id, threadId: message.threadId, labelIds: ["DRAFT"] },
          },
        };
      }),
      route("GET", "/gmail/v1/users/me/messages", (request) => {
        const maxResults = Number(request.query.get("maxResults") ?? 100);
        if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 500)
          return googleError(400, "Invalid maxResults");
        const labelIds = request.query.getAll("labelIds");
        const withSpam = request.query.get("includeSpamTrash") === "true";
        const found = [...messages.values()]
          .filter((message) => labelIds.every((label) => message.labelIds.includes(label)))
          .filter(
            (message) => withSpam || !message.labelIds.some((label) => label === "SPAM" || label === "TRASH"),
          )
          .filter((message) => matches(message, request.query.get("q") ?? ""));
        const page = found.slice(0, maxResults);
        return {
          json: {
            ...(page.length > 0 && { messages: page.map(({ id, threadId }) => ({ id, threadId })) }),
            ...(found.length > maxResults && { nextPageToken: "09876543210987654321" }),
            resultSizeEstimate: found.length,
          },
        };
      }),
      route("GET", "/gmail/v1/users/me/messages/:id", (request, params) => {
        const message = messages.get(params.id ?? "");
        if (!message) return googleError(404, "Requested entity was not found.");
        const format = request.query.get("format") ?? "full";
        const { payload, ...rest } = message;
        if (format === "full") return { json: message };
        if (format === "minimal") return { json: rest };
        if (format === "metadata") {
          const wanted = request.query.getAll("metadataHeaders").map((name) => name.toLowerCase());
          const headers = (payload.headers as Array<{ name: string; value: string }>).filter(
            (entry) => wanted.length === 0 || wanted.includes(entry.name.toLowerCase()),
          );
          return { json: { ...rest, payload: { mimeType: payload.mimeType, headers } } };
        }
        return googleError(400, `Invalid value at 'format' (${format})`);
      }),
      route("POST", "/gmail/v1/users/me/messages/:id/modify", (request, params) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const checked = checkBody(
          request,
          z.object({
            addLabelIds: z.array(z.string()).optional(),
            removeLabelIds: z.array(z.string()).optional(),
          }),
          (problem) => googleError(400, problem),
        );
        if (!checked.ok) return checked.reply;
        const message = messages.get(params.id ?? "");
        if (!message) return googleError(404, "Requested entity was not found.");
        const { addLabelIds = [], removeLabelIds = [] } = checked.body;
        const unknown = [...addLabelIds, ...removeLabelIds].find(
          (id) => !labels.some((label) => label.id === id),
        );
        if (unknown) return googleError(400, `Invalid label: ${unknown}`, "invalidArgument");
        message.labelIds = [
          ...message.labelIds.filter((id) => !removeLabelIds.includes(id)),
          ...addLabelIds.filter((id) => !message.labelIds.includes(id)),
        ];
        return { json: { id: message.id, threadId: message.threadId, labelIds: message.labelIds } };
      }),
    ],
  });
  return Object.assign(emulator, { sent, drafts });
}
