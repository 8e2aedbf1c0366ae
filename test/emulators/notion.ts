// Notion's API at version 2025-09-03 as its reference describes it (https://developers.notion.com/reference/intro):
// bearer token and a required Notion-Version header, pages with title properties, blocks with
// rich text (2,000 characters per text object, 100 blocks per request), data sources inside
// databases, and errors as `{object: "error", status, code, message}`.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { bearerToken, checkBody, type EmulatedRequest, type Reply, route, startEmulator } from "./emulator";

export const notionToken = "ntn_4182736450abcdefABCDEF0123456789abcdefABCDEF01";
export const notionVersionHeader = "2025-09-03";

export function notionError(status: number, code: string, message: string): Reply {
  return { status, json: { object: "error", status, code, message, request_id: randomUUID() } };
}

const compact = (id: string) => id.replace(/-/g, "").toLowerCase();

function richText(content: string) {
  return {
    type: "text",
    text: { content, link: null },
    annotations: {
      bold: false,
      italic: false,
      strikethrough: false,
      underline: false,
      code: false,
      color: "default",
    },
    plain_text: content,
    href: null,
  };
}

const textRequest = z
  .object({
    type: z.literal("text").optional(),
    text: z.object({ content: z.string().max(2000) }),
  })
  .passthrough();

const blockRequest = z
  .object({ object: z.literal("block").optional(), type: z.string() })
  .passthrough()
  .superRefine((block, context) => {
    const content = (block as Record<string, unknown>)[block.type];
    if (!content || typeof content !== "object")
      context.addIssue({ code: "custom", message: `${block.type} should be defined` });
    const text = (content as { rich_text?: unknown } | undefined)?.rich_text;
    if (text !== undefined && !z.array(textRequest).max(100).safeParse(text).success)
      context.addIssue({
        code: "custom",
        message: `${block.type}.rich_text is invalid (2000 characters per text)`,
      });
  });

const children = z.array(blockRequest).max(100);

const newPage = z.object({
  parent: z.union([
    z.object({ page_id: z.string(), type: z.literal("page_id").optional() }),
    z.object({ data_source_id: z.string(), type: z.literal("data_source_id").optional() }),
    z.object({ database_id: z.string(), type: z.literal("database_id").optional() }),
  ]),
  properties: z.record(z.string(), z.record(z.string(), z.unknown())),
  children: children.optional(),
});

function validation(problem: string): Reply {
  return notionError(400, "validation_error", `body failed validation: ${problem}`);
}

type Page = Record<string, unknown> & { id: string; properties: Record<string, unknown> };
type Block = Record<string, unknown> & { id: string; type: string };

