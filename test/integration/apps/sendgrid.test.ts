// SendGrid's actions through the real worker path against its emulator: Mail Send's v3 body
// exactly as the reference defines it, Marketing contacts and lists, and SendGrid's error bodies.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import type { Emulator } from "../../emulators/emulator";
import {
  sendgridApiKey,
  sendgridMailOnlyKey,
  sendgridTemplates,
  startSendgridEmulator,
} from "../../emulators/sendgrid";
import { type AppHarness, startAppHarness } from "../../helpers/app-harness";

let emulator: Emulator;
let harness: AppHarness;
let connectionId: string;

const newsletter = "ca7a3796-e8a8-4029-9ccb-df8937940562";

beforeAll(async () => {
  emulator = await startSendgridEmulator();
  harness = await startAppHarness({ SENDGRID_API_URL: emulator.url });
  connectionId = await harness.connectWithKey("sendgrid", { api_key: sendgridApiKey });
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await emulator?.stop();
});

describe("SendGrid", () => {
  it("sends an email with the v3 body (text before html) and returns the message ID", async () => {
    const result = await harness.call("sendgrid", "send_email", {
      to: ["ada@example.com"],
      cc: ["charles@example.com"],
      from_email: "news@example.com",
      from_name: "Engine News",
      reply_to: "help@example.com",
      subject: "Issue 12",
      text: "Hello Ada",
      html: "<p>Hello Ada</p>",
      categories: ["newsletter"],
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.structured).toEqual({ accepted: true, message_id: "W0fYq3kHSPe2zK7u5cRm1", recipients: 2 });
    const [request] = emulator.requestsTo("POST /v3/mail/send");
    expect(request?.headers.authorization).toBe(`Bearer ${sendgridApiKey}`);
    expect(request?.contentType).toBe("application/json");
    expect(request?.body).toEqual({
      personalizations: [{ to: [{ email: "ada@example.com" }], cc: [{ email: "charles@example.com" }] }],
      from: { email: "news@example.com", name: "Engine News" },
      reply_to: { email: "help@example.com" },
      subject: "Issue 12",
      content: [
        { type: "text/plain", value: "Hello Ada" },
        { type: "text/html", value: "<p>Hello Ada</p>" },
      ],
      categories: ["newsletter"],
    });
  });

  it("sends a dynamic template to each recipient separately", async () => {
    const result = await harness.call("sendgrid", "send_email", {
      to: ["ada@example.com", "charles@example.com"],
      send_individually: true,
      from_email: "news@example.com",
      template_id: "d-0123456789abcdef0123456789abcdef",
      dynamic_template_data: { issue: 12 },
    });
    expect(result.isError, result.text).toBe(false);
    expect(emulator.requestsTo("POST /v3/mail/send").at(-1)?.body).toEqual({
      personalizations: [
        { to: [{ email: "ada@example.com" }], dynamic_template_data: { issue: 12 } },
        { to: [{ email: "charles@example.com" }], dynamic_template_data: { issue: 12 } },
      ],
      from: { email: "news@example.com" },
      template_id: "d-0123456789abcdef0123456789abcdef",
    });
  });

  it("names SendGrid's field and message when it refuses a mail, without retrying", async () => {
    const before = emulator.requestsTo("POST /v3/mail/send").length;
    const result = await harness.call("sendgrid", "send_email", {
      to: ["ada@example.com"],
      from_email: "someone@unverified.example",
      subject: "Hi",
      text: "Hi",
    });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(
      /SendGrid refused the request \(HTTP 403\): from: The from address does not match a verified Sender Identity/,
    );
    expect(emulator.requestsTo("POST /v3/mail/send").length).toBe(before + 1);

    const noBody = await harness.call("sendgrid", "send_email", {
      to: ["ada@example.com"],
      from_email: "news@example.com",
      subject: "Hi",
    });
    expect(noBody.isError).toBe(true);
    expect(noBody.text).toMatch(/text, html, or a template_id/);
    expect(emulator.requestsTo("POST /v3/mail/send").length).toBe(before + 1);
  });

  it("adds contacts to a list and finds them by email", async () => {
    const added = await harness.call("sendgrid", "add_contacts", {
      contacts: [{ email: "charles@example.com", first_name: "Charles", last_name: "Babbage" }],
      list_ids: [newsletter],
    });
    expect(added.isError, added.text).toBe(false);
    expect(added.output).toMatchObject({ contacts: 1, job_id: expect.stringMatching(/^[0-9a-f-]{36}/) });
    const [request] = emulator.requestsTo("PUT /v3/marketing/contacts");
    expect(request?.contentType).toBe("application/json");
    expect(request?.body).toEqual({
      list_ids: [newsletter],
      contacts: [{ email: "charles@example.com", first_name: "Charles", last_name: "Babbage" }],
    });

    const found = await harness.call("sendgrid", "find_contacts", {
      emails: ["charles@example.com", "nobody@example.com"],
    });
    expect(found.isError, found.text).toBe(false);
    expect(found.output).toMatchObject({
      contacts: [{ email: "charles@example.com", first_name: "Charles", list_ids: [newsletter] }],
      not_found: ["nobody@example.com"],
    });
    expect(emulator.requestsTo("POST /v3/marketing/contacts/search/emails").at(-1)?.body).toEqual({
      emails: ["charles@example.com", "nobody@example.com"],
    });
    const none = await harness.call("sendgrid", "find_contacts", { emails: ["ghost@example.com"] });
    expect(none.isError, none.text).toBe(false);
    expect(none.output).toEqual({ contacts: [], not_found: ["ghost@example.com"] });
  });

  it("lists contact lists, and offers them as choices", async () => {
    const listed = await harness.call("sendgrid", "list_contact_lists", {});
    expect(listed.isError, listed.text).toBe(false);
    expect(listed.output).toEqual({
      lists: [
        { id: newsletter, name: "Newsletter", contact_count: 2 },
        { id: "f2fe66a1-43f3-4e3a-87b1-c6a600d805f0", name: "Beta testers", contact_count: 0 },
      ],
    });
    expect(emulator.requestsTo("GET /v3/marketing/lists").at(-1)?.query.get("page_size")).toBe("100");
    expect(await harness.options("sendgrid", "add_contacts", "list_ids")).toEqual([
      { value: newsletter, label: "Newsletter" },
      { value: "f2fe66a1-43f3-4e3a-87b1-c6a600d805f0", label: "Beta testers" },
    ]);
  });

  it("offers the account's dynamic templates as choices, page by page", async () => {
    const templates = await harness.options("sendgrid", "send_email", "template_id");
    expect(templates).toEqual(
      sendgridTemplates.map((template) => ({ value: template.id, label: template.name })),
    );
    expect(templates.map((template) => template.label)).not.toContain("Old receipt");
    const pages = emulator.requestsTo("GET /v3/templates");
    expect(
      pages.map((request) => [request.query.get("generations"), request.query.get("page_size")]),
    ).toEqual([
      ["dynamic", "200"],
      ["dynamic", "200"],
    ]);
    expect(pages[0]?.query.has("page_token")).toBe(false);
    expect(pages[1]?.query.get("page_token")).toBeTruthy();
    for (const request of pages) expect(request.headers.authorization).toBe(`Bearer ${sendgridApiKey}`);
    const mailOnly = await harness.connectWithKey(
      "sendgrid",
      { api_key: sendgridMailOnlyKey },
      "no templates",
    );
    await expect(harness.options("sendgrid", "send_email", "template_id", mailOnly)).rejects.toMatchObject({
      code: "upstream_error",
    });
  });

  it("waits out a 429 until X-RateLimit-Reset", async () => {
    emulator.injectOnce(
      {
        status: 429,
        headers: {
          "x-ratelimit-limit": "600",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(Math.ceil(Date.now() / 1000) + 1),
        },
        json: { errors: [{ field: null, message: "too many requests" }] },
      },
      "GET /v3/marketing/lists",
    );
    const before = emulator.requestsTo("GET /v3/marketing/lists").length;
    const result = await harness.call("sendgrid", "list_contact_lists", {});
    expect(result.isError, result.text).toBe(false);
    expect(emulator.requestsTo("GET /v3/marketing/lists").length).toBe(before + 2);
  });

  it("tests the connection (the account's email when the key may read it), and explains a missing permission", async () => {
    expect(await harness.testConnection(connectionId)).toEqual({ ok: true, account: "ada@example.com" });
    const mailOnly = await harness.connectWithKey("sendgrid", { api_key: sendgridMailOnlyKey }, "mail only");
    expect(await harness.testConnection(mailOnly)).toEqual({ ok: true, account: "API key (1 permission)" });
    const refused = await harness.call("sendgrid", "list_contact_lists", {}, { connectionId: mailOnly });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(
      /HTTP 403\): access forbidden \(the API key lacks the permission this needs\)/,
    );
  });

  it("marks a connection whose key SendGrid rejects as needing reconnection", async () => {
    const revoked = await harness.connectWithKey("sendgrid", { api_key: "SG.revoked.revoked" }, "revoked");
    const result = await harness.call("sendgrid", "list_contact_lists", {}, { connectionId: revoked });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(
      /\(HTTP 401\): The provided authorization grant is invalid, expired, or revoked/,
    );
    const row = await getDb().connection.findUniqueOrThrow({ where: { id: revoked } });
    expect(row.status).toBe("NEEDS_RECONNECT");
  });
});
