// Telegram's actions through the real worker path against its emulator: Bot API methods with the
// token in the path, `{ok: false}` answers as tool errors, flood control from
// `parameters.retry_after`, and the token kept out of every message and log line.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import type { Emulator } from "../../emulators/emulator";
import { startTelegramEmulator, telegramToken } from "../../emulators/telegram";
import { type AppHarness, startAppHarness } from "../../helpers/app-harness";

let emulator: Emulator;
let harness: AppHarness;
let connectionId: string;

const ada = "123456789";
const team = "-1001234567890";

beforeAll(async () => {
  emulator = await startTelegramEmulator();
  harness = await startAppHarness({ TELEGRAM_API_URL: emulator.url });
  connectionId = await harness.connectWithKey("telegram", { bot_token: telegramToken });
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await emulator?.stop();
});

describe("Telegram", () => {
  it("sends a message as JSON to /bot<token>/sendMessage, numeric chat IDs as numbers", async () => {
    const result = await harness.call("telegram", "send_message", {
      chat_id: team,
      text: "<b>Build</b> passed",
      parse_mode: "HTML",
      disable_link_preview: true,
      reply_to_message_id: 41,
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.structured).toMatchObject({
      chat: { id: Number(team), type: "supergroup", title: "Engine Room" },
      text: "Build passed",
      from: { username: "toolgate_bot" },
    });
    expect((result.output as { date: string }).date).toMatch(/^2026-01-05T/);
    const [request] = emulator.requestsTo("POST /:bot/sendMessage");
    expect(request?.path).toBe(`/bot${telegramToken}/sendMessage`);
    expect(request?.contentType).toBe("application/json");
    expect(request?.body).toEqual({
      chat_id: Number(team),
      text: "<b>Build</b> passed",
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      reply_parameters: { message_id: 41, allow_sending_without_reply: true },
    });
  });

  it("sends a photo by URL and forwards a message", async () => {
    const photo = await harness.call("telegram", "send_photo", {
      chat_id: "@engineroom",
      photo: "https://example.com/engine.jpg",
      caption: "The engine",
    });
    expect(photo.isError, photo.text).toBe(false);
    expect(photo.output).toMatchObject({ caption: "The engine", photo_file_id: "AgACAgLarge" });
    expect(emulator.requestsTo("POST /:bot/sendPhoto").at(-1)?.body).toEqual({
      chat_id: "@engineroom",
      photo: "https://example.com/engine.jpg",
      caption: "The engine",
    });

    const forwarded = await harness.call("telegram", "forward_message", {
      chat_id: ada,
      from_chat_id: team,
      message_id: 41,
      disable_notification: true,
    });
    expect(forwarded.isError, forwarded.text).toBe(false);
    expect(forwarded.output).toMatchObject({ chat: { id: Number(ada) }, text: "Engine is warm" });
    expect(emulator.requestsTo("POST /:bot/forwardMessage").at(-1)?.body).toEqual({
      chat_id: Number(ada),
      from_chat_id: Number(team),
      message_id: 41,
      disable_notification: true,
    });
  });

  it("reads recent updates without acknowledging them, and looks up a chat", async () => {
    const read = await harness.call("telegram", "get_updates", { limit: 10 });
    expect(read.isError, read.text).toBe(false);
    const output = read.output as {
      updates: Array<{ kind: string; message: { text: string } }>;
      chats: unknown[];
    };
    expect(output.updates.map((update) => update.message.text)).toEqual(["/start", "Engine is warm"]);
    expect(output.chats).toEqual([
      { id: Number(ada), type: "private", first_name: "Ada", username: "ada" },
      { id: Number(team), type: "supergroup", title: "Engine Room", username: "engineroom" },
    ]);
    const body = emulator.requestsTo("POST /:bot/getUpdates").at(-1)?.body as Record<string, unknown>;
    expect(body).toMatchObject({ limit: 10, timeout: 0 });
    expect(body).not.toHaveProperty("offset");

    const chat = await harness.call("telegram", "get_chat", { chat_id: team });
    expect(chat.isError, chat.text).toBe(false);
    expect(chat.output).toEqual({
      id: Number(team),
      type: "supergroup",
      title: "Engine Room",
      username: "engineroom",
      description: "Where engines are built",
      invite_link: "https://t.me/+AbCdEf",
    });
  });

  it("turns Telegram's description into the tool error, without the token or the URL", async () => {
    const missing = await harness.call("telegram", "send_message", { chat_id: "42", text: "Hi" });
    expect(missing.isError).toBe(true);
    expect(missing.text).toBe("Telegram refused sendMessage: Bad Request: chat not found.");
    const unescaped = await harness.call("telegram", "send_message", {
      chat_id: ada,
      text: "Done.",
      parse_mode: "MarkdownV2",
    });
    expect(unescaped.isError).toBe(true);
    expect(unescaped.text).toMatch(/can't parse entities: Character '\.' is reserved/);
    emulator.injectOnce({ status: 502, text: "<html>Bad Gateway</html>" }, "POST /:bot/sendMessage");
    const gateway = await harness.call("telegram", "send_message", { chat_id: ada, text: "Hi" });
    expect(gateway.isError).toBe(true);
    expect(gateway.text).toBe("Telegram could not answer sendMessage (HTTP 502).");
    for (const text of [missing.text, unescaped.text, gateway.text]) {
      expect(text).not.toContain(telegramToken);
      expect(text).not.toContain(emulator.url);
    }
    expect(harness.worker.output()).not.toContain(telegramToken);
  });

  it("waits for parameters.retry_after when Telegram's flood control answers 429", async () => {
    emulator.injectOnce(
      {
        status: 429,
        json: {
          ok: false,
          error_code: 429,
          description: "Too Many Requests: retry after 1",
          parameters: { retry_after: 1 },
        },
      },
      "POST /:bot/sendMessage",
    );
    const before = emulator.requestsTo("POST /:bot/sendMessage").length;
    const started = Date.now();
    const result = await harness.call("telegram", "send_message", { chat_id: ada, text: "After the flood" });
    expect(result.isError, result.text).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(emulator.requestsTo("POST /:bot/sendMessage").length).toBe(before + 2);
  });

  it("tests the connection with getMe and offers the bot's recent chats as choices", async () => {
    expect(await harness.testConnection(connectionId)).toEqual({ ok: true, account: "@toolgate_bot" });
    expect(await harness.options("telegram", "send_message", "chat_id")).toEqual([
      { value: ada, label: "Ada (@ada) · private" },
      { value: team, label: "Engine Room (@engineroom) · supergroup" },
    ]);
  });

  it("marks a connection whose token Telegram rejects as needing reconnection", async () => {
    const revokedToken = "7123456789:AAHrevokedrevokedrevokedrevoked0000";
    const revoked = await harness.connectWithKey("telegram", { bot_token: revokedToken }, "revoked");
    const result = await harness.call("telegram", "get_updates", {}, { connectionId: revoked });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/Telegram rejected the bot token \(Unauthorized\)/);
    expect(result.text).not.toContain(revokedToken);
    const row = await getDb().connection.findUniqueOrThrow({ where: { id: revoked } });
    expect(row.status).toBe("NEEDS_RECONNECT");
    expect(harness.worker.output()).not.toContain(revokedToken);
  });
});
