// Notion's actions through the real worker path, the official SDK and its emulator: what
// reached Notion (path, bearer token, Notion-Version, body) and what the tool returned.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRedis, redisKey } from "@/lib/redis/client";
import type { Emulator } from "../../emulators/emulator";
import { notionIds, notionToken, notionVersionHeader, startNotionEmulator } from "../../emulators/notion";
import { type AppHarness, startAppHarness } from "../../helpers/app-harness";

let emulator: Emulator;
let harness: AppHarness;
let connectionId: string;

beforeAll(async () => {
  emulator = await startNotionEmulator();
  harness = await startAppHarness({ NOTION_API_URL: emulator.url });
  connectionId = await harness.connectWithKey("notion", { token: notionToken });
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await emulator?.stop();
});

describe("Notion", () => {
  it("tests the connection with the bot user, sending the token and the API version", async () => {
    expect(await harness.testConnection(connectionId)).toEqual({
      ok: true,
      account: "Toolgate (Ada's Workspace)",
    });
    const request = emulator.requestsTo("GET /v1/users/me").at(-1);
    expect(request?.headers.authorization).toBe(`Bearer ${notionToken}`);
    expect(request?.headers["notion-version"]).toBe(notionVersionHeader);
  });

  it("searches pages and data sources by title", async () => {
    const result = await harness.call("notion", "search", { query: "tasks", type: "data_source" });
    expect(result.isError, result.text).toBe(false);
    expect(result.output).toEqual({
      results: [expect.objectContaining({ object: "data_source", id: notionIds.dataSource, title: "Tasks" })],
      has_more: false,
    });
    const request = emulator.requestsTo("POST /v1/search").at(-1);
    expect(request?.body).toEqual({
      query: "tasks",
      filter: { property: "object", value: "data_source" },
      page_size: 20,
    });
  });

  it("creates a page under a page with a title and markdown-ish content", async () => {
    const long = "x".repeat(2500);
    const result = await harness.call("notion", "create_page", {
      parent_page_id: `https://www.notion.so/Team-Home-${notionIds.home.replace(/-/g, "")}`,
      title: "Meeting notes",
      content: `# Agenda\n- Budget\n- [ ] Send minutes\n\nFirst line\nsecond line\n\n${long}`,
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.structured).toMatchObject({
      title: "Meeting notes",
      properties: { title: "Meeting notes" },
    });
    const request = emulator.requestsTo("POST /v1/pages").at(-1);
    expect(request?.contentType).toBe("application/json");
    expect(request?.headers["notion-version"]).toBe(notionVersionHeader);
    const body = request?.body as { parent: unknown; properties: unknown; children: unknown[] };
    expect(body.parent).toEqual({ type: "page_id", page_id: notionIds.home });
    expect(body.properties).toEqual({
      title: { title: [{ type: "text", text: { content: "Meeting notes" } }] },
    });
    expect(body.children).toEqual([
      { type: "heading_1", heading_1: { rich_text: [{ type: "text", text: { content: "Agenda" } }] } },
      {
        type: "bulleted_list_item",
        bulleted_list_item: { rich_text: [{ type: "text", text: { content: "Budget" } }] },
      },
      {
        type: "to_do",
        to_do: { rich_text: [{ type: "text", text: { content: "Send minutes" } }], checked: false },
      },
      {
        type: "paragraph",
        paragraph: { rich_text: [{ type: "text", text: { content: "First line\nsecond line" } }] },
      },
      {
        type: "paragraph",
        paragraph: {
          rich_text: [
            { type: "text", text: { content: "x".repeat(2000) } },
            { type: "text", text: { content: "x".repeat(500) } },
          ],
        },
      },
    ]);
  });

  it("adds a row to a database through its data source, naming its title property", async () => {
    const result = await harness.call("notion", "create_page", {
      database_id: notionIds.database,
      title: "Plan the offsite",
      properties: { Status: { status: { name: "Not started" } } },
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.output).toMatchObject({
      title: "Plan the offsite",
      properties: { Name: "Plan the offsite", Status: "Not started" },
    });
    expect(emulator.requestsTo("GET /v1/databases/:id").at(-1)?.path).toBe(
      `/v1/databases/${notionIds.database}`,
    );
    expect(emulator.requestsTo("GET /v1/data_sources/:id").at(-1)?.path).toBe(
      `/v1/data_sources/${notionIds.dataSource}`,
    );
    const body = emulator.requestsTo("POST /v1/pages").at(-1)?.body as Record<string, unknown>;
    expect(body.parent).toEqual({ type: "data_source_id", data_source_id: notionIds.dataSource });
    expect(body.properties).toEqual({
      Status: { status: { name: "Not started" } },
      Name: { title: [{ type: "text", text: { content: "Plan the offsite" } }] },
    });
  });

  it("appends text to a page and reads the page back as text", async () => {
    const appended = await harness.call("notion", "append_text", {
      page_id: notionIds.home,
      text: "## Update\n1. Shipped the release",
    });
    expect(appended.isError, appended.text).toBe(false);
    expect(appended.output).toMatchObject({ page_id: notionIds.home, blocks_added: 2 });
    const append = emulator.requestsTo("PATCH /v1/blocks/:id/children").at(-1);
    expect(append?.path).toBe(`/v1/blocks/${notionIds.home}/children`);
    expect(append?.body).toEqual({
      children: [
        { type: "heading_2", heading_2: { rich_text: [{ type: "text", text: { content: "Update" } }] } },
        {
          type: "numbered_list_item",
          numbered_list_item: { rich_text: [{ type: "text", text: { content: "Shipped the release" } }] },
        },
      ],
    });

    const page = await harness.call("notion", "get_page", { page_id: notionIds.home });
    expect(page.isError, page.text).toBe(false);
    expect(page.output).toMatchObject({
      id: notionIds.home,
      title: "Team Home",
      text: "# Welcome\nRead the handbook.\n- [x] Say hello\n## Update\n1. Shipped the release",
      more_content: false,
    });
    expect(emulator.requestsTo("GET /v1/blocks/:id/children").at(-1)?.query.get("page_size")).toBe("100");
  });

  it("queries a data source with a filter and returns plain property values", async () => {
    const result = await harness.call("notion", "query_database", {
      data_source_id: notionIds.dataSource,
      filter: { property: "Status", status: { equals: "In progress" } },
      sorts: [{ property: "Due", direction: "ascending" }],
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.output).toEqual({
      results: [
        expect.objectContaining({
          id: notionIds.row,
          title: "Write the report",
          properties: { Name: "Write the report", Status: "In progress", Due: "2026-04-01" },
        }),
      ],
      has_more: false,
      next_cursor: null,
    });
    const request = emulator.requestsTo("POST /v1/data_sources/:id/query").at(-1);
    expect(request?.body).toEqual({
      filter: { property: "Status", status: { equals: "In progress" } },
      sorts: [{ property: "Due", direction: "ascending" }],
      page_size: 25,
    });
  });

  it("lists data sources as choices for a query", async () => {
    expect(await harness.options("notion", "query_database", "data_source_id")).toEqual([
      { value: notionIds.dataSource, label: "Tasks" },
    ]);
    expect(emulator.requestsTo("POST /v1/search").at(-1)?.body).toEqual({
      filter: { property: "object", value: "data_source" },
      page_size: 100,
    });
  });

  it("turns Notion's 429 into a pause of the connection for its Retry-After, without an SDK retry", async () => {
    const other = await harness.connectWithKey("notion", { token: notionToken }, "rate limited");
    const searches = emulator.requestsTo("POST /v1/search").length;
    emulator.injectOnce(
      {
        status: 429,
        headers: { "retry-after": "120" },
        json: { object: "error", status: 429, code: "rate_limited", message: "You have been rate limited." },
      },
      "POST /v1/search",
    );
    await expect(harness.options("notion", "create_page", "parent_page_id", other)).rejects.toMatchObject({
      code: "rate_limited",
      message: expect.stringMatching(
        /Notion is rate limiting this account \(HTTP 429\): You have been rate limited/,
      ),
    });
    expect(emulator.requestsTo("POST /v1/search").length).toBe(searches + 1);
    const pausedMs = await (await getRedis()).pttl(redisKey("connection", other, "paused"));
    expect(pausedMs).toBeGreaterThan(110_000);
    expect(pausedMs).toBeLessThanOrEqual(120_000);
  });

  it("reports Notion's own message for a validation error and for a page it cannot see", async () => {
    const invalid = await harness.call("notion", "query_database", {
      data_source_id: notionIds.dataSource,
      filter: { property: "Priority", select: { equals: "High" } },
    });
    expect(invalid.isError).toBe(true);
    expect(invalid.text).toMatch(
      /Notion refused the request \(HTTP 400\): Could not find property with name or id: Priority/,
    );

    const requests = emulator.requestsTo("GET /v1/pages/:id").length;
    const missing = await harness.call("notion", "get_page", {
      page_id: "00000000-0000-4000-8000-000000000000",
    });
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/HTTP 404\): Could not find page with ID/);
    // A 4xx is final: the SDK does not retry it on its own, nor does the worker.
    expect(emulator.requestsTo("GET /v1/pages/:id").length).toBe(requests + 1);
  });

  it("leaves a rejected create to the worker: no silent SDK retry after a 5xx", async () => {
    const creates = emulator.requestsTo("POST /v1/pages").length;
    emulator.injectOnce(
      {
        status: 502,
        json: { object: "error", status: 502, code: "internal_server_error", message: "Bad gateway" },
      },
      "POST /v1/pages",
    );
    const result = await harness.call("notion", "create_page", {
      parent_page_id: notionIds.home,
      title: "Once",
    });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/HTTP 502/);
    expect(emulator.requestsTo("POST /v1/pages").length).toBe(creates + 1);
  });

  it("marks a connection whose secret Notion rejects as needing reconnection", async () => {
    const revoked = await harness.connectWithKey("notion", { token: "ntn_revoked" }, "revoked");
    const result = await harness.call("notion", "search", {}, { connectionId: revoked });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/rejected the connection's credentials \(HTTP 401\): API token is invalid/);
    expect(await harness.testConnection(revoked)).toMatchObject({ ok: false, reconnectNeeded: true });
  });
});
