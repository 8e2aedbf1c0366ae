// Trello, through its REST API (https://developer.atlassian.com/cloud/trello/rest/api-group-cards/): cards,
// lists and comments, with an API key and a user token sent in the documented Authorization header
// (https://developer.atlassian.com/cloud/trello/guides/rest-api/authorization/), never in URLs.
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

type Auth = KeyCredentials<"api_key" | "token">;
const defineAction = actionFor<Auth>();

const card = z
  .object({
    id: z.string(),
    name: z.string(),
    desc: z.string().optional(),
    idList: z.string().optional(),
    idBoard: z.string().optional(),
    due: z.string().nullable().optional(),
    dueComplete: z.boolean().optional(),
    closed: z.boolean().optional(),
    url: z.string().optional(),
    shortUrl: z.string().optional(),
  })
  .passthrough();
type Card = z.infer<typeof card>;

/** The fields worth returning of Trello's large card objects. */
function trimCard(value: Record<string, unknown>): Card {
  const keys = ["id", "name", "desc", "idList", "idBoard", "due", "dueComplete", "closed", "url", "shortUrl"];
  return Object.fromEntries(keys.filter((key) => key in value).map((key) => [key, value[key]])) as Card;
}

type Board = { id: string; name: string; lists?: Array<{ id: string; name: string }> };

const boardOptions: OptionsLoader<Auth> = async ({ http }) => {
  const boards = await http.request<Board[]>("/1/members/me/boards", {
    query: { filter: "open", fields: "name" },
  });
  return boards.map((board) => ({ value: board.id, label: board.name }));
};

/** Every open list of every open board, in one request (boards with their lists nested). */
const listOptions: OptionsLoader<Auth> = async ({ http }) => {
  const boards = await http.request<Board[]>("/1/members/me/boards", {
    query: { filter: "open", fields: "name", lists: "open" },
  });
  return boards.flatMap((board) =>
    (board.lists ?? []).map((list) => ({ value: list.id, label: `${board.name} › ${list.name}` })),
  );
};

const position = z
  .union([z.enum(["top", "bottom"]), z.number().positive()])
  .optional()
  .describe('Where in the list: "top", "bottom" or a positive number.');

const cardId = z.string().min(1).describe("The card's id (or the short id in its URL, trello.com/c/<id>).");

const createCard = defineAction({
  key: "create_card",
  title: "Create card",
  description: "Add a card to a Trello list.",
  input: z.object({
    list_id: z.string().min(1).describe("The list to add the card to."),
    name: z.string().min(1).max(16384).describe("The card's title."),
    desc: z.string().max(16384).optional().describe("The card's description (Markdown)."),
    due: z.string().optional().describe("The due date, as an ISO 8601 date-time (2026-05-01T17:00:00Z)."),
    pos: position,
  }),
  output: card,
  annotations: externalCreate,
  options: { list_id: listOptions },
  run: async ({ input, http }) =>
    trimCard(
      await http.request<Record<string, unknown>>("/1/cards", {
        method: "POST",
        query: { idList: input.list_id, name: input.name, desc: input.desc, due: input.due, pos: input.pos },
      }),
    ),
});

const listCards = defineAction({
  key: "list_cards",
  title: "List cards",
  description: "List the open cards of a Trello list.",
  input: z.object({ list_id: z.string().min(1).describe("The list.") }),
  output: z.object({ cards: z.array(card) }),
  annotations: externalRead,
  options: { list_id: listOptions },
  run: async ({ input, http }) => {
    const cards = await http.request<Array<Record<string, unknown>>>(
      `/1/lists/${encodeURIComponent(input.list_id)}/cards`,
    );
    return { cards: cards.map(trimCard) };
  },
});

const moveCard = defineAction({
  key: "move_card",
  title: "Move card",
  description: "Move a Trello card to another list (on the same board, or another one with board_id).",
  input: z.object({
    card_id: cardId,
    list_id: z.string().min(1).describe("The list to move it to."),
    board_id: z.string().optional().describe("The list's board, when it is not the card's current board."),
    pos: position,
  }),
  output: card,
  annotations: externalUpdate,
  options: { list_id: listOptions, board_id: boardOptions },
  run: async ({ input, http }) =>
    trimCard(
      await http.request<Record<string, unknown>>(`/1/cards/${encodeURIComponent(input.card_id)}`, {
        method: "PUT",
        query: { idList: input.list_id, idBoard: input.board_id, pos: input.pos },
      }),
    ),
});

const addComment = defineAction({
  key: "add_comment",
  title: "Add comment",
  description: "Comment on a Trello card.",
  input: z.object({
    card_id: cardId,
    text: z.string().min(1).max(16384).describe("The comment (Markdown)."),
  }),
  output: z.object({ id: z.string(), card_id: z.string(), text: z.string(), date: z.string().optional() }),
  annotations: externalCreate,
  run: async ({ input, http }) => {
    const action = await http.request<{ id: string; date?: string; data?: { text?: string } }>(
      `/1/cards/${encodeURIComponent(input.card_id)}/actions/comments`,
      { method: "POST", query: { text: input.text } },
    );
    return {
      id: action.id,
      card_id: input.card_id,
      text: action.data?.text ?? input.text,
      ...(action.date && { date: action.date }),
    };
  },
});

const createList = defineAction({
  key: "create_list",
  title: "Create list",
  description: "Add a list (a column) to a Trello board.",
  input: z.object({
    board_id: z.string().min(1).describe("The board."),
    name: z.string().min(1).max(16384).describe("The list's name."),
    pos: position,
  }),
  output: z.object({ id: z.string(), name: z.string(), idBoard: z.string().optional() }).passthrough(),
  annotations: externalCreate,
  options: { board_id: boardOptions },
  run: async ({ input, http }) => {
    const list = await http.request<{ id: string; name: string; idBoard?: string; closed?: boolean }>(
      "/1/lists",
      {
        method: "POST",
        query: { name: input.name, idBoard: input.board_id, pos: input.pos },
      },
    );
    return { id: list.id, name: list.name, ...(list.idBoard && { idBoard: list.idBoard }) };
  },
});

export default defineIntegration<Auth>({
  slug: "trello",
  name: "Trello",
  description: "Cards, lists and comments on Trello boards.",
  category: "Productivity",
  auth: apiKeyAuth([
    {
      name: "api_key",
      label: "API key",
      // Trello's API key identifies the Power-Up and is meant to be public; the token is the secret.
      secret: false,
      help: "trello.com/power-ups/admin → your Power-Up → API key.",
    },
    {
      name: "token",
      label: "Token",
      secret: true,
      help: 'On the same API key page, the "Token" link (or trello.com/1/authorize?key=<API key>&scope=read,write&expiration=never&response_type=token).',
    },
  ]),
  api: {
    baseUrl: "https://api.trello.com",
    baseUrlSetting: "TRELLO_API_URL",
    headers: (auth) => ({
      authorization: `OAuth oauth_consumer_key="${auth.api_key}", oauth_token="${auth.token}"`,
    }),
  },
  test: async ({ http }) => {
    const me = await http.request<{ username?: string; fullName?: string }>("/1/members/me", {
      query: { fields: "username,fullName" },
    });
    return { account: me.username ?? me.fullName };
  },
  actions: [createCard, listCards, moveCard, addComment, createList],
});
