// Slack's Web API as its reference describes it (https://docs.slack.dev/reference/methods): one
// path per method under /api, bearer tokens, GET query arguments for reads and JSON bodies for
// writes, and failures as HTTP 200 with `{ok: false, error}` (an unknown method is a 404).
import { bearerToken, type EmulatedRequest, type Reply, route, startEmulator } from "./emulator";

export const slackToken = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy";
export const slackRevokedToken = "xoxb-17653672481-19874698323-revokedrevokedrevoked";

function slackError(error: string, extra: Record<string, unknown> = {}): Reply {
  return { json: { ok: false, error, ...extra } };
}

/** Arguments as Slack reads them: JSON or form bodies, else the query string. */
function argumentsOf(request: EmulatedRequest): Record<string, unknown> {
  if (request.body && typeof request.body === "object") return request.body as Record<string, unknown>;
  return Object.fromEntries(request.query);
}

/** Slack's write methods take JSON only with the right content type; a missing charset is a warning. */
function jsonArguments(request: EmulatedRequest): Record<string, unknown> | Reply {
  if (!request.contentType.startsWith("application/json"))
    return slackError("invalid_arguments", {
      response_metadata: { messages: ["[ERROR] expected a JSON body"] },
    });
  return argumentsOf(request);
}

const isReply = (value: unknown): value is Reply =>
  typeof value === "object" && value !== null && "json" in value;

type Message = {
  ts: string;
  type: "message";
  user?: string;
  bot_id?: string;
  text: string;
  thread_ts?: string;
  reply_count?: number;
  reactions?: Array<{ name: string; users: string[] }>;
};

