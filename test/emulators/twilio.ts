// Twilio's REST API (2010-04-01) Message resource as its reference describes it
// (https://www.twilio.com/docs/messaging/api/message-resource): HTTP Basic with the Account SID
// and Auth Token, form-encoded parameters in PascalCase, 201 for a queued message, pages of
// `{messages, next_page_uri, page, page_size}`, and errors as `{code, message, more_info, status}`.
import { basicCredentials, type EmulatedRequest, type Reply, route, startEmulator } from "./emulator";

export const twilioAccountSid = "AC0123456789abcdef0123456789abcdef";
export const twilioAuthToken = "f00dfeedf00dfeedf00dfeedf00dfeed";

function twilioError(status: number, code: number, message: string): Reply {
  return { status, json: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

const e164 = /^\+[1-9]\d{6,14}$/;

type Message = Record<string, unknown> & {
  sid: string;
  to: string;
  from: string | null;
  date_sent: string | null;
};

function formOf(request: EmulatedRequest): URLSearchParams {
  // Parameters only count as a form: a JSON body is not read (Twilio then misses every field).
  return request.contentType.startsWith("application/x-www-form-urlencoded")
    ? new URLSearchParams(request.rawBody)
    : new URLSearchParams();
}

export async function startTwilioEmulator() {
  const numbers = [
    {
      sid: "PN11111111111111111111111111111111",
      phone_number: "+15005550006",
      friendly_name: "Support line",
      capabilities: { voice: true, sms: true, mms: true },
    },
    {
      sid: "PN22222222222222222222222222222222",
      phone_number: "+15005550007",
      friendly_name: "+15005550007",
      capabilities: { voice: true, sms: false, mms: false },
    },
  ];
  const messages: Message[] = [
    {
      sid: "SM00000000000000000000000000000001",
      account_sid: twilioAccountSid,
      from: "+14155552671",
      to: "+15005550006",
      body: "Is the shop open?",
      status: "received",
      direction: "inbound",
      date_created: "Mon, 05 Jan 2026 09:00:00 +0000",
      date_updated: "Mon, 05 Jan 2026 09:00:00 +0000",
      date_sent: "Mon, 05 Jan 2026 09:00:00 +0000",
      num_segments: "1",
      num_media: "0",
      price: "-0.00790",
      price_unit: "USD",
      error_code: null,
      error_message: null,
      messaging_service_sid: null,
      api_version: "2010-04-01",
      uri: `/2010-04-01/Accounts/${twilioAccountSid}/Messages/SM00000000000000000000000000000001.json`,
      subresource_uris: { media: "…", feedback: "…" },
    },
  ];
  let counter = 2;

  const ownAccount = (params: Record<string, string>) => params.account === twilioAccountSid;
  const notFound = (request: EmulatedRequest) =>
    twilioError(404, 20404, `The requested resource ${request.path} was not found`);

  return startEmulator({
    name: "twilio",
    authenticate: (request) => {
      const credentials = basicCredentials(request);
      return credentials?.user === twilioAccountSid && credentials.password === twilioAuthToken
        ? undefined
        : {
            ...twilioError(401, 20003, "Authenticate"),
            headers: { "www-authenticate": 'Basic realm="Twilio API"' },
          };
    },
    notFound,
    routes: [
      route("GET", "/2010-04-01/Accounts/:account.json", (request) => {
        if (request.path !== `/2010-04-01/Accounts/${twilioAccountSid}.json`) return notFound(request);
        return {
          json: {
            sid: twilioAccountSid,
            friendly_name: "Ada's shop",
            status: "active",
            type: "Full",
            owner_account_sid: twilioAccountSid,
            date_created: "Wed, 04 Aug 2021 21:45:00 +0000",
          },
        };
      }),
      route("GET", "/2010-04-01/Accounts/:account/IncomingPhoneNumbers.json", (request, params) => {
        if (!ownAccount(params)) return notFound(request);
        return {
          json: {
            incoming_phone_numbers: numbers.slice(0, Number(request.query.get("PageSize") ?? 50)),
            next_page_uri: null,
            page: 0,
            page_size: Number(request.query.get("PageSize") ?? 50),
          },
        };
      }),
      route("POST", "/2010-04-01/Accounts/:account/Messages.json", (request, params) => {
        if (!ownAccount(params)) return notFound(request);
        const form = formOf(request);
        const to = form.get("To");
        const from = form.get("From");
        const service = form.get("MessagingServiceSid");
        const body = form.get("Body");
        const media = form.getAll("MediaUrl");
        if (!to) return twilioError(400, 21604, "A 'To' phone number is required.");
        if (!e164.test(to)) return twilioError(400, 21211, `Invalid 'To' Phone Number: ${to}`);
        if (!from && !service) return twilioError(400, 21603, "A 'From' phone number is required.");
        if (from && !numbers.some((number) => number.phone_number === from && number.capabilities.sms))
          return twilioError(
            400,
            21606,
            `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`,
          );
        if (!body && media.length === 0) return twilioError(400, 21602, "Message body is required.");
        const sid = `${media.length ? "MM" : "SM"}${String(counter++).padStart(32, "0")}`;
        const message: Message = {
          sid,
          account_sid: twilioAccountSid,
          from: from ?? null,
          to,
          body: body ?? "",
          status: "queued",
          direction: "outbound-api",
          date_created: "Mon, 05 Jan 2026 10:00:00 +0000",
          date_updated: "Mon, 05 Jan 2026 10:00:00 +0000",
          date_sent: null,
          num_segments: "1",
          num_media: String(media.length),
          price: null,
          price_unit: "USD",
          error_code: null,
          error_message: null,
          messaging_service_sid: service ?? null,
          api_version: "2010-04-01",
          uri: `/2010-04-01/Accounts/${twilioAccountSid}/Messages/${sid}.json`,
        };
        messages.push(message);
        return { status: 201, json: message };
      }),
      route("GET", "/2010-04-01/Accounts/:account/Messages.json", (request, params) => {
        if (!ownAccount(params)) return notFound(request);
        const to = request.query.get("To");
        const from = request.query.get("From");
        const after = request.query.get("DateSent>");
        const pageSize = Number(request.query.get("PageSize") ?? 50);
        const matching = [...messages]
          .reverse()
          .filter(
            (message) =>
              (!to || message.to === to) &&
              (!from || message.from === from) &&
              (!after || (message.date_sent !== null && Date.parse(message.date_sent) >= Date.parse(after))),
          );
        return {
          json: {
            messages: matching.slice(0, pageSize),
            end: Math.min(pageSize, matching.length) - 1,
            first_page_uri: request.path,
            next_page_uri:
              matching.length > pageSize
                ? `${request.path}?PageSize=${pageSize}&Page=1&PageToken=PASM1`
                : null,
            page: 0,
            page_size: pageSize,
            previous_page_uri: null,
            start: 0,
            uri: request.path,
          },
        };
      }),
      route("GET", "/2010-04-01/Accounts/:account/Messages/:message", (request, params) => {
        if (!ownAccount(params)) return notFound(request);
        const sid = params.message?.replace(/\.json$/, "");
        const message = messages.find((candidate) => candidate.sid === sid);
        return message ? { json: message } : notFound(request);
      }),
    ],
  });
}
