// Discord, through its HTTP API v10 (https://discord.com/developers/docs/reference): messages,
// reactions, threads and channels of the servers a bot was invited to, with the bot's token
// (`Authorization: Bot <token>`) and the User-Agent Discord requires of bots.
import { z } from "zod";
import {
  actionFor,
  apiKeyAuth,
  defineIntegration,
  externalCreate,
  externalRead,
  externalUpdate,
  type KeyCredentials,
  type OptionsLoader,
} from "@/integrations/sdk/define";
import { ActionError } from "@/integrations/sdk/errors";

type Auth = KeyCredentials<"bot_token">;
const defineAction = actionFor<Auth>();

/** Discord asks bots for `DiscordBot ($url, $versionNumber)`. */
const userAgent = "DiscordBot (https://github.com/toolgate, 0.1.0)";

/** A Discord ID (Developer Mode on, then right-click → Copy ID). */
const snowflake = (description: string) =>
  z
    .string()
    .regex(/^\d{15,21}$/, "a Discord ID (a long number)")
    .describe(description);

type DiscordUser = { id: string; username: string; global_name?: string | null; bot?: boolean };
type DiscordMessage = {
  id: string;
  channel_id: string;
  content: string;
  timestamp: string;
  edited_timestamp?: string | null;
  author: DiscordUser;
  embeds?: unknown[];
  attachments?: Array<{ url: string; filename: string }>;
  message_reference?: { message_id?: string };
  thread?: { id: string; name: string };
};
type DiscordChannel = {
  id: string;
  type: number;
  name?: string;
  guild_id?: string;
  parent_id?: string | null;
  topic?: string | null;
  position?: number;
};
type DiscordGuild = { id: string; name: string; owner?: boolean };

// https://discord.com/developers/docs/resources/channel#channel-object-channel-types
const channelTypes: Record<number, string> = {
  0: "text",
  2: "voice",
  4: "category",
  5: "announcement",
  10: "announcement_thread",
  11: "public_thread",
  12: "private_thread",
  13: "stage",
  15: "forum",
  16: "media",
};

const messageOutput = z
  .object({
    id: z.string(),
    channel_id: z.string(),
    content: z.string(),
    timestamp: z.string(),
    edited_timestamp: z.string().nullable().optional(),
    author: z.object({ id: z.string(), username: z.string(), bot: z.boolean().optional() }),
    embeds: z.number().optional(),
    attachments: z.array(z.object({ url: z.string(), filename: z.string() })).optional(),
    reply_to: z.string().optional(),
    thread_id: z.string().optional(),
  })
  .passthrough();

function trimMessage(message: DiscordMessage): z.infer<typeof messageOutput> {
  return {
    id: message.id,
    channel_id: message.channel_id,
    content: message.content,
    timestamp: message.timestamp,
    ...(message.edited_timestamp && { edited_timestamp: message.edited_timestamp }),
    author: {
      id: message.author.id,
      username: message.author.username,
      ...(message.author.bot !== undefined && { bot: message.author.bot }),
    },
    ...(message.embeds?.length && { embeds: message.embeds.length }),
    ...(message.attachments?.length && {
      attachments: message.attachments.map(({ url, filename }) => ({ url, filename })),
    }),
    ...(message.message_reference?.message_id && { reply_to: message.message_reference.message_id }),
    ...(message.thread && { thread_id: message.thread.id }),
  };
}

const channelOutput = z
  .object({
    id: z.string(),
    name: z.string().optional(),
    type: z.string(),
    parent_id: z.string().nullable().optional(),
    topic: z.string().nullable().optional(),
    position: z.number().optional(),
  })
  .passthrough();

function trimChannel(channel: DiscordChannel): z.infer<typeof channelOutput> {
  return {
    id: channel.id,
    ...(channel.name !== undefined && { name: channel.name }),
    type: channelTypes[channel.type] ?? `type_${channel.type}`,
    ...(channel.parent_id && { parent_id: channel.parent_id }),
    ...(channel.topic && { topic: channel.topic }),
    ...(channel.position !== undefined && { position: channel.position }),
  };
}

