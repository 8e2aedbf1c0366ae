// Twilio Programmable Messaging, through the REST API's Message resource
// (https://www.twilio.com/docs/messaging/api/message-resource): SMS/MMS sent and read with the
// Account SID and Auth Token as HTTP Basic credentials, form-encoded bodies, and errors as
// `{code, message, more_info, status}`.
import { z } from "zod";
import {
  actionFor,
  basicAuth,
  defineIntegration,
  externalCreate,
  externalRead,
  type KeyCredentials,
  type OptionsLoader,
} from "@/integrations/sdk/define";
import { ActionError } from "@/integrations/sdk/errors";

type Auth = KeyCredentials<"account_sid" | "auth_token">;
const defineAction = actionFor<Auth>();

const accountPath = (auth: Auth) => `/2010-04-01/Accounts/${encodeURIComponent(auth.account_sid.trim())}`;

type TwilioMessage = {
  sid: string;
  status: string;
  direction: string;
  from: string | null;
  to: string;
  body: string;
  date_created: string | null;
  date_sent: string | null;
  num_segments?: string;
  num_media?: string;
  price: string | null;
  price_unit?: string | null;
  error_code: number | null;
  error_message: string | null;
  messaging_service_sid?: string | null;
};

const messageOutput = z
  .object({
    sid: z.string(),
    status: z.string(),
    direction: z.string(),
    from: z.string().nullable(),
    to: z.string(),
    body: z.string(),
    date_created: z.string().nullable(),
    date_sent: z.string().nullable(),
    num_segments: z.string().optional(),
    num_media: z.string().optional(),
    price: z.string().nullable(),
    price_unit: z.string().nullable().optional(),
    error_code: z.number().nullable(),
    error_message: z.string().nullable(),
    messaging_service_sid: z.string().nullable().optional(),
  })
  .passthrough();

function trimMessage(message: TwilioMessage): z.infer<typeof messageOutput> {
  return {
    sid: message.sid,
    status: message.status,
    direction: message.direction,
    from: message.from,
    to: message.to,
    body: message.body,
    date_created: message.date_created,
    date_sent: message.date_sent,
    ...(message.num_segments !== undefined && { num_segments: message.num_segments }),
    ...(message.num_media !== undefined && { num_media: message.num_media }),
    price: message.price,
    ...(message.price_unit !== undefined && { price_unit: message.price_unit }),
    error_code: message.error_code,
    error_message: message.error_message,
    ...(message.messaging_service_sid !== undefined && {
      messaging_service_sid: message.messaging_service_sid,
    }),
  };
}

/** The account's SMS-capable numbers, to send from. */
const fromOptions: OptionsLoader<Auth> = async ({ auth, http }) => {
  const page = await http.request<{
    incoming_phone_numbers: Array<{
      phone_number: string;
      friendly_name: string;
      capabilities?: { sms?: boolean };
    }>;
  }>(`${accountPath(auth)}/IncomingPhoneNumbers.json`, { query: { PageSize: 100 } });
  return page.incoming_phone_numbers
    .filter((number) => number.capabilities?.sms !== false)
    .map((number) => ({
      value: number.phone_number,
      label:
        number.friendly_name && number.friendly_name !== number.phone_number
          ? `${number.phone_number} (${number.friendly_name})`
          : number.phone_number,
    }));
};

const phoneNumber = (description: string) =>
  z
    .string()
    .trim()
    .regex(/^(\+[1-9]\d{6,14}|whatsapp:\+[1-9]\d{6,14})$/, 'a number in E.164 form, such as "+14155552671"')
    .describe(description);

