// Telegram's Bot API as its reference describes it (https://core.telegram.org/bots/api): the token
// in the path (/bot<token>/<method>), JSON (or form) parameters, answers as `{ok: true, result}`,
// errors as `{ok: false, error_code, description}` with the HTTP status of the error code, and
// flood control as 429 with `parameters.retry_after` (and no Retry-After header).
import { type EmulatedRequest, type Reply, route, startEmulator } from "./emulator";

export const telegramToken = "7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw4";

function telegramError(errorCode: number, description: string, parameters?: Record<string, number>): Reply {
  return {
    status: errorCode,
    json: { ok: false, error_code: errorCode, description, ...(parameters && { parameters }) },
  };
}

const ok = (result: unknown): Reply => ({ json: { ok: true, result } });

function params(request: EmulatedRequest): Record<string, unknown> {
  if (request.body && typeof request.body === "object") return request.body as Record<string, unknown>;
  return Object.fromEntries(request.query);
}

type Chat = {
  id: number;
  type: string;
  title?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
};
type Message = {
  message_id: number;
  date: number;
  chat: Chat;
  from?: { id: number; is_bot: boolean; first_name: string; username?: string };
  text?: string;
  caption?: string;
  photo?: Array<{
    file_id: string;
    file_unique_id: string;
    width: number;
    height: number;
    file_size: number;
  }>;
};

export async function startTelegramEmulator() {
  const bot = {
    id: 7123456789,
    is_bot: true,
    first_name: "Toolgate",
    username: "toolgate_bot",
    can_join_groups: true,
  };
  const ada: Chat = { id: 123456789, type: "private", first_name: "Ada", username: "ada" };
  const team: Chat = { id: -1001234567890, type: "supergroup", title: "Engine Room", username: "engineroom" };
  const chats = [ada, team];
  const updates: Array<{ update_id: number; message?: Message; channel_post?: Message }> = [
    {
      update_id: 900000001,
      message: {
        message_id: 1,
        date: 1767600000,
        chat: ada,
        from: { id: ada.id, is_bot: false, first_name: "Ada", username: "ada" },
        text: "/start",
      },
    },
    {
      update_id: 900000002,
      message: {
        message_id: 41,
        date: 1767600060,
        chat: team,
        from: { id: ada.id, is_bot: false, first_name: "Ada", username: "ada" },
        text: "Engine is warm",
      },
    },
  ];
  const sent = new Map<number, Message[]>();
  let nextMessageId = 100;

  const chat = (id: unknown) =>
    chats.find(
      (candidate) => candidate.id === id || (typeof id === "string" && `@${candidate.username}` === id),
    );
  const deliver = (target: Chat, content: Partial<Message>): Message => {
    const message: Message = {
      message_id: nextMessageId++,
      date: 1767603600,
      chat: target,
      from: bot,
      ...content,
    };
    sent.set(target.id, [...(sent.get(target.id) ?? []), message]);
    return message;
  };
  const checkParseMode = (value: unknown) =>
    value === undefined || ["MarkdownV2", "HTML", "Markdown"].includes(String(value));

  return startEmulator({
    name: "telegram",
    authenticate: (request) =>
      request.path.split("/")[1] === `bot${telegramToken}` ? undefined : telegramError(401, "Unauthorized"),
    notFound: () => telegramError(404, "Not Found"),
    routes: [
      route("POST", "/:bot/getMe", () => ok(bot)),
      route("POST", "/:bot/getUpdates", (request) => {
        const {
          limit = 100,
          offset,
          timeout,
        } = params(request) as { limit?: number; offset?: number; timeout?: number };
        if (offset !== undefined)
          return telegramError(400, "Bad Request: the emulator does not confirm updates");
        if (timeout !== undefined && timeout !== 0)
          return telegramError(400, "Bad Request: long polling is not emulated");
        return ok(updates.slice(0, Number(limit)));
      }),
      route("POST", "/:bot/getChat", (request) => {
        const found = chat(params(request).chat_id);
        if (!found) return telegramError(400, "Bad Request: chat not found");
        return ok({
          ...found,
          ...(found.type === "supergroup" && {
            description: "Where engines are built",
            invite_link: "https://t.me/+AbCdEf",
          }),
          accent_color_id: 3,
          max_reaction_count: 11,
        });
      }),
      route("POST", "/:bot/sendMessage", (request) => {
        const body = params(request);
        const target = chat(body.chat_id);
        if (!target) return telegramError(400, "Bad Request: chat not found");
        if (typeof body.text !== "string" || !body.text)
          return telegramError(400, "Bad Request: message text is empty");
        if (!checkParseMode(body.parse_mode))
          return telegramError(400, "Bad Request: unsupported parse_mode");
        if (body.parse_mode === "MarkdownV2" && /(?<!\\)[.!]/.test(body.text))
          return telegramError(
            400,
            "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
          );
        return ok(deliver(target, { text: body.text.replace(/<\/?[bi]>/g, "") }));
      }),
      route("POST", "/:bot/sendPhoto", (request) => {
        const body = params(request);
        const target = chat(body.chat_id);
        if (!target) return telegramError(400, "Bad Request: chat not found");
        if (typeof body.photo !== "string" || !body.photo)
          return telegramError(400, "Bad Request: there is no photo in the request");
        return ok(
          deliver(target, {
            ...(typeof body.caption === "string" && { caption: body.caption }),
            photo: [
              { file_id: "AgACAgSmall", file_unique_id: "AQADs", width: 90, height: 60, file_size: 1200 },
              { file_id: "AgACAgLarge", file_unique_id: "AQADl", width: 1280, height: 853, file_size: 98000 },
            ],
          }),
        );
      }),
      route("POST", "/:bot/forwardMessage", (request) => {
        const body = params(request);
        const target = chat(body.chat_id);
        const source = chat(body.from_chat_id);
        if (!target || !source) return telegramError(400, "Bad Request: chat not found");
        const original = [...updates.map((update) => update.message), ...(sent.get(source.id) ?? [])].find(
          (message) => message?.chat.id === source.id && message.message_id === body.message_id,
        );
        if (!original) return telegramError(400, "Bad Request: message to forward not found");
        return ok(
          deliver(target, {
            text: original.text,
            forward_origin: { type: "user", date: original.date },
          } as Partial<Message>),
        );
      }),
    ],
  });
}
