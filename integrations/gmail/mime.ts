// The RFC 2822 / MIME message Gmail's messages.send and drafts.create take as `raw`
// (https://developers.google.com/gmail/api/guides/sending): CRLF lines, non-ASCII header text as
// RFC 2047 encoded words, bodies in UTF-8 (7bit when plain ASCII, else base64), text and HTML as
// multipart/alternative; and the reading of a received message's parts back into text.
import { randomBytes } from "node:crypto";

export type OutgoingMail = {
  from?: string;
  to?: string[];
  cc?: string[];
  bcc?: string[];
  subject: string;
  text?: string;
  html?: string;
  /** The Message-ID of the message this one answers (sets In-Reply-To and References). */
  inReplyTo?: string;
  references?: string;
};

const crlf = "\r\n";

const nonAscii = /[^\x20-\x7e]/;
const isAscii = (text: string) => Buffer.byteLength(text) === text.length;

export function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * RFC 2047 "B" encoded words, split between characters (never inside one): 39 bytes make 64
 * characters, so even the first line ("Subject: " and a word) stays within 78.
 */
export function encodedWords(text: string): string[] {
  const words: string[] = [];
  let chunk = "";
  for (const character of text) {
    if (Buffer.byteLength(chunk + character) > 39) {
      words.push(chunk);
      chunk = "";
    }
    chunk += character;
  }
  if (chunk) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word).toString("base64")}?=`);
}

/** An unstructured header's value (a subject): as is when short ASCII, else encoded and folded. */
function unstructured(value: string): string {
  const flat = value.replace(/\s*[\r\n]+\s*/g, " ");
  if (!nonAscii.test(flat) && flat.length <= 900) return flat;
  return encodedWords(flat).join(`${crlf} `);
}

const addressPattern = /^\s*(?:([^<>]*?)\s*<([^<>\s@]+@[^<>\s@]+)>|([^<>\s@"]+@[^<>\s@"]+))\s*$/;

/** Whether `value` is "ada@example.com" or "Ada Lovelace <ada@example.com>". */
export function isMailAddress(value: string): boolean {
  return !/[\r\n]/.test(value) && addressPattern.test(value);
}

function formatAddress(value: string): string {
  const match = addressPattern.exec(value);
  if (!match) throw new Error(`Not an email address: ${value}`);
  const [, name, angled, bare] = match;
  if (bare) return bare;
  // A display name given already quoted ("Smith, John") is taken without its quotes.
  const given = name?.trim() ?? "";
  const display = /^"(.*)"$/.test(given) ? given.slice(1, -1).replace(/\\(.)/g, "$1") : given;
  if (!display) return `<${angled}>`;
  if (nonAscii.test(display)) return `${encodedWords(display).join(" ")} <${angled}>`;
  if (/[()<>[\]:;@\\,."]/.test(display)) return `"${display.replace(/(["\\])/g, "\\$1")}" <${angled}>`;
  return `${display} <${angled}>`;
}

function addressHeader(name: string, addresses: string[] | undefined): string[] {
  if (!addresses || addresses.length === 0) return [];
  return [`${name}: ${addresses.map(formatAddress).join(`,${crlf} `)}`];
}

/** A body part: 7bit when it is ASCII with short lines, else base64 in 76-character lines. */
function bodyPart(mimeType: "text/plain" | "text/html", content: string): string {
  const normalised = content.replace(/\r?\n/g, crlf);
  const sevenBit = isAscii(normalised) && normalised.split(crlf).every((line) => line.length <= 998);
  const header = `Content-Type: ${mimeType}; charset="UTF-8"${crlf}Content-Transfer-Encoding: ${sevenBit ? "7bit" : "base64"}`;
  const encoded = sevenBit
    ? normalised
    : (Buffer.from(normalised, "utf8")
        .toString("base64")
        .match(/.{1,76}/g)
        ?.join(crlf) ?? "");
  return `${header}${crlf}${crlf}${encoded}`;
}

/** The whole message, CRLF-terminated lines, ready for base64url. */
export function buildMessage(mail: OutgoingMail): string {
  const headers = [
    ...(mail.from ? addressHeader("From", [mail.from]) : []),
    ...addressHeader("To", mail.to),
    ...addressHeader("Cc", mail.cc),
    ...addressHeader("Bcc", mail.bcc),
    `Subject: ${unstructured(mail.subject)}`,
    ...(mail.inReplyTo ? [`In-Reply-To: ${mail.inReplyTo}`] : []),
    ...(mail.inReplyTo || mail.references ? [`References: ${mail.references ?? mail.inReplyTo}`] : []),
    "MIME-Version: 1.0",
  ];
  // HTML goes with a plain-text alternative (made from the HTML when none is given).
  const text = mail.text ?? (mail.html === undefined ? "" : htmlToText(mail.html));
  if (mail.html !== undefined) {
    const boundary = `=_tg_${randomBytes(12).toString("hex")}`;
    return [
      ...headers,
      `Content-Type: multipart/alternative; boundary="${boundary}"`,
      "",
      `--${boundary}`,
      bodyPart("text/plain", text),
      `--${boundary}`,
      bodyPart("text/html", mail.html),
      `--${boundary}--`,
      "",
    ].join(crlf);
  }
  return `${headers.join(crlf)}${crlf}${bodyPart("text/plain", text)}`;
}

// --- Reading received messages (the `payload` of messages.get with format=full) ---

export type MessagePart = {
  partId?: string;
  mimeType?: string;
  filename?: string;
  headers?: Array<{ name: string; value: string }>;
  body?: { size?: number; data?: string; attachmentId?: string };
  parts?: MessagePart[];
};

export function decodeBase64url(data: string): string {
  return Buffer.from(data.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("utf8");
}

function findPart(part: MessagePart, mimeType: string): MessagePart | undefined {
  if (part.mimeType === mimeType && part.body?.data && !part.filename) return part;
  for (const child of part.parts ?? []) {
    const found = findPart(child, mimeType);
    if (found) return found;
  }
  return undefined;
}

/** HTML reduced to readable text (for messages that have no text/plain part). */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|li|tr|h[1-6])>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** The message's text: its text/plain part, else its HTML part as text. */
export function messageText(payload: MessagePart): string {
  const plain = findPart(payload, "text/plain");
  if (plain?.body?.data) return decodeBase64url(plain.body.data);
  const html = findPart(payload, "text/html");
  if (html?.body?.data) return htmlToText(decodeBase64url(html.body.data));
  return "";
}

export function attachmentsOf(
  part: MessagePart,
): Array<{ filename: string; mimeType: string; size: number }> {
  const own =
    part.filename && part.body?.attachmentId
      ? [{ filename: part.filename, mimeType: part.mimeType ?? "", size: part.body.size ?? 0 }]
      : [];
  return [...own, ...(part.parts ?? []).flatMap(attachmentsOf)];
}

export function headerOf(part: MessagePart | undefined, name: string): string | undefined {
  return part?.headers?.find((header) => header.name.toLowerCase() === name.toLowerCase())?.value;
}
