// Asana's actions through the real worker path against its emulator: what reached Asana (method,
// path under /api/1.0, bearer token, `{data}` body, opt_fields) and what the tool returned.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asanaIds, asanaToken, startAsanaEmulator } from "../../emulators/asana";
import type { Emulator } from "../../emulators/emulator";
import { type AppHarness, startAppHarness } from "../../helpers/app-harness";

let emulator: Emulator;
let harness: AppHarness;
let connectionId: string;

beforeAll(async () => {
  emulator = await startAsanaEmulator();
  harness = await startAppHarness({ ASANA_API_URL: `${emulator.url}/api/1.0` });
  connectionId = await harness.connectWithKey("asana", { access_token: asanaToken });
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await emulator?.stop();
});

describe("Asana", () => {
  it("tests the connection and offers the projects of every workspace as choices", async () => {
    expect(await harness.testConnection(connectionId)).toEqual({ ok: true, account: "ada@example.com" });
    expect(emulator.requestsTo("GET /api/1.0/users/me").at(-1)?.headers.authorization).toBe(
      `Bearer ${asanaToken}`,
    );
    expect(await harness.options("asana", "create_task", "project_gid")).toEqual([
      { value: asanaIds.project, label: "Acme › Launch" },
      { value: asanaIds.sideProject, label: "Side gigs › Blog" },
    ]);
    const projects = emulator.requestsTo("GET /api/1.0/projects");
    expect(projects.map((request) => request.query.get("workspace"))).toEqual([
      asanaIds.workspace,
      asanaIds.otherWorkspace,
    ]);
    expect(projects[0]?.query.get("archived")).toBe("false");
  });

  it("offers me and the people of each workspace as assignees, page by page", async () => {
    const assignees = await harness.options("asana", "create_task", "assignee");
    expect(assignees.slice(0, 4)).toEqual([
      { value: "me", label: "Me (the connected account)" },
      { value: asanaIds.me, label: "Ada Lovelace (ada@example.com)" },
      { value: "1204060000000002", label: "Grace Hopper (grace@example.com)" },
      { value: "1204060000000500", label: "Contractor 0 (contractor0@example.com)" },
    ]);
    // Ada is in both workspaces, and listed once.
    expect(assignees).toHaveLength(1 + 2 + 100);
    const pages = emulator.requestsTo("GET /api/1.0/users");
    expect(pages.map((request) => [request.query.get("workspace"), request.query.has("offset")])).toEqual([
      [asanaIds.workspace, false],
      [asanaIds.otherWorkspace, false],
      [asanaIds.otherWorkspace, true],
    ]);
    for (const request of pages) {
      expect(request.headers.authorization).toBe(`Bearer ${asanaToken}`);
      expect(request.query.get("limit")).toBe("100");
    }
    expect(await harness.options("asana", "list_tasks", "assignee")).toEqual(assignees);
  });

  it("creates a task in a project, wrapped in data", async () => {
    const result = await harness.call("asana", "create_task", {
      name: "Draft the launch email",
      notes: "Keep it short",
      project_gid: asanaIds.project,
      assignee: "me",
      due_on: "2026-04-15",
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.structured).toMatchObject({
      name: "Draft the launch email",
      notes: "Keep it short",
      completed: false,
      due_on: "2026-04-15",
      assignee: { gid: asanaIds.me, name: "Ada Lovelace" },
      projects: [{ gid: asanaIds.project, name: "Launch" }],
    });
    const request = emulator.requestsTo("POST /api/1.0/tasks").at(-1);
    expect(request?.headers.authorization).toBe(`Bearer ${asanaToken}`);
    expect(request?.contentType).toBe("application/json");
    expect(request?.body).toEqual({
      data: {
        name: "Draft the launch email",
        notes: "Keep it short",
        projects: [asanaIds.project],
        assignee: "me",
        due_on: "2026-04-15",
      },
    });
    expect(request?.query.get("opt_fields")).toContain("permalink_url");
  });

  it("lists a project's open tasks, and the tasks assigned to me in a workspace", async () => {
    const open = await harness.call("asana", "list_tasks", { project_gid: asanaIds.project });
    expect(open.isError, open.text).toBe(false);
    const names = (open.output as { tasks: Array<{ name: string }> }).tasks.map((item) => item.name);
    expect(names).toEqual(["Write the press release", "Draft the launch email"]);
    const request = emulator.requestsTo("GET /api/1.0/tasks").at(-1);
    expect(Object.fromEntries(request?.query ?? [])).toEqual({
      project: asanaIds.project,
      completed_since: "now",
      limit: "50",
      opt_fields: "name,completed,due_on,assignee.name,permalink_url",
    });

    const mine = await harness.call("asana", "list_tasks", {
      workspace_gid: asanaIds.workspace,
      include_completed: true,
      limit: 10,
    });
    expect(mine.isError, mine.text).toBe(false);
    expect((mine.output as { tasks: unknown[] }).tasks).toHaveLength(2);
    const second = emulator.requestsTo("GET /api/1.0/tasks").at(-1);
    expect(second?.query.get("assignee")).toBe("me");
    expect(second?.query.get("workspace")).toBe(asanaIds.workspace);
    expect(second?.query.has("completed_since")).toBe(false);
  });

  it("completes a task and comments on it", async () => {
    const done = await harness.call("asana", "complete_task", { task_gid: asanaIds.task });
    expect(done.isError, done.text).toBe(false);
    expect(done.output).toMatchObject({ gid: asanaIds.task, completed: true });
    const put = emulator.requestsTo("PUT /api/1.0/tasks/:gid").at(-1);
    expect(put?.path).toBe(`/api/1.0/tasks/${asanaIds.task}`);
    expect(put?.body).toEqual({ data: { completed: true } });

    const comment = await harness.call("asana", "add_comment", { task_gid: asanaIds.task, text: "Shipped!" });
    expect(comment.isError, comment.text).toBe(false);
    expect(comment.output).toMatchObject({ text: "Shipped!", created_at: "2026-03-02T09:20:00.000Z" });
    const post = emulator.requestsTo("POST /api/1.0/tasks/:gid/stories").at(-1);
    expect(post?.path).toBe(`/api/1.0/tasks/${asanaIds.task}/stories`);
    expect(post?.body).toEqual({ data: { text: "Shipped!" } });
  });

  it("passes on Asana's error message for an unknown task and an unknown project", async () => {
    const missing = await harness.call("asana", "add_comment", { task_gid: "1204060000099999", text: "Hi" });
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/Asana refused the request \(HTTP 404\): Unknown object: 1204060000099999/);
    const wrongProject = await harness.call("asana", "create_task", { name: "X", project_gid: "42" });
    expect(wrongProject.text).toMatch(/HTTP 400\): projects: \[0\]: Not a recognized ID: 42/);
  });

  it("waits out a 429 with Retry-After and then creates the task once", async () => {
    const creates = emulator.requestsTo("POST /api/1.0/tasks").length;
    emulator.injectOnce(
      {
        status: 429,
        headers: { "retry-after": "1" },
        json: { errors: [{ message: "You have made too many requests recently. Please, be chill." }] },
      },
      "POST /api/1.0/tasks",
    );
    const result = await harness.call("asana", "create_task", {
      name: "After the wait",
      workspace_gid: asanaIds.workspace,
    });
    expect(result.isError, result.text).toBe(false);
    expect(emulator.requestsTo("POST /api/1.0/tasks").length).toBe(creates + 2);
  });

  it("marks a connection whose token Asana rejects as needing reconnection", async () => {
    const revoked = await harness.connectWithKey("asana", { access_token: "2/revoked" }, "revoked");
    const result = await harness.call(
      "asana",
      "complete_task",
      { task_gid: asanaIds.task },
      { connectionId: revoked },
    );
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/rejected the connection's credentials \(HTTP 401\): Not Authorized/);
    expect(await harness.testConnection(revoked)).toMatchObject({ ok: false, reconnectNeeded: true });
  });
});
