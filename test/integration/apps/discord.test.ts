// Discord's actions through the real worker path against its emulator: the bot token and
// User-Agent on every request, exact JSON bodies, URL-encoded emoji, and Discord's error shapes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { discordToken, startDiscordEmulator } from "../../emulators/discord";
import type { Emulator } from "../../emulators/emulator";
import { type AppHarness, startAppHarness } from "../../helpers/app-harness";

let emulator: Emulator;
let harness: AppHarness;
let connectionId: string;

const general = "613425648685547543";
const helloMessage = "1200000000000000001";

beforeAll(async () => {
  emulator = await startDiscordEmulator();
  harness = await startAppHarness({ DISCORD_API_URL: emulator.url });
  connectionId = await harness.connectWithKey("discord", { bot_token: discordToken });
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await emulator?.stop();
});

describe("Discord", () => {
  it("sends a reply with an embed, with the bot token, the bot User-Agent and safe mentions", async () => {
    const result = await harness.call("discord", "send_message", {
      channel_id: general,
      content: "Build **passed**",
      embeds: [{ title: "CI", description: "All green", color: 0x57f287 }],
      reply_to_message_id: helloMessage,
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.structured).toMatchObject({
      channel_id: general,
      content: "Build **passed**",
      author: { username: "toolgate-bot", bot: true },
      embeds: 1,
      reply_to: helloMessage,
    });
    const [request] = emulator.requestsTo("POST /channels/:channel/messages");
    expect(request?.path).toBe(`/channels/${general}/messages`);
    expect(request?.headers.authorization).toBe(`Bot ${discordToken}`);
    expect(request?.headers["user-agent"]).toMatch(/^DiscordBot \(\S+, [\d.]+\)$/);
    expect(request?.contentType).toBe("application/json");
    expect(request?.body).toEqual({
      content: "Build **passed**",
      embeds: [{ title: "CI", description: "All green", color: 0x57f287 }],
      message_reference: { message_id: helloMessage, fail_if_not_exists: false },
      allowed_mentions: { parse: ["users"] },
    });
  });

  it("edits the bot's message and reads the channel's messages", async () => {
    const sent = await harness.call("discord", "send_message", { channel_id: general, content: "Draft" });
    const id = (sent.output as { id: string }).id;
    const edited = await harness.call("discord", "edit_message", {
      channel_id: general,
      message_id: id,
      content: "Final",
    });
    expect(edited.isError, edited.text).toBe(false);
    expect(edited.output).toMatchObject({ id, content: "Final", edited_timestamp: expect.any(String) });
    const patch = emulator.requestsTo("PATCH /channels/:channel/messages/:message").at(-1);
    expect(patch?.path).toBe(`/channels/${general}/messages/${id}`);
    expect(patch?.body).toEqual({ content: "Final", allowed_mentions: { parse: ["users"] } });

    const read = await harness.call("discord", "get_messages", { channel_id: general, limit: 2 });
    expect(read.isError, read.text).toBe(false);
    const messages = (read.output as { messages: Array<{ id: string; content: string }> }).messages;
    expect(messages.map((message) => message.content)).toEqual(["Final", "Build **passed**"]);
    expect(emulator.requestsTo("GET /channels/:channel/messages").at(-1)?.query.get("limit")).toBe("2");
  });

  it("lists the bot's servers and a server's channels in display order", async () => {
    const servers = await harness.call("discord", "list_servers", {});
    expect(servers.output).toEqual({ servers: [{ id: "613425648685547541", name: "Analytical Engines" }] });
    const listed = await harness.call("discord", "list_channels", { guild_id: "613425648685547541" });
    expect(listed.isError, listed.text).toBe(false);
    const channels = (listed.output as { channels: Array<{ name: string; type: string }> }).channels;
    expect(channels.map((channel) => `${channel.type}:${channel.name}`)).toEqual([
      "text:general",
      "category:Text Channels",
      "voice:Lounge",
      "announcement:announcements",
    ]);
    expect(emulator.requestsTo("GET /guilds/:guild/channels").at(-1)?.path).toBe(
      "/guilds/613425648685547541/channels",
    );
  });

  it("adds Unicode and custom emoji reactions with the emoji URL-encoded in the path", async () => {
    const thumbs = await harness.call("discord", "add_reaction", {
      channel_id: general,
      message_id: helloMessage,
      emoji: "👍",
    });
    expect(thumbs.isError, thumbs.text).toBe(false);
    const custom = await harness.call("discord", "add_reaction", {
      channel_id: general,
      message_id: helloMessage,
      emoji: "<:party:123456789012345678>",
    });
    expect(custom.isError, custom.text).toBe(false);
    expect(custom.output).toMatchObject({ emoji: "party:123456789012345678", reacted: true });
    const paths = emulator.requestsTo("PUT /channels/:channel/messages/:message/reactions/:emoji/@me");
    expect(paths.map((request) => request.path)).toEqual([
      `/channels/${general}/messages/${helloMessage}/reactions/%F0%9F%91%8D/@me`,
      `/channels/${general}/messages/${helloMessage}/reactions/party%3A123456789012345678/@me`,
    ]);
  });

  it("starts threads from a message and on their own (public)", async () => {
    const fromMessage = await harness.call("discord", "create_thread", {
      channel_id: general,
      message_id: helloMessage,
      name: "Hello thread",
      auto_archive_duration: 1440,
    });
    expect(fromMessage.isError, fromMessage.text).toBe(false);
    expect(fromMessage.output).toMatchObject({
      id: helloMessage,
      name: "Hello thread",
      type: "public_thread",
    });
    expect(emulator.requestsTo("POST /channels/:channel/messages/:message/threads").at(-1)?.body).toEqual({
      name: "Hello thread",
      auto_archive_duration: 1440,
    });
    const standalone = await harness.call("discord", "create_thread", { channel_id: general, name: "Ideas" });
    expect(standalone.output).toMatchObject({ name: "Ideas", type: "public_thread", parent_id: general });
    expect(emulator.requestsTo("POST /channels/:channel/threads").at(-1)?.body).toEqual({
      name: "Ideas",
      type: 11,
    });
  });

  it("names Discord's error and the fields of a validation error, without retrying", async () => {
    const unknown = await harness.call("discord", "send_message", {
      channel_id: "999999999999999999",
      content: "Anyone?",
    });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/Discord refused the request \(HTTP 404\): Unknown Channel \(code 10003\)/);

    const before = emulator.requestsTo("POST /channels/:channel/messages").length;
    emulator.injectOnce(
      {
        status: 400,
        json: {
          code: 50035,
          message: "Invalid Form Body",
          errors: {
            embeds: {
              "0": {
                description: {
                  _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: "Must be 4096 or fewer in length." }],
                },
              },
            },
          },
        },
      },
      "POST /channels/:channel/messages",
    );
    const invalid = await harness.call("discord", "send_message", {
      channel_id: general,
      embeds: [{ description: "long" }],
    });
    expect(invalid.isError).toBe(true);
    expect(invalid.text).toMatch(
      /Invalid Form Body \(code 50035\) — embeds\.0\.description: Must be 4096 or fewer in length\./,
    );
    expect(emulator.requestsTo("POST /channels/:channel/messages").length).toBe(before + 1);

    const empty = await harness.call("discord", "send_message", { channel_id: general });
    expect(empty.isError).toBe(true);
    expect(empty.text).toMatch(/content, embeds, or both/);
    expect(emulator.requestsTo("POST /channels/:channel/messages").length).toBe(before + 1);
  });

  it("waits out Discord's 429 (Retry-After and retry_after) and then succeeds", async () => {
    emulator.injectOnce(
      {
        status: 429,
        headers: { "retry-after": "1", "x-ratelimit-scope": "user" },
        json: { message: "You are being rate limited.", retry_after: 0.8, global: false },
      },
      "GET /channels/:channel/messages",
    );
    const before = emulator.requestsTo("GET /channels/:channel/messages").length;
    const result = await harness.call("discord", "get_messages", { channel_id: general });
    expect(result.isError, result.text).toBe(false);
    expect(emulator.requestsTo("GET /channels/:channel/messages").length).toBe(before + 2);
  });

  it("tests the connection and offers servers and text channels as choices", async () => {
    expect(await harness.testConnection(connectionId)).toEqual({ ok: true, account: "toolgate-bot" });
    expect(await harness.options("discord", "list_channels", "guild_id")).toEqual([
      { value: "613425648685547541", label: "Analytical Engines" },
    ]);
    expect(await harness.options("discord", "send_message", "channel_id")).toEqual([
      { value: general, label: "Analytical Engines › #general" },
      { value: "613425648685547545", label: "Analytical Engines › #announcements" },
    ]);
  });

  it("marks a connection whose bot token Discord rejects as needing reconnection", async () => {
    const revoked = await harness.connectWithKey("discord", { bot_token: "revoked.token.value" }, "revoked");
    const result = await harness.call("discord", "list_servers", {}, { connectionId: revoked });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/rejected the connection's credentials \(HTTP 401\): 401: Unauthorized/);
    const row = await getDb().connection.findUniqueOrThrow({ where: { id: revoked } });
    expect(row.status).toBe("NEEDS_RECONNECT");
  });
});
