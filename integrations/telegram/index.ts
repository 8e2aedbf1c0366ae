// Telegram, through the Bot API (https://core.telegram.org/bots/api): a bot's token from @BotFather
// goes in the path (`/bot<token>/<method>`), so this module makes its requests itself (over the
// SDK's guarded fetch) and builds every error message from Telegram's `description` alone: no
// message, log line or result ever holds the URL. Answers are `{ok, result}` or
// `{ok: false, error_code, description, parameters: {retry_after, migrate_to_chat_id}}`.
import { z } from "zod";
import {
  actionFor,
  apiKeyAuth,
  type ConnectionContext,
  defineIntegration,
  externalCreate,
  externalRead,
  type KeyCredentials,
  type OptionsLoader,
} from "@/integrations/sdk/define";
import {
  ActionError,
  AppUnreachableError,
  CredentialsRejectedError,
  RateLimitedError,
} from "@/integrations/sdk/errors";

type Auth = KeyCredentials<"bot_token">;
const defineAction = actionFor<Auth>();

type TelegramAnswer<T> = {
  ok: boolean;
  result?: T;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
};

const tokenShape = /^\d+:[A-Za-z0-9_-]+$/;

/** The error for a failed call, from Telegram's answer (never from the request, which holds the token). */
function telegramError(method: string, status: number, answer: TelegramAnswer<unknown> | undefined): Error {
  const code = answer?.error_code ?? status;
  const description = answer?.description ?? `HTTP ${status}`;
  if (code === 429) {
    const seconds = answer?.parameters?.retry_after;
    return new RateLimitedError(
      `Telegram is rate limiting this bot (${description}).`,
      seconds !== undefined ? seconds * 1000 : 30_000,
    );
  }
  // 401: a revoked token; 404 on a method that exists: a token that was never valid.
  if (code === 401 || code === 404)
    return new CredentialsRejectedError(
      `Telegram rejected the bot token (${description}). Reconnect with the bot's current token from @BotFather.`,
    );
  if (code >= 500)
    return new AppUnreachableError(
      `Telegram could not answer ${method} (${description}).`,
      `it answered with a server error (HTTP ${code})`,
      code,
    );
  const migrated = answer?.parameters?.migrate_to_chat_id;
  const hint =
    migrated !== undefined
      ? ` The group is now a supergroup: use chat_id ${migrated}.`
      : code === 409 && method === "getUpdates"
        ? " The bot has a webhook, so Telegram delivers its updates there instead."
        : code === 403
          ? " The bot cannot write to that chat (it was blocked, removed, or the person never started it)."
          : "";
  return new ActionError(`Telegram refused ${method}: ${description}.${hint}`);
}