export async function startNotionEmulator() {
  const now = "2026-03-02T09:15:00.000Z";
  const databaseId = "1f2e3d4c-5b6a-4789-8abc-def012345678";
  const dataSourceId = "248104cd-477e-80af-bc30-000bd28de8f9";
  const homeId = "59833787-2cf9-4fdf-8782-e53db20768a5";
  const dataSource = {
    object: "data_source",
    id: dataSourceId,
    title: [richText("Tasks")],
    parent: { type: "database_id", database_id: databaseId },
    properties: {
      Name: { id: "title", name: "Name", type: "title", title: {} },
      Status: { id: "s%7Ct", name: "Status", type: "status", status: { options: [] } },
      Due: { id: "d%3Ae", name: "Due", type: "date", date: {} },
    },
    url: `https://www.notion.so/${compact(dataSourceId)}`,
    created_time: now,
    last_edited_time: now,
  };
  const database = {
    object: "database",
    id: databaseId,
    title: [richText("Tasks")],
    data_sources: [{ id: dataSourceId, name: "Tasks" }],
    url: `https://www.notion.so/${compact(databaseId)}`,
  };
  const pages = new Map<string, Page>();
  const blocks = new Map<string, Block[]>();

  function pageObject(
    id: string,
    parent: Record<string, unknown>,
    properties: Record<string, unknown>,
  ): Page {
    const title = Object.values(properties).find(
      (property) => (property as { type?: string }).type === "title",
    ) as { title: Array<{ plain_text: string }> } | undefined;
    const slug = (title?.title.map((part) => part.plain_text).join("") ?? "").replace(/\W+/g, "-");
    return {
      object: "page",
      id,
      created_time: now,
      last_edited_time: now,
      created_by: { object: "user", id: "b1c2d3e4-0000-4000-8000-000000000001" },
      last_edited_by: { object: "user", id: "b1c2d3e4-0000-4000-8000-000000000001" },
      cover: null,
      icon: null,
      parent,
      archived: false,
      in_trash: false,
      properties,
      url: `https://www.notion.so/${slug ? `${slug}-` : ""}${compact(id)}`,
      public_url: null,
    };
  }

  function blockObject(parentId: string, request: Record<string, unknown>): Block {
    const type = String(request.type);
    const content = { ...(request[type] as Record<string, unknown>) };
    if (Array.isArray(content.rich_text))
      content.rich_text = (content.rich_text as Array<{ text: { content: string } }>).map((part) =>
        richText(part.text.content),
      );
    return {
      object: "block",
      id: randomUUID(),
      parent: { type: "page_id", page_id: parentId },
      created_time: now,
      last_edited_time: now,
      has_children: false,
      archived: false,
      in_trash: false,
      type,
      [type]: { color: "default", ...content },
    };
  }

  function titleProperty(text: string) {
    return { id: "title", type: "title", title: [richText(text)] };
  }

  pages.set(
    compact(homeId),
    pageObject(homeId, { type: "workspace", workspace: true }, { title: titleProperty("Team Home") }),
  );
  blocks.set(compact(homeId), [
    blockObject(homeId, { type: "heading_1", heading_1: { rich_text: [{ text: { content: "Welcome" } }] } }),
    blockObject(homeId, {
      type: "paragraph",
      paragraph: { rich_text: [{ text: { content: "Read the handbook." } }] },
    }),
    blockObject(homeId, {
      type: "to_do",
      to_do: { rich_text: [{ text: { content: "Say hello" } }], checked: true },
    }),
  ]);
  const rowId = "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f";
  pages.set(
    compact(rowId),
    pageObject(
      rowId,
      { type: "data_source_id", data_source_id: dataSourceId, database_id: databaseId },
      {
        Name: titleProperty("Write the report"),
        Status: { id: "s%7Ct", type: "status", status: { id: "1", name: "In progress", color: "blue" } },
        Due: { id: "d%3Ae", type: "date", date: { start: "2026-04-01", end: null, time_zone: null } },
      },
    ),
  );

  const list = (results: unknown[], type: string) => ({
    object: "list",
    results,
    next_cursor: null,
    has_more: false,
    type,
    [type]: {},
  });

  function pageNotFound(id: string): Reply {
    return notionError(
      404,
      "object_not_found",
      `Could not find page with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`,
    );
  }

  function authenticate(request: EmulatedRequest): Reply | undefined {
    if (bearerToken(request) !== notionToken)
      return notionError(401, "unauthorized", "API token is invalid.");
    const version = request.headers["notion-version"];
    if (version === undefined)
      return notionError(
        400,
        "missing_version",
        "Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.",
      );
    if (version !== notionVersionHeader)
      return notionError(
        400,
        "validation_error",
        `This emulator speaks Notion-Version ${notionVersionHeader}, not ${version}.`,
      );
    return undefined;
  }

  function requireJson(request: EmulatedRequest): Reply | undefined {
    return request.contentType.startsWith("application/json")
      ? undefined
      : notionError(400, "invalid_json", "Error parsing JSON body.");
  }

  return startEmulator({
    name: "notion",
    authenticate,
    notFound: (request) => notionError(400, "invalid_request_url", `Invalid request URL: ${request.path}`),
    routes: [
      route("GET", "/v1/users/me", () => ({
        json: {
          object: "user",
          id: "b1c2d3e4-0000-4000-8000-000000000001",
          name: "Toolgate",
          avatar_url: null,
          type: "bot",
          bot: { owner: { type: "workspace", workspace: true }, workspace_name: "Ada's Workspace" },
          request_id: randomUUID(),
        },
      })),
      route("POST", "/v1/search", (request) => {
        const checked = checkBody(
          request,
          z
            .object({
              query: z.string().optional(),
              filter: z
                .object({ property: z.literal("object"), value: z.enum(["page", "data_source"]) })
                .optional(),
              sort: z.object({ timestamp: z.literal("last_edited_time"), direction: z.string() }).optional(),
              page_size: z.number().int().min(1).max(100).optional(),
            })
            .optional(),
          validation,
        );
        if (!checked.ok) return checked.reply;
        const body = checked.body ?? {};
        const everything: Array<Record<string, unknown>> = [...pages.values(), dataSource];
        const titleOf = (item: Record<string, unknown>) =>
          JSON.stringify(item.title ?? Object.values(item.properties as object)).toLowerCase();
        const results = everything
          .filter((item) => !body.filter || item.object === body.filter.value)
          .filter((item) => !body.query || titleOf(item).includes(body.query.toLowerCase()))
          .slice(0, body.page_size ?? 100);
        return { json: list(results, "page_or_data_source") };
      }),
      route("GET", "/v1/databases/:id", (_request, params) =>
        compact(params.id ?? "") === compact(databaseId)
          ? { json: database }
          : notionError(404, "object_not_found", `Could not find database with ID: ${params.id}.`),
      ),
      route("GET", "/v1/data_sources/:id", (_request, params) =>
        compact(params.id ?? "") === compact(dataSourceId)
          ? { json: dataSource }
          : notionError(404, "object_not_found", `Could not find data_source with ID: ${params.id}.`),
      ),
      route("POST", "/v1/data_sources/:id/query", (request, params) => {
        if (compact(params.id ?? "") !== compact(dataSourceId))
          return notionError(404, "object_not_found", `Could not find data_source with ID: ${params.id}.`);
        const checked = checkBody(
          request,
          z
            .object({
              filter: z.record(z.string(), z.unknown()).optional(),
              sorts: z
                .array(z.object({ property: z.string(), direction: z.enum(["ascending", "descending"]) }))
                .optional(),
              page_size: z.number().int().min(1).max(100).optional(),
              start_cursor: z.string().optional(),
            })
            .optional(),
          validation,
        );
        if (!checked.ok) return checked.reply;
        const filter = checked.body?.filter as
          | { property?: string; status?: { equals?: string } }
          | undefined;
        if (filter?.property && !(filter.property in dataSource.properties))
          return notionError(
            400,
            "validation_error",
            `Could not find property with name or id: ${filter.property}`,
          );
        const rows = [...pages.values()].filter(
          (page) =>
            (page.parent as { data_source_id?: string }).data_source_id === dataSourceId &&
            (!filter?.status?.equals ||
              (page.properties.Status as { status?: { name?: string } } | undefined)?.status?.name ===
                filter.status.equals),
        );
        return { json: list(rows.slice(0, checked.body?.page_size ?? 100), "page_or_data_source") };
      }),
      route("POST", "/v1/pages", (request) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const checked = checkBody(request, newPage, validation);
        if (!checked.ok) return checked.reply;
        const { parent, properties } = checked.body;
        let storedParent: Record<string, unknown>;
        if ("page_id" in parent) {
          if (!pages.has(compact(parent.page_id))) return pageNotFound(parent.page_id);
          const extra = Object.keys(properties).filter((name) => name !== "title");
          if (extra.length > 0)
            return validation(
              `${extra[0]} is not a property that exists. Pages under a page have only a title.`,
            );
          storedParent = { type: "page_id", page_id: parent.page_id };
        } else {
          const id = "data_source_id" in parent ? parent.data_source_id : parent.database_id;
          if (compact(id) !== compact(dataSourceId) && compact(id) !== compact(databaseId))
            return notionError(404, "object_not_found", `Could not find data_source with ID: ${id}.`);
          const unknown = Object.keys(properties).find((name) => !(name in dataSource.properties));
          if (unknown) return validation(`${unknown} is not a property that exists.`);
          storedParent = { type: "data_source_id", data_source_id: dataSourceId, database_id: databaseId };
        }
        const titleName = "page_id" in parent ? "title" : "Name";
        const titleValue = properties[titleName] as
          | { title?: Array<{ text: { content: string } }> }
          | undefined;
        if (!titleValue?.title) return validation(`body.properties.${titleName}.title should be defined.`);
        const stored: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(properties)) {
          const type =
            name === titleName
              ? "title"
              : (dataSource.properties as Record<string, { type: string }>)[name]?.type;
          stored[name] =
            type === "title"
              ? titleProperty(titleValue.title.map((part) => part.text.content).join(""))
              : { id: name, type, ...value };
        }
        const id = randomUUID();
        const page = pageObject(id, storedParent, stored);
        pages.set(compact(id), page);
        blocks.set(
          compact(id),
          (checked.body.children ?? []).map((block) => blockObject(id, block as Record<string, unknown>)),
        );
        return { json: page };
      }),
      route("GET", "/v1/pages/:id", (_request, params) => {
        const page = pages.get(compact(params.id ?? ""));
        return page ? { json: page } : pageNotFound(params.id ?? "");
      }),
      route("GET", "/v1/blocks/:id/children", (request, params) => {
        const found = blocks.get(compact(params.id ?? ""));
        if (!found)
          return notionError(404, "object_not_found", `Could not find block with ID: ${params.id}.`);
        const size = Number(request.query.get("page_size") ?? 100);
        return {
          json: { ...list(found.slice(0, size), "block"), has_more: found.length > size },
        };
      }),
      route("PATCH", "/v1/blocks/:id/children", (request, params) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const found = blocks.get(compact(params.id ?? ""));
        if (!found)
          return notionError(404, "object_not_found", `Could not find block with ID: ${params.id}.`);
        const checked = checkBody(request, z.object({ children }), validation);
        if (!checked.ok) return checked.reply;
        const added = checked.body.children.map((block) =>
          blockObject(params.id ?? "", block as Record<string, unknown>),
        );
        found.push(...added);
        return { json: list(added, "block") };
      }),
    ],
  });
}

export const notionIds = {
  home: "59833787-2cf9-4fdf-8782-e53db20768a5",
  database: "1f2e3d4c-5b6a-4789-8abc-def012345678",
  dataSource: "248104cd-477e-80af-bc30-000bd28de8f9",
  row: "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f",
};
