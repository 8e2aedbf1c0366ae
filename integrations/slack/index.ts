// Slack, through its Web API (https://docs.slack.dev/reference/methods): a bot token from OAuth v2
// (https://docs.slack.dev/authentication/installing-with-oauth) as a bearer token. Slack answers
// most failures with HTTP 200 and `{ok: false, error}`, so every call goes through `callSlack`.
import { z } from "zod";
import {
  actionFor,
  defineIntegration,
  externalCreate,
  externalRead,
  externalUpdate,
  type OAuthCredentials,
  type OptionsLoader,
  oauth2,
} from "@/integrations/sdk/define";
import { ActionError, CredentialsRejectedError } from "@/integrations/sdk/errors";
import type { ApiClient } from "@/integrations/sdk/http";

type Auth = OAuthCredentials;
const defineAction = actionFor<Auth>();

type SlackAnswer = {
  ok: boolean;
  error?: string;
  /** With missing_scope: the scope the method needs. */
  needed?: string;
  response_metadata?: { next_cursor?: string; messages?: string[] };
};

/** Errors that mean the token itself is no good: the connection needs reconnecting. */
const credentialErrors = new Set([
  "not_authed",
  "invalid_auth",
  "token_revoked",
  "token_expired",
  "account_inactive",
]);

const hints: Record<string, string> = {
  channel_not_found:
    "no channel with that ID is visible to the app; for a private channel, invite the app first",
  not_in_channel: "the app is not a member of the channel; invite it with /invite @app-name",
  is_archived: "the channel is archived",
  message_not_found: "no message with that timestamp in the channel",
  cant_update_message: "the app can only edit messages it posted itself",
  users_not_found: "no user in this workspace has that email address",
  invalid_blocks: "the blocks are not valid Block Kit",
  msg_too_long: "the message text is too long",
  no_text: "the message needs text",
  thread_not_found: "no thread with that timestamp in the channel",
  invalid_name: "no emoji with that name in this workspace",
  too_many_reactions: "the message has too many reactions",
};

function refusal(method: string, answer: SlackAnswer): Error {
  const code = answer.error ?? "unknown_error";
  if (credentialErrors.has(code))
    return new CredentialsRejectedError(
      `Slack rejected the connection's token (${code}). Reconnect the account.`,
    );
  const details = [
    hints[code],
    code === "missing_scope" && answer.needed
      ? `the app lacks the ${answer.needed} scope; reconnect the account to grant it`
      : undefined,
    ...(answer.response_metadata?.messages ?? []),
  ].filter(Boolean);
  return new ActionError(
    `Slack refused ${method}: ${code}${details.length ? ` (${details.join("; ")})` : ""}.`,
  );
}

type QueryArgs = Record<string, string | number | boolean | undefined>;

/**
 * One Web API method: reads as GET with query arguments, writes as a JSON POST (Slack wants the
 * charset on JSON bodies). `{ok: false}` becomes an SDK error; `tolerate` lists error codes that
 * mean the work is already done (already_reacted), returned instead of thrown.
 */
async function callSlack<T>(
  http: ApiClient,
  method: string,
  request: { query?: QueryArgs; json?: Record<string, unknown> },
  tolerate: string[] = [],
): Promise<T & SlackAnswer> {
  const answer = request.json
    ? await http.request<T & SlackAnswer>(`/${method}`, {
        method: "POST",
        json: request.json,
        headers: { "content-type": "application/json; charset=utf-8" },
      })
    : await http.request<T & SlackAnswer>(`/${method}`, { method: "GET", query: request.query ?? {} });
  if (!answer || typeof answer !== "object") throw new ActionError(`Slack answered ${method} without JSON.`);
  if (!answer.ok && !tolerate.includes(answer.error ?? "")) throw refusal(method, answer);
  return answer;
}

type SlackChannel = {
  id: string;
  name?: string;
  is_private?: boolean;
  is_archived?: boolean;
  is_member?: boolean;
  num_members?: number;
  topic?: { value?: string };
  purpose?: { value?: string };
};

type SlackMessage = {
  ts: string;
  type?: string;
  subtype?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  thread_ts?: string;
  reply_count?: number;
};

const channelOutput = z
  .object({
    id: z.string(),
    name: z.string().optional(),
    is_private: z.boolean().optional(),
    is_archived: z.boolean().optional(),
    is_member: z.boolean().optional(),
    num_members: z.number().optional(),
    topic: z.string().optional(),
    purpose: z.string().optional(),
  })
  .passthrough();