/** One Bot API method, as a JSON POST to /bot<token>/<method>. */
async function callTelegram<T>(
  { auth, http }: ConnectionContext<Auth>,
  method: string,
  params: Record<string, unknown> = {},
): Promise<T> {
  const token = auth.bot_token.trim();
  if (!tokenShape.test(token))
    throw new CredentialsRejectedError(
      'The bot token is not in the form @BotFather gives ("123456789:AA…"). Reconnect with the right token.',
    );
  const body = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined));
  const response = await http.fetch(`${http.baseUrl.replace(/\/+$/, "")}/bot${token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let answer: TelegramAnswer<T> | undefined;
  try {
    answer = JSON.parse(text) as TelegramAnswer<T>;
  } catch {
    answer = undefined;
  }
  if (!response.ok || !answer?.ok) throw telegramError(method, response.status, answer);
  return answer.result as T;
}

/** Chat IDs are numbers (negative for groups) or a public "@username"; numbers are sent as numbers. */
const chatIdField = (description: string) =>
  z
    .string()
    .trim()
    .regex(
      /^(-?\d+|@[A-Za-z0-9_]{4,})$/,
      'a numeric chat ID (such as "-1001234567890") or "@channelusername"',
    )
    .describe(description);
const chatIdValue = (chatId: string) => (/^-?\d+$/.test(chatId) ? Number(chatId) : chatId);

type TelegramChat = {
  id: number;
  type: string;
  title?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
};
type TelegramMessage = {
  message_id: number;
  date: number;
  chat: TelegramChat;
  from?: { id: number; is_bot?: boolean; first_name?: string; username?: string };
  text?: string;
  caption?: string;
  photo?: Array<{ file_id: string; width: number; height: number }>;
  message_thread_id?: number;
};
type TelegramUpdate = { update_id: number } & Partial<
  Record<"message" | "edited_message" | "channel_post" | "edited_channel_post", TelegramMessage>
>;

const chatOutput = z
  .object({
    id: z.number(),
    type: z.string(),
    title: z.string().optional(),
    username: z.string().optional(),
    first_name: z.string().optional(),
    last_name: z.string().optional(),
  })
  .passthrough();

const messageOutput = z
  .object({
    message_id: z.number(),
    date: z.string(),
    chat: chatOutput,
    from: z
      .object({ id: z.number(), username: z.string().optional(), first_name: z.string().optional() })
      .optional(),
    text: z.string().optional(),
    caption: z.string().optional(),
    photo_file_id: z.string().optional(),
  })
  .passthrough();

function trimChat(chat: TelegramChat): z.infer<typeof chatOutput> {
  return {
    id: chat.id,
    type: chat.type,
    ...(chat.title && { title: chat.title }),
    ...(chat.username && { username: chat.username }),
    ...(chat.first_name && { first_name: chat.first_name }),
    ...(chat.last_name && { last_name: chat.last_name }),
  };
}

function trimMessage(message: TelegramMessage): z.infer<typeof messageOutput> {
  const largestPhoto = message.photo?.at(-1);
  return {
    message_id: message.message_id,
    date: new Date(message.date * 1000).toISOString(),
    chat: trimChat(message.chat),
    ...(message.from && {
      from: {
        id: message.from.id,
        ...(message.from.username && { username: message.from.username }),
        ...(message.from.first_name && { first_name: message.from.first_name }),
      },
    }),
    ...(message.text !== undefined && { text: message.text }),
    ...(message.caption !== undefined && { caption: message.caption }),
    ...(largestPhoto && { photo_file_id: largestPhoto.file_id }),
  };
}

const updateKinds = ["message", "edited_message", "channel_post", "edited_channel_post"] as const;

function chatLabel(chat: TelegramChat): string {
  const name = chat.title ?? ([chat.first_name, chat.last_name].filter(Boolean).join(" ") || String(chat.id));
  return `${name}${chat.username ? ` (@${chat.username})` : ""} · ${chat.type}`;
}

/** The chats the bot heard from recently (its pending updates): a bot cannot list its chats otherwise. */
const chatOptions: OptionsLoader<Auth> = async (context) => {
  const updates = await callTelegram<TelegramUpdate[]>(context, "getUpdates", { limit: 100, timeout: 0 });
  const chats = new Map<number, TelegramChat>();
  for (const update of updates)
    for (const kind of updateKinds) {
      const chat = update[kind]?.chat;
      if (chat) chats.set(chat.id, chat);
    }
  return [...chats.values()].map((chat) => ({ value: String(chat.id), label: chatLabel(chat) }));
};

const parseMode = z
  .enum(["MarkdownV2", "HTML", "Markdown"])
  .optional()
  .describe(
    "How to read formatting in the text: HTML (<b>, <i>, <a href>) is the easiest to get right; MarkdownV2 needs _*[]()~`>#+-=|{}.! escaped with a backslash. Plain text when left out.",
  );

const common = {
  disable_notification: z.boolean().optional().describe("Deliver silently (no sound)."),
  message_thread_id: z.number().int().optional().describe("In a forum supergroup: the topic's ID."),
  reply_to_message_id: z.number().int().optional().describe("To reply: the ID of the message to reply to."),
};

function commonParams(input: {
  disable_notification?: boolean;
  message_thread_id?: number;
  reply_to_message_id?: number;
}) {
  return {
    disable_notification: input.disable_notification,
    message_thread_id: input.message_thread_id,
    ...(input.reply_to_message_id !== undefined && {
      reply_parameters: { message_id: input.reply_to_message_id, allow_sending_without_reply: true },
    }),
  };
}

const sendMessage = defineAction({
  key: "send_message",
  title: "Send message",
  description:
    "Send a text message from the bot to a chat (a person who started the bot, a group or a channel it is in). Find chat IDs with get_updates.",
  input: z.object({
    chat_id: chatIdField(
      'The chat\'s ID (such as "123456789" or "-1001234567890") or a channel\'s "@username".',
    ),
    text: z.string().min(1).max(4096).describe("The message text (up to 4096 characters)."),
    parse_mode: parseMode,
    disable_link_preview: z.boolean().optional().describe("Do not show a preview of the first link."),
    ...common,
  }),
  output: messageOutput,
  annotations: externalCreate,
  options: { chat_id: chatOptions },
  run: async (context) => {
    const { input } = context;
    const message = await callTelegram<TelegramMessage>(context, "sendMessage", {
      chat_id: chatIdValue(input.chat_id),
      text: input.text,
      parse_mode: input.parse_mode,
      ...(input.disable_link_preview && { link_preview_options: { is_disabled: true } }),
      ...commonParams(input),
    });
    return trimMessage(message);
  },
});