const sendSms = defineAction({
  key: "send_sms",
  title: "Send SMS",
  description:
    "Send an SMS (or an MMS with media URLs) from one of the account's Twilio numbers or a Messaging Service. Twilio queues it; check delivery later with get_message.",
  input: z.object({
    to: phoneNumber('The recipient\'s number in E.164 form ("+14155552671"); "whatsapp:+…" for WhatsApp.'),
    body: z
      .string()
      .min(1)
      .max(1600)
      .describe("The message text (up to 1600 characters; long texts are split)."),
    from: phoneNumber(
      "The Twilio number to send from, in E.164 form; give this or messaging_service_sid.",
    ).optional(),
    messaging_service_sid: z
      .string()
      .regex(/^MG[0-9a-fA-F]{32}$/, "a Messaging Service SID (MG…)")
      .optional()
      .describe("A Messaging Service (MG…) to send through instead of a single number."),
    media_url: z
      .array(z.url())
      .max(10)
      .optional()
      .describe("Public URLs of images to send as an MMS (US and Canada numbers)."),
  }),
  output: messageOutput,
  annotations: externalCreate,
  options: { from: fromOptions },
  run: async ({ input, auth, http }) => {
    if (!input.from && !input.messaging_service_sid)
      throw new ActionError("Give a from number or a messaging_service_sid to send the message with.");
    const message = await http.request<TwilioMessage>(`${accountPath(auth)}/Messages.json`, {
      method: "POST",
      form: {
        To: input.to,
        From: input.from,
        MessagingServiceSid: input.messaging_service_sid,
        Body: input.body,
        MediaUrl: input.media_url,
      },
    });
    return trimMessage(message);
  },
});

const listMessages = defineAction({
  key: "list_messages",
  title: "List messages",
  description:
    "List the account's sent and received messages, newest first, optionally to or from one number or since a date.",
  input: z.object({
    to: phoneNumber("Only messages sent to this number.").optional(),
    from: phoneNumber("Only messages sent from this number.").optional(),
    date_sent_after: z.iso
      .date()
      .optional()
      .describe('Only messages sent on or after this day ("2026-01-31", UTC).'),
    page_size: z.number().int().min(1).max(1000).default(20).describe("At most this many messages."),
  }),
  output: z.object({ messages: z.array(messageOutput), next_page_uri: z.string().nullable() }),
  annotations: externalRead,
  options: { from: fromOptions },
  run: async ({ input, auth, http }) => {
    const page = await http.request<{ messages: TwilioMessage[]; next_page_uri: string | null }>(
      `${accountPath(auth)}/Messages.json`,
      {
        query: {
          To: input.to,
          From: input.from,
          "DateSent>": input.date_sent_after,
          PageSize: input.page_size,
        },
      },
    );
    return { messages: page.messages.map(trimMessage), next_page_uri: page.next_page_uri ?? null };
  },
});

const getMessage = defineAction({
  key: "get_message",
  title: "Get message",
  description:
    "Read one message by its SID: its status (queued, sent, delivered, undelivered, failed), error and price.",
  input: z.object({
    sid: z
      .string()
      .regex(/^(SM|MM)[0-9a-fA-F]{32}$/, "a Message SID (SM… or MM…)")
      .describe("The message's SID (SM… or MM…)."),
  }),
  output: messageOutput,
  annotations: externalRead,
  run: async ({ input, auth, http }) =>
    trimMessage(await http.request<TwilioMessage>(`${accountPath(auth)}/Messages/${input.sid}.json`)),
});

export default defineIntegration<Auth>({
  slug: "twilio",
  name: "Twilio",
  description: "Send and read SMS and MMS with Twilio's Programmable Messaging.",
  category: "Communication",
  auth: basicAuth([
    {
      name: "account_sid",
      label: "Account SID",
      secret: false,
      help: "Twilio Console → Account Info: the Account SID (starts with AC).",
    },
    {
      name: "auth_token",
      label: "Auth Token",
      secret: true,
      help: "Twilio Console → Account Info: the Auth Token (click to reveal).",
    },
  ]),
  api: {
    baseUrl: "https://api.twilio.com",
    baseUrlSetting: "TWILIO_API_URL",
    headers: (auth) => ({
      authorization: `Basic ${Buffer.from(`${auth.account_sid.trim()}:${auth.auth_token.trim()}`).toString("base64")}`,
    }),
    describeError: (body) => {
      if (!body || typeof body !== "object") return undefined;
      const { code, message, more_info } = body as { code?: number; message?: string; more_info?: string };
      if (typeof message !== "string") return undefined;
      return `${message}${code ? ` (Twilio error ${code}${more_info ? `, ${more_info}` : ""})` : ""}`;
    },
  },
  test: async ({ auth, http }) => {
    const account = await http.request<{ sid: string; friendly_name?: string; status?: string }>(
      `${accountPath(auth)}.json`,
    );
    return { account: account.friendly_name ? `${account.friendly_name} (${account.sid})` : account.sid };
  },
  actions: [sendSms, listMessages, getMessage],
});
