// GitHub: a connection made with a token, its actions added as tools to a server and called the
// way tools/call runs them (worker, Octokit, guarded fetch), sending GitHub exactly the requests its
// REST API description defines: each call's requests are checked whole (method, path, query,
// headers, body), and the answers and GitHub's documented errors come back as the tool's result.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { buildMcpServer } from "@/lib/mcp/build-server";
import { createServer } from "@/lib/servers/manage-servers";
import { resolveServerBySecret } from "@/lib/servers/snapshot-cache";
import { addTool, addToolSchema } from "@/lib/tools/manage-tools";
import type { EmulatedRequest } from "../../emulators/emulator";
import { appSource, type GitHubEmulator, githubToken, startGitHubEmulator } from "../../emulators/github";
import { type AppHarness, startAppHarness } from "../../helpers/app-harness";
import { secretOfUrl } from "../../helpers/mcp";

let emulator: GitHubEmulator;
let harness: AppHarness;
let connectionId: string;
const repository = "octocat/hello-world";

beforeAll(async () => {
  emulator = await startGitHubEmulator();
  // A queue of its own: another app's test file running alongside has a worker of its own too,
  // which would take this file's jobs without this file's GITHUB_API_URL.
  harness = await startAppHarness({
    GITHUB_API_URL: emulator.url,
  });
  connectionId = await harness.connectWithKey("github", { token: githubToken });
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await emulator?.stop();
});

/** Runs `act` and answers what it did with the requests GitHub received meanwhile. */
async function sentDuring<T>(act: () => Promise<T>): Promise<{ result: T; sent: EmulatedRequest[] }> {
  const before = emulator.requests.length;
  const result = await act();
  return { result, sent: emulator.requests.slice(before) };
}

const line = (request: EmulatedRequest) => `${request.method} ${decodeURIComponent(request.path)}`;
const query = (request: EmulatedRequest | undefined) => Object.fromEntries(request?.query ?? []);

