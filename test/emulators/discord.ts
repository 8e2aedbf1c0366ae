// Discord's HTTP API v10 as its reference describes it (https://discord.com/developers/docs/reference):
// `Authorization: Bot <token>`, a DiscordBot User-Agent, JSON bodies, snowflake IDs as strings,
// and errors as `{message, code}` (validation errors with nested `errors`, 429s with `retry_after`).
import { z } from "zod";
import { checkBody, type EmulatedRequest, type Reply, route, startEmulator } from "./emulator";

export const discordToken = "MTA5ODc2NTQzMjEwOTg3NjU0Mw.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB";

function discordError(status: number, code: number, message: string, errors?: unknown): Reply {
  return { status, json: { message, code, ...(errors !== undefined && { errors }) } };
}

/** Turns zod issues into Discord's nested `{field: {_errors: [{code, message}]}}` shape. */
function invalidForm(problem: string): Reply {
  const errors: Record<string, unknown> = {};
  for (const part of problem.split("; ")) {
    const [path = "body", message = "invalid"] = part.split(": ");
    errors[path] = { _errors: [{ code: "BASE_TYPE_INVALID", message }] };
  }
  return discordError(400, 50035, "Invalid Form Body", errors);
}

function requireJson(request: EmulatedRequest): Reply | undefined {
  return request.contentType.startsWith("application/json")
    ? undefined
    : discordError(400, 50109, "The request body contains invalid JSON.");
}

const embed = z.object({
  title: z.string().max(256).optional(),
  description: z.string().max(4096).optional(),
  url: z.string().optional(),
  color: z.number().int().optional(),
  fields: z
    .array(z.object({ name: z.string().min(1), value: z.string().min(1), inline: z.boolean().optional() }))
    .optional(),
  footer: z.object({ text: z.string() }).optional(),
});

const newMessage = z.object({
  content: z.string().max(2000, "Must be 2000 or fewer in length.").optional(),
  embeds: z.array(embed).max(10).optional(),
  message_reference: z
    .object({ message_id: z.string(), fail_if_not_exists: z.boolean().optional() })
    .optional(),
  allowed_mentions: z.object({ parse: z.array(z.enum(["users", "roles", "everyone"])) }).optional(),
});

type Message = {
  id: string;
  channel_id: string;
  content: string;
  timestamp: string;
  edited_timestamp: string | null;
  author: { id: string; username: string; global_name: string | null; bot?: boolean };
  embeds: unknown[];
  attachments: unknown[];
  message_reference?: { message_id: string; channel_id: string };
  type: number;
};

