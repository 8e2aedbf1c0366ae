// Jira Cloud: a basic-auth connection (site, email, API token), its actions called as tools
// through the worker, sending Jira's REST API v3 exactly its requests (paths, Basic header, JSON
// bodies with Atlassian Document Format rich text, the enhanced JQL search), and Jira's errors
// (`errorMessages`/`errors`, 401, 429) coming back as the tool's error, a reconnection, a wait.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import jira from "@/integrations/jira/index";
import { getDb } from "@/lib/db/client";
import type { EmulatedRequest } from "../../emulators/emulator";
import { type JiraEmulator, jiraEmail, jiraToken, startJiraEmulator } from "../../emulators/jira";
import { type AppHarness, startAppHarness } from "../../helpers/app-harness";

let emulator: JiraEmulator;
let harness: AppHarness;
let connectionId: string;
const site = "acme.atlassian.net";
const basic = `Basic ${Buffer.from(`${jiraEmail}:${jiraToken}`).toString("base64")}`;

beforeAll(async () => {
  emulator = await startJiraEmulator();
  // A queue of its own: another app's test file running alongside has a worker of its own too,
  // which would take this file's jobs without this file's JIRA_API_URL.
  harness = await startAppHarness({
    JIRA_API_URL: emulator.url,
  });
  connectionId = await harness.connectWithKey("jira", { site, email: jiraEmail, api_token: jiraToken });
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await emulator?.stop();
});

async function sentDuring<T>(act: () => Promise<T>): Promise<{ result: T; sent: EmulatedRequest[] }> {
  const before = emulator.requests.length;
  const result = await act();
  return { result, sent: emulator.requests.slice(before) };
}

const line = (request: EmulatedRequest) => `${request.method} ${request.path}`;

function expectJiraHeaders(request: EmulatedRequest | undefined, { json = false } = {}) {
  expect(request?.headers.authorization).toBe(basic);
  expect(request?.headers.accept).toBe("application/json");
  if (json) expect(request?.contentType).toBe("application/json");
  else expect(request?.rawBody).toBe("");
}

const fields = [
  "summary",
  "status",
  "issuetype",
  "priority",
  "assignee",
  "reporter",
  "project",
  "labels",
  "created",
  "updated",
  "duedate",
  "description",
];

