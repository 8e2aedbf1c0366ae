// Linear: a connection made with a personal API key, its actions called as tools through the
// worker, each sending Linear's GraphQL endpoint the operation, operation name and variables
// Linear's schema defines (checked by the emulator's GraphQL front end), and Linear's GraphQL
// errors (in a 200, a 400 RATELIMITED, a 401) turned into the tool's error, a wait, a reconnection.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import type { EmulatedRequest } from "../../emulators/emulator";
import { type LinearEmulator, linearApiKey, startLinearEmulator } from "../../emulators/linear";
import { type AppHarness, startAppHarness } from "../../helpers/app-harness";

let emulator: LinearEmulator;
let harness: AppHarness;
let connectionId: string;

beforeAll(async () => {
  emulator = await startLinearEmulator();
  // A queue of its own: another app's test file running alongside has a worker of its own too,
  // which would take this file's jobs without this file's LINEAR_API_URL.
  harness = await startAppHarness({
    LINEAR_API_URL: emulator.url,
  });
  connectionId = await harness.connectWithKey("linear", { api_key: linearApiKey });
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

type GraphQLBody = { query: string; variables: Record<string, unknown>; operationName?: string };

/** What one request asked: its operation (type, name, variable types, root fields) and variables. */
function operation(request: EmulatedRequest | undefined) {
  expect(request?.method).toBe("POST");
  expect(request?.path).toBe("/graphql");
  expect(request?.headers.authorization).toBe(linearApiKey);
  expect(request?.contentType).toBe("application/json");
  const body = request!.body as GraphQLBody;
  const parsed = emulator.operationOf(request!);
  expect(body.operationName).toBe(parsed.name);
  return {
    type: parsed.type,
    name: parsed.name,
    variableTypes: Object.fromEntries(
      Object.entries(parsed.variables).map(([name, spec]) => [name, spec.type]),
    ),
    fields: parsed.selections.map((selection) => selection.name),
    variables: body.variables,
  };
}

const eng = () => emulator.teams[0]!;
const stateId = (name: string) => eng().states.find((state) => state.name === name)!.id;

describe("Linear", () => {
  it("creates an issue with the IssueCreate mutation and its input", async () => {
    const input = {
      teamId: eng().id,
      title: "Login fails on Safari",
      description: "Steps:\n1. Open **Safari**",
      priority: 2,
      assigneeId: emulator.users[1]!.id,
      labelIds: [emulator.labels[0]!.id],
      dueDate: "2025-04-01",
    };
    const { result, sent } = await sentDuring(() => harness.call("linear", "create_issue", input));
    expect(result.isError, result.text).toBe(false);
    expect(sent).toHaveLength(1);
    expect(operation(sent[0])).toEqual({
      type: "mutation",
      name: "IssueCreate",
      variableTypes: { input: "IssueCreateInput!" },
      fields: ["issueCreate"],
      variables: { input },
    });
    expect(result.structured).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      identifier: "ENG-1",
      title: "Login fails on Safari",
      description: "Steps:\n1. Open **Safari**",
      priority: 2,
      priority_label: "High",
      url: "https://linear.app/acme/issue/ENG-1/login-fails-on-safari",
      state: "Todo",
      state_type: "unstarted",
      assignee: "Grace Hopper",
      assignee_id: emulator.users[1]!.id,
      team: "ENG",
      labels: ["Bug"],
      due_date: "2025-04-01",
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
  });

  it("reads an issue by its identifier", async () => {
    const { result, sent } = await sentDuring(() => harness.call("linear", "get_issue", { id: "ENG-1" }));
    expect(result.isError, result.text).toBe(false);
    expect(operation(sent[0])).toEqual({
      type: "query",
      name: "Issue",
      variableTypes: { id: "String!" },
      fields: ["issue"],
      variables: { id: "ENG-1" },
    });
    expect(result.output).toMatchObject({ identifier: "ENG-1", title: "Login fails on Safari" });
  });

  it("moves an issue to a state by name: the team's states, then IssueUpdate with the state's id", async () => {
    const { result, sent } = await sentDuring(() =>
      harness.call("linear", "update_issue", {
        id: "ENG-1",
        state: "in progress",
        priority: 1,
        assigneeId: null,
      }),
    );
    expect(result.isError, result.text).toBe(false);
    expect(sent.map((request) => operation(request))).toEqual([
      {
        type: "query",
        name: "IssueTeamStates",
        variableTypes: { id: "String!" },
        fields: ["issue"],
        variables: { id: "ENG-1" },
      },
      {
        type: "mutation",
        name: "IssueUpdate",
        variableTypes: { id: "String!", input: "IssueUpdateInput!" },
        fields: ["issueUpdate"],
        variables: { id: "ENG-1", input: { priority: 1, assigneeId: null, stateId: stateId("In Progress") } },
      },
    ]);
    expect(result.output).toMatchObject({
      state: "In Progress",
      state_type: "started",
      priority: 1,
      priority_label: "Urgent",
      assignee: null,
    });

    const unknown = await sentDuring(() =>
      harness.call("linear", "update_issue", { id: "ENG-1", state: "Shipped" }),
    );
    expect(unknown.result.isError).toBe(true);
    expect(unknown.result.text).toBe(
      'The issue\'s team has no state "Shipped". Its states are: Backlog, Todo, In Progress, Done, Canceled.',
    );
    expect(unknown.sent.map((request) => operation(request).name)).toEqual(["IssueTeamStates"]);
  });

  it("lists issues with an IssueFilter, newest updates first, a page at a time", async () => {
    await harness.call("linear", "create_issue", {
      teamId: eng().id,
      title: "Dark mode",
      assigneeId: emulator.viewer.id,
    });
    await harness.call("linear", "create_issue", { teamId: emulator.teams[1]!.id, title: "New logo" });

    const filtered = await sentDuring(() =>
      harness.call("linear", "list_issues", {
        teamId: eng().id,
        state: "In Progress",
        priority: 1,
        label: "bug",
      }),
    );
    expect(filtered.result.isError, filtered.result.text).toBe(false);
    expect(operation(filtered.sent[0])).toEqual({
      type: "query",
      name: "Issues",
      variableTypes: { filter: "IssueFilter", first: "Int", after: "String", orderBy: "PaginationOrderBy" },
      fields: ["issues"],
      variables: {
        filter: {
          team: { id: { eq: eng().id } },
          state: { name: { eqIgnoreCase: "In Progress" } },
          priority: { eq: 1 },
          labels: { some: { name: { eqIgnoreCase: "bug" } } },
        },
        first: 25,
        orderBy: "updatedAt",
      },
    });
    expect(filtered.result.output).toEqual({
      issues: [expect.objectContaining({ identifier: "ENG-1" })],
      next_cursor: null,
    });

    const mine = await sentDuring(() => harness.call("linear", "list_issues", { assignee: "me" }));
    expect(operation(mine.sent[0]).variables).toEqual({
      filter: { assignee: { isMe: { eq: true } } },
      first: 25,
      orderBy: "updatedAt",
    });
    expect(
      (mine.result.output as { issues: Array<{ identifier: string }> }).issues.map((i) => i.identifier),
    ).toEqual(["ENG-2"]);

    const first = await harness.call("linear", "list_issues", { first: 2 });
    const firstPage = first.output as { issues: Array<{ identifier: string }>; next_cursor: string | null };
    expect(firstPage.issues.map((issue) => issue.identifier)).toEqual(["DES-1", "ENG-2"]);
    expect(firstPage.next_cursor).toEqual(expect.any(String));
    const second = await sentDuring(() =>
      harness.call("linear", "list_issues", { first: 2, after: firstPage.next_cursor }),
    );
    expect(operation(second.sent[0]).variables).toEqual({
      filter: {},
      first: 2,
      orderBy: "updatedAt",
      after: firstPage.next_cursor,
    });
    expect(second.result.output).toEqual({
      issues: [expect.objectContaining({ identifier: "ENG-1" })],
      next_cursor: null,
    });
  });

  it("searches issues with searchIssues", async () => {
    const { result, sent } = await sentDuring(() =>
      harness.call("linear", "search_issues", { term: "safari", teamId: eng().id }),
    );
    expect(result.isError, result.text).toBe(false);
    expect(operation(sent[0])).toEqual({
      type: "query",
      name: "SearchIssues",
      variableTypes: { term: "String!", first: "Int", teamId: "String", includeComments: "Boolean" },
      fields: ["searchIssues"],
      variables: { term: "safari", teamId: eng().id, first: 25 },
    });
    expect(result.output).toEqual({
      total_count: 1,
      issues: [expect.objectContaining({ identifier: "ENG-1" })],
    });
  });

  it("comments on an issue with commentCreate", async () => {
    const { result, sent } = await sentDuring(() =>
      harness.call("linear", "add_comment", { issueId: "ENG-1", body: "Reproduced on **17.2**." }),
    );
    expect(result.isError, result.text).toBe(false);
    expect(operation(sent[0])).toEqual({
      type: "mutation",
      name: "CommentCreate",
      variableTypes: { input: "CommentCreateInput!" },
      fields: ["commentCreate"],
      variables: { input: { issueId: "ENG-1", body: "Reproduced on **17.2**." } },
    });
    expect(result.structured).toEqual({
      id: expect.any(String),
      body: "Reproduced on **17.2**.",
      url: expect.stringMatching(
        /^https:\/\/linear\.app\/acme\/issue\/ENG-1\/login-fails-on-safari#comment-/,
      ),
      created_at: expect.any(String),
    });
    const searched = await harness.call("linear", "search_issues", { term: "17.2", includeComments: true });
    expect(searched.output).toMatchObject({ total_count: 1 });
  });

  it("lists teams, offers them as choices, and tests the connection with the viewer", async () => {
    const { result, sent } = await sentDuring(() => harness.call("linear", "list_teams", {}));
    expect(operation(sent[0])).toMatchObject({ name: "Teams", fields: ["teams"], variables: { first: 100 } });
    expect(result.output).toEqual({
      teams: emulator.teams.map((team) => ({ id: team.id, key: team.key, name: team.name })),
    });
    expect(await harness.options("linear", "create_issue", "teamId")).toEqual([
      { value: eng().id, label: "Engineering (ENG)" },
      { value: emulator.teams[1]!.id, label: "Design (DES)" },
    ]);
    const tested = await sentDuring(() => harness.testConnection(connectionId));
    expect(tested.result).toEqual({ ok: true, account: "ada@example.com" });
    expect(operation(tested.sent[0])).toMatchObject({ type: "query", name: "Viewer", fields: ["viewer"] });
  });

  it("offers the chosen team's workflow states and the active members as choices", async () => {
    await expect(harness.options("linear", "create_issue", "stateId")).rejects.toMatchObject({
      code: "validation_failed",
      details: { field: "values.teamId" },
    });
    const states = await sentDuring(() =>
      harness.options("linear", "create_issue", "stateId", undefined, { teamId: eng().id }),
    );
    expect(states.result).toEqual(eng().states.map((state) => ({ value: state.id, label: state.name })));
    expect(states.result.map((state) => state.label)).toEqual([
      "Backlog",
      "Todo",
      "In Progress",
      "Done",
      "Canceled",
    ]);
    expect(operation(states.sent[0])).toMatchObject({
      name: "TeamStates",
      fields: ["team"],
      variables: { id: eng().id, first: 100 },
    });
    const members = [
      { value: emulator.users[0]!.id, label: "Ada Lovelace (ada@example.com)" },
      { value: emulator.users[1]!.id, label: "Grace Hopper (grace@example.com)" },
    ];
    const assignees = await sentDuring(() => harness.options("linear", "create_issue", "assigneeId"));
    expect(assignees.result).toEqual(members);
    expect(operation(assignees.sent[0])).toMatchObject({
      name: "Users",
      fields: ["users"],
      variables: { first: 250 },
    });
    expect(await harness.options("linear", "update_issue", "assigneeId")).toEqual(members);
    await expect(
      harness.options("linear", "create_issue", "stateId", undefined, { teamId: "no-such-team" }),
    ).rejects.toMatchObject({ code: "upstream_error" });
  });

  it("turns GraphQL errors in a 200 into the tool's error with Linear's message, not retried", async () => {
    const missing = await sentDuring(() => harness.call("linear", "get_issue", { id: "ENG-999" }));
    expect(missing.result.isError).toBe(true);
    expect(missing.result.text).toBe("Linear refused the request: Could not find referenced Issue.");
    expect(missing.sent).toHaveLength(1);

    const wrongTeam = await harness.call("linear", "create_issue", { teamId: "no-such-team", title: "x" });
    expect(wrongTeam.text).toBe("Linear refused the request: Could not find referenced Team.");
  });

  it("waits out Linear's rate limit (an HTTP 400 with code RATELIMITED) and runs the call again", async () => {
    emulator.injectOnce({
      status: 400,
      headers: {
        "x-ratelimit-requests-remaining": "0",
        "x-ratelimit-requests-reset": String(Date.now() + 1500),
      },
      json: {
        errors: [
          {
            message: "Rate limit exceeded",
            extensions: {
              code: "RATELIMITED",
              type: "ratelimited",
              statusCode: 429,
              userError: true,
              userPresentableMessage: "Too many API requests. Please try again later.",
            },
          },
        ],
      },
    });
    const started = Date.now();
    const { result, sent } = await sentDuring(() =>
      harness.call("linear", "add_comment", { issueId: "ENG-2", body: "After the wait" }),
    );
    expect(result.isError, result.text).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(sent.map((request) => operation(request).name)).toEqual(["CommentCreate", "CommentCreate"]);
  });

  it("marks a connection whose key Linear rejects (401 AUTHENTICATION_ERROR) as needing reconnection", async () => {
    const revoked = await harness.connectWithKey("linear", { api_key: "lin_api_revoked" }, "revoked");
    const result = await harness.call("linear", "list_teams", {}, { connectionId: revoked });
    expect(result.isError).toBe(true);
    expect(result.text).toBe(
      "Linear rejected the connection's credentials (HTTP 401): You need to authenticate to access this operation. Reconnect the account.",
    );
    const row = await getDb().connection.findUniqueOrThrow({ where: { id: revoked } });
    expect(row.status).toBe("NEEDS_RECONNECT");
  });

  it("has an emulator that refuses what Linear refuses", async () => {
    const post = async (body: unknown, authorization = linearApiKey) => {
      const response = await fetch(`${emulator.url}/graphql`, {
        method: "POST",
        headers: { authorization, "content-type": "application/json", "x-test": "direct" },
        body: JSON.stringify(body),
      });
      return {
        status: response.status,
        body: (await response.json()) as { errors?: Array<{ message: string }> },
      };
    };
    expect((await post({ query: "query { viewer { id } }" }, `Bearer ${linearApiKey}`)).status).toBe(401);
    expect(await post({ query: "query { viewer { id login } }" })).toMatchObject({
      status: 400,
      body: { errors: [{ message: 'Cannot query field "login" on type "User".' }] },
    });
    const noTeam = await post({
      query: "mutation M($input: IssueCreateInput!) { issueCreate(input: $input) { success } }",
      variables: { input: { title: "x" } },
    });
    expect(noTeam.status).toBe(400);
    expect(noTeam.body.errors?.[0]?.message).toMatch(
      /Field "teamId" of required type "String!" was not provided/,
    );
    const wrongType = await post({
      query: "query Q($id: String) { issue(id: $id) { id } }",
      variables: { id: "ENG-1" },
    });
    expect(wrongType.body.errors?.[0]?.message).toBe(
      'Variable "$id" of type "String" used in position expecting type "String!".',
    );
  });

  it("sent every request as Linear's API asks", () => {
    const fromPlatform = emulator.requests.filter((request) => !request.headers["x-test"]);
    expect(fromPlatform.length).toBeGreaterThan(15);
    for (const request of fromPlatform) {
      expect(request.method).toBe("POST");
      expect(request.path).toBe("/graphql");
      expect(request.contentType).toBe("application/json");
      expect(String(request.headers.authorization)).toMatch(/^lin_api_\w+$/);
    }
  });
});
