// Todoist's actions through the real worker path against its emulator, and with them what every
// app relies on: test connection, field options, a rejected token, a 429, retries.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import type { Emulator } from "../../emulators/emulator";
import { startTodoistEmulator, todoistToken } from "../../emulators/todoist";
import { type AppHarness, startAppHarness } from "../../helpers/app-harness";

let emulator: Emulator;
let harness: AppHarness;
let connectionId: string;

beforeAll(async () => {
  emulator = await startTodoistEmulator();
  harness = await startAppHarness({ TODOIST_API_URL: emulator.url });
  connectionId = await harness.connectWithKey("todoist", { api_token: todoistToken });
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await emulator?.stop();
});

describe("Todoist", () => {
  it("creates a task with exactly the fields Todoist defines", async () => {
    const result = await harness.call("todoist", "create_task", {
      content: "Buy milk",
      due_string: "tomorrow",
      priority: 4,
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.structured).toMatchObject({
      content: "Buy milk",
      priority: 4,
      due: { string: "tomorrow" },
    });
    const [request] = emulator.requestsTo("POST /api/v1/tasks");
    expect(request?.headers.authorization).toBe(`Bearer ${todoistToken}`);
    expect(request?.contentType).toBe("application/json");
    expect(request?.body).toEqual({ content: "Buy milk", due_string: "tomorrow", priority: 4 });
  });

  it("lists tasks, by project or by filter", async () => {
    const all = await harness.call("todoist", "list_tasks", {});
    expect(all.isError, all.text).toBe(false);
    expect((all.output as { tasks: unknown[] }).tasks.length).toBeGreaterThan(0);
    expect(emulator.requestsTo("GET /api/v1/tasks").at(-1)?.query.get("limit")).toBe("50");
    const filtered = await harness.call("todoist", "list_tasks", { filter: "today | overdue" });
    expect(filtered.isError, filtered.text).toBe(false);
    expect(emulator.requestsTo("GET /api/v1/tasks/filter").at(-1)?.query.get("query")).toBe(
      "today | overdue",
    );
  });

  it("completes a task and creates a project", async () => {
    const created = await harness.call("todoist", "create_task", { content: "Call Bob" });
    const taskId = (created.output as { id: string }).id;
    const done = await harness.call("todoist", "complete_task", { task_id: taskId });
    expect(done.output).toEqual({ task_id: taskId, completed: true });
    expect(emulator.requestsTo("POST /api/v1/tasks/:id/close").at(-1)?.path).toBe(
      `/api/v1/tasks/${taskId}/close`,
    );
    const project = await harness.call("todoist", "create_project", { name: "Garden" });
    expect(project.output).toMatchObject({ name: "Garden" });
  });

  it("names the missing field when Todoist refuses the body, and does not retry the refusal", async () => {
    const before = emulator.requestsTo("GET /api/v1/tasks/filter").length;
    emulator.injectOnce(
      { status: 400, json: { error: "Invalid filter", error_tag: "INVALID_ARGUMENT_VALUE", http_code: 400 } },
      "GET /api/v1/tasks/filter",
    );
    const refused = await harness.call("todoist", "list_tasks", { filter: "((" });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/Todoist refused the request \(HTTP 400\): Invalid filter/);
    expect(emulator.requestsTo("GET /api/v1/tasks/filter").length).toBe(before + 1);
  });

  it("retries a read after a 5xx, but not a create", async () => {
    emulator.injectOnce({ status: 503, text: "Service Unavailable" }, "GET /api/v1/tasks");
    const read = await harness.call("todoist", "list_tasks", {});
    expect(read.isError, read.text).toBe(false);
    const creates = emulator.requestsTo("POST /api/v1/tasks").length;
    emulator.injectOnce({ status: 502, text: "Bad Gateway" }, "POST /api/v1/tasks");
    const create = await harness.call("todoist", "create_task", { content: "Once only" });
    expect(create.isError).toBe(true);
    expect(create.text).toMatch(/HTTP 502/);
    expect(emulator.requestsTo("POST /api/v1/tasks").length).toBe(creates + 1);
  });

  it("waits out a 429 with Retry-After instead of failing, without using an attempt", async () => {
    const creates = emulator.requestsTo("POST /api/v1/tasks").length;
    emulator.injectOnce(
      { status: 429, headers: { "retry-after": "2" }, json: { error: "Too many requests", http_code: 429 } },
      "POST /api/v1/tasks",
    );
    const started = Date.now();
    const result = await harness.call("todoist", "create_task", { content: "After the wait" });
    expect(result.isError, result.text).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    // The create is not idempotent (one attempt only), yet it ran again after the 429.
    expect(emulator.requestsTo("POST /api/v1/tasks").length).toBe(creates + 2);
  });

  it("fails at once with the retry time when the wait would outlast the call", async () => {
    emulator.injectOnce(
      { status: 429, headers: { "retry-after": "3600" }, json: { error: "Too many requests" } },
      "GET /api/v1/projects",
    );
    const other = await harness.connectWithKey("todoist", { api_token: todoistToken }, "second");
    const result = await harness.call(
      "todoist",
      "create_project",
      { name: "Later" },
      { connectionId: other },
    );
    // create_project does not read projects; the 429 is for the next read of them.
    expect(result.isError, result.text).toBe(false);
    await expect(harness.options("todoist", "create_task", "project_id", other)).rejects.toMatchObject({
      code: "rate_limited",
    });
    // The connection now waits: its next call is refused without reaching Todoist.
    const requests = emulator.requests.length;
    const paused = await harness.call("todoist", "list_tasks", {}, { connectionId: other });
    expect(paused.isError).toBe(true);
    expect(paused.text).toMatch(/rate limit|slow down/i);
    expect(paused.text).toMatch(/Try again after \d{4}-\d\d-\d\dT/);
    expect(emulator.requests.length).toBe(requests);
  });

  it("tests the connection and lists projects as choices", async () => {
    expect(await harness.testConnection(connectionId)).toEqual({ ok: true, account: "ada@example.com" });
    const choices = await harness.options("todoist", "create_task", "project_id");
    expect(choices.slice(0, 2)).toEqual([
      { value: "2203306141", label: "Inbox" },
      { value: "2203306142", label: "Groceries" },
    ]);
    expect(choices.map((choice) => choice.label)).toContain("Garden");
  });

  it("marks a connection whose token Todoist rejects as needing reconnection", async () => {
    const revoked = await harness.connectWithKey("todoist", { api_token: "revoked-token" }, "revoked");
    const result = await harness.call("todoist", "list_tasks", {}, { connectionId: revoked });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/rejected the connection's credentials.*Reconnect/);
    const row = await getDb().connection.findUniqueOrThrow({ where: { id: revoked } });
    expect(row.status).toBe("NEEDS_RECONNECT");
    const again = await harness.call("todoist", "list_tasks", {}, { connectionId: revoked });
    expect(again.text).toMatch(/needs to be reconnected/);
    expect(await harness.testConnection(revoked)).toMatchObject({ ok: false, reconnectNeeded: true });
  });
});
