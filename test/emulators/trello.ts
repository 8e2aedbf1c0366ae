// Trello's REST API as its reference describes it (https://developer.atlassian.com/cloud/trello/rest/):
// the key and token in an `Authorization: OAuth oauth_consumer_key="…", oauth_token="…"` header,
// parameters in the query string, and errors as plain-text bodies ("invalid id", "invalid token").
import { type EmulatedRequest, type Reply, route, startEmulator } from "./emulator";

export const trelloKey = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
export const trelloToken = "ATTA9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6F00D1234";

export const trelloIds = {
  roadmap: "5f21eea50f40e30520c6cda3",
  personal: "5f21eea50f40e30520c6cdb4",
  todo: "62978c0194afec07a10b04d3",
  done: "62978c0194afec07a10b04d4",
  errands: "62978c0194afec07a10b04e5",
  card: "65d3e089ad0ca85992b13826",
};

const text = (status: number, message: string): Reply => ({ status, text: message });

/** The key and token of Trello's OAuth-style Authorization header. */
export function trelloCredentials(request: EmulatedRequest): { key?: string; token?: string } {
  const header = String(request.headers.authorization ?? "");
  if (!/^OAuth\s/i.test(header)) return {};
  const values = Object.fromEntries(
    [...header.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1], decodeURIComponent(match[2] ?? "")]),
  );
  return { key: values.oauth_consumer_key, token: values.oauth_token };
}

const isId = (value: string | null | undefined) => /^[0-9a-f]{24}$/.test(value ?? "");

function checkPos(value: string | null): boolean {
  return value === null || value === "top" || value === "bottom" || Number(value) > 0;
}