const guildOptions: OptionsLoader<Auth> = async ({ http }) => {
  const guilds = await http.request<DiscordGuild[]>("/users/@me/guilds", { query: { limit: 200 } });
  return guilds.map((guild) => ({ value: guild.id, label: guild.name }));
};

/** Text channels of the bot's servers (the first ten), labelled "Server › #channel". */
const channelOptions: OptionsLoader<Auth> = async ({ http }) => {
  const guilds = await http.request<DiscordGuild[]>("/users/@me/guilds", { query: { limit: 10 } });
  const options: Array<{ value: string; label: string }> = [];
  for (const guild of guilds) {
    const channels = await http.request<DiscordChannel[]>(`/guilds/${guild.id}/channels`);
    for (const channel of channels
      .filter((candidate) => candidate.type === 0 || candidate.type === 5)
      .sort((a, b) => (a.position ?? 0) - (b.position ?? 0)))
      options.push({ value: channel.id, label: `${guild.name} › #${channel.name ?? channel.id}` });
  }
  return options;
};

const embed = z.object({
  title: z.string().max(256).optional().describe("The embed's title."),
  description: z.string().max(4096).optional().describe("The embed's text (Markdown)."),
  url: z.url().optional().describe("A link for the title."),
  color: z
    .number()
    .int()
    .min(0)
    .max(0xffffff)
    .optional()
    .describe("The side bar's color as an integer (0x5865F2)."),
  fields: z
    .array(
      z.object({
        name: z.string().min(1).max(256).describe("The field's name."),
        value: z.string().min(1).max(1024).describe("The field's value."),
        inline: z.boolean().optional().describe("Whether to show it beside other inline fields."),
      }),
    )
    .max(25)
    .optional()
    .describe("Name/value pairs shown in the embed."),
  footer: z.object({ text: z.string().min(1).max(2048).describe("The footer's text.") }).optional(),
});

const embedsField = z
  .array(embed)
  .max(10)
  .optional()
  .describe("Rich embeds (cards with a title, text, fields) shown under the message.");

const allowMassMentions = z
  .boolean()
  .default(false)
  .describe("Let @everyone, @here and role mentions in the text notify people (user mentions always do).");

const allowedMentions = (mass: boolean) => ({ parse: mass ? ["users", "roles", "everyone"] : ["users"] });

const sendMessage = defineAction({
  key: "send_message",
  title: "Send message",
  description:
    "Post a message in a Discord channel or thread (text up to 2000 characters, Discord Markdown, <@userId> mentions), optionally as a reply or with embeds.",
  input: z.object({
    channel_id: snowflake("The channel's or thread's ID (a long number)."),
    content: z.string().max(2000).optional().describe("The message text; needed unless embeds are given."),
    embeds: embedsField,
    reply_to_message_id: snowflake("To reply: the ID of the message to reply to.").optional(),
    allow_mass_mentions: allowMassMentions,
  }),
  output: messageOutput,
  annotations: externalCreate,
  options: { channel_id: channelOptions },
  run: async ({ input, http }) => {
    // Checked here, not with a zod refinement: the tool form picks fields from the schema.
    if (!input.content && !input.embeds?.length)
      throw new ActionError("Give the message's content, embeds, or both.");
    const message = await http.request<DiscordMessage>(`/channels/${input.channel_id}/messages`, {
      method: "POST",
      json: {
        ...(input.content && { content: input.content }),
        ...(input.embeds && { embeds: input.embeds }),
        ...(input.reply_to_message_id && {
          message_reference: { message_id: input.reply_to_message_id, fail_if_not_exists: false },
        }),
        allowed_mentions: allowedMentions(input.allow_mass_mentions),
      },
    });
    return trimMessage(message);
  },
});