describe("Jira", () => {
  it("creates an issue with its fields, the description as an Atlassian document", async () => {
    const { result, sent } = await sentDuring(() =>
      harness.call("jira", "create_issue", {
        project_key: "PROJ",
        issue_type: "Bug",
        summary: "Login fails on Safari",
        description: "Steps:\n1. Open Safari\n\nIt fails every time.",
        labels: ["safari", "login"],
        priority: "High",
        assignee_account_id: emulator.users[1]!.accountId,
        due_date: "2025-04-01",
      }),
    );
    expect(result.isError, result.text).toBe(false);
    expect(sent.map(line)).toEqual(["POST /rest/api/3/issue"]);
    expectJiraHeaders(sent[0], { json: true });
    expect(sent[0]!.body).toEqual({
      fields: {
        project: { key: "PROJ" },
        issuetype: { name: "Bug" },
        summary: "Login fails on Safari",
        description: {
          type: "doc",
          version: 1,
          content: [
            {
              type: "paragraph",
              content: [
                { type: "text", text: "Steps:" },
                { type: "hardBreak" },
                { type: "text", text: "1. Open Safari" },
              ],
            },
            { type: "paragraph", content: [{ type: "text", text: "It fails every time." }] },
          ],
        },
        labels: ["safari", "login"],
        priority: { name: "High" },
        assignee: { accountId: emulator.users[1]!.accountId },
        duedate: "2025-04-01",
      },
    });
    expect(result.structured).toEqual({
      id: "10100",
      key: "PROJ-1",
      url: "https://acme.atlassian.net/browse/PROJ-1",
    });
  });

  it("reads an issue with the fields it needs, the description back as text", async () => {
    const { result, sent } = await sentDuring(() =>
      harness.call("jira", "get_issue", { issue_key: "PROJ-1" }),
    );
    expect(result.isError, result.text).toBe(false);
    expect(sent.map(line)).toEqual(["GET /rest/api/3/issue/PROJ-1"]);
    expectJiraHeaders(sent[0]);
    expect(Object.fromEntries(sent[0]!.query)).toEqual({ fields: fields.join(",") });
    expect(result.structured).toEqual({
      key: "PROJ-1",
      id: "10100",
      url: "https://acme.atlassian.net/browse/PROJ-1",
      summary: "Login fails on Safari",
      status: "To Do",
      status_category: "To Do",
      issue_type: "Bug",
      priority: "High",
      assignee: "Grace Hopper",
      reporter: "Ada Lovelace",
      project: "PROJ",
      labels: ["safari", "login"],
      created: expect.stringMatching(/^2025-03-01T10:01:00/),
      updated: expect.any(String),
      due_date: "2025-04-01",
      description: "Steps:\n1. Open Safari\n\nIt fails every time.",
    });
  });

  it("comments with an Atlassian document body", async () => {
    const { result, sent } = await sentDuring(() =>
      harness.call("jira", "add_comment", { issue_key: "PROJ-1", body: "Reproduced on 17.2." }),
    );
    expect(result.isError, result.text).toBe(false);
    expect(sent.map(line)).toEqual(["POST /rest/api/3/issue/PROJ-1/comment"]);
    expectJiraHeaders(sent[0], { json: true });
    expect(sent[0]!.body).toEqual({
      body: {
        type: "doc",
        version: 1,
        content: [{ type: "paragraph", content: [{ type: "text", text: "Reproduced on 17.2." }] }],
      },
    });
    expect(result.structured).toEqual({
      id: "10500",
      url: "https://acme.atlassian.net/browse/PROJ-1?focusedCommentId=10500",
      author: "Ada Lovelace",
      created: expect.any(String),
    });
  });

  it("transitions an issue: reads its transitions, then posts the one leading to the status", async () => {
    const { result, sent } = await sentDuring(() =>
      harness.call("jira", "transition_issue", { issue_key: "PROJ-1", transition: "done" }),
    );
    expect(result.isError, result.text).toBe(false);
    expect(sent.map(line)).toEqual([
      "GET /rest/api/3/issue/PROJ-1/transitions",
      "POST /rest/api/3/issue/PROJ-1/transitions",
    ]);
    expectJiraHeaders(sent[0]);
    expectJiraHeaders(sent[1], { json: true });
    expect(sent[1]!.body).toEqual({ transition: { id: "31" } });
    expect(result.structured).toEqual({ issue_key: "PROJ-1", transition: "Finish", status: "Done" });
    expect(emulator.issue("PROJ-1")?.status).toBe("Done");

    const byName = await harness.call("jira", "transition_issue", {
      issue_key: "PROJ-1",
      transition: "Reopen",
    });
    expect(byName.output).toEqual({ issue_key: "PROJ-1", transition: "Reopen", status: "To Do" });

    const unknown = await sentDuring(() =>
      harness.call("jira", "transition_issue", { issue_key: "PROJ-1", transition: "Ship it" }),
    );
    expect(unknown.result.isError).toBe(true);
    expect(unknown.result.text).toBe(
      'PROJ-1 has no transition "Ship it" now. Its transitions are: Start work (to In Progress), Finish (to Done).',
    );
    expect(unknown.sent.map(line)).toEqual(["GET /rest/api/3/issue/PROJ-1/transitions"]);
  });

  it("searches with JQL through POST /rest/api/3/search/jql, a page at a time", async () => {
    for (const summary of ["Rotate keys", "Upgrade Postgres"])
      await harness.call("jira", "create_issue", { project_key: "PROJ", summary });
    await harness.call("jira", "create_issue", { project_key: "OPS", summary: "Page the on-call" });

    const first = await sentDuring(() =>
      harness.call("jira", "search_issues", { jql: "project = PROJ ORDER BY created DESC", max_results: 2 }),
    );
    expect(first.result.isError, first.result.text).toBe(false);
    expect(first.sent.map(line)).toEqual(["POST /rest/api/3/search/jql"]);
    expectJiraHeaders(first.sent[0], { json: true });
    expect(first.sent[0]!.body).toEqual({
      jql: "project = PROJ ORDER BY created DESC",
      maxResults: 2,
      fields,
    });
    const firstPage = first.result.output as {
      issues: Array<{ key: string }>;
      next_page_token: string | null;
    };
    expect(firstPage.issues.map((issue) => issue.key)).toEqual(["PROJ-3", "PROJ-2"]);
    expect(firstPage.issues[0]).toMatchObject({
      summary: "Upgrade Postgres",
      issue_type: "Task",
      status: "To Do",
    });
    expect(firstPage.next_page_token).toEqual(expect.any(String));

    const second = await sentDuring(() =>
      harness.call("jira", "search_issues", {
        jql: "project = PROJ ORDER BY created DESC",
        max_results: 2,
        next_page_token: firstPage.next_page_token,
      }),
    );
    expect(second.sent[0]!.body).toEqual({
      jql: "project = PROJ ORDER BY created DESC",
      maxResults: 2,
      fields,
      nextPageToken: firstPage.next_page_token,
    });
    expect(second.result.output).toEqual({
      issues: [expect.objectContaining({ key: "PROJ-1", labels: ["safari", "login"] })],
      next_page_token: null,
    });

    const unbounded = await harness.call("jira", "search_issues", { jql: "ORDER BY created DESC" });
    expect(unbounded.isError).toBe(true);
    expect(unbounded.text).toBe(
      "Jira refused the request (HTTP 400): Unbounded JQL queries are not allowed here. Please add a search restriction to your query.",
    );
  });

  it("lists projects, offers them as choices, and tests the connection with /myself", async () => {
    const { result, sent } = await sentDuring(() => harness.call("jira", "list_projects", {}));
    expect(sent.map(line)).toEqual(["GET /rest/api/3/project/search"]);
    expectJiraHeaders(sent[0]);
    expect(Object.fromEntries(sent[0]!.query)).toEqual({ maxResults: "100", orderBy: "name" });
    expect(result.output).toEqual({
      projects: [
        { id: "10001", key: "OPS", name: "Operations" },
        { id: "10000", key: "PROJ", name: "Platform" },
      ],
    });
    expect(await harness.options("jira", "create_issue", "project_key")).toEqual([
      { value: "OPS", label: "Operations (OPS)" },
      { value: "PROJ", label: "Platform (PROJ)" },
    ]);
    const issueTypes = await sentDuring(() =>
      harness.options("jira", "create_issue", "issue_type", undefined, { project_key: "PROJ" }),
    );
    expect(issueTypes.result).toEqual([
      { value: "Task", label: "Task" },
      { value: "Bug", label: "Bug" },
      { value: "Story", label: "Story" },
      { value: "Epic", label: "Epic" },
      { value: "Subtask", label: "Subtask (sub-task: needs a parent)" },
    ]);
    expect(issueTypes.sent.map(line)).toEqual(["GET /rest/api/3/issue/createmeta/PROJ/issuetypes"]);
    expectJiraHeaders(issueTypes.sent[0]);
    const tested = await sentDuring(() => harness.testConnection(connectionId));
    expect(tested.result).toEqual({ ok: true, account: jiraEmail });
    expect(tested.sent.map(line)).toEqual(["GET /rest/api/3/myself"]);
    expectJiraHeaders(tested.sent[0]);
  });

  it("offers the people assignable in the chosen project as choices for the assignee", async () => {
    await expect(harness.options("jira", "create_issue", "assignee_account_id")).rejects.toMatchObject({
      code: "validation_failed",
      details: { field: "values.project_key" },
    });
    const platform = await sentDuring(() =>
      harness.options("jira", "create_issue", "assignee_account_id", undefined, { project_key: "PROJ" }),
    );
    expect(platform.result).toEqual([
      { value: emulator.users[0]!.accountId, label: `Ada Lovelace (${jiraEmail})` },
      { value: emulator.users[1]!.accountId, label: "Grace Hopper (grace@example.com)" },
    ]);
    expect(platform.sent.map(line)).toEqual(["GET /rest/api/3/user/assignable/search"]);
    expectJiraHeaders(platform.sent[0]);
    expect(Object.fromEntries(platform.sent[0]!.query)).toEqual({
      project: "PROJ",
      startAt: "0",
      maxResults: "100",
    });
    expect(
      await harness.options("jira", "create_issue", "assignee_account_id", undefined, { project_key: "OPS" }),
    ).toEqual([{ value: emulator.users[0]!.accountId, label: `Ada Lovelace (${jiraEmail})` }]);
    await expect(
      harness.options("jira", "create_issue", "assignee_account_id", undefined, { project_key: "NOPE" }),
    ).rejects.toMatchObject({
      code: "upstream_error",
      message: expect.stringContaining("No project could be found"),
    });
  });

  it("answers with Jira's own error text: errorMessages and per-field errors", async () => {
    const missing = await sentDuring(() => harness.call("jira", "get_issue", { issue_key: "PROJ-999" }));
    expect(missing.result.isError).toBe(true);
    expect(missing.result.text).toBe(
      "Jira refused the request (HTTP 404): Issue does not exist or you do not have permission to see it.",
    );
    expect(missing.sent).toHaveLength(1);

    const wrongType = await harness.call("jira", "create_issue", {
      project_key: "OPS",
      issue_type: "Bug",
      summary: "A bug in a project without bugs",
    });
    expect(wrongType.text).toBe("Jira refused the request (HTTP 400): issuetype: Specify a valid issue type");
  });

  it("waits out a 429 with Retry-After and runs the create again", async () => {
    emulator.injectOnce(
      {
        status: 429,
        headers: { "retry-after": "1", "x-ratelimit-limit": "100", "x-ratelimit-remaining": "0" },
        text: "Rate limit exceeded.",
      },
      "POST /rest/api/3/issue/:key/comment",
    );
    const started = Date.now();
    const { result, sent } = await sentDuring(() =>
      harness.call("jira", "add_comment", { issue_key: "PROJ-2", body: "After the wait" }),
    );
    expect(result.isError, result.text).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(sent.map(line)).toEqual([
      "POST /rest/api/3/issue/PROJ-2/comment",
      "POST /rest/api/3/issue/PROJ-2/comment",
    ]);
  });

  it("marks a connection whose token Jira rejects (401) as needing reconnection", async () => {
    const revoked = await harness.connectWithKey(
      "jira",
      { site, email: jiraEmail, api_token: "revoked" },
      "revoked",
    );
    const result = await harness.call(
      "jira",
      "get_issue",
      { issue_key: "PROJ-1" },
      { connectionId: revoked },
    );
    expect(result.isError).toBe(true);
    expect(result.text).toBe(
      "Jira rejected the connection's credentials (HTTP 401): Client must be authenticated to access this resource. Reconnect the account.",
    );
    const row = await getDb().connection.findUniqueOrThrow({ where: { id: revoked } });
    expect(row.status).toBe("NEEDS_RECONNECT");
  });

  it("reaches only https://<name>.atlassian.net sites", () => {
    const baseUrl = (siteName: string) =>
      jira.api!.userBaseUrl!({ site: siteName, email: "", api_token: "" });
    expect(baseUrl("acme.atlassian.net")).toBe("https://acme.atlassian.net");
    expect(baseUrl(" https://Acme.atlassian.net/jira/software/projects ")).toBe("https://acme.atlassian.net");
    for (const bad of [
      "http://acme.atlassian.net",
      "acme.atlassian.net.evil.example",
      "evil.example",
      "acme.atlassian.net:8443",
      "https://user@acme.atlassian.net",
      "169.254.169.254",
    ])
      expect(() => baseUrl(bad), bad).toThrow(/is not a Jira Cloud site|is not a Jira site/);
  });

  it("has an emulator that refuses what Jira refuses", async () => {
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${emulator.url}${path}`, {
        method: "POST",
        headers: { authorization: basic, "content-type": "application/json", "x-test": "direct" },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    };
    expect(
      await post("/rest/api/3/issue", {
        fields: { project: { key: "PROJ" }, issuetype: { name: "Task" }, summary: "x", description: "plain" },
      }),
    ).toEqual({
      status: 400,
      body: {
        errorMessages: [],
        errors: {
          description: "Operation value must be an Atlassian Document (see the Atlassian Document Format)",
        },
      },
    });
    expect(
      await post("/rest/api/3/issue", { fields: { project: { key: "PROJ" }, issuetype: { name: "Task" } } }),
    ).toEqual({
      status: 400,
      body: { errorMessages: [], errors: { summary: "You must specify a summary of the issue." } },
    });
    expect(await post("/rest/api/3/search/jql", { jql: "project = PROJ", startAt: 0 })).toMatchObject({
      status: 400,
      body: {
        errorMessages: ["Invalid request payload. Refer to the REST API documentation and try again."],
      },
    });
  });

  it("sent every request with the Basic header and JSON", () => {
    const fromPlatform = emulator.requests.filter(
      (request) => !request.headers["x-test"] && request.headers.authorization === basic,
    );
    expect(fromPlatform.length).toBeGreaterThan(20);
    for (const request of fromPlatform) {
      expect(request.headers.accept).toBe("application/json");
      if (request.method === "POST") expect(request.contentType).toBe("application/json");
    }
  });
});