/** The headers GitHub's API asks every request for. */
function expectGitHubHeaders(request: EmulatedRequest | undefined, { json = false } = {}) {
  expect(request?.headers.authorization).toBe(`token ${githubToken}`);
  expect(request?.headers.accept).toBe("application/vnd.github+json");
  expect(request?.headers["x-github-api-version"]).toBe("2022-11-28");
  expect(request?.headers["user-agent"]).toMatch(/^toolgate octokit-rest\.js\//);
  if (json) expect(request?.contentType).toBe("application/json; charset=utf-8");
  else expect(request?.rawBody).toBe("");
}

describe("GitHub", () => {
  it("creates an issue with exactly the request GitHub defines", async () => {
    const { result, sent } = await sentDuring(() =>
      harness.call("github", "create_issue", {
        repository,
        title: "Login fails on Safari",
        body: "Steps:\n1. Open Safari",
        labels: ["bug", "safari"],
        assignees: ["hubot"],
        milestone: 1,
      }),
    );
    expect(result.isError, result.text).toBe(false);
    expect(sent.map(line)).toEqual(["POST /repos/octocat/hello-world/issues"]);
    expectGitHubHeaders(sent[0], { json: true });
    expect(JSON.parse(sent[0]!.rawBody)).toEqual({
      title: "Login fails on Safari",
      body: "Steps:\n1. Open Safari",
      labels: ["bug", "safari"],
      assignees: ["hubot"],
      milestone: 1,
    });
    expect(result.structured).toEqual({
      number: 3,
      title: "Login fails on Safari",
      state: "open",
      state_reason: null,
      html_url: "https://github.com/octocat/hello-world/issues/3",
      body: "Steps:\n1. Open Safari",
      user: "octocat",
      labels: ["bug", "safari"],
      assignees: ["hubot"],
      comments: 0,
      is_pull_request: false,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      updated_at: expect.any(String),
      closed_at: null,
    });
  });

  it("reads an issue and closes it with only the fields given", async () => {
    const read = await sentDuring(() => harness.call("github", "get_issue", { repository, issue_number: 1 }));
    expect(read.result.isError, read.result.text).toBe(false);
    expect(read.sent.map(line)).toEqual(["GET /repos/octocat/hello-world/issues/1"]);
    expectGitHubHeaders(read.sent[0]);
    expect(query(read.sent[0])).toEqual({});
    expect(read.result.output).toMatchObject({ number: 1, title: "Crash on start", labels: ["bug"] });

    const closed = await sentDuring(() =>
      harness.call("github", "update_issue", {
        repository,
        issue_number: 1,
        state: "closed",
        state_reason: "not_planned",
        labels: [],
      }),
    );
    expect(closed.result.isError, closed.result.text).toBe(false);
    expect(closed.sent.map(line)).toEqual(["PATCH /repos/octocat/hello-world/issues/1"]);
    expectGitHubHeaders(closed.sent[0], { json: true });
    expect(JSON.parse(closed.sent[0]!.rawBody)).toEqual({
      state: "closed",
      state_reason: "not_planned",
      labels: [],
    });
    expect(closed.result.output).toMatchObject({
      state: "closed",
      state_reason: "not_planned",
      labels: [],
      closed_at: expect.any(String),
    });

    const nothing = await sentDuring(() =>
      harness.call("github", "update_issue", { repository, issue_number: 1 }),
    );
    expect(nothing.result.isError).toBe(true);
    expect(nothing.result.text).toMatch(/Nothing to change/);
    expect(nothing.sent).toEqual([]);
  });

  it("lists issues with GitHub's query parameters", async () => {
    const defaults = await sentDuring(() => harness.call("github", "list_issues", { repository }));
    expect(defaults.result.isError, defaults.result.text).toBe(false);
    expect(defaults.sent.map(line)).toEqual(["GET /repos/octocat/hello-world/issues"]);
    expectGitHubHeaders(defaults.sent[0]);
    expect(query(defaults.sent[0])).toEqual({ state: "open", per_page: "30" });
    expect(
      (defaults.result.output as { issues: Array<{ number: number }> }).issues.map((i) => i.number),
    ).toEqual([3]);

    const filtered = await sentDuring(() =>
      harness.call("github", "list_issues", {
        repository,
        state: "all",
        labels: ["bug", "safari"],
        assignee: "hubot",
        sort: "updated",
        direction: "asc",
        per_page: 5,
        page: 1,
      }),
    );
    expect(filtered.result.isError, filtered.result.text).toBe(false);
    expect(query(filtered.sent[0])).toEqual({
      state: "all",
      labels: "bug,safari",
      assignee: "hubot",
      sort: "updated",
      direction: "asc",
      per_page: "5",
      page: "1",
    });
    expect(filtered.result.output).toEqual({
      issues: [expect.objectContaining({ number: 3, title: "Login fails on Safari" })],
    });
  });

  it("comments on an issue", async () => {
    const { result, sent } = await sentDuring(() =>
      harness.call("github", "add_issue_comment", {
        repository,
        issue_number: 3,
        body: "Reproduced on 17.2.",
      }),
    );
    expect(result.isError, result.text).toBe(false);
    expect(sent.map(line)).toEqual(["POST /repos/octocat/hello-world/issues/3/comments"]);
    expectGitHubHeaders(sent[0], { json: true });
    expect(JSON.parse(sent[0]!.rawBody)).toEqual({ body: "Reproduced on 17.2." });
    expect(result.structured).toEqual({
      id: expect.any(Number),
      html_url: expect.stringMatching(
        /^https:\/\/github\.com\/octocat\/hello-world\/issues\/3#issuecomment-\d+$/,
      ),
      body: "Reproduced on 17.2.",
      user: "octocat",
      created_at: expect.any(String),
    });
  });

  it("opens, lists, reads and merges a pull request", async () => {
    const created = await sentDuring(() =>
      harness.call("github", "create_pull_request", {
        repository,
        title: "Document the app",
        head: "feature-readme",
        base: "main",
        body: "Adds docs.",
        maintainer_can_modify: true,
      }),
    );
    expect(created.result.isError, created.result.text).toBe(false);
    expect(created.sent.map(line)).toEqual(["POST /repos/octocat/hello-world/pulls"]);
    expectGitHubHeaders(created.sent[0], { json: true });
    expect(JSON.parse(created.sent[0]!.rawBody)).toEqual({
      title: "Document the app",
      head: "feature-readme",
      base: "main",
      body: "Adds docs.",
      maintainer_can_modify: true,
    });
    const pull = created.result.structured as { number: number; head_sha: string };
    expect(pull).toMatchObject({
      number: 4,
      state: "open",
      draft: false,
      merged: false,
      head: "octocat:feature-readme",
      base: "main",
      html_url: "https://github.com/octocat/hello-world/pull/4",
    });

    const listed = await sentDuring(() =>
      harness.call("github", "list_pull_requests", {
        repository,
        head: "octocat:feature-readme",
        base: "main",
      }),
    );
    expect(listed.result.isError, listed.result.text).toBe(false);
    expect(listed.sent.map(line)).toEqual(["GET /repos/octocat/hello-world/pulls"]);
    expectGitHubHeaders(listed.sent[0]);
    expect(query(listed.sent[0])).toEqual({
      state: "open",
      head: "octocat:feature-readme",
      base: "main",
      per_page: "30",
    });
    expect(listed.result.output).toEqual({ pull_requests: [expect.objectContaining({ number: 4 })] });

    const read = await sentDuring(() =>
      harness.call("github", "get_pull_request", { repository, pull_number: 4 }),
    );
    expect(read.sent.map(line)).toEqual(["GET /repos/octocat/hello-world/pulls/4"]);
    expect(read.result.output).toMatchObject({ number: 4, mergeable: true, head_sha: pull.head_sha });

    const merged = await sentDuring(() =>
      harness.call("github", "merge_pull_request", {
        repository,
        pull_number: 4,
        merge_method: "squash",
        commit_title: "Document the app (#4)",
        sha: pull.head_sha,
      }),
    );
    expect(merged.result.isError, merged.result.text).toBe(false);
    expect(merged.sent.map(line)).toEqual(["PUT /repos/octocat/hello-world/pulls/4/merge"]);
    expectGitHubHeaders(merged.sent[0], { json: true });
    expect(JSON.parse(merged.sent[0]!.rawBody)).toEqual({
      merge_method: "squash",
      commit_title: "Document the app (#4)",
      sha: pull.head_sha,
    });
    expect(merged.result.structured).toEqual({
      sha: expect.stringMatching(/^[0-9a-f]{40}$/),
      merged: true,
      message: "Pull Request successfully merged",
    });
    expect(emulator.file(repository, "README.md")).toBe("# Hello World\n\nNow with docs.\n");

    // GitHub's 405 for a pull request that cannot be merged (again) is the tool's error, not retried.
    const again = await sentDuring(() =>
      harness.call("github", "merge_pull_request", { repository, pull_number: 4 }),
    );
    expect(again.result.isError).toBe(true);
    expect(again.result.text).toBe("GitHub refused the request (HTTP 405): Pull Request is not mergeable");
    expect(again.sent.map(line)).toEqual(["PUT /repos/octocat/hello-world/pulls/4/merge"]);
    expect(again.sent[0]!.rawBody).toBe("");
  });

  it("reads files through the contents API, decoding GitHub's wrapped base64", async () => {
    const readme = await sentDuring(() =>
      harness.call("github", "get_file", { repository, path: "README.md" }),
    );
    expect(readme.result.isError, readme.result.text).toBe(false);
    expect(readme.sent.map(line)).toEqual(["GET /repos/octocat/hello-world/contents/README.md"]);
    expectGitHubHeaders(readme.sent[0]);
    expect(query(readme.sent[0])).toEqual({});
    expect(readme.result.structured).toEqual({
      path: "README.md",
      sha: emulator.blobSha(Buffer.from("# Hello World\n\nNow with docs.\n")),
      size: 30,
      encoding: "utf-8",
      content: "# Hello World\n\nNow with docs.\n",
      html_url: "https://github.com/octocat/hello-world/blob/main/README.md",
    });

    const nested = await sentDuring(() =>
      harness.call("github", "get_file", { repository, path: "src/app.ts", ref: "feature-readme" }),
    );
    expect(nested.sent.map(line)).toEqual(["GET /repos/octocat/hello-world/contents/src/app.ts"]);
    expect(query(nested.sent[0])).toEqual({ ref: "feature-readme" });
    expect(nested.result.output).toMatchObject({
      encoding: "utf-8",
      content: appSource,
    });

    const binary = await harness.call("github", "get_file", { repository, path: "assets/logo.png" });
    expect(binary.output).toMatchObject({ encoding: "base64", content: "iVBOR//+AA==", size: 7 });

    const directory = await harness.call("github", "get_file", { repository, path: "src" });
    expect(directory.isError).toBe(true);
    expect(directory.text).toBe('"src" is a directory, not a file. It holds: app.ts.');
  });

  it("creates a file, refuses to replace one without its sha, and updates it with the sha", async () => {
    const created = await sentDuring(() =>
      harness.call("github", "create_or_update_file", {
        repository,
        path: "docs/notes.md",
        content: "Ünïcode notes\n",
        message: "Add notes",
        branch: "feature-readme",
      }),
    );
    expect(created.result.isError, created.result.text).toBe(false);
    expect(created.sent.map(line)).toEqual(["PUT /repos/octocat/hello-world/contents/docs/notes.md"]);
    expectGitHubHeaders(created.sent[0], { json: true });
    expect(JSON.parse(created.sent[0]!.rawBody)).toEqual({
      message: "Add notes",
      content: Buffer.from("Ünïcode notes\n").toString("base64"),
      branch: "feature-readme",
    });
    const sha = emulator.blobSha(Buffer.from("Ünïcode notes\n"));
    expect(created.result.structured).toEqual({
      path: "docs/notes.md",
      sha,
      commit_sha: expect.stringMatching(/^[0-9a-f]{40}$/),
      commit_url: expect.stringMatching(
        /^https:\/\/github\.com\/octocat\/hello-world\/commit\/[0-9a-f]{40}$/,
      ),
      created: true,
    });
    expect(emulator.file(repository, "docs/notes.md", "feature-readme")).toBe("Ünïcode notes\n");

    const withoutSha = await harness.call("github", "create_or_update_file", {
      repository,
      path: "docs/notes.md",
      content: "Overwritten\n",
      message: "Overwrite",
      branch: "feature-readme",
    });
    expect(withoutSha.isError).toBe(true);
    expect(withoutSha.text).toMatch(
      /^GitHub refused the request \(HTTP 422\): Invalid request\. "sha" wasn't supplied\. .*get_file and pass its sha/,
    );
    expect(emulator.file(repository, "docs/notes.md", "feature-readme")).toBe("Ünïcode notes\n");

    const updated = await sentDuring(() =>
      harness.call("github", "create_or_update_file", {
        repository,
        path: "docs/notes.md",
        content: "Second version\n",
        message: "Update notes",
        branch: "feature-readme",
        sha,
      }),
    );
    expect(updated.result.isError, updated.result.text).toBe(false);
    expect(JSON.parse(updated.sent[0]!.rawBody)).toEqual({
      message: "Update notes",
      content: Buffer.from("Second version\n").toString("base64"),
      branch: "feature-readme",
      sha,
    });
    expect(updated.result.output).toMatchObject({
      created: false,
      sha: emulator.blobSha(Buffer.from("Second version\n")),
    });
    expect(emulator.file(repository, "docs/notes.md", "feature-readme")).toBe("Second version\n");
  });

  it("lists the account's repositories, and offers them as owner/name choices", async () => {
    const { result, sent } = await sentDuring(() =>
      harness.call("github", "list_repositories", { visibility: "public" }),
    );
    expect(result.isError, result.text).toBe(false);
    expect(sent.map(line)).toEqual(["GET /user/repos"]);
    expectGitHubHeaders(sent[0]);
    expect(query(sent[0])).toEqual({ visibility: "public", sort: "updated", per_page: "30" });
    expect((result.output as { repositories: Array<{ full_name: string }> }).repositories).toEqual([
      expect.objectContaining({ full_name: "acme/website", private: false, default_branch: "main" }),
      expect.objectContaining({
        full_name: "octocat/hello-world",
        description: "My first repository on GitHub!",
      }),
    ]);

    const choices = await sentDuring(() => harness.options("github", "create_issue", "repository"));
    expect(choices.sent.map(line)).toEqual(["GET /user/repos"]);
    expectGitHubHeaders(choices.sent[0]);
    expect(query(choices.sent[0])).toEqual({ per_page: "100", sort: "updated" });
    expect(choices.result).toEqual([
      { value: "acme/website", label: "acme/website" },
      { value: "octocat/secret-plans", label: "octocat/secret-plans" },
      { value: "octocat/hello-world", label: "octocat/hello-world" },
    ]);
  });

  it("offers the chosen repository's branches as a pull request's base and head", async () => {
    await expect(harness.options("github", "create_pull_request", "base")).rejects.toMatchObject({
      code: "validation_failed",
      details: { field: "values.repository" },
    });
    const branches = await sentDuring(() =>
      harness.options("github", "create_pull_request", "base", undefined, {
        repository: "octocat/hello-world",
      }),
    );
    expect(branches.sent.map(line)).toEqual(["GET /repos/octocat/hello-world/branches"]);
    expectGitHubHeaders(branches.sent[0]);
    expect(query(branches.sent[0])).toEqual({ per_page: "100" });
    expect(branches.result).toEqual([
      { value: "feature-readme", label: "feature-readme" },
      { value: "main", label: "main" },
    ]);
    expect(
      await harness.options("github", "create_pull_request", "head", undefined, {
        repository: "octocat/hello-world",
      }),
    ).toEqual(branches.result);
    await expect(
      harness.options("github", "create_pull_request", "base", undefined, {
        repository: "octocat/no-such-repo",
      }),
    ).rejects.toMatchObject({ code: "upstream_error" });
  });

  it("searches issues with advanced search, and code", async () => {
    const issues = await sentDuring(() =>
      harness.call("github", "search_issues", {
        q: "repo:octocat/hello-world is:issue is:open safari",
        sort: "created",
        order: "asc",
      }),
    );
    expect(issues.result.isError, issues.result.text).toBe(false);
    expect(issues.sent.map(line)).toEqual(["GET /search/issues"]);
    expectGitHubHeaders(issues.sent[0]);
    expect(query(issues.sent[0])).toEqual({
      q: "repo:octocat/hello-world is:issue is:open safari",
      sort: "created",
      order: "asc",
      per_page: "30",
      advanced_search: "true",
    });
    expect(issues.result.output).toEqual({
      total_count: 1,
      issues: [
        expect.objectContaining({ number: 3, title: "Login fails on Safari", is_pull_request: false }),
      ],
    });

    const code = await sentDuring(() =>
      harness.call("github", "search_code", {
        q: "greet repo:octocat/hello-world extension:ts",
        per_page: 10,
      }),
    );
    expect(code.result.isError, code.result.text).toBe(false);
    expect(code.sent.map(line)).toEqual(["GET /search/code"]);
    expectGitHubHeaders(code.sent[0]);
    expect(query(code.sent[0])).toEqual({ q: "greet repo:octocat/hello-world extension:ts", per_page: "10" });
    expect(code.result.output).toEqual({
      total_count: 1,
      items: [
        {
          repository: "octocat/hello-world",
          path: "src/app.ts",
          name: "app.ts",
          sha: emulator.blobSha(Buffer.from(appSource)),
          html_url: expect.stringMatching(
            /^https:\/\/github\.com\/octocat\/hello-world\/blob\/[0-9a-f]{40}\/src\/app\.ts$/,
          ),
        },
      ],
    });
  });

  it("is called through MCP: tools/list describes the tools, tools/call creates the issue on GitHub", async () => {
    const server = await createServer(harness.userId, "github over mcp");
    await addTool(
      harness.userId,
      server.id,
      addToolSchema.parse({ integration: "github", action: "create_issue", name: "open_bug", connectionId }),
    );
    await addTool(
      harness.userId,
      server.id,
      addToolSchema.parse({
        integration: "github",
        action: "get_file",
        name: "read_hello_world",
        fields: { repository: { mode: "fixed", value: repository } },
      }),
    );
    const snapshot = await resolveServerBySecret(secretOfUrl(server.url));
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const mcp = buildMcpServer(snapshot!);
    await mcp.connect(serverSide);
    const client = new Client({ name: "github-test", version: "1.0.0" });
    await client.connect(clientSide);
    try {
      const { tools } = await client.listTools();
      const openBug = tools.find((tool) => tool.name === "open_bug");
      expect(openBug?.annotations).toMatchObject({
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      });
      expect(openBug?.inputSchema.required).toEqual(["repository", "title"]);
      expect(openBug?.inputSchema.properties).toMatchObject({
        repository: { type: "string", description: expect.stringContaining("owner/name") },
        labels: { type: "array", items: { type: "string" } },
        milestone: { type: "integer" },
      });
      expect(openBug?.outputSchema?.properties).toHaveProperty("is_pull_request");
      const readFile = tools.find((tool) => tool.name === "read_hello_world");
      expect(Object.keys(readFile?.inputSchema.properties ?? {})).toEqual(["path", "ref"]);
      expect(readFile?.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true });

      const { result, sent } = await sentDuring(() =>
        client.callTool({ name: "open_bug", arguments: { repository, title: "Filed over MCP" } }),
      );
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({
        title: "Filed over MCP",
        state: "open",
        user: "octocat",
      });
      expect(sent.map(line)).toEqual(["POST /repos/octocat/hello-world/issues"]);
      expectGitHubHeaders(sent[0], { json: true });
      expect(JSON.parse(sent[0]!.rawBody)).toEqual({ title: "Filed over MCP" });

      const file = await sentDuring(() =>
        client.callTool({ name: "read_hello_world", arguments: { path: "src/app.ts" } }),
      );
      expect(file.result.structuredContent).toMatchObject({ path: "src/app.ts", content: appSource });
      expect(file.sent.map(line)).toEqual(["GET /repos/octocat/hello-world/contents/src/app.ts"]);
      // The repository is fixed for this tool: the model cannot point it elsewhere.
      const refused = await sentDuring(() =>
        client.callTool({
          name: "read_hello_world",
          arguments: { path: "README.md", repository: "octocat/secret-plans" },
        }),
      );
      expect(refused.result.isError).toBe(true);
      expect(refused.sent).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it("tests the connection with GET /user", async () => {
    const { result, sent } = await sentDuring(() => harness.testConnection(connectionId));
    expect(result).toEqual({ ok: true, account: "octocat" });
    expect(sent.map(line)).toEqual(["GET /user"]);
    expectGitHubHeaders(sent[0]);
  });

  it("answers GitHub's 404 and 422 as the tool's error, with GitHub's message", async () => {
    const missing = await sentDuring(() =>
      harness.call("github", "get_issue", { repository: "octocat/nope", issue_number: 1 }),
    );
    expect(missing.result.isError).toBe(true);
    expect(missing.result.text).toBe("GitHub refused the request (HTTP 404): Not Found");
    expect(missing.sent.map(line)).toEqual(["GET /repos/octocat/nope/issues/1"]);

    const invalid = await sentDuring(() =>
      harness.call("github", "create_issue", {
        repository,
        title: "Assign a stranger",
        assignees: ["nobody"],
      }),
    );
    expect(invalid.result.isError).toBe(true);
    expect(invalid.result.text).toBe(
      'GitHub refused the request (HTTP 422): Validation Failed: Issue.assignees is invalid ("nobody")',
    );
    expect(invalid.sent).toHaveLength(1);

    const exists = await harness.call("github", "create_pull_request", {
      repository,
      title: "Nothing new",
      head: "main",
      base: "main",
    });
    expect(exists.text).toBe(
      "GitHub refused the request (HTTP 422): Validation Failed: No commits between main and main",
    );

    const badName = await sentDuring(() =>
      harness.call("github", "get_issue", { repository: "not a repository", issue_number: 1 }),
    );
    expect(badName.result.isError).toBe(true);
    expect(badName.sent).toEqual([]);
  });

  it("retries a read after a 5xx, and waits out a secondary rate limit", async () => {
    emulator.injectOnce({ status: 502, text: "Bad Gateway" }, "GET /repos/:owner/:repo/issues/:issue_number");
    const read = await sentDuring(() => harness.call("github", "get_issue", { repository, issue_number: 2 }));
    expect(read.result.isError, read.result.text).toBe(false);
    expect(read.sent.map(line)).toEqual([
      "GET /repos/octocat/hello-world/issues/2",
      "GET /repos/octocat/hello-world/issues/2",
    ]);

    emulator.injectOnce(
      {
        status: 403,
        headers: { "retry-after": "1", "x-ratelimit-remaining": "4990" },
        json: {
          message:
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
          documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
          status: "403",
        },
      },
      "POST /repos/:owner/:repo/issues/:issue_number/comments",
    );
    const started = Date.now();
    const comment = await sentDuring(() =>
      harness.call("github", "add_issue_comment", { repository, issue_number: 2, body: "Once." }),
    );
    expect(comment.result.isError, comment.result.text).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(comment.sent.map(line)).toEqual([
      "POST /repos/octocat/hello-world/issues/2/comments",
      "POST /repos/octocat/hello-world/issues/2/comments",
    ]);
  });

  it("stops at GitHub's primary rate limit (403, x-ratelimit-remaining 0) until its reset", async () => {
    const limited = await harness.connectWithKey("github", { token: githubToken }, "limited");
    const reset = Math.floor(Date.now() / 1000) + 3600;
    emulator.injectOnce(
      {
        status: 403,
        headers: {
          "x-ratelimit-limit": "5000",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(reset),
        },
        json: {
          message: "API rate limit exceeded for user ID 583231.",
          documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
          status: "403",
        },
      },
      "GET /repos/:owner/:repo/issues",
    );
    const result = await harness.call("github", "list_issues", { repository }, { connectionId: limited });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/GitHub is rate limiting this account \(HTTP 403\): API rate limit exceeded/);
    expect(result.text).toContain(`Try again after ${new Date(reset * 1000).toISOString().slice(0, 16)}`);
    const requests = emulator.requests.length;
    const paused = await harness.call(
      "github",
      "get_issue",
      { repository, issue_number: 1 },
      { connectionId: limited },
    );
    expect(paused.isError).toBe(true);
    expect(emulator.requests.length).toBe(requests);
  });

  it("marks a connection whose token GitHub rejects (401 Bad credentials) as needing reconnection", async () => {
    const revoked = await harness.connectWithKey(
      "github",
      { token: "ghp_revoked000000000000000000000000000" },
      "revoked",
    );
    const result = await harness.call("github", "list_repositories", {}, { connectionId: revoked });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(
      /^GitHub rejected the connection's credentials \(HTTP 401\): Bad credentials.*Reconnect/,
    );
    const row = await getDb().connection.findUniqueOrThrow({ where: { id: revoked } });
    expect(row.status).toBe("NEEDS_RECONNECT");
    expect(await harness.testConnection(revoked)).toMatchObject({ ok: false, reconnectNeeded: true });
  });

  it("has an emulator that refuses what GitHub refuses", async () => {
    const headers = {
      authorization: `Bearer ${githubToken}`,
      accept: "application/vnd.github+json",
      "x-github-api-version": "2022-11-28",
      "user-agent": "test",
      "content-type": "application/json",
    };
    const post = (body: unknown, extra: Record<string, string> = {}) =>
      fetch(`${emulator.url}/repos/${repository}/issues`, {
        method: "POST",
        headers: { ...headers, ...extra },
        body: JSON.stringify(body),
      }).then(async (response) => ({ status: response.status, body: await response.json() }));
    expect(await post({ body: "no title" })).toMatchObject({
      status: 422,
      body: { message: 'Invalid request.\n\n"title" wasn\'t supplied.' },
    });
    expect(await post({ title: "x", repository })).toMatchObject({
      status: 422,
      body: { message: 'Invalid request.\n\n"repository" is not a permitted key.' },
    });
    expect(await post({ title: "x" }, { "x-github-api-version": "2021-01-01" })).toMatchObject({
      status: 400,
    });
    expect(await post({ title: "x" }, { authorization: "Bearer wrong" })).toEqual({
      status: 401,
      body: { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" },
    });
    const list = await fetch(`${emulator.url}/repos/${repository}/issues?state=done&per_page=10`, {
      headers,
    });
    expect(list.status).toBe(422);
    expect(await list.json()).toMatchObject({
      message: "Validation Failed",
      errors: [{ resource: "Issue", field: "state", code: "invalid", value: "done" }],
    });
  });

  it("sent every request with GitHub's headers", () => {
    const fromPlatform = emulator.requests.filter((request) => request.headers["user-agent"] !== "test");
    expect(fromPlatform.length).toBeGreaterThan(25);
    for (const request of fromPlatform) {
      expect(request.headers.authorization).toMatch(/^token (ghp_\w+)$/);
      expect(request.headers.accept).toBe("application/vnd.github+json");
      expect(request.headers["x-github-api-version"]).toBe("2022-11-28");
      expect(request.headers["user-agent"]).toMatch(/^toolgate /);
    }
  });
});