export async function startDiscordEmulator() {
  const bot = {
    id: "1098765432109876543",
    username: "toolgate-bot",
    global_name: null,
    bot: true,
    discriminator: "0",
  };
  const ada = { id: "80351110224678912", username: "ada", global_name: "Ada" };
  const guilds = [
    { id: "613425648685547541", name: "Analytical Engines", owner: false, permissions: "2248473465835073" },
  ];
  type Channel = {
    id: string;
    type: number;
    guild_id: string;
    name: string;
    position: number;
    parent_id: string | null;
    topic?: string | null;
  };
  const channels: Channel[] = [
    {
      id: "613425648685547543",
      type: 0,
      guild_id: guilds[0]!.id,
      name: "general",
      position: 0,
      parent_id: "613425648685547542",
      topic: "Say hi",
    },
    {
      id: "613425648685547542",
      type: 4,
      guild_id: guilds[0]!.id,
      name: "Text Channels",
      position: 0,
      parent_id: null,
    },
    {
      id: "613425648685547544",
      type: 2,
      guild_id: guilds[0]!.id,
      name: "Lounge",
      position: 1,
      parent_id: null,
    },
    {
      id: "613425648685547545",
      type: 5,
      guild_id: guilds[0]!.id,
      name: "announcements",
      position: 1,
      parent_id: "613425648685547542",
      topic: null,
    },
  ];
  const messages = new Map<string, Message[]>([
    [
      "613425648685547543",
      [
        {
          id: "1200000000000000001",
          channel_id: "613425648685547543",
          content: "Hello bot",
          timestamp: "2026-01-05T10:00:00.000000+00:00",
          edited_timestamp: null,
          author: ada,
          embeds: [],
          attachments: [],
          type: 0,
        },
      ],
    ],
  ]);
  const reactions = new Map<string, Set<string>>();
  let nextId = 1300000000000000000n;

  const channel = (id: string | undefined) => channels.find((candidate) => candidate.id === id);
  const message = (channelId: string | undefined, id: string | undefined) =>
    (messages.get(channelId ?? "") ?? []).find((candidate) => candidate.id === id);

  return startEmulator({
    name: "discord",
    authenticate: (request) => {
      if (!String(request.headers["user-agent"] ?? "").startsWith("DiscordBot ("))
        return discordError(403, 40333, "internal network error");
      return request.headers.authorization === `Bot ${discordToken}`
        ? undefined
        : discordError(401, 0, "401: Unauthorized");
    },
    notFound: () => discordError(404, 0, "404: Not Found"),
    routes: [
      route("GET", "/users/@me", () => ({ json: bot })),
      route("GET", "/users/@me/guilds", (request) => {
        const limit = Number(request.query.get("limit") ?? 200);
        return { json: guilds.slice(0, limit) };
      }),
      route("GET", "/guilds/:guild/channels", (_request, params) =>
        guilds.some((guild) => guild.id === params.guild)
          ? { json: channels.filter((candidate) => candidate.guild_id === params.guild) }
          : discordError(404, 10004, "Unknown Guild"),
      ),
      route("GET", "/channels/:channel/messages", (request, params) => {
        if (!channel(params.channel)) return discordError(404, 10003, "Unknown Channel");
        const limit = Number(request.query.get("limit") ?? 50);
        if (limit < 1 || limit > 100)
          return invalidForm("limit: int value should be less than or equal to 100.");
        return { json: [...(messages.get(params.channel ?? "") ?? [])].reverse().slice(0, limit) };
      }),
      route("POST", "/channels/:channel/messages", (request, params) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const target = channel(params.channel);
        if (!target) return discordError(404, 10003, "Unknown Channel");
        if (target.type !== 0 && target.type !== 5 && target.type !== 11)
          return discordError(400, 50008, "Cannot send messages in a non-text channel");
        const checked = checkBody(request, newMessage, invalidForm);
        if (!checked.ok) return checked.reply;
        if (!checked.body.content && !checked.body.embeds?.length)
          return discordError(400, 50006, "Cannot send an empty message");
        const reference = checked.body.message_reference;
        if (
          reference &&
          !message(params.channel, reference.message_id) &&
          reference.fail_if_not_exists !== false
        )
          return invalidForm("message_reference: Unknown message");
        const created: Message = {
          id: String(nextId++),
          channel_id: target.id,
          content: checked.body.content ?? "",
          timestamp: "2026-01-05T11:00:00.000000+00:00",
          edited_timestamp: null,
          author: bot,
          embeds: checked.body.embeds ?? [],
          attachments: [],
          type: reference ? 19 : 0,
          ...(reference && {
            message_reference: { message_id: reference.message_id, channel_id: target.id },
          }),
        };
        messages.set(target.id, [...(messages.get(target.id) ?? []), created]);
        return { json: created };
      }),
      route("PATCH", "/channels/:channel/messages/:message", (request, params) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        if (!channel(params.channel)) return discordError(404, 10003, "Unknown Channel");
        const found = message(params.channel, params.message);
        if (!found) return discordError(404, 10008, "Unknown Message");
        if (found.author.id !== bot.id)
          return discordError(403, 50005, "Cannot edit a message authored by another user");
        const checked = checkBody(request, newMessage.omit({ message_reference: true }), invalidForm);
        if (!checked.ok) return checked.reply;
        if (checked.body.content !== undefined) found.content = checked.body.content;
        if (checked.body.embeds !== undefined) found.embeds = checked.body.embeds;
        found.edited_timestamp = "2026-01-05T12:00:00.000000+00:00";
        return { json: found };
      }),
      route("PUT", "/channels/:channel/messages/:message/reactions/:emoji/@me", (_request, params) => {
        if (!channel(params.channel)) return discordError(404, 10003, "Unknown Channel");
        if (!message(params.channel, params.message)) return discordError(404, 10008, "Unknown Message");
        const emoji = params.emoji ?? "";
        // Unicode emoji, or a custom one as name:id.
        if (!/^\p{Extended_Pictographic}/u.test(emoji) && !/^\w+:\d+$/.test(emoji))
          return discordError(400, 10014, "Unknown Emoji");
        const key = `${params.message}/${emoji}`;
        reactions.set(key, new Set([...(reactions.get(key) ?? []), bot.id]));
        return { status: 204 };
      }),
      route("POST", "/channels/:channel/messages/:message/threads", (request, params) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        if (!channel(params.channel)) return discordError(404, 10003, "Unknown Channel");
        if (!message(params.channel, params.message)) return discordError(404, 10008, "Unknown Message");
        const checked = checkBody(
          request,
          z.object({ name: z.string().min(1).max(100), auto_archive_duration: z.number().optional() }),
          invalidForm,
        );
        if (!checked.ok) return checked.reply;
        const thread = {
          id: params.message!,
          type: 11,
          guild_id: guilds[0]!.id,
          parent_id: params.channel ?? null,
          name: checked.body.name,
          position: 0,
        };
        channels.push({ ...thread, topic: null });
        return { status: 201, json: thread };
      }),
      route("POST", "/channels/:channel/threads", (request, params) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        if (!channel(params.channel)) return discordError(404, 10003, "Unknown Channel");
        const checked = checkBody(
          request,
          z.object({
            name: z.string().min(1).max(100),
            type: z.number().optional(),
            auto_archive_duration: z.number().optional(),
          }),
          invalidForm,
        );
        if (!checked.ok) return checked.reply;
        const thread = {
          id: String(nextId++),
          type: checked.body.type ?? 12,
          guild_id: guilds[0]!.id,
          parent_id: params.channel ?? null,
          name: checked.body.name,
          position: 0,
        };
        channels.push({ ...thread, topic: null });
        return { status: 201, json: thread };
      }),
    ],
  });
}