const messageOutput = z
  .object({
    ts: z.string(),
    user: z.string().optional(),
    bot_id: z.string().optional(),
    subtype: z.string().optional(),
    text: z.string(),
    thread_ts: z.string().optional(),
    reply_count: z.number().optional(),
  })
  .passthrough();

function trimChannel(channel: SlackChannel): z.infer<typeof channelOutput> {
  return {
    id: channel.id,
    ...(channel.name !== undefined && { name: channel.name }),
    ...(channel.is_private !== undefined && { is_private: channel.is_private }),
    ...(channel.is_archived !== undefined && { is_archived: channel.is_archived }),
    ...(channel.is_member !== undefined && { is_member: channel.is_member }),
    ...(channel.num_members !== undefined && { num_members: channel.num_members }),
    ...(channel.topic?.value && { topic: channel.topic.value }),
    ...(channel.purpose?.value && { purpose: channel.purpose.value }),
  };
}

function trimMessage(message: SlackMessage): z.infer<typeof messageOutput> {
  return {
    ts: message.ts,
    text: message.text ?? "",
    ...(message.user && { user: message.user }),
    ...(message.bot_id && { bot_id: message.bot_id }),
    ...(message.subtype && { subtype: message.subtype }),
    ...(message.thread_ts && { thread_ts: message.thread_ts }),
    ...(message.reply_count !== undefined && { reply_count: message.reply_count }),
  };
}

const nextCursor = (answer: SlackAnswer) => answer.response_metadata?.next_cursor || null;

const channelOptions: OptionsLoader<Auth> = async ({ http }) => {
  const options: Array<{ value: string; label: string }> = [];
  let cursor: string | undefined;
  // A few pages at most: a choice list of thousands of channels helps nobody.
  for (let page = 0; page < 5; page++) {
    const answer = await callSlack<{ channels: SlackChannel[] }>(http, "conversations.list", {
      query: { types: "public_channel,private_channel", exclude_archived: true, limit: 200, cursor },
    });
    for (const channel of answer.channels)
      options.push({
        value: channel.id,
        label: `#${channel.name ?? channel.id}${channel.is_private ? " (private)" : ""}`,
      });
    cursor = nextCursor(answer) ?? undefined;
    if (!cursor) break;
  }
  return options;
};

const channelField = z
  .string()
  .min(1)
  .describe("The channel's ID (C… or G…), or a user ID (U…) to message that person directly.");
const tsField = (what: string) =>
  z
    .string()
    .regex(/^\d+\.\d+$/, 'a Slack timestamp such as "1712345678.123456"')
    .describe(`The ${what}'s timestamp (its \`ts\`, such as "1712345678.123456"), which is its ID.`);

const blocksField = z
  .array(z.record(z.string(), z.unknown()))
  .max(50)
  .optional()
  .describe(
    'Block Kit blocks for a richer layout, such as [{"type":"section","text":{"type":"mrkdwn","text":"*Hi*"}}]; the text is then the notification fallback.',
  );

const sendMessage = defineAction({
  key: "send_message",
  title: "Send message",
  description:
    "Post a message to a Slack channel (or a direct message), optionally as a reply in a thread. Text uses Slack mrkdwn: *bold*, _italic_, <https://example.com|links>, <@U123> mentions.",
  input: z.object({
    channel: channelField,
    text: z.string().min(1).max(40_000).describe("The message text, in Slack mrkdwn."),
    thread_ts: tsField("parent message")
      .optional()
      .describe("To reply in a thread: the parent message's timestamp (its `ts`)."),
    reply_broadcast: z.boolean().optional().describe("With thread_ts: also show the reply in the channel."),
    blocks: blocksField,
    unfurl_links: z.boolean().optional().describe("Whether to show previews of links in the text."),
  }),
  output: z.object({
    channel: z.string(),
    ts: z.string(),
    thread_ts: z.string().optional(),
    text: z.string(),
  }),
  annotations: externalCreate,
  options: { channel: channelOptions },
  run: async ({ input, http }) => {
    const answer = await callSlack<{ channel: string; ts: string; message?: SlackMessage }>(
      http,
      "chat.postMessage",
      { json: input },
    );
    return {
      channel: answer.channel,
      ts: answer.ts,
      ...(input.thread_ts && { thread_ts: input.thread_ts }),
      text: answer.message?.text ?? input.text,
    };
  },
});

