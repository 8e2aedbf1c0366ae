// Notion, through its official SDK (@notionhq/client v5) at API version 2025-09-03 (https://developers.notion.com/reference/intro):
// search, pages and their text, and data sources (a database's tables), with an internal
// integration secret as the bearer token.
import {
  APIResponseError,
  type BlockObjectRequest,
  Client,
  extractNotionId,
  isHTTPResponseError,
  RequestTimeoutError,
} from "@notionhq/client";
import { z } from "zod";
import {
  actionFor,
  apiKeyAuth,
  type ConnectionContext,
  defineIntegration,
  externalCreate,
  externalRead,
  type KeyCredentials,
  type OptionsLoader,
} from "@/integrations/sdk/define";
import { ActionError, RetriableError } from "@/integrations/sdk/errors";
import { errorForStatus, readErrorText } from "@/integrations/sdk/http";
import { blockToText, chunk, maxBlocksPerRequest, plainText, propertyValue, textToBlocks } from "./content";

type Auth = KeyCredentials<"token">;
const defineAction = actionFor<Auth>();

/** The API version every request names (the SDK's default, pinned so an SDK update cannot change it). */
export const notionVersion = "2025-09-03";

function notionClient({ auth, http }: ConnectionContext<Auth>): Client {
  return new Client({
    auth: auth.token,
    baseUrl: http.baseUrl.replace(/\/+$/, ""),
    fetch: http.fetch,
    notionVersion,
    timeoutMs: 30_000,
    // The worker retries (idempotent actions only) and waits out 429s per connection.
    retry: false,
    logger: () => {},
  });
}

function headersOf(value: unknown): Headers {
  try {
    return new Headers(value as HeadersInit);
  } catch {
    return new Headers();
  }
}

/** Runs SDK calls and turns Notion's failures into the SDK's error classes. */
async function withNotion<T>(
  context: ConnectionContext<Auth>,
  use: (notion: Client) => Promise<T>,
): Promise<T> {
  try {
    return await use(notionClient(context));
  } catch (error) {
    if (APIResponseError.isAPIResponseError(error))
      throw errorForStatus("Notion", error.status, headersOf(error.headers), error.message);
    if (isHTTPResponseError(error)) {
      let detail: string | undefined;
      try {
        detail = readErrorText(JSON.parse(error.body));
      } catch {
        detail = readErrorText(error.body);
      }
      throw errorForStatus("Notion", error.status, headersOf(error.headers), detail);
    }
    if (RequestTimeoutError.isRequestTimeoutError(error))
      throw new RetriableError("Notion did not answer in time.");
    throw error;
  }
}

/** A Notion id from an id or a notion.so URL. */
function notionId(value: string): string {
  return extractNotionId(value.trim()) ?? value.trim();
}

type Loose = Record<string, unknown>;

function titleOf(item: Loose): string {
  if (Array.isArray(item.title)) return plainText(item.title);
  for (const property of Object.values((item.properties as Loose | undefined) ?? {}))
    if ((property as Loose).type === "title") return plainText((property as Loose).title);
  return "";
}

