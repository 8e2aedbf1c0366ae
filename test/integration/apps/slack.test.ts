// Slack's actions through the real worker path against its emulator: the Web API's methods with
// their exact arguments, `{ok: false}` answers as tool errors, and a revoked token.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import type { Emulator } from "../../emulators/emulator";
import { slackRevokedToken, slackToken, startSlackEmulator } from "../../emulators/slack";
import { type AppHarness, startAppHarness } from "../../helpers/app-harness";

let emulator: Emulator;
let harness: AppHarness;
let connectionId: string;

beforeAll(async () => {
  emulator = await startSlackEmulator();
  harness = await startAppHarness({
    SLACK_API_URL: emulator.url,
    SLACK_CLIENT_ID: "2141029472.691202649728",
    SLACK_CLIENT_SECRET: "e1b9e11dfcd19c1982d5de12921e17e8c",
  });
  connectionId = await harness.connectWithTokens("slack", {
    accessToken: slackToken,
    tokenType: "bot",
    extra: { "team.id": "T0ACME0001", "team.name": "Acme" },
  });
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await emulator?.stop();
});

describe("Slack", () => {
  it("posts a message as JSON with the charset Slack asks for", async () => {
    const result = await harness.call("slack", "send_message", {
      channel: "C0GENERAL1",
      text: "Deploy finished :rocket:",
      unfurl_links: false,
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.structured).toMatchObject({ channel: "C0GENERAL1", text: "Deploy finished :rocket:" });
    expect((result.output as { ts: string }).ts).toMatch(/^\d+\.\d+$/);
    const [request] = emulator.requestsTo("POST /chat.postMessage");
    expect(request?.headers.authorization).toBe(`Bearer ${slackToken}`);
    expect(request?.contentType).toBe("application/json; charset=utf-8");
    expect(request?.body).toEqual({
      channel: "C0GENERAL1",
      text: "Deploy finished :rocket:",
      unfurl_links: false,
    });
  });

  it("replies in a thread and reads the thread back", async () => {
    const reply = await harness.call("slack", "send_message", {
      channel: "C0GENERAL1",
      text: "On it",
      thread_ts: "1712000100.000200",
      blocks: [{ type: "section", text: { type: "mrkdwn", text: "*On it*" } }],
    });
    expect(reply.isError, reply.text).toBe(false);
    expect(reply.output).toMatchObject({ thread_ts: "1712000100.000200" });
    expect(emulator.requestsTo("POST /chat.postMessage").at(-1)?.body).toMatchObject({
      thread_ts: "1712000100.000200",
      blocks: [{ type: "section" }],
    });
    const thread = await harness.call("slack", "get_thread_replies", {
      channel: "C0GENERAL1",
      ts: "1712000100.000200",
    });
    expect(thread.isError, thread.text).toBe(false);
    expect((thread.output as { messages: Array<{ text: string }> }).messages.map((m) => m.text)).toEqual([
      "Lunch at noon?",
      "On it",
    ]);
    const request = emulator.requestsTo("GET /conversations.replies").at(-1);
    expect(request?.query.get("channel")).toBe("C0GENERAL1");
    expect(request?.query.get("ts")).toBe("1712000100.000200");
  });

  it("edits the app's own message", async () => {
    const sent = await harness.call("slack", "send_message", { channel: "C0GENERAL1", text: "Draft" });
    const ts = (sent.output as { ts: string }).ts;
    const edited = await harness.call("slack", "update_message", {
      channel: "C0GENERAL1",
      ts,
      text: "Final",
    });
    expect(edited.isError, edited.text).toBe(false);
    expect(edited.output).toEqual({ channel: "C0GENERAL1", ts, text: "Final" });
    const request = emulator.requestsTo("POST /chat.update").at(-1);
    expect(request?.contentType).toBe("application/json; charset=utf-8");
    expect(request?.body).toEqual({ channel: "C0GENERAL1", ts, text: "Final" });
  });

  it("lists channels and reads a channel's history with GET query arguments", async () => {
    const listed = await harness.call("slack", "list_channels", {});
    expect(listed.isError, listed.text).toBe(false);
    const channels = (listed.output as { channels: Array<{ id: string; topic?: string }> }).channels;
    expect(channels.map((channel) => channel.id)).toEqual(["C0GENERAL1", "C0RANDOM01", "G0SECRET01"]);
    expect(channels[0]).toMatchObject({ name: "general", is_member: true, topic: "Company news" });
    const listRequest = emulator.requestsTo("GET /conversations.list").at(-1);
    expect(listRequest?.query.get("types")).toBe("public_channel,private_channel");
    expect(listRequest?.query.get("exclude_archived")).toBe("true");
    expect(listRequest?.query.get("limit")).toBe("100");

    const read = await harness.call("slack", "get_channel_history", { channel: "C0GENERAL1", limit: 2 });
    expect(read.isError, read.text).toBe(false);
    const output = read.output as {
      messages: Array<{ text: string }>;
      has_more: boolean;
      next_cursor: string;
    };
    expect(output.messages).toHaveLength(2);
    expect(output.has_more).toBe(true);
    expect(output.next_cursor).toBeTruthy();
    const historyRequest = emulator.requestsTo("GET /conversations.history").at(-1);
    expect(historyRequest?.query.get("channel")).toBe("C0GENERAL1");
    expect(historyRequest?.query.get("limit")).toBe("2");
    expect(historyRequest?.headers.authorization).toBe(`Bearer ${slackToken}`);
  });

  it("finds a user by email, and names Slack's error code when there is none", async () => {
    const found = await harness.call("slack", "find_user_by_email", { email: "ada@example.com" });
    expect(found.isError, found.text).toBe(false);
    expect(found.output).toMatchObject({
      id: "U0ADA00001",
      real_name: "Ada Lovelace",
      email: "ada@example.com",
    });
    expect(emulator.requestsTo("GET /users.lookupByEmail").at(-1)?.query.get("email")).toBe(
      "ada@example.com",
    );
    const missing = await harness.call("slack", "find_user_by_email", { email: "nobody@example.com" });
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/Slack refused users\.lookupByEmail: users_not_found/);
  });

  it("adds a reaction, and takes already_reacted as done", async () => {
    const first = await harness.call("slack", "add_reaction", {
      channel: "C0GENERAL1",
      timestamp: "1712000000.000100",
      name: ":eyes:",
    });
    expect(first.isError, first.text).toBe(false);
    expect(first.output).toMatchObject({ name: "eyes", already_reacted: false });
    expect(emulator.requestsTo("POST /reactions.add").at(-1)?.body).toEqual({
      channel: "C0GENERAL1",
      timestamp: "1712000000.000100",
      name: "eyes",
    });
    const again = await harness.call("slack", "add_reaction", {
      channel: "C0GENERAL1",
      timestamp: "1712000000.000100",
      name: "eyes",
    });
    expect(again.isError, again.text).toBe(false);
    expect(again.output).toMatchObject({ already_reacted: true });
  });

  it("turns an {ok: false} answer into a tool error with the code and a hint, without retrying", async () => {
    const before = emulator.requestsTo("POST /chat.postMessage").length;
    const result = await harness.call("slack", "send_message", { channel: "C0NOWHERE1", text: "Hello?" });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/Slack refused chat\.postMessage: channel_not_found \(.*invite the app/);
    expect(emulator.requestsTo("POST /chat.postMessage").length).toBe(before + 1);
  });

  it("waits out a 429 with Retry-After", async () => {
    emulator.injectOnce(
      { status: 429, headers: { "retry-after": "1" }, json: { ok: false, error: "ratelimited" } },
      "GET /conversations.list",
    );
    const before = emulator.requestsTo("GET /conversations.list").length;
    const result = await harness.call("slack", "list_channels", { types: ["public_channel"] });
    expect(result.isError, result.text).toBe(false);
    expect(emulator.requestsTo("GET /conversations.list").length).toBe(before + 2);
  });

  it("tests the connection with auth.test and lists channels as choices", async () => {
    expect(await harness.testConnection(connectionId)).toEqual({ ok: true, account: "toolgate in Acme" });
    const choices = await harness.options("slack", "send_message", "channel");
    expect(choices).toEqual([
      { value: "C0GENERAL1", label: "#general" },
      { value: "C0RANDOM01", label: "#random" },
      { value: "G0SECRET01", label: "#secret-plans (private)" },
    ]);
  });

  it("marks a connection whose token Slack revoked as needing reconnection", async () => {
    const revoked = await harness.connectWithTokens("slack", { accessToken: slackRevokedToken }, "revoked");
    const result = await harness.call("slack", "list_channels", {}, { connectionId: revoked });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/Reconnect/);
    const row = await getDb().connection.findUniqueOrThrow({ where: { id: revoked } });
    expect(row.status).toBe("NEEDS_RECONNECT");
    expect(await harness.testConnection(revoked)).toMatchObject({ ok: false, reconnectNeeded: true });
  });
});