const updateMessage = defineAction({
  key: "update_message",
  title: "Edit message",
  description: "Replace the text (and blocks) of a message the app posted earlier.",
  input: z.object({
    channel: z.string().min(1).describe("The ID of the channel the message is in."),
    ts: tsField("message"),
    text: z.string().min(1).max(40_000).describe("The new message text, in Slack mrkdwn."),
    blocks: blocksField,
  }),
  output: z.object({ channel: z.string(), ts: z.string(), text: z.string() }),
  annotations: externalUpdate,
  options: { channel: channelOptions },
  run: async ({ input, http }) => {
    const answer = await callSlack<{ channel: string; ts: string; text?: string }>(http, "chat.update", {
      json: input,
    });
    return { channel: answer.channel, ts: answer.ts, text: answer.text ?? input.text };
  },
});

const listChannels = defineAction({
  key: "list_channels",
  title: "List channels",
  description:
    "List the workspace's channels the app can see, with their IDs (needed by the other Slack tools) and whether the app is a member.",
  input: z.object({
    types: z
      .array(z.enum(["public_channel", "private_channel", "mpim", "im"]))
      .min(1)
      .default(["public_channel", "private_channel"])
      .describe("Which kinds of conversation to list; private ones only where the app was invited."),
    exclude_archived: z.boolean().default(true).describe("Leave out archived channels."),
    limit: z.number().int().min(1).max(1000).default(100).describe("At most this many channels."),
    cursor: z.string().optional().describe("The next_cursor of a previous page, to read the next one."),
  }),
  output: z.object({ channels: z.array(channelOutput), next_cursor: z.string().nullable() }),
  annotations: externalRead,
  run: async ({ input, http }) => {
    const answer = await callSlack<{ channels: SlackChannel[] }>(http, "conversations.list", {
      query: { ...input, types: input.types.join(",") },
    });
    return { channels: answer.channels.map(trimChannel), next_cursor: nextCursor(answer) };
  },
});

const historyInput = {
  limit: z.number().int().min(1).max(200).default(20).describe("At most this many messages."),
  oldest: z
    .string()
    .optional()
    .describe('Only messages after this Unix timestamp (seconds, such as "1712345678").'),
  latest: z.string().optional().describe("Only messages before this Unix timestamp."),
  cursor: z.string().optional().describe("The next_cursor of a previous page, to read the next one."),
};

const historyOutput = z.object({
  messages: z.array(messageOutput),
  has_more: z.boolean(),
  next_cursor: z.string().nullable(),
});

/** One page of a channel's or a thread's messages (both methods answer in the same shape). */
async function readMessages(
  http: ApiClient,
  method: "conversations.history" | "conversations.replies",
  input: QueryArgs,
) {
  const answer = await callSlack<{ messages: SlackMessage[]; has_more?: boolean }>(http, method, {
    query: input,
  });
  return {
    messages: answer.messages.map(trimMessage),
    has_more: answer.has_more ?? false,
    next_cursor: nextCursor(answer),
  };
}

const getChannelHistory = defineAction({
  key: "get_channel_history",
  title: "Read channel messages",
  description:
    "Read the most recent messages of a channel the app is a member of, newest first. Thread replies are not included; read them with get_thread_replies.",
  input: z.object({ channel: z.string().min(1).describe("The channel's ID."), ...historyInput }),
  output: historyOutput,
  annotations: externalRead,
  options: { channel: channelOptions },
  run: ({ input, http }) => readMessages(http, "conversations.history", input),
});

const getThreadReplies = defineAction({
  key: "get_thread_replies",
  title: "Read thread",
  description: "Read a thread: its parent message first, then the replies, oldest first.",
  input: z.object({
    channel: z.string().min(1).describe("The ID of the channel the thread is in."),
    ts: tsField("thread's parent message"),
    ...historyInput,
  }),
  output: historyOutput,
  annotations: externalRead,
  options: { channel: channelOptions },
  run: ({ input, http }) => readMessages(http, "conversations.replies", input),
});

type SlackUser = {
  id: string;
  team_id?: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  tz?: string;
  profile?: { email?: string; display_name?: string; real_name?: string; title?: string };
};