export async function startTrelloEmulator() {
  const boards = [
    { id: trelloIds.roadmap, name: "Roadmap" },
    { id: trelloIds.personal, name: "Personal" },
  ];
  const lists = new Map([
    [
      trelloIds.todo,
      { id: trelloIds.todo, name: "To do", closed: false, idBoard: trelloIds.roadmap, pos: 16384 },
    ],
    [
      trelloIds.done,
      { id: trelloIds.done, name: "Done", closed: false, idBoard: trelloIds.roadmap, pos: 32768 },
    ],
    [
      trelloIds.errands,
      { id: trelloIds.errands, name: "Errands", closed: false, idBoard: trelloIds.personal, pos: 16384 },
    ],
  ]);
  const cards = new Map<string, Record<string, unknown>>();
  let counter = 0x100000;
  const newId = () => `66aa00${(counter++).toString(16).padStart(18, "0")}`;

  function cardObject(id: string, fields: Record<string, unknown>): Record<string, unknown> {
    const shortLink = id.slice(-8);
    return {
      id,
      badges: { comments: 0, attachments: 0, checkItems: 0 },
      closed: false,
      dateLastActivity: "2026-03-02T09:15:00.000Z",
      desc: "",
      due: null,
      dueComplete: false,
      idMembers: [],
      idLabels: [],
      labels: [],
      pos: 16384,
      shortLink,
      shortUrl: `https://trello.com/c/${shortLink}`,
      url: `https://trello.com/c/${shortLink}/1-card`,
      ...fields,
    };
  }
  cards.set(
    trelloIds.card,
    cardObject(trelloIds.card, {
      name: "Draft the plan",
      idList: trelloIds.todo,
      idBoard: trelloIds.roadmap,
    }),
  );

  function findCard(id: string): { card: Record<string, unknown> } | { reply: Reply } {
    const card = cards.get(id) ?? [...cards.values()].find((item) => item.shortLink === id);
    if (card) return { card };
    return {
      reply:
        isId(id) || /^[A-Za-z0-9]{8}$/.test(id)
          ? text(404, "The requested resource was not found.")
          : text(400, "invalid id"),
    };
  }

  return startEmulator({
    name: "trello",
    authenticate: (request) => {
      const { key, token } = trelloCredentials(request);
      if (key !== trelloKey) return text(401, "invalid key");
      if (token !== trelloToken) return text(401, "invalid token");
      return undefined;
    },
    notFound: () => text(404, "Cannot GET"),
    routes: [
      route("GET", "/1/members/me", () => ({
        json: { id: "5abbe4b7ddc1b351ef961414", username: "adalovelace", fullName: "Ada Lovelace" },
      })),
      route("GET", "/1/members/me/boards", (request) => {
        const withLists = request.query.get("lists") === "open";
        return {
          json: boards.map((board) => ({
            ...board,
            ...(withLists && {
              lists: [...lists.values()].filter((list) => list.idBoard === board.id && !list.closed),
            }),
          })),
        };
      }),
      route("POST", "/1/cards", (request) => {
        const { query } = request;
        const idList = query.get("idList");
        const list = idList ? lists.get(idList) : undefined;
        if (!list) return text(400, "invalid value for idList");
        if ((query.get("name") ?? "").length > 16384) return text(400, "invalid value for name");
        const due = query.get("due");
        if (due && Number.isNaN(Date.parse(due))) return text(400, "invalid value for due");
        if (!checkPos(query.get("pos"))) return text(400, "invalid value for pos");
        const id = newId();
        const created = cardObject(id, {
          name: query.get("name") ?? "",
          desc: query.get("desc") ?? "",
          due: due ? new Date(due).toISOString() : null,
          idList: list.id,
          idBoard: list.idBoard,
        });
        cards.set(id, created);
        return { json: created };
      }),
      route("GET", "/1/lists/:id/cards", (_request, params) => {
        if (!isId(params.id)) return text(400, "invalid id");
        if (!lists.has(params.id ?? "")) return text(404, "The requested resource was not found.");
        return {
          json: [...cards.values()].filter((item) => item.idList === params.id && !item.closed),
        };
      }),
      route("PUT", "/1/cards/:id", (request, params) => {
        const lookup = findCard(params.id ?? "");
        if ("reply" in lookup) return lookup.reply;
        const found = lookup.card;
        const idList = request.query.get("idList");
        if (idList !== null) {
          const list = lists.get(idList);
          if (!list) return text(400, "invalid value for idList");
          const idBoard = request.query.get("idBoard");
          if (list.idBoard !== found.idBoard && idBoard !== list.idBoard)
            return text(400, "invalid value for idList");
          found.idList = list.id;
          found.idBoard = list.idBoard;
        }
        if (!checkPos(request.query.get("pos"))) return text(400, "invalid value for pos");
        return { json: found };
      }),
      route("POST", "/1/cards/:id/actions/comments", (request, params) => {
        const lookup = findCard(params.id ?? "");
        if ("reply" in lookup) return lookup.reply;
        const found = lookup.card;
        const comment = request.query.get("text");
        if (!comment) return text(400, "invalid value for text");
        return {
          json: {
            id: newId(),
            idMemberCreator: "5abbe4b7ddc1b351ef961414",
            type: "commentCard",
            date: "2026-03-02T09:20:00.000Z",
            data: {
              text: comment,
              card: { id: found.id, name: found.name, shortLink: found.shortLink },
              list: { id: found.idList },
              board: { id: found.idBoard },
            },
            memberCreator: { id: "5abbe4b7ddc1b351ef961414", username: "adalovelace" },
          },
        };
      }),
      route("POST", "/1/lists", (request) => {
        const name = request.query.get("name");
        if (!name) return text(400, "invalid value for name");
        const idBoard = request.query.get("idBoard");
        if (!boards.some((board) => board.id === idBoard)) return text(400, "invalid value for idBoard");
        if (!checkPos(request.query.get("pos"))) return text(400, "invalid value for pos");
        const list = { id: newId(), name, closed: false, idBoard: idBoard ?? "", pos: 65536 };
        lists.set(list.id, list);
        return { json: list };
      }),
    ],
  });
}