export async function startSlackEmulator() {
  const botUser = "U0BOT0001";
  const channels = [
    {
      id: "C0GENERAL1",
      name: "general",
      is_private: false,
      is_member: true,
      is_archived: false,
      num_members: 12,
      topic: { value: "Company news" },
      purpose: { value: "" },
    },
    {
      id: "C0RANDOM01",
      name: "random",
      is_private: false,
      is_member: false,
      is_archived: false,
      num_members: 9,
      topic: { value: "" },
      purpose: { value: "Anything" },
    },
    {
      id: "G0SECRET01",
      name: "secret-plans",
      is_private: true,
      is_member: true,
      is_archived: false,
      num_members: 3,
      topic: { value: "" },
      purpose: { value: "" },
    },
    {
      id: "C0OLDSTUFF",
      name: "old-stuff",
      is_private: false,
      is_member: false,
      is_archived: true,
      num_members: 0,
      topic: { value: "" },
      purpose: { value: "" },
    },
  ];
  const users = [
    {
      id: "U0ADA00001",
      team_id: "T0ACME0001",
      name: "ada",
      real_name: "Ada Lovelace",
      deleted: false,
      is_bot: false,
      tz: "Europe/London",
      profile: { email: "ada@example.com", display_name: "ada", real_name: "Ada Lovelace", title: "Analyst" },
    },
  ];
  const history = new Map<string, Message[]>([
    [
      "C0GENERAL1",
      [
        {
          type: "message",
          ts: "1712000000.000100",
          user: "U0ADA00001",
          text: "Good morning",
          reply_count: 1,
          thread_ts: "1712000000.000100",
        },
        { type: "message", ts: "1712000100.000200", user: "U0ADA00001", text: "Lunch at noon?" },
      ],
    ],
  ]);
  const replies = new Map<string, Message[]>([
    [
      "1712000000.000100",
      [
        {
          type: "message",
          ts: "1712000050.000150",
          user: "U0ADA00001",
          text: "Morning!",
          thread_ts: "1712000000.000100",
        },
      ],
    ],
  ]);
  let clock = 1712100000;

  const channel = (id: unknown) => channels.find((candidate) => candidate.id === id);
  const postable = (id: unknown): Reply | undefined => {
    const found = channel(id);
    if (!found) return slackError("channel_not_found");
    if (found.is_archived) return slackError("is_archived");
    if (!found.is_member && found.is_private) return slackError("not_in_channel");
    return undefined;
  };
  const findMessage = (channelId: unknown, ts: unknown) =>
    (history.get(String(channelId)) ?? []).find((message) => message.ts === ts);

  return startEmulator({
    name: "slack",
    authenticate: (request) => {
      const token = bearerToken(request);
      if (!token) return slackError("not_authed");
      if (token === slackRevokedToken) return slackError("token_revoked");
      return token === slackToken ? undefined : slackError("invalid_auth");
    },
    notFound: (request) => ({
      status: 404,
      json: { ok: false, error: "unknown_method", req_method: request.path.replace(/^\//, "") },
    }),
    routes: [
      route("POST", "/auth.test", () => ({
        json: {
          ok: true,
          url: "https://acme.slack.com/",
          team: "Acme",
          user: "toolgate",
          team_id: "T0ACME0001",
          user_id: botUser,
          bot_id: "B0BOT0001",
        },
      })),
      route("POST", "/chat.postMessage", (request) => {
        const args = jsonArguments(request);
        if (isReply(args)) return args;
        const refused = postable(args.channel);
        if (refused) return refused;
        if (typeof args.text !== "string" && !Array.isArray(args.blocks)) return slackError("no_text");
        if (Array.isArray(args.blocks) && args.blocks.some((block) => typeof block?.type !== "string"))
          return slackError("invalid_blocks", {
            response_metadata: {
              messages: ["[ERROR] missing required field: type [json-pointer:/blocks/0]"],
            },
          });
        const message: Message = {
          type: "message",
          ts: `${clock++}.000100`,
          bot_id: "B0BOT0001",
          user: botUser,
          text: String(args.text ?? ""),
          ...(typeof args.thread_ts === "string" && { thread_ts: args.thread_ts }),
        };
        if (message.thread_ts) {
          const parent = findMessage(args.channel, message.thread_ts);
          if (!parent) return slackError("thread_not_found");
          replies.set(message.thread_ts, [...(replies.get(message.thread_ts) ?? []), message]);
          parent.reply_count = (parent.reply_count ?? 0) + 1;
          parent.thread_ts = parent.ts;
        } else {
          history.set(String(args.channel), [...(history.get(String(args.channel)) ?? []), message]);
        }
        const warning = request.contentType.includes("charset") ? {} : { warning: "missing_charset" };
        return { json: { ok: true, channel: args.channel, ts: message.ts, message, ...warning } };
      }),
      route("POST", "/chat.update", (request) => {
        const args = jsonArguments(request);
        if (isReply(args)) return args;
        if (!channel(args.channel)) return slackError("channel_not_found");
        const message = findMessage(args.channel, args.ts);
        if (!message) return slackError("message_not_found");
        if (message.user !== botUser) return slackError("cant_update_message");
        message.text = String(args.text ?? message.text);
        return { json: { ok: true, channel: args.channel, ts: message.ts, text: message.text, message } };
      }),
      route("GET", "/conversations.list", (request) => {
        const args = argumentsOf(request);
        const types = String(args.types ?? "public_channel").split(",");
        const limit = Number(args.limit ?? 100);
        const start = args.cursor
          ? Number(Buffer.from(String(args.cursor), "base64").toString().slice(5))
          : 0;
        const matching = channels.filter(
          (candidate) =>
            types.includes(candidate.is_private ? "private_channel" : "public_channel") &&
            (!candidate.is_private || candidate.is_member) &&
            !(args.exclude_archived === "true" && candidate.is_archived),
        );
        const page = matching.slice(start, start + limit);
        const next =
          start + limit < matching.length ? Buffer.from(`next:${start + limit}`).toString("base64") : "";
        return { json: { ok: true, channels: page, response_metadata: { next_cursor: next } } };
      }),
      route("GET", "/conversations.history", (request) => {
        const args = argumentsOf(request);
        const found = channel(args.channel);
        if (!found) return slackError("channel_not_found");
        if (!found.is_member) return slackError("not_in_channel");
        const limit = Number(args.limit ?? 100);
        const all = [...(history.get(found.id) ?? [])].reverse();
        return {
          json: {
            ok: true,
            messages: all.slice(0, limit),
            has_more: all.length > limit,
            pin_count: 0,
            response_metadata: { next_cursor: all.length > limit ? "bmV4dF90czoxNzEy" : "" },
          },
        };
      }),
      route("GET", "/conversations.replies", (request) => {
        const args = argumentsOf(request);
        if (!channel(args.channel)) return slackError("channel_not_found");
        const parent = findMessage(args.channel, args.ts);
        if (!parent) return slackError("thread_not_found");
        return {
          json: { ok: true, messages: [parent, ...(replies.get(parent.ts) ?? [])], has_more: false },
        };
      }),
      route("GET", "/users.lookupByEmail", (request) => {
        const email = argumentsOf(request).email;
        if (!email) return slackError("invalid_arguments");
        const user = users.find((candidate) => candidate.profile.email === email);
        return user ? { json: { ok: true, user } } : slackError("users_not_found");
      }),
      route("POST", "/reactions.add", (request) => {
        const args = jsonArguments(request);
        if (isReply(args)) return args;
        if (!channel(args.channel)) return slackError("channel_not_found");
        if (typeof args.name !== "string" || !args.name) return slackError("invalid_name");
        const message = findMessage(args.channel, args.timestamp);
        if (!message) return slackError("message_not_found");
        message.reactions ??= [];
        const existing = message.reactions.find((reaction) => reaction.name === args.name);
        if (existing?.users.includes(botUser)) return slackError("already_reacted");
        if (existing) existing.users.push(botUser);
        else message.reactions.push({ name: args.name, users: [botUser] });
        return { json: { ok: true } };
      }),
    ],
  });
}