const editMessage = defineAction({
  key: "edit_message",
  title: "Edit message",
  description: "Change the text or embeds of a message the bot posted.",
  input: z.object({
    channel_id: snowflake("The channel's ID (a long number)."),
    message_id: snowflake("The message's ID (a long number)."),
    content: z.string().max(2000).optional().describe("The new text (an empty string removes it)."),
    embeds: embedsField.describe("The new embeds (replacing the old ones; [] removes them)."),
    allow_mass_mentions: allowMassMentions,
  }),
  output: messageOutput,
  annotations: externalUpdate,
  options: { channel_id: channelOptions },
  run: async ({ input, http }) => {
    if (input.content === undefined && input.embeds === undefined)
      throw new ActionError("Give the new content, embeds, or both.");
    const message = await http.request<DiscordMessage>(
      `/channels/${input.channel_id}/messages/${input.message_id}`,
      {
        method: "PATCH",
        json: {
          ...(input.content !== undefined && { content: input.content }),
          ...(input.embeds !== undefined && { embeds: input.embeds }),
          allowed_mentions: allowedMentions(input.allow_mass_mentions),
        },
      },
    );
    return trimMessage(message);
  },
});

const getMessages = defineAction({
  key: "get_messages",
  title: "Read messages",
  description:
    "Read recent messages of a channel or thread, newest first. Without the Message Content intent the bot sees the text only of messages that mention it.",
  input: z.object({
    channel_id: snowflake("The channel's or thread's ID (a long number)."),
    limit: z.number().int().min(1).max(100).default(25).describe("At most this many messages."),
    before: snowflake("Only messages before this message ID.").optional(),
    after: snowflake("Only messages after this message ID.").optional(),
  }),
  output: z.object({ messages: z.array(messageOutput) }),
  annotations: externalRead,
  options: { channel_id: channelOptions },
  run: async ({ input, http }) => {
    const { channel_id, ...query } = input;
    const messages = await http.request<DiscordMessage[]>(`/channels/${channel_id}/messages`, { query });
    return { messages: messages.map(trimMessage) };
  },
});

const listServers = defineAction({
  key: "list_servers",
  title: "List servers",
  description: "List the Discord servers (guilds) the bot is in, with their IDs.",
  input: z.object({}),
  output: z.object({ servers: z.array(z.object({ id: z.string(), name: z.string() }).passthrough()) }),
  annotations: externalRead,
  run: async ({ http }) => {
    const guilds = await http.request<DiscordGuild[]>("/users/@me/guilds", { query: { limit: 200 } });
    return { servers: guilds.map(({ id, name }) => ({ id, name })) };
  },
});

const listChannels = defineAction({
  key: "list_channels",
  title: "List channels",
  description: "List a server's channels (text, voice, categories, forums) with their IDs, in display order.",
  input: z.object({ guild_id: snowflake("The server's (guild's) ID.") }),
  output: z.object({ channels: z.array(channelOutput) }),
  annotations: externalRead,
  options: { guild_id: guildOptions },
  run: async ({ input, http }) => {
    const channels = await http.request<DiscordChannel[]>(`/guilds/${input.guild_id}/channels`);
    return {
      channels: channels.sort((a, b) => (a.position ?? 0) - (b.position ?? 0)).map(trimChannel),
    };
  },
});

const addReaction = defineAction({
  key: "add_reaction",
  title: "Add reaction",
  description: 'React to a message with an emoji: a Unicode emoji ("👍") or a custom one as "name:id".',
  input: z.object({
    channel_id: snowflake("The channel's ID (a long number)."),
    message_id: snowflake("The message's ID (a long number)."),
    emoji: z
      .string()
      .min(1)
      .transform((emoji) => emoji.replace(/^<a?:(.+:\d+)>$/, "$1"))
      .describe('The emoji: Unicode ("👍", "✅") or a custom emoji as "name:id" (or as <:name:id>).'),
  }),
  output: z.object({
    channel_id: z.string(),
    message_id: z.string(),
    emoji: z.string(),
    reacted: z.boolean(),
  }),
  // Adding the same reaction again changes nothing.
  annotations: externalUpdate,
  options: { channel_id: channelOptions },
  run: async ({ input, http }) => {
    await http.request(
      `/channels/${input.channel_id}/messages/${input.message_id}/reactions/${encodeURIComponent(input.emoji)}/@me`,
      { method: "PUT" },
    );
    return { ...input, reacted: true };
  },
});