const findUserByEmail = defineAction({
  key: "find_user_by_email",
  title: "Find user by email",
  description:
    "Find a workspace member by email address, for their user ID (to mention them as <@ID> or message them directly).",
  input: z.object({ email: z.email().describe("The person's email address.") }),
  output: z
    .object({
      id: z.string(),
      name: z.string().optional(),
      real_name: z.string().optional(),
      display_name: z.string().optional(),
      email: z.string().optional(),
      title: z.string().optional(),
      is_bot: z.boolean().optional(),
      deleted: z.boolean().optional(),
      tz: z.string().optional(),
    })
    .passthrough(),
  annotations: externalRead,
  run: async ({ input, http }) => {
    const { user } = await callSlack<{ user: SlackUser }>(http, "users.lookupByEmail", {
      query: { email: input.email },
    });
    return {
      id: user.id,
      ...(user.name && { name: user.name }),
      ...((user.real_name ?? user.profile?.real_name) && {
        real_name: user.real_name ?? user.profile?.real_name,
      }),
      ...(user.profile?.display_name && { display_name: user.profile.display_name }),
      ...(user.profile?.email && { email: user.profile.email }),
      ...(user.profile?.title && { title: user.profile.title }),
      ...(user.is_bot !== undefined && { is_bot: user.is_bot }),
      ...(user.deleted !== undefined && { deleted: user.deleted }),
      ...(user.tz && { tz: user.tz }),
    };
  },
});

const addReaction = defineAction({
  key: "add_reaction",
  title: "Add reaction",
  description:
    'React to a message with an emoji, by name without colons ("thumbsup", "eyes", "white_check_mark").',
  input: z.object({
    channel: z.string().min(1).describe("The ID of the channel the message is in."),
    timestamp: tsField("message"),
    name: z
      .string()
      .min(1)
      .transform((name) => name.replace(/^:|:$/g, ""))
      .describe('The emoji\'s name, such as "thumbsup" (colons are removed).'),
  }),
  output: z.object({
    channel: z.string(),
    timestamp: z.string(),
    name: z.string(),
    already_reacted: z.boolean(),
  }),
  // Reacting twice changes nothing (Slack answers already_reacted, taken as done).
  annotations: externalUpdate,
  options: { channel: channelOptions },
  run: async ({ input, http }) => {
    const answer = await callSlack(http, "reactions.add", { json: input }, ["already_reacted"]);
    return { ...input, already_reacted: !answer.ok };
  },
});

export default defineIntegration<Auth>({
  slug: "slack",
  name: "Slack",
  description: "Messages, threads, channels, reactions and people in a Slack workspace, as the app's bot.",
  category: "Communication",
  auth: oauth2({
    settingsPrefix: "SLACK",
    consoleUrl: "https://api.slack.com/apps",
    authorizeUrl: "https://slack.com/oauth/v2/authorize",
    tokenUrl: "https://slack.com/api/oauth.v2.access",
    // Bot scopes (the `scope` parameter of /oauth/v2/authorize), comma-separated as Slack expects.
    scopes: [
      "chat:write",
      "channels:read",
      "groups:read",
      "channels:history",
      "groups:history",
      "users:read",
      "users:read.email",
      "reactions:write",
    ],
    scopeSeparator: ",",
    // A confidential client with a client secret; Slack's PKCE is for apps without one.
    pkce: false,
    // Slack asks for the client credentials by HTTP Basic rather than in the body.
    clientAuth: "basic",
    keepFromTokenResponse: ["team.id", "team.name", "bot_user_id"],
    // With token rotation on, oauth.v2.access answers {ok: false, error} for a dead refresh token.
    revokedGrantErrors: ["invalid_refresh_token", "token_revoked"],
  }),
  api: {
    baseUrl: "https://slack.com/api",
    baseUrlSetting: "SLACK_API_URL",
    headers: (auth) => ({ authorization: `Bearer ${auth.accessToken}` }),
    // HTTP errors (a 429, an unknown method) carry the same `{ok: false, error}` body.
    describeError: (body) =>
      body && typeof body === "object" && typeof (body as SlackAnswer).error === "string"
        ? (body as SlackAnswer).error
        : undefined,
  },
  test: async ({ http }) => {
    const answer = await callSlack<{ user?: string; team?: string; url?: string }>(http, "auth.test", {
      json: {},
    });
    return {
      account: [answer.user, answer.team && `in ${answer.team}`].filter(Boolean).join(" ") || undefined,
    };
  },
  actions: [
    sendMessage,
    updateMessage,
    listChannels,
    getChannelHistory,
    getThreadReplies,
    findUserByEmail,
    addReaction,
  ],
});