const sendPhoto = defineAction({
  key: "send_photo",
  title: "Send photo",
  description: "Send a photo by its URL (Telegram downloads it; up to 5 MB) with an optional caption.",
  input: z.object({
    chat_id: chatIdField("The chat's ID or a channel's \"@username\"."),
    photo: z
      .string()
      .min(1)
      .describe("An HTTP(S) URL of the image (JPEG/PNG), or the file_id of a photo Telegram already has."),
    caption: z.string().max(1024).optional().describe("A caption under the photo (up to 1024 characters)."),
    parse_mode: parseMode,
    ...common,
  }),
  output: messageOutput,
  annotations: externalCreate,
  options: { chat_id: chatOptions },
  run: async (context) => {
    const { input } = context;
    const message = await callTelegram<TelegramMessage>(context, "sendPhoto", {
      chat_id: chatIdValue(input.chat_id),
      photo: input.photo,
      caption: input.caption,
      parse_mode: input.parse_mode,
      ...commonParams(input),
    });
    return trimMessage(message);
  },
});

const forwardMessage = defineAction({
  key: "forward_message",
  title: "Forward message",
  description: "Forward a message from one chat to another (it shows where it came from).",
  input: z.object({
    chat_id: chatIdField("The chat to forward it to."),
    from_chat_id: chatIdField("The chat the message is in."),
    message_id: z.number().int().describe("The message's ID in that chat."),
    disable_notification: common.disable_notification,
  }),
  output: messageOutput,
  annotations: externalCreate,
  options: { chat_id: chatOptions, from_chat_id: chatOptions },
  run: async (context) => {
    const { input } = context;
    const message = await callTelegram<TelegramMessage>(context, "forwardMessage", {
      chat_id: chatIdValue(input.chat_id),
      from_chat_id: chatIdValue(input.from_chat_id),
      message_id: input.message_id,
      disable_notification: input.disable_notification,
    });
    return trimMessage(message);
  },
});

const getUpdates = defineAction({
  key: "get_updates",
  title: "Read recent messages",
  description:
    "Read the messages people sent the bot (and posts in its groups and channels) in the last 24 hours, oldest first, with their chat IDs. Reading does not acknowledge them. Does not work while the bot has a webhook.",
  input: z.object({
    limit: z.number().int().min(1).max(100).default(50).describe("At most this many updates."),
  }),
  output: z.object({
    updates: z.array(z.object({ update_id: z.number(), kind: z.string(), message: messageOutput })),
    chats: z.array(chatOutput),
  }),
  annotations: externalRead,
  run: async (context) => {
    const updates = await callTelegram<TelegramUpdate[]>(context, "getUpdates", {
      limit: context.input.limit,
      // Short polling: answer at once. No offset, so nothing is acknowledged (and forgotten).
      timeout: 0,
      allowed_updates: [...updateKinds],
    });
    const chats = new Map<number, TelegramChat>();
    const read = updates.flatMap((update) => {
      const kind = updateKinds.find((candidate) => update[candidate]);
      const message = kind && update[kind];
      if (!kind || !message) return [];
      chats.set(message.chat.id, message.chat);
      return [{ update_id: update.update_id, kind, message: trimMessage(message) }];
    });
    return { updates: read, chats: [...chats.values()].map(trimChat) };
  },
});

const getChat = defineAction({
  key: "get_chat",
  title: "Get chat",
  description:
    "Look up a chat (person, group or channel) by its ID or @username: its name, type and description.",
  input: z.object({ chat_id: chatIdField("The chat's ID or a public chat's \"@username\".") }),
  output: chatOutput.extend({
    description: z.string().optional(),
    bio: z.string().optional(),
    invite_link: z.string().optional(),
  }),
  annotations: externalRead,
  options: { chat_id: chatOptions },
  run: async (context) => {
    const chat = await callTelegram<
      TelegramChat & { description?: string; bio?: string; invite_link?: string }
    >(context, "getChat", { chat_id: chatIdValue(context.input.chat_id) });
    return {
      ...trimChat(chat),
      ...(chat.description && { description: chat.description }),
      ...(chat.bio && { bio: chat.bio }),
      ...(chat.invite_link && { invite_link: chat.invite_link }),
    };
  },
});

export default defineIntegration<Auth>({
  slug: "telegram",
  name: "Telegram",
  description: "Send messages and photos as a Telegram bot, and read what people send it.",
  category: "Communication",
  auth: apiKeyAuth([
    {
      name: "bot_token",
      label: "Bot token",
      secret: true,
      help: 'Message @BotFather in Telegram, send /newbot (or /token for an existing bot) and copy the token ("123456789:AA…"). People must start the bot, or add it to their group, before it can message them.',
    },
  ]),
  api: {
    baseUrl: "https://api.telegram.org",
    baseUrlSetting: "TELEGRAM_API_URL",
    // The token goes in each request's path (see callTelegram), not in a header.
    headers: () => ({}),
  },
  test: async (context) => {
    const bot = await callTelegram<{ id: number; username?: string; first_name: string }>(context, "getMe");
    return { account: bot.username ? `@${bot.username}` : bot.first_name };
  },
  actions: [sendMessage, sendPhoto, forwardMessage, getUpdates, getChat],
});
