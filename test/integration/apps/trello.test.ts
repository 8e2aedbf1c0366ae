// Trello's actions through the real worker path against its emulator: the key and token only in
// the Authorization header, parameters in the query string, and Trello's plain-text errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmulatedRequest, Emulator } from "../../emulators/emulator";
import {
  startTrelloEmulator,
  trelloCredentials,
  trelloIds,
  trelloKey,
  trelloToken,
} from "../../emulators/trello";
import { type AppHarness, startAppHarness } from "../../helpers/app-harness";

let emulator: Emulator;
let harness: AppHarness;
let connectionId: string;

beforeAll(async () => {
  emulator = await startTrelloEmulator();
  harness = await startAppHarness({ TRELLO_API_URL: emulator.url });
  connectionId = await harness.connectWithKey("trello", { api_key: trelloKey, token: trelloToken });
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await emulator?.stop();
});

function expectHeaderAuth(request: EmulatedRequest | undefined) {
  expect(request?.headers.authorization).toBe(
    `OAuth oauth_consumer_key="${trelloKey}", oauth_token="${trelloToken}"`,
  );
  expect(trelloCredentials(request as EmulatedRequest)).toEqual({ key: trelloKey, token: trelloToken });
  expect(request?.query.has("key")).toBe(false);
  expect(request?.query.has("token")).toBe(false);
}

describe("Trello", () => {
  it("tests the connection and offers every open list of every board as a choice", async () => {
    expect(await harness.testConnection(connectionId)).toEqual({ ok: true, account: "adalovelace" });
    const me = emulator.requestsTo("GET /1/members/me").at(-1);
    expectHeaderAuth(me);
    expect(me?.query.get("fields")).toBe("username,fullName");
    expect(await harness.options("trello", "create_card", "list_id")).toEqual([
      { value: trelloIds.todo, label: "Roadmap › To do" },
      { value: trelloIds.done, label: "Roadmap › Done" },
      { value: trelloIds.errands, label: "Personal › Errands" },
    ]);
    const boards = emulator.requestsTo("GET /1/members/me/boards").at(-1);
    expect(Object.fromEntries(boards?.query ?? [])).toEqual({
      filter: "open",
      fields: "name",
      lists: "open",
    });
  });

  it("creates a card with its parameters in the query string", async () => {
    const result = await harness.call("trello", "create_card", {
      list_id: trelloIds.todo,
      name: "Ship v2",
      desc: "Release **notes** & all",
      due: "2026-05-01T17:00:00Z",
      pos: "top",
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.structured).toMatchObject({
      name: "Ship v2",
      desc: "Release **notes** & all",
      idList: trelloIds.todo,
      idBoard: trelloIds.roadmap,
      due: "2026-05-01T17:00:00.000Z",
    });
    expect(result.structured).not.toHaveProperty("badges");
    const request = emulator.requestsTo("POST /1/cards").at(-1);
    expectHeaderAuth(request);
    expect(Object.fromEntries(request?.query ?? [])).toEqual({
      idList: trelloIds.todo,
      name: "Ship v2",
      desc: "Release **notes** & all",
      due: "2026-05-01T17:00:00Z",
      pos: "top",
    });
  });

  it("lists a list's cards, moves a card and comments on it", async () => {
    const listed = await harness.call("trello", "list_cards", { list_id: trelloIds.todo });
    expect(listed.isError, listed.text).toBe(false);
    const names = (listed.output as { cards: Array<{ name: string }> }).cards.map((item) => item.name);
    expect(names).toContain("Draft the plan");
    expect(emulator.requestsTo("GET /1/lists/:id/cards").at(-1)?.path).toBe(
      `/1/lists/${trelloIds.todo}/cards`,
    );

    const moved = await harness.call("trello", "move_card", {
      card_id: trelloIds.card,
      list_id: trelloIds.done,
    });
    expect(moved.isError, moved.text).toBe(false);
    expect(moved.output).toMatchObject({ id: trelloIds.card, idList: trelloIds.done });
    const put = emulator.requestsTo("PUT /1/cards/:id").at(-1);
    expect(put?.path).toBe(`/1/cards/${trelloIds.card}`);
    expect(Object.fromEntries(put?.query ?? [])).toEqual({ idList: trelloIds.done });

    const across = await harness.call("trello", "move_card", {
      card_id: trelloIds.card,
      list_id: trelloIds.errands,
      board_id: trelloIds.personal,
      pos: "bottom",
    });
    expect(across.output).toMatchObject({ idList: trelloIds.errands, idBoard: trelloIds.personal });

    const comment = await harness.call("trello", "add_comment", {
      card_id: trelloIds.card,
      text: "Done & dusted",
    });
    expect(comment.isError, comment.text).toBe(false);
    expect(comment.output).toMatchObject({ card_id: trelloIds.card, text: "Done & dusted" });
    const post = emulator.requestsTo("POST /1/cards/:id/actions/comments").at(-1);
    expect(post?.path).toBe(`/1/cards/${trelloIds.card}/actions/comments`);
    expect(post?.query.get("text")).toBe("Done & dusted");
  });

  it("creates a list on a board", async () => {
    const result = await harness.call("trello", "create_list", {
      board_id: trelloIds.roadmap,
      name: "Blocked",
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.output).toMatchObject({ name: "Blocked", idBoard: trelloIds.roadmap });
    expect(Object.fromEntries(emulator.requestsTo("POST /1/lists").at(-1)?.query ?? [])).toEqual({
      name: "Blocked",
      idBoard: trelloIds.roadmap,
    });
  });

  it("passes on Trello's plain-text error for a bad id", async () => {
    const result = await harness.call("trello", "add_comment", { card_id: "not-a-card!", text: "Hi" });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/Trello refused the request \(HTTP 400\): invalid id/);
    const missing = await harness.call("trello", "list_cards", { list_id: "62978c0194afec07a10b0fff" });
    expect(missing.text).toMatch(/HTTP 404\): The requested resource was not found\./);
  });

  it("marks a connection whose token Trello rejects as needing reconnection", async () => {
    const revoked = await harness.connectWithKey(
      "trello",
      { api_key: trelloKey, token: "revoked" },
      "revoked",
    );
    const result = await harness.call(
      "trello",
      "list_cards",
      { list_id: trelloIds.todo },
      { connectionId: revoked },
    );
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/rejected the connection's credentials \(HTTP 401\): invalid token/);
    expect(await harness.testConnection(revoked)).toMatchObject({ ok: false, reconnectNeeded: true });
  });
});
