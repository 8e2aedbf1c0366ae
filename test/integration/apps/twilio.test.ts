// Twilio's actions through the real worker path against its emulator: HTTP Basic with the
// Account SID and Auth Token, form-encoded PascalCase parameters, and Twilio's error bodies.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import type { Emulator } from "../../emulators/emulator";
import { startTwilioEmulator, twilioAccountSid, twilioAuthToken } from "../../emulators/twilio";
import { type AppHarness, startAppHarness } from "../../helpers/app-harness";

let emulator: Emulator;
let harness: AppHarness;
let connectionId: string;

const messagesPath = `/2010-04-01/Accounts/${twilioAccountSid}/Messages.json`;

beforeAll(async () => {
  emulator = await startTwilioEmulator();
  harness = await startAppHarness({ TWILIO_API_URL: emulator.url });
  connectionId = await harness.connectWithKey("twilio", {
    account_sid: twilioAccountSid,
    auth_token: twilioAuthToken,
  });
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await emulator?.stop();
});

describe("Twilio", () => {
  it("sends an SMS as a form with Basic credentials", async () => {
    const result = await harness.call("twilio", "send_sms", {
      to: "+14155552671",
      from: "+15005550006",
      body: "Your order is ready",
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.structured).toMatchObject({
      status: "queued",
      direction: "outbound-api",
      to: "+14155552671",
      from: "+15005550006",
      body: "Your order is ready",
    });
    expect((result.output as { sid: string }).sid).toMatch(/^SM[0-9a-f]{32}$/);
    const [request] = emulator.requestsTo("POST /2010-04-01/Accounts/:account/Messages.json");
    expect(request?.path).toBe(messagesPath);
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${twilioAccountSid}:${twilioAuthToken}`).toString("base64")}`,
    );
    expect(request?.contentType).toBe("application/x-www-form-urlencoded");
    expect(request?.body).toEqual({ To: "+14155552671", From: "+15005550006", Body: "Your order is ready" });
  });

  it("sends an MMS through a Messaging Service with repeated MediaUrl parameters", async () => {
    const result = await harness.call("twilio", "send_sms", {
      to: "+14155552671",
      messaging_service_sid: "MG0123456789abcdef0123456789abcdef",
      body: "Photos",
      media_url: ["https://example.com/a.jpg", "https://example.com/b.jpg"],
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.output).toMatchObject({
      num_media: "2",
      messaging_service_sid: "MG0123456789abcdef0123456789abcdef",
    });
    const raw = emulator.requestsTo("POST /2010-04-01/Accounts/:account/Messages.json").at(-1)?.rawBody ?? "";
    expect(new URLSearchParams(raw).getAll("MediaUrl")).toEqual([
      "https://example.com/a.jpg",
      "https://example.com/b.jpg",
    ]);
    expect(new URLSearchParams(raw).has("From")).toBe(false);
  });

  it("lists messages with Twilio's filters and reads one by SID", async () => {
    const listed = await harness.call("twilio", "list_messages", {
      to: "+15005550006",
      date_sent_after: "2026-01-01",
      page_size: 5,
    });
    expect(listed.isError, listed.text).toBe(false);
    const output = listed.output as { messages: Array<{ sid: string; body: string }>; next_page_uri: null };
    expect(output.messages.map((message) => message.body)).toEqual(["Is the shop open?"]);
    expect(output.next_page_uri).toBeNull();
    const request = emulator.requestsTo("GET /2010-04-01/Accounts/:account/Messages.json").at(-1);
    expect(request?.query.get("To")).toBe("+15005550006");
    expect(request?.query.get("DateSent>")).toBe("2026-01-01");
    expect(request?.query.get("PageSize")).toBe("5");

    const one = await harness.call("twilio", "get_message", { sid: "SM00000000000000000000000000000001" });
    expect(one.isError, one.text).toBe(false);
    expect(one.output).toMatchObject({ status: "received", price: "-0.00790", error_code: null });
    expect(emulator.requestsTo("GET /2010-04-01/Accounts/:account/Messages/:message").at(-1)?.path).toBe(
      `/2010-04-01/Accounts/${twilioAccountSid}/Messages/SM00000000000000000000000000000001.json`,
    );
  });

  it("reports Twilio's error code and message, without retrying a send", async () => {
    const before = emulator.requestsTo("POST /2010-04-01/Accounts/:account/Messages.json").length;
    const result = await harness.call("twilio", "send_sms", {
      to: "+14155552671",
      from: "+15005550007",
      body: "Hello",
    });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(
      /Twilio refused the request \(HTTP 400\): The From phone number \+15005550007 is not a valid, SMS-capable .* \(Twilio error 21606, https:\/\/www\.twilio\.com\/docs\/errors\/21606\)/,
    );
    expect(emulator.requestsTo("POST /2010-04-01/Accounts/:account/Messages.json").length).toBe(before + 1);

    const noSender = await harness.call("twilio", "send_sms", { to: "+14155552671", body: "Hello" });
    expect(noSender.isError).toBe(true);
    expect(noSender.text).toMatch(/from number or a messaging_service_sid/);
    expect(emulator.requestsTo("POST /2010-04-01/Accounts/:account/Messages.json").length).toBe(before + 1);

    const missing = await harness.call("twilio", "get_message", {
      sid: "SM99999999999999999999999999999999",
    });
    expect(missing.text).toMatch(/HTTP 404.*Twilio error 20404/);
  });

  it("tests the connection and offers the account's SMS-capable numbers as senders", async () => {
    expect(await harness.testConnection(connectionId)).toEqual({
      ok: true,
      account: `Ada's shop (${twilioAccountSid})`,
    });
    expect(await harness.options("twilio", "send_sms", "from")).toEqual([
      { value: "+15005550006", label: "+15005550006 (Support line)" },
    ]);
  });

  it("marks a connection with a wrong Auth Token as needing reconnection", async () => {
    const wrong = await harness.connectWithKey(
      "twilio",
      { account_sid: twilioAccountSid, auth_token: "0000000000000000000000000000dead" },
      "wrong",
    );
    const result = await harness.call("twilio", "list_messages", {}, { connectionId: wrong });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(
      /rejected the connection's credentials \(HTTP 401\): Authenticate \(Twilio error 20003/,
    );
    const row = await getDb().connection.findUniqueOrThrow({ where: { id: wrong } });
    expect(row.status).toBe("NEEDS_RECONNECT");
  });
});
