// Gmail's actions through the real worker path against its emulator, which decodes every `raw`
// message and checks it is a well-formed RFC 2822 / MIME message; plus the connection test,
// label choices, Google's error shape, and a rejected access token renewed with the refresh token.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { type ParsedMail, startGmailEmulator } from "../../emulators/gmail";
import { googleAccessToken, googleClient, googleRefreshToken } from "../../emulators/google";
import { type AppHarness, startAppHarness } from "../../helpers/app-harness";

let emulator: Awaited<ReturnType<typeof startGmailEmulator>>;
let harness: AppHarness;
let connectionId: string;

const tokens = {
  accessToken: googleAccessToken,
  refreshToken: googleRefreshToken,
  expiresAt: Date.now() + 3_600_000,
};

beforeAll(async () => {
  emulator = await startGmailEmulator();
  harness = await startAppHarness({
    GMAIL_API_URL: emulator.url,
    GOOGLE_CLIENT_ID: googleClient.id,
    GOOGLE_CLIENT_SECRET: googleClient.secret,
    GOOGLE_TOKEN_URL: `${emulator.url}/token`,
  });
  connectionId = await harness.connectWithTokens("gmail", tokens);
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await emulator?.stop();
});

describe("Gmail", () => {
  it("sends a MIME message with an encoded subject, text and HTML, Cc and Bcc", async () => {
    const subject = `Café meeting — ${"ünïcödé ".repeat(12)}✓`;
    const result = await harness.call("gmail", "send_email", {
      to: ["Zoë Müller <zoe@example.com>", "bob@example.com"],
      cc: ['Smith, John "JJ" <john@example.com>'],
      bcc: ["audit@example.com"],
      subject,
      text: "Bonjour à tous,\nsee you at 10.",
      html: "<p>Bonjour à tous,<br>see you at <b>10</b>.</p>",
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.structured).toMatchObject({ threadId: expect.any(String), labelIds: ["SENT"] });
    const [request] = emulator.requestsTo("POST /gmail/v1/users/me/messages/send");
    expect(request?.headers.authorization).toBe(`Bearer ${googleAccessToken}`);
    expect(request?.contentType).toBe("application/json");
    expect(Object.keys(request!.body as object)).toEqual(["raw"]);
    const mail = emulator.sent.at(-1) as ParsedMail;
    expect(mail.subject).toBe(subject);
    expect(mail.to).toEqual(["Zoë Müller <zoe@example.com>", "bob@example.com"]);
    expect(mail.cc).toEqual(['"Smith, John \\"JJ\\"" <john@example.com>']);
    expect(mail.bcc).toEqual(["audit@example.com"]);
    expect(mail.contentType).toMatch(/^multipart\/alternative; boundary="/);
    expect(mail.text).toBe("Bonjour à tous,\r\nsee you at 10.");
    expect(mail.html).toBe("<p>Bonjour à tous,<br>see you at <b>10</b>.</p>");
    // The raw message itself is ASCII with folded lines: no header line is longer than 78.
    const raw = Buffer.from((request!.body as { raw: string }).raw, "base64url").toString("utf8");
    const headerBlock = raw.slice(0, raw.indexOf("\r\n\r\n"));
    expect(headerBlock.split("\r\n").every((line) => line.length <= 78)).toBe(true);
  });

  it("replies in a thread with In-Reply-To and References, as plain 7bit text", async () => {
    const result = await harness.call("gmail", "send_email", {
      to: ["grace@example.com"],
      subject: "Re: Invoice for March",
      text: "Thanks, paid today.",
      thread_id: "18c1f0a2b3c4d5e6",
      in_reply_to: "<CAF=invoice-1@mail.gmail.com>",
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.output).toMatchObject({ threadId: "18c1f0a2b3c4d5e6" });
    const request = emulator.requestsTo("POST /gmail/v1/users/me/messages/send").at(-1);
    expect((request!.body as { threadId?: string }).threadId).toBe("18c1f0a2b3c4d5e6");
    const mail = emulator.sent.at(-1) as ParsedMail;
    expect(mail.headers["in-reply-to"]).toBe("<CAF=invoice-1@mail.gmail.com>");
    expect(mail.headers.references).toBe("<CAF=invoice-1@mail.gmail.com>");
    expect(mail.headers["content-transfer-encoding"]).toBe("7bit");
    expect(mail.contentType).toBe('text/plain; charset="UTF-8"');
    expect(mail.text).toBe("Thanks, paid today.");
  });

  it("refuses a header injection before anything is sent", async () => {
    const before = emulator.requests.length;
    const result = await harness.call("gmail", "send_email", {
      to: ["ada@example.com\r\nBcc: spy@example.com"],
      subject: "Hi",
      text: "x",
    });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/email address/i);
    expect(emulator.requests.length).toBe(before);
  });

  it("saves a draft as {message: {raw}}", async () => {
    const result = await harness.call("gmail", "create_draft", {
      to: ["alan@example.com"],
      subject: "Draft: lunch",
      html: "<p>Friday works.</p>",
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.output).toMatchObject({
      id: expect.stringMatching(/^r-/),
      message: { labelIds: ["DRAFT"] },
    });
    const request = emulator.requestsTo("POST /gmail/v1/users/me/drafts").at(-1);
    expect(Object.keys((request!.body as { message: object }).message)).toEqual(["raw"]);
    const draft = emulator.drafts.at(-1) as ParsedMail;
    expect(draft.subject).toBe("Draft: lunch");
    expect(draft.text).toBe("Friday works.");
    expect(draft.html).toBe("<p>Friday works.</p>");
  });

  it("searches, then reads each result's headers with format=metadata", async () => {
    const result = await harness.call("gmail", "search_messages", { query: "from:grace invoice" });
    expect(result.isError, result.text).toBe(false);
    expect(result.output).toEqual({
      messages: [
        {
          id: "18c1f0a2b3c4d5e6",
          threadId: "18c1f0a2b3c4d5e6",
          from: "Grace Hopper <grace@example.com>",
          to: "ada@example.com",
          subject: "Invoice for March",
          date: "Thu, 1 Jan 2026 09:00:00 +0000",
          snippet: expect.stringContaining("the invoice for March"),
          labelIds: ["INBOX", "UNREAD"],
        },
      ],
      result_size_estimate: 1,
    });
    const list = emulator.requestsTo("GET /gmail/v1/users/me/messages").at(-1);
    expect(list?.query.get("q")).toBe("from:grace invoice");
    expect(list?.query.get("maxResults")).toBe("10");
    const read = emulator.requestsTo("GET /gmail/v1/users/me/messages/:id").at(-1);
    expect(read?.query.get("format")).toBe("metadata");
    expect(read?.query.getAll("metadataHeaders")).toEqual(["From", "To", "Subject", "Date"]);
  });

  it("reads a whole message: the text/plain part decoded, attachments named", async () => {
    const result = await harness.call("gmail", "get_message", { message_id: "18c1f0a2b3c4d5e6" });
    expect(result.isError, result.text).toBe(false);
    expect(result.output).toMatchObject({
      subject: "Invoice for March",
      message_id_header: "<CAF=invoice-1@mail.gmail.com>",
      text: "Hello Ada,\r\nthe invoice for March is attached.\r\nGrace",
      truncated: false,
      attachments: [{ filename: "invoice.pdf", mimeType: "application/pdf", size: 48213 }],
    });
    expect(emulator.requestsTo("GET /gmail/v1/users/me/messages/:id").at(-1)?.query.get("format")).toBe(
      "full",
    );
  });

  it("adds and removes labels", async () => {
    const result = await harness.call("gmail", "modify_labels", {
      message_id: "18c1f0a2b3c4d5e6",
      add_label_ids: ["Label_1"],
      remove_label_ids: ["UNREAD", "INBOX"],
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.output).toEqual({
      id: "18c1f0a2b3c4d5e6",
      threadId: "18c1f0a2b3c4d5e6",
      labelIds: ["Label_1"],
    });
    expect(emulator.requestsTo("POST /gmail/v1/users/me/messages/:id/modify").at(-1)?.body).toEqual({
      addLabelIds: ["Label_1"],
      removeLabelIds: ["UNREAD", "INBOX"],
    });
    const labels = await harness.call("gmail", "list_labels", {});
    expect((labels.output as { labels: unknown[] }).labels).toContainEqual({
      id: "Label_2",
      name: "Travel",
      type: "user",
    });
  });

  it("reports Google's message for a missing message and an unknown label", async () => {
    const missing = await harness.call("gmail", "get_message", { message_id: "0000000000000000" });
    expect(missing.isError).toBe(true);
    expect(missing.text).toBe(
      "Gmail refused the request (HTTP 404): Requested entity was not found. (NOT_FOUND, notFound)",
    );
    const badLabel = await harness.call("gmail", "modify_labels", {
      message_id: "18c1f0a2b3c4d5e7",
      add_label_ids: ["Label_404"],
    });
    expect(badLabel.isError).toBe(true);
    expect(badLabel.text).toMatch(
      /HTTP 400\): Invalid label: Label_404 \(INVALID_ARGUMENT, invalidArgument\)/,
    );
  });

  it("tests the connection and lists labels as choices", async () => {
    expect(await harness.testConnection(connectionId)).toEqual({ ok: true, account: "ada@example.com" });
    const choices = await harness.options("gmail", "modify_labels", "add_label_ids");
    expect(choices).toContainEqual({ value: "INBOX", label: "INBOX" });
    expect(choices).toContainEqual({ value: "Label_1", label: "Receipts" });
  });

  it("offers the account's own address and its verified aliases as the sender", async () => {
    const senders = [
      { value: "ada@example.com", label: "Ada Lovelace <ada@example.com> (the account's own)" },
      { value: "support@example.com", label: "Example Support <support@example.com>" },
    ];
    expect(await harness.options("gmail", "send_email", "from")).toEqual(senders);
    const request = emulator.requestsTo("GET /gmail/v1/users/me/settings/sendAs").at(-1);
    expect(request?.headers.authorization).toBe(`Bearer ${googleAccessToken}`);
    expect(await harness.options("gmail", "create_draft", "from")).toEqual(senders);
  });

  it("renews a rejected access token with the refresh token, and asks for reconnection when that is revoked", async () => {
    const stale = await harness.connectWithTokens(
      "gmail",
      { ...tokens, accessToken: "ya29.revoked-by-google" },
      "stale token",
    );
    const renewed = await harness.call("gmail", "list_labels", {}, { connectionId: stale });
    expect(renewed.isError, renewed.text).toBe(false);
    const refresh = emulator.requestsTo("POST /token").at(-1);
    expect(refresh?.body).toMatchObject({ grant_type: "refresh_token", refresh_token: googleRefreshToken });

    const revoked = await harness.connectWithTokens(
      "gmail",
      { accessToken: "ya29.revoked-too", refreshToken: "1//revoked", expiresAt: Date.now() + 3_600_000 },
      "revoked",
    );
    const result = await harness.call("gmail", "list_labels", {}, { connectionId: revoked });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/invalid_grant.*Reconnect/);
    const row = await getDb().connection.findUniqueOrThrow({ where: { id: revoked } });
    expect(row.status).toBe("NEEDS_RECONNECT");
  });
});