const pageSummary = z
  .object({
    id: z.string(),
    url: z.string().optional(),
    title: z.string(),
    last_edited_time: z.string().optional(),
    properties: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();

function summarizePage(page: unknown, withProperties = true): z.infer<typeof pageSummary> {
  const item = page as Loose;
  return {
    id: String(item.id),
    ...(typeof item.url === "string" && { url: item.url }),
    title: titleOf(item),
    ...(typeof item.last_edited_time === "string" && { last_edited_time: item.last_edited_time }),
    ...(withProperties &&
      item.properties !== undefined && {
        properties: Object.fromEntries(
          Object.entries(item.properties as Loose).map(([name, value]) => [name, propertyValue(value)]),
        ),
      }),
  };
}

/** The data source to use: the one given, or a database's only (or first) one. */
async function resolveDataSource(
  notion: Client,
  input: { data_source_id?: string | undefined; database_id?: string | undefined },
): Promise<string> {
  if (input.data_source_id) return notionId(input.data_source_id);
  if (!input.database_id) throw new ActionError("Give a data_source_id (or a database_id).");
  const database = (await notion.databases.retrieve({ database_id: notionId(input.database_id) })) as Loose;
  const sources = (database.data_sources as Array<{ id: string; name?: string }> | undefined) ?? [];
  const [first] = sources;
  if (!first) throw new ActionError("That Notion database has no data source this integration can see.");
  if (sources.length > 1)
    throw new ActionError(
      `That Notion database has ${sources.length} data sources; pass one as data_source_id: ${sources
        .map((source) => `${source.id} (${source.name ?? "untitled"})`)
        .join(", ")}.`,
    );
  return first.id;
}

async function appendBlocks(
  notion: Client,
  blockId: string,
  blocks: BlockObjectRequest[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const part of chunk(blocks, maxBlocksPerRequest)) {
    const appended = await notion.blocks.children.append({ block_id: blockId, children: part });
    ids.push(...appended.results.map((result) => result.id));
  }
  return ids;
}

const searchOptions =
  (value: "page" | "data_source"): OptionsLoader<Auth> =>
  (context) =>
    withNotion(context, async (notion) => {
      const found = await notion.search({ filter: { property: "object", value }, page_size: 100 });
      return found.results.map((item) => ({
        value: item.id,
        label: titleOf(item as unknown as Loose) || "Untitled",
      }));
    });

const pageOptions = searchOptions("page");
const dataSourceOptions = searchOptions("data_source");

const search = defineAction({
  key: "search",
  title: "Search",
  description:
    "Search the pages and databases (data sources) shared with the integration by title. Returns ids for the other actions.",
  input: z.object({
    query: z
      .string()
      .default("")
      .describe("Words in the title; empty lists everything shared, most recent first."),
    type: z
      .enum(["any", "page", "data_source"])
      .default("any")
      .describe('Only pages, only data sources (a database\'s tables), or "any".'),
    limit: z.number().int().min(1).max(100).default(20).describe("At most this many results."),
  }),
  output: z.object({
    results: z.array(
      z
        .object({ object: z.string(), id: z.string(), title: z.string(), url: z.string().optional() })
        .passthrough(),
    ),
    has_more: z.boolean(),
  }),
  annotations: externalRead,
  run: (context) =>
    withNotion(context, async (notion) => {
      const { query, type, limit } = context.input;
      const found = await notion.search({
        ...(query && { query }),
        ...(type !== "any" && { filter: { property: "object", value: type } }),
        ...(!query && { sort: { timestamp: "last_edited_time", direction: "descending" } }),
        page_size: limit,
      });
      return {
        results: found.results.map((item) => {
          const record = item as unknown as Loose;
          return {
            object: String(record.object),
            id: item.id,
            title: titleOf(record),
            ...(typeof record.url === "string" && { url: record.url }),
            ...(typeof record.last_edited_time === "string" && { last_edited_time: record.last_edited_time }),
          };
        }),
        has_more: found.has_more,
      };
    }),
});

const createPage = defineAction({
  key: "create_page",
  title: "Create page",
  description:
    "Create a Notion page under a page, or as a row of a database (data source), with a title and text content. " +
    'Content is markdown-ish: "# " headings, "- " bullets, "1. " numbered items, "- [ ] " to-dos, "> " quotes; blank lines separate paragraphs.',
  input: z.object({
    parent_page_id: z
      .string()
      .optional()
      .describe(
        "The page to create it under (an id or a notion.so URL). Give this or a data source/database.",
      ),
    data_source_id: z.string().optional().describe("The data source (database table) to add it to as a row."),
    database_id: z
      .string()
      .optional()
      .describe("A database to add it to (an id or URL), when its data source id is not known."),
    title: z.string().min(1).describe("The page's title."),
    content: z.string().optional().describe("The page's text, markdown-ish (see the description)."),
    properties: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'Other database properties as Notion property values, e.g. {"Status": {"status": {"name": "Done"}}, "Due": {"date": {"start": "2026-05-01"}}}. Only for database rows.',
      ),
  }),
  output: pageSummary,
  annotations: externalCreate,
  options: { parent_page_id: pageOptions, data_source_id: dataSourceOptions },
  run: (context) =>
    withNotion(context, async (notion) => {
      const { input } = context;
      const toDatabase = Boolean(input.data_source_id || input.database_id);
      if (toDatabase === Boolean(input.parent_page_id))
        throw new ActionError("Give either parent_page_id or a data_source_id/database_id, not both.");
      if (!toDatabase && input.properties)
        throw new ActionError("Properties other than the title apply only to database rows.");
      const blocks = textToBlocks(input.content ?? "");
      const titleValue = { title: [{ type: "text" as const, text: { content: input.title } }] };
      let page: unknown;
      if (toDatabase) {
        const dataSourceId = await resolveDataSource(notion, input);
        const source = (await notion.dataSources.retrieve({ data_source_id: dataSourceId })) as Loose;
        const titleName =
          Object.entries((source.properties as Loose | undefined) ?? {}).find(
            ([, property]) => (property as Loose).type === "title",
          )?.[0] ?? "Name";
        page = await notion.pages.create({
          parent: { type: "data_source_id", data_source_id: dataSourceId },
          properties: { ...(input.properties as Record<string, never>), [titleName]: titleValue },
          children: blocks.slice(0, maxBlocksPerRequest),
        });
      } else {
        page = await notion.pages.create({
          parent: { type: "page_id", page_id: notionId(input.parent_page_id ?? "") },
          properties: { title: titleValue },
          children: blocks.slice(0, maxBlocksPerRequest),
        });
      }
      const summary = summarizePage(page);
      if (blocks.length > maxBlocksPerRequest)
        await appendBlocks(notion, summary.id, blocks.slice(maxBlocksPerRequest));
      return summary;
    }),
});

const appendText = defineAction({
  key: "append_text",
  title: "Append text to page",
  description:
    "Add text to the end of a Notion page (markdown-ish: headings, bullets, numbered items, to-dos, quotes, paragraphs).",
  input: z.object({
    page_id: z.string().min(1).describe("The page (an id or a notion.so URL)."),
    text: z.string().min(1).describe("The text to add; blank lines separate paragraphs."),
  }),
  output: z.object({ page_id: z.string(), blocks_added: z.number(), block_ids: z.array(z.string()) }),
  annotations: externalCreate,
  options: { page_id: pageOptions },
  run: (context) =>
    withNotion(context, async (notion) => {
      const pageId = notionId(context.input.page_id);
      const ids = await appendBlocks(notion, pageId, textToBlocks(context.input.text));
      return { page_id: pageId, blocks_added: ids.length, block_ids: ids };
    }),
});

const getPage = defineAction({
  key: "get_page",
  title: "Get page",
  description:
    "Read a Notion page: its title, properties and the text of its content (the first 100 blocks).",
  input: z.object({ page_id: z.string().min(1).describe("The page (an id or a notion.so URL).") }),
  output: pageSummary.extend({ text: z.string(), more_content: z.boolean() }),
  annotations: externalRead,
  options: { page_id: pageOptions },
  run: (context) =>
    withNotion(context, async (notion) => {
      const pageId = notionId(context.input.page_id);
      const page = await notion.pages.retrieve({ page_id: pageId });
      const children = await notion.blocks.children.list({ block_id: pageId, page_size: 100 });
      return {
        ...summarizePage(page),
        text: children.results.map(blockToText).join("\n"),
        more_content: children.has_more,
      };
    }),
});

const queryDatabase = defineAction({
  key: "query_database",
  title: "Query database",
  description:
    "List the rows of a Notion database (data source), optionally filtered and sorted, with their properties as plain values.",
  input: z.object({
    data_source_id: z.string().optional().describe("The data source (database table) to query."),
    database_id: z
      .string()
      .optional()
      .describe(
        "A database (an id or URL), when its data source id is not known; used if data_source_id is empty.",
      ),
    filter: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'A Notion filter object, e.g. {"property": "Status", "status": {"equals": "Done"}} or {"and": [...]}.',
      ),
    sorts: z
      .array(
        z.object({
          property: z.string().describe("The property to sort by."),
          direction: z.enum(["ascending", "descending"]).default("ascending").describe("The order."),
        }),
      )
      .optional()
      .describe("Sort order, first entry first."),
    limit: z.number().int().min(1).max(100).default(25).describe("At most this many rows."),
    start_cursor: z.string().optional().describe("The next_cursor of a previous call, for the next rows."),
  }),
  output: z.object({
    results: z.array(pageSummary),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  }),
  annotations: externalRead,
  options: { data_source_id: dataSourceOptions },
  run: (context) =>
    withNotion(context, async (notion) => {
      const { input } = context;
      const dataSourceId = await resolveDataSource(notion, input);
      const result = await notion.dataSources.query({
        data_source_id: dataSourceId,
        ...(input.filter && { filter: input.filter as never }),
        ...(input.sorts && { sorts: input.sorts }),
        page_size: input.limit,
        ...(input.start_cursor && { start_cursor: input.start_cursor }),
      });
      return {
        results: result.results.map((row) => summarizePage(row)),
        has_more: result.has_more,
        next_cursor: result.next_cursor,
      };
    }),
});

export default defineIntegration<Auth>({
  slug: "notion",
  name: "Notion",
  description: "Pages, their text and database rows in Notion.",
  category: "Productivity",
  auth: apiKeyAuth([
    {
      name: "token",
      label: "Internal integration secret",
      secret: true,
      help: "Create an integration at notion.so/my-integrations, copy its secret, and share the pages and databases it may use with it (page menu → Connections).",
    },
  ]),
  api: {
    baseUrl: "https://api.notion.com",
    baseUrlSetting: "NOTION_API_URL",
    headers: (auth) => ({ authorization: `Bearer ${auth.token}`, "notion-version": notionVersion }),
  },
  test: (context) =>
    withNotion(context, async (notion) => {
      const me = (await notion.users.me({})) as Loose;
      const bot = (me.bot as Loose | undefined) ?? {};
      const workspace = typeof bot.workspace_name === "string" ? bot.workspace_name : undefined;
      const name = typeof me.name === "string" ? me.name : undefined;
      return { account: workspace && name ? `${name} (${workspace})` : (workspace ?? name) };
    }),
  actions: [search, createPage, appendText, getPage, queryDatabase],
});