const createThread = defineAction({
  key: "create_thread",
  title: "Start thread",
  description:
    "Start a public thread in a text channel, from an existing message or on its own; post in it with send_message and the thread's ID.",
  input: z.object({
    channel_id: snowflake("The channel's ID (a long number)."),
    name: z.string().min(1).max(100).describe("The thread's name."),
    message_id: snowflake("Start the thread from this message; without it, a thread of its own.").optional(),
    auto_archive_duration: z
      .union([z.literal(60), z.literal(1440), z.literal(4320), z.literal(10080)])
      .optional()
      .describe("Minutes of inactivity after which the thread is hidden: 60, 1440, 4320 or 10080."),
  }),
  output: channelOutput,
  annotations: externalCreate,
  options: { channel_id: channelOptions },
  run: async ({ input, http }) => {
    const body = {
      name: input.name,
      ...(input.auto_archive_duration && { auto_archive_duration: input.auto_archive_duration }),
    };
    const thread = input.message_id
      ? await http.request<DiscordChannel>(
          `/channels/${input.channel_id}/messages/${input.message_id}/threads`,
          {
            method: "POST",
            json: body,
          },
        )
      : await http.request<DiscordChannel>(`/channels/${input.channel_id}/threads`, {
          method: "POST",
          // 11: a public thread (without a type Discord makes a private one).
          json: { ...body, type: 11 },
        });
    return trimChannel(thread);
  },
});

/** Discord's validation errors nest `{_errors: [{message}]}` under the path of each field. */
function fieldErrors(node: unknown, path: string[] = []): string[] {
  if (!node || typeof node !== "object") return [];
  const record = node as Record<string, unknown>;
  const own = Array.isArray(record._errors)
    ? (record._errors as Array<{ message?: string }>).map(
        (error) => `${path.join(".") || "body"}: ${error.message ?? "invalid"}`,
      )
    : [];
  return [
    ...own,
    ...Object.entries(record)
      .filter(([key]) => key !== "_errors")
      .flatMap(([key, value]) => fieldErrors(value, [...path, key])),
  ];
}

export default defineIntegration<Auth>({
  slug: "discord",
  name: "Discord",
  description: "Messages, reactions, threads and channels in the Discord servers your bot is in.",
  category: "Communication",
  auth: apiKeyAuth([
    {
      name: "bot_token",
      label: "Bot token",
      secret: true,
      help: "Discord Developer Portal → your application → Bot → Reset Token. Invite the bot to your server (OAuth2 → URL Generator, scope bot) with View Channels, Send Messages, Read Message History, Add Reactions and Create Public Threads.",
    },
  ]),
  api: {
    baseUrl: "https://discord.com/api/v10",
    baseUrlSetting: "DISCORD_API_URL",
    headers: (auth) => ({ authorization: `Bot ${auth.bot_token}`, "user-agent": userAgent }),
    describeError: (body) => {
      if (!body || typeof body !== "object") return undefined;
      const { message, code, errors } = body as { message?: string; code?: number; errors?: unknown };
      if (typeof message !== "string") return undefined;
      const details = fieldErrors(errors).slice(0, 5);
      return `${message}${code ? ` (code ${code})` : ""}${details.length ? ` — ${details.join("; ")}` : ""}`;
    },
  },
  test: async ({ http }) => {
    const user = await http.request<DiscordUser>("/users/@me");
    return { account: user.username };
  },
  actions: [sendMessage, editMessage, getMessages, listServers, listChannels, addReaction, createThread],
});
