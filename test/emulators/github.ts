// GitHub's REST API (version 2022-11-28) as https://github.com/github/rest-api-description defines
// it, for the operations the GitHub app uses: `Authorization: token|Bearer`, a User-Agent on every
// request, the Accept and X-GitHub-Api-Version headers checked when sent, request bodies checked
// against each operation's schema (required fields, types, enums, and no keys it does not define),
// query parameters checked likewise, and GitHub's answers: its objects, Link pagination, rate limit
// headers, and its errors (`{message, documentation_url, status}`, 422 `Validation Failed` with
// `errors: [{resource, field, code}]`, `Invalid request.\n\n"x" wasn't supplied.`). Stricter than
// GitHub about query parameters it would ignore or clamp (unknown names, per_page over 100): they
// are refused, so tests prove none are sent.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { type EmulatedRequest, type Handler, type Reply, route, startEmulator } from "./emulator";

export const githubToken = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";
export const githubUser = "octocat";
export const appSource = 'export function greet(name: string) {\n  return "Hello, " + name;\n}\n';
export const supportedVersions = ["2026-03-10", "2022-11-28"];
const docs = "https://docs.github.com/rest";
const collaborators = new Set(["octocat", "hubot", "monalisa"]);

function githubError(status: number, message: string, extra: Record<string, unknown> = {}): Reply {
  return { status, json: { message, ...extra, documentation_url: docs, status: String(status) } };
}

const notFound = () => githubError(404, "Not Found");

function validationFailed(
  errors: Array<{ resource?: string; field?: string; code: string; value?: unknown; message?: string }>,
): Reply {
  return githubError(422, "Validation Failed", { errors });
}

const invalidRequest = (detail: string) => githubError(422, `Invalid request.\n\n${detail}`);

/** The body against the operation's schema, or GitHub's answer to a body that breaks it. */
function readBody<T>(
  request: EmulatedRequest,
  schema: z.ZodType<T>,
): { ok: true; body: T } | { ok: false; reply: Reply } {
  const raw = request.body ?? {};
  if (typeof raw !== "object" || Array.isArray(raw))
    return { ok: false, reply: githubError(400, "Problems parsing JSON") };
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, body: parsed.data };
  const issue = parsed.error.issues[0]!;
  if (issue.code === "unrecognized_keys")
    return { ok: false, reply: invalidRequest(`"${issue.keys[0]}" is not a permitted key.`) };
  const value = issue.path.reduce<unknown>(
    (parent, key) => (parent as Record<PropertyKey, unknown> | undefined)?.[key],
    raw,
  );
  if (value === undefined && issue.path.length === 1)
    return { ok: false, reply: invalidRequest(`"${String(issue.path[0])}" wasn't supplied.`) };
  const property = `properties/${issue.path.join("/")}`;
  const expected =
    issue.code === "invalid_value"
      ? `one of ${JSON.stringify(issue.values)}`
      : issue.code === "invalid_type"
        ? `a ${issue.expected}`
        : "valid";
  return {
    ok: false,
    reply: invalidRequest(`For '${property}', ${JSON.stringify(value)} is not ${expected}.`),
  };
}

/** Query parameters against the operation's, answered as GitHub answers a bad one (a 422). */
function readQuery<T>(
  request: EmulatedRequest,
  schema: z.ZodType<T>,
  resource: string,
): { ok: true; query: T } | { ok: false; reply: Reply } {
  const parsed = schema.safeParse(Object.fromEntries(request.query));
  if (parsed.success) return { ok: true, query: parsed.data };
  const issue = parsed.error.issues[0]!;
  const field = issue.code === "unrecognized_keys" ? (issue.keys[0] ?? "") : String(issue.path[0] ?? "");
  const value = request.query.get(field);
  if (value === null) return { ok: false, reply: validationFailed([{ resource, field, code: "missing" }]) };
  return { ok: false, reply: validationFailed([{ resource, field, code: "invalid", value }]) };
}

const perPage = z.coerce.number().int().min(1).max(100).optional();
const pageNumber = z.coerce.number().int().min(1).optional();
const direction = z.enum(["asc", "desc"]).optional();
const stringOrNumber = z.union([z.string(), z.number()]);
const labelInput = z.union([
  z.string(),
  z.object({
    id: z.number().optional(),
    name: z.string().optional(),
    description: z.string().nullable().optional(),
    color: z.string().nullable().optional(),
  }),
]);

// Request bodies and queries of the operations, as the description defines them.
const issueCreate = z.strictObject({
  title: stringOrNumber,
  body: z.string().optional(),
  assignee: z.string().nullable().optional(),
  milestone: stringOrNumber.nullable().optional(),
  labels: z.array(labelInput).optional(),
  assignees: z.array(z.string()).optional(),
  type: z.string().nullable().optional(),
});
const issueUpdate = z.strictObject({
  title: stringOrNumber.nullable().optional(),
  body: z.string().nullable().optional(),
  assignee: z.string().nullable().optional(),
  state: z.enum(["open", "closed"]).optional(),
  state_reason: z.enum(["completed", "not_planned", "duplicate", "reopened"]).nullable().optional(),
  duplicate_issue_id: z.number().optional(),
  milestone: stringOrNumber.nullable().optional(),
  labels: z.array(labelInput).optional(),
  assignees: z.array(z.string()).optional(),
  type: z.string().nullable().optional(),
});
const issueListQuery = z.strictObject({
  milestone: z.string().optional(),
  state: z.enum(["open", "closed", "all"]).optional(),
  assignee: z.string().optional(),
  type: z.string().optional(),
  creator: z.string().optional(),
  mentioned: z.string().optional(),
  labels: z.string().optional(),
  sort: z.enum(["created", "updated", "comments"]).optional(),
  direction,
  since: z.iso.datetime().optional(),
  per_page: perPage,
  page: pageNumber,
});
const commentCreate = z.strictObject({ body: z.string() });
const pullCreate = z.strictObject({
  title: z.string().optional(),
  head: z.string(),
  head_repo: z.string().optional(),
  base: z.string(),
  body: z.string().optional(),
  maintainer_can_modify: z.boolean().optional(),
  draft: z.boolean().optional(),
  issue: z.number().int().optional(),
});
const pullListQuery = z.strictObject({
  state: z.enum(["open", "closed", "all"]).optional(),
  head: z.string().optional(),
  base: z.string().optional(),
  sort: z.enum(["created", "updated", "popularity", "long-running"]).optional(),
  direction,
  per_page: perPage,
  page: pageNumber,
});
const pullMerge = z.strictObject({
  commit_title: z.string().optional(),
  commit_message: z.string().optional(),
  sha: z.string().optional(),
  merge_method: z.enum(["merge", "squash", "rebase"]).optional(),
});
const person = z.strictObject({ name: z.string(), email: z.string(), date: z.string().optional() });
const fileWrite = z.strictObject({
  message: z.string(),
  content: z.string(),
  sha: z.string().optional(),
  branch: z.string().optional(),
  committer: person.optional(),
  author: person.optional(),
});
const contentQuery = z.strictObject({ ref: z.string().optional() });
const branchListQuery = z.strictObject({
  protected: z.enum(["true", "false"]).optional(),
  per_page: perPage,
  page: pageNumber,
});

const repoListQuery = z.strictObject({
  visibility: z.enum(["all", "public", "private"]).optional(),
  affiliation: z.string().optional(),
  type: z.enum(["all", "owner", "public", "private", "member"]).optional(),
  sort: z.enum(["created", "updated", "pushed", "full_name"]).optional(),
  direction,
  per_page: perPage,
  page: pageNumber,
  since: z.iso.datetime().optional(),
  before: z.iso.datetime().optional(),
});
const issueSearchQuery = z.strictObject({
  q: z.string().min(1),
  sort: z
    .enum([
      "comments",
      "reactions",
      "reactions-+1",
      "reactions--1",
      "reactions-smile",
      "reactions-thinking_face",
      "reactions-heart",
      "reactions-tada",
      "interactions",
      "created",
      "updated",
    ])
    .optional(),
  order: z.enum(["desc", "asc"]).optional(),
  per_page: perPage,
  page: pageNumber,
  advanced_search: z.enum(["true", "false"]).optional(),
  search_type: z.enum(["semantic", "hybrid"]).optional(),
});
const codeSearchQuery = z.strictObject({
  q: z.string().min(1),
  sort: z.literal("indexed").optional(),
  order: z.enum(["desc", "asc"]).optional(),
  per_page: perPage,
  page: pageNumber,
});

type Repository = {
  id: number;
  owner: string;
  name: string;
  private: boolean;
  description: string | null;
  defaultBranch: string;
  createdAt: string;
  updatedAt: string;
  /** Branch → path → content. */
  branches: Map<string, Map<string, Buffer>>;
  heads: Map<string, string>;
  labels: Set<string>;
  milestones: Set<number>;
  issues: Map<number, IssueRecord>;
};

type IssueRecord = {
  id: number;
  number: number;
  title: string;
  body: string | null;
  user: string;
  state: "open" | "closed";
  stateReason: string | null;
  labels: string[];
  assignees: string[];
  milestone: number | null;
  comments: number;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  pull?: {
    id: number;
    head: string;
    base: string;
    headSha: string;
    draft: boolean;
    merged: boolean;
    mergedAt: string | null;
    mergeCommitSha: string | null;
    maintainerCanModify: boolean;
  };
};

const blobSha = (content: Buffer) =>
  createHash("sha1")
    .update(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]))
    .digest("hex");
const newCommitSha = () => randomBytes(20).toString("hex");

/** Base64 as the contents API gives it: wrapped at 60 characters. */
const wrappedBase64 = (content: Buffer) =>
  `${(content.toString("base64").match(/.{1,60}/g) ?? []).join("\n")}\n`;

export type GitHubEmulator = Awaited<ReturnType<typeof startGitHubEmulator>>;

export async function startGitHubEmulator() {
  let nextId = 1_000;
  let requestCount = 0;
  const resetAt = Math.floor(Date.now() / 1000) + 3600;
  const now = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const repositories = new Map<string, Repository>();

  function addRepository(
    owner: string,
    name: string,
    options: { private?: boolean; description?: string; files?: Record<string, string>; branches?: string[] },
  ): Repository {
    const files = new Map(
      Object.entries(options.files ?? {}).map(([path, text]) => [path, Buffer.from(text)]),
    );
    const repository: Repository = {
      id: nextId++,
      owner,
      name,
      private: options.private ?? false,
      description: options.description ?? null,
      defaultBranch: "main",
      createdAt: "2024-01-26T19:01:12Z",
      updatedAt: `2025-0${repositories.size + 1}-14T10:00:00Z`,
      branches: new Map([["main", files]]),
      heads: new Map([["main", newCommitSha()]]),
      labels: new Set(["bug", "enhancement", "documentation"]),
      milestones: new Set([1]),
      issues: new Map(),
    };
    for (const branch of options.branches ?? []) {
      repository.branches.set(branch, new Map(files));
      repository.heads.set(branch, newCommitSha());
    }
    repositories.set(`${owner}/${name}`.toLowerCase(), repository);
    return repository;
  }

  const hello = addRepository("octocat", "hello-world", {
    description: "My first repository on GitHub!",
    files: {
      "README.md":
        "# Hello World\n\nHello, world! This line is long enough that its base64 spans several lines.\n",
      "src/app.ts": appSource,
    },
    branches: ["feature-readme"],
  });
  hello.branches.get("feature-readme")!.set("README.md", Buffer.from("# Hello World\n\nNow with docs.\n"));
  hello.branches.get("main")!.set("assets/logo.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x00]));
  addRepository("octocat", "secret-plans", { private: true });
  addRepository("acme", "website", {
    description: "acme.example",
    files: { "index.html": "<h1>acme</h1>\n" },
  });

  function seedIssue(repository: Repository, fields: Partial<IssueRecord> & { title: string }) {
    const number = repository.issues.size + 1;
    const issue: IssueRecord = {
      id: nextId++,
      number,
      body: null,
      user: "octocat",
      state: "open",
      stateReason: null,
      labels: [],
      assignees: [],
      milestone: null,
      comments: 0,
      createdAt: `2025-02-0${number}T09:00:00Z`,
      updatedAt: `2025-02-0${number}T09:00:00Z`,
      closedAt: null,
      ...fields,
    };
    repository.issues.set(number, issue);
    return issue;
  }
  seedIssue(hello, { title: "Crash on start", body: "It crashes when started twice.", labels: ["bug"] });
  seedIssue(hello, {
    title: "Old idea",
    state: "closed",
    stateReason: "not_planned",
    closedAt: "2025-02-03T10:00:00Z",
  });

  const apiUrl = (request: EmulatedRequest) => `http://${request.headers.host ?? "127.0.0.1"}`;
  const userJson = (base: string, login: string) => ({
    login,
    id: login === "octocat" ? 583231 : 108_000 + login.length,
    node_id: `MDQ6VXNlcj${login}`,
    avatar_url: `https://avatars.githubusercontent.com/u/583231?v=4`,
    url: `${base}/users/${login}`,
    html_url: `https://github.com/${login}`,
    type: "User",
    site_admin: false,
  });
  const repositoryJson = (base: string, repository: Repository) => {
    const fullName = `${repository.owner}/${repository.name}`;
    return {
      id: repository.id,
      node_id: `R_kgDO${repository.id}`,
      name: repository.name,
      full_name: fullName,
      private: repository.private,
      owner: userJson(base, repository.owner),
      html_url: `https://github.com/${fullName}`,
      description: repository.description,
      fork: false,
      url: `${base}/repos/${fullName}`,
      created_at: repository.createdAt,
      updated_at: repository.updatedAt,
      pushed_at: repository.updatedAt,
      default_branch: repository.defaultBranch,
      visibility: repository.private ? "private" : "public",
      archived: false,
      disabled: false,
      open_issues_count: [...repository.issues.values()].filter((issue) => issue.state === "open").length,
      permissions: {
        admin: repository.owner === githubUser,
        maintain: true,
        push: true,
        triage: true,
        pull: true,
      },
    };
  };
  const labelJson = (base: string, repository: Repository, name: string) => ({
    id: 208_045_946 + name.length,
    node_id: `LA_${name}`,
    url: `${base}/repos/${repository.owner}/${repository.name}/labels/${encodeURIComponent(name)}`,
    name,
    description: null,
    color: "d73a4a",
    default: name === "bug",
  });
  const issueJson = (base: string, repository: Repository, issue: IssueRecord) => {
    const repoUrl = `${base}/repos/${repository.owner}/${repository.name}`;
    const htmlRepo = `https://github.com/${repository.owner}/${repository.name}`;
    return {
      id: issue.id,
      node_id: `I_kwDO${issue.id}`,
      url: `${repoUrl}/issues/${issue.number}`,
      repository_url: repoUrl,
      labels_url: `${repoUrl}/issues/${issue.number}/labels{/name}`,
      comments_url: `${repoUrl}/issues/${issue.number}/comments`,
      events_url: `${repoUrl}/issues/${issue.number}/events`,
      html_url: `${htmlRepo}/${issue.pull ? "pull" : "issues"}/${issue.number}`,
      number: issue.number,
      state: issue.state,
      state_reason: issue.stateReason,
      title: issue.title,
      body: issue.body,
      user: userJson(base, issue.user),
      labels: issue.labels.map((name) => labelJson(base, repository, name)),
      assignee: issue.assignees[0] ? userJson(base, issue.assignees[0]) : null,
      assignees: issue.assignees.map((login) => userJson(base, login)),
      milestone: issue.milestone === null ? null : { number: issue.milestone, title: "v1.0", state: "open" },
      locked: false,
      active_lock_reason: null,
      comments: issue.comments,
      ...(issue.pull && {
        pull_request: {
          url: `${repoUrl}/pulls/${issue.number}`,
          html_url: `${htmlRepo}/pull/${issue.number}`,
          diff_url: `${htmlRepo}/pull/${issue.number}.diff`,
          patch_url: `${htmlRepo}/pull/${issue.number}.patch`,
          merged_at: issue.pull.mergedAt,
        },
      }),
      closed_at: issue.closedAt,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      author_association: "OWNER",
    };
  };
  const pullJson = (base: string, repository: Repository, issue: IssueRecord, full: boolean) => {
    const pull = issue.pull!;
    const repoUrl = `${base}/repos/${repository.owner}/${repository.name}`;
    const htmlUrl = `https://github.com/${repository.owner}/${repository.name}/pull/${issue.number}`;
    const branch = (ref: string, sha: string) => ({
      label: `${repository.owner}:${ref}`,
      ref,
      sha,
      user: userJson(base, repository.owner),
      repo: repositoryJson(base, repository),
    });
    return {
      url: `${repoUrl}/pulls/${issue.number}`,
      id: pull.id,
      node_id: `PR_kwDO${pull.id}`,
      html_url: htmlUrl,
      diff_url: `${htmlUrl}.diff`,
      patch_url: `${htmlUrl}.patch`,
      issue_url: `${repoUrl}/issues/${issue.number}`,
      number: issue.number,
      state: issue.state,
      locked: false,
      title: issue.title,
      user: userJson(base, issue.user),
      body: issue.body,
      labels: issue.labels.map((name) => labelJson(base, repository, name)),
      milestone: null,
      active_lock_reason: null,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      closed_at: issue.closedAt,
      merged_at: pull.mergedAt,
      merge_commit_sha: pull.mergeCommitSha,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      head: branch(pull.head, pull.headSha),
      base: branch(pull.base, repository.heads.get(pull.base) ?? ""),
      author_association: "OWNER",
      draft: pull.draft,
      ...(full && {
        merged: pull.merged,
        mergeable: issue.state === "open" ? !pull.draft : null,
        mergeable_state: pull.draft ? "draft" : "clean",
        merged_by: pull.merged ? userJson(base, githubUser) : null,
        comments: issue.comments,
        review_comments: 0,
        maintainer_can_modify: pull.maintainerCanModify,
        commits: 1,
        additions: 1,
        deletions: 1,
        changed_files: 1,
      }),
    };
  };

  /** One page of `items`, with GitHub's Link header when there are more. */
  function pageOf<T>(request: EmulatedRequest, items: T[], query: { per_page?: number; page?: number }) {
    const size = query.per_page ?? 30;
    const current = query.page ?? 1;
    const last = Math.max(1, Math.ceil(items.length / size));
    const link = (page: number, rel: string) => {
      const url = new URL(request.path, apiUrl(request));
      for (const [name, value] of request.query) url.searchParams.set(name, value);
      url.searchParams.set("page", String(page));
      return `<${url.toString()}>; rel="${rel}"`;
    };
    const links = [
      ...(current < last ? [link(current + 1, "next"), link(last, "last")] : []),
      ...(current > 1 ? [link(1, "first"), link(current - 1, "prev")] : []),
    ];
    return {
      items: items.slice((current - 1) * size, current * size),
      headers: links.length ? { link: links.join(", ") } : ({} as Record<string, string>),
    };
  }

  function findRepository(params: Record<string, string>): Repository | undefined {
    return repositories.get(`${params.owner}/${params.repo}`.toLowerCase());
  }

  function invalidAssignees(logins: string[] | undefined) {
    const unknown = (logins ?? []).filter((login) => !collaborators.has(login));
    return unknown.length
      ? validationFailed(
          unknown.map((value) => ({ value, resource: "Issue", field: "assignees", code: "invalid" })),
        )
      : undefined;
  }

  const labelNames = (labels: z.infer<typeof labelInput>[]) =>
    labels.map((label) => (typeof label === "string" ? label : (label.name ?? ""))).filter(Boolean);

  /** A route whose answers carry GitHub's rate limit and version headers. */
  function gh(method: string, path: string, handle: Handler) {
    return route(method, path, async (request, params) => {
      const reply = await handle(request, params);
      return {
        ...reply,
        headers: {
          "x-github-api-version-selected": String(request.headers["x-github-api-version"] ?? "2022-11-28"),
          "x-ratelimit-limit": "5000",
          "x-ratelimit-remaining": String(Math.max(0, 5000 - requestCount)),
          "x-ratelimit-reset": String(resetAt),
          "x-ratelimit-used": String(requestCount),
          "x-ratelimit-resource": path.startsWith("/search/code")
            ? "code_search"
            : path.startsWith("/search")
              ? "search"
              : "core",
          ...reply.headers,
        },
      };
    });
  }

  /** The repository of a route, or GitHub's 404 (also for private repositories one cannot see). */
  function inRepository(
    handle: (request: EmulatedRequest, params: Record<string, string>, repository: Repository) => Reply,
  ): Handler {
    return (request, params) => {
      const repository = findRepository(params);
      return repository ? handle(request, params, repository) : notFound();
    };
  }

  function issueFilter(issue: IssueRecord, query: z.infer<typeof issueListQuery>) {
    const state = query.state ?? "open";
    if (state !== "all" && issue.state !== state) return false;
    const wanted = (query.labels ?? "").split(",").filter(Boolean);
    if (!wanted.every((label) => issue.labels.includes(label))) return false;
    if (query.assignee === "none" && issue.assignees.length) return false;
    if (query.assignee === "*" && !issue.assignees.length) return false;
    if (
      query.assignee &&
      !["none", "*"].includes(query.assignee) &&
      !issue.assignees.includes(query.assignee)
    )
      return false;
    if (query.creator && issue.user !== query.creator) return false;
    return true;
  }

  /** Words and qualifiers of a search query (quoted phrases kept whole; AND/OR/NOT ignored). */
  function parseSearch(q: string) {
    const qualifiers: Array<[string, string]> = [];
    const words: string[] = [];
    for (const match of q.matchAll(/(-?[\w-]+):("[^"]*"|\S+)|"([^"]*)"|(\S+)/g)) {
      if (match[1]) qualifiers.push([match[1].toLowerCase(), match[2]!.replace(/^"|"$/g, "")]);
      else {
        const word = (match[3] ?? match[4] ?? "").replace(/[()]/g, "");
        if (word && !["AND", "OR", "NOT"].includes(word)) words.push(word.toLowerCase());
      }
    }
    return { qualifiers, words };
  }

  const visibleRepositories = () => [...repositories.values()];

  const emulator = await startEmulator({
    name: "github",
    authenticate: (request) => {
      requestCount++;
      if (!request.headers["user-agent"])
        return githubError(
          403,
          "Request forbidden by administrative rules. Please make sure your request has a User-Agent header.",
        );
      const version = request.headers["x-github-api-version"];
      if (version !== undefined && !supportedVersions.includes(String(version)))
        return githubError(
          400,
          `The version you specified in the "X-GitHub-Api-Version" request header, "${String(version)}", is not a supported version. The following versions are currently supported: ${supportedVersions.map((known) => `"${known}"`).join(", ")}.`,
        );
      const accept = request.headers.accept;
      const mediaTypes = String(accept ?? "*/*")
        .split(",")
        .map((type) => type.split(";")[0]!.trim());
      const known =
        /^(\*\/\*|application\/json|application\/vnd\.github(\.v3)?(\.(raw|html|text|full|object|text-match|diff|patch|sha))?(\+json)?)$/;
      if (!mediaTypes.every((type) => known.test(type)))
        return githubError(415, `Unsupported 'Accept' header: ${JSON.stringify(String(accept))}.`);
      const authorization = String(request.headers.authorization ?? "");
      if (!authorization) return githubError(401, "Requires authentication");
      const match = /^(token|bearer)\s+(\S+)$/i.exec(authorization);
      if (match?.[2] !== githubToken) return githubError(401, "Bad credentials");
      return undefined;
    },
    notFound,
    routes: [
      gh("GET", "/user", (request) => ({
        json: {
          ...userJson(apiUrl(request), githubUser),
          name: "The Octocat",
          company: "@github",
          email: "octocat@github.com",
          public_repos: 2,
          followers: 20,
          following: 0,
          created_at: "2011-01-25T18:44:36Z",
          updated_at: "2025-01-22T12:00:00Z",
        },
      })),
      gh("GET", "/user/repos", (request) => {
        const read = readQuery(request, repoListQuery, "Repository");
        if (!read.ok) return read.reply;
        const { query } = read;
        if (query.type && (query.visibility || query.affiliation))
          return validationFailed([
            {
              resource: "Repository",
              field: "type",
              code: "invalid",
              message: "If you specify visibility or affiliation, you cannot specify type.",
            },
          ]);
        const sort = query.sort ?? "full_name";
        const order = query.direction ?? (sort === "full_name" ? "asc" : "desc");
        const list = visibleRepositories()
          .filter((repository) =>
            query.visibility === "public"
              ? !repository.private
              : query.visibility === "private"
                ? repository.private
                : true,
          )
          .sort((a, b) => {
            const key = (repository: Repository) =>
              sort === "full_name" ? `${repository.owner}/${repository.name}` : repository.updatedAt;
            return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
          });
        if (order === "desc") list.reverse();
        const page = pageOf(request, list, query);
        return {
          json: page.items.map((repository) => repositoryJson(apiUrl(request), repository)),
          headers: page.headers,
        };
      }),
      // List branches: name, head commit and protection, paged like every list (per_page up to 100).
      gh(
        "GET",
        "/repos/:owner/:repo/branches",
        inRepository((request, params, repository) => {
          const read = readQuery(request, branchListQuery, "Branch");
          if (!read.ok) return read.reply;
          const names = [...repository.branches.keys()].sort();
          const page = pageOf(request, read.query.protected === "true" ? [] : names, read.query);
          return {
            json: page.items.map((name) => {
              const sha = createHash("sha1").update(`${params.owner}/${params.repo}@${name}`).digest("hex");
              return {
                name,
                commit: {
                  sha,
                  url: `${apiUrl(request)}/repos/${repository.owner}/${repository.name}/commits/${sha}`,
                },
                protected: false,
              };
            }),
            headers: page.headers,
          };
        }),
      ),
      gh(
        "GET",
        "/repos/:owner/:repo/issues",
        inRepository((request, _params, repository) => {
          const read = readQuery(request, issueListQuery, "Issue");
          if (!read.ok) return read.reply;
          const { query } = read;
          const sort = query.sort ?? "created";
          const list = [...repository.issues.values()]
            .filter((issue) => issueFilter(issue, query))
            .sort((a, b) =>
              sort === "comments"
                ? a.comments - b.comments
                : (sort === "updated" ? a.updatedAt : a.createdAt).localeCompare(
                    sort === "updated" ? b.updatedAt : b.createdAt,
                  ) || a.number - b.number,
            );
          if ((query.direction ?? "desc") === "desc") list.reverse();
          const page = pageOf(request, list, query);
          return {
            json: page.items.map((issue) => issueJson(apiUrl(request), repository, issue)),
            headers: page.headers,
          };
        }),
      ),
      gh(
        "POST",
        "/repos/:owner/:repo/issues",
        inRepository((request, _params, repository) => {
          const read = readBody(request, issueCreate);
          if (!read.ok) return read.reply;
          const { body } = read;
          const wrongAssignees = invalidAssignees([
            ...(body.assignees ?? []),
            ...(body.assignee ? [body.assignee] : []),
          ]);
          if (wrongAssignees) return wrongAssignees;
          if (
            body.milestone !== undefined &&
            body.milestone !== null &&
            !repository.milestones.has(Number(body.milestone))
          )
            return validationFailed([
              { value: body.milestone, resource: "Issue", field: "milestone", code: "invalid" },
            ]);
          const labels = labelNames(body.labels ?? []);
          for (const label of labels) repository.labels.add(label);
          const issue = seedIssue(repository, {
            title: String(body.title),
            body: body.body ?? null,
            labels,
            assignees: body.assignees ?? (body.assignee ? [body.assignee] : []),
            milestone:
              body.milestone === undefined || body.milestone === null ? null : Number(body.milestone),
            createdAt: now(),
            updatedAt: now(),
          });
          const json = issueJson(apiUrl(request), repository, issue);
          return { status: 201, json, headers: { location: json.url } };
        }),
      ),
      gh(
        "GET",
        "/repos/:owner/:repo/issues/:issue_number",
        inRepository((request, params, repository) => {
          const issue = repository.issues.get(Number(params.issue_number));
          return issue ? { json: issueJson(apiUrl(request), repository, issue) } : notFound();
        }),
      ),
      gh(
        "PATCH",
        "/repos/:owner/:repo/issues/:issue_number",
        inRepository((request, params, repository) => {
          const issue = repository.issues.get(Number(params.issue_number));
          if (!issue) return notFound();
          const read = readBody(request, issueUpdate);
          if (!read.ok) return read.reply;
          const { body } = read;
          const wrongAssignees = invalidAssignees(body.assignees);
          if (wrongAssignees) return wrongAssignees;
          if (body.title !== undefined && body.title !== null) issue.title = String(body.title);
          if (body.body !== undefined) issue.body = body.body;
          if (body.labels) {
            issue.labels = labelNames(body.labels);
            for (const label of issue.labels) repository.labels.add(label);
          }
          if (body.assignees) issue.assignees = body.assignees;
          if (body.state === "closed" && issue.state === "open") {
            issue.state = "closed";
            issue.closedAt = now();
            issue.stateReason = body.state_reason ?? "completed";
          } else if (body.state === "open" && issue.state === "closed") {
            issue.state = "open";
            issue.closedAt = null;
            issue.stateReason = body.state_reason ?? "reopened";
          } else if (body.state_reason !== undefined) issue.stateReason = body.state_reason;
          issue.updatedAt = now();
          return { json: issueJson(apiUrl(request), repository, issue) };
        }),
      ),
      gh(
        "POST",
        "/repos/:owner/:repo/issues/:issue_number/comments",
        inRepository((request, params, repository) => {
          const issue = repository.issues.get(Number(params.issue_number));
          if (!issue) return notFound();
          const read = readBody(request, commentCreate);
          if (!read.ok) return read.reply;
          if (!read.body.body.trim())
            return validationFailed([{ resource: "IssueComment", field: "body", code: "missing_field" }]);
          issue.comments++;
          const id = nextId++;
          const repoUrl = `${apiUrl(request)}/repos/${repository.owner}/${repository.name}`;
          const json = {
            id,
            node_id: `IC_kwDO${id}`,
            url: `${repoUrl}/issues/comments/${id}`,
            html_url: `https://github.com/${repository.owner}/${repository.name}/issues/${issue.number}#issuecomment-${id}`,
            body: read.body.body,
            user: userJson(apiUrl(request), githubUser),
            created_at: now(),
            updated_at: now(),
            issue_url: `${repoUrl}/issues/${issue.number}`,
            author_association: "OWNER",
          };
          return { status: 201, json, headers: { location: json.url } };
        }),
      ),
      gh(
        "GET",
        "/repos/:owner/:repo/pulls",
        inRepository((request, _params, repository) => {
          const read = readQuery(request, pullListQuery, "PullRequest");
          if (!read.ok) return read.reply;
          const { query } = read;
          const state = query.state ?? "open";
          const list = [...repository.issues.values()].filter(
            (issue) =>
              issue.pull &&
              (state === "all" || issue.state === state) &&
              (!query.head || `${repository.owner}:${issue.pull.head}` === query.head) &&
              (!query.base || issue.pull.base === query.base),
          );
          if ((query.direction ?? "desc") === "desc") list.reverse();
          const page = pageOf(request, list, query);
          return {
            json: page.items.map((issue) => pullJson(apiUrl(request), repository, issue, false)),
            headers: page.headers,
          };
        }),
      ),
      gh(
        "POST",
        "/repos/:owner/:repo/pulls",
        inRepository((request, _params, repository) => {
          const read = readBody(request, pullCreate);
          if (!read.ok) return read.reply;
          const { body } = read;
          const [headOwner, headRef] = body.head.includes(":")
            ? (body.head.split(":", 2) as [string, string])
            : [repository.owner, body.head];
          if (!repository.branches.has(body.base))
            return validationFailed([{ resource: "PullRequest", field: "base", code: "invalid" }]);
          if (headOwner.toLowerCase() !== repository.owner.toLowerCase() || !repository.branches.has(headRef))
            return validationFailed([{ resource: "PullRequest", field: "head", code: "invalid" }]);
          if (body.title === undefined && body.issue === undefined)
            return validationFailed([{ resource: "PullRequest", field: "title", code: "missing_field" }]);
          const duplicate = [...repository.issues.values()].find(
            (issue) =>
              issue.pull &&
              issue.state === "open" &&
              issue.pull.head === headRef &&
              issue.pull.base === body.base,
          );
          if (duplicate)
            return validationFailed([
              {
                resource: "PullRequest",
                code: "custom",
                message: `A pull request already exists for ${repository.owner}:${headRef}.`,
              },
            ]);
          const headFiles = repository.branches.get(headRef)!;
          const baseFiles = repository.branches.get(body.base)!;
          const differs =
            headFiles.size !== baseFiles.size ||
            [...headFiles].some(([path, content]) => !baseFiles.get(path)?.equals(content));
          if (!differs)
            return validationFailed([
              {
                resource: "PullRequest",
                code: "custom",
                message: `No commits between ${body.base} and ${headRef}`,
              },
            ]);
          const issue = seedIssue(repository, {
            title: body.title ?? "",
            body: body.body ?? null,
            createdAt: now(),
            updatedAt: now(),
            pull: {
              id: nextId++,
              head: headRef,
              base: body.base,
              headSha: repository.heads.get(headRef)!,
              draft: body.draft ?? false,
              merged: false,
              mergedAt: null,
              mergeCommitSha: null,
              maintainerCanModify: body.maintainer_can_modify ?? false,
            },
          });
          const json = pullJson(apiUrl(request), repository, issue, true);
          return { status: 201, json, headers: { location: json.url } };
        }),
      ),
      gh(
        "GET",
        "/repos/:owner/:repo/pulls/:pull_number",
        inRepository((request, params, repository) => {
          const issue = repository.issues.get(Number(params.pull_number));
          return issue?.pull ? { json: pullJson(apiUrl(request), repository, issue, true) } : notFound();
        }),
      ),
      gh(
        "PUT",
        "/repos/:owner/:repo/pulls/:pull_number/merge",
        inRepository((request, params, repository) => {
          const issue = repository.issues.get(Number(params.pull_number));
          if (!issue?.pull) return notFound();
          const read = readBody(request, pullMerge);
          if (!read.ok) return read.reply;
          const pull = issue.pull;
          if (issue.state !== "open" || pull.merged) return githubError(405, "Pull Request is not mergeable");
          if (pull.draft) return githubError(405, "Pull Request is still a draft");
          if (read.body.sha && read.body.sha !== pull.headSha)
            return githubError(409, "Head branch was modified. Review and try the merge again.");
          const sha = newCommitSha();
          const baseFiles = repository.branches.get(pull.base)!;
          for (const [path, content] of repository.branches.get(pull.head) ?? [])
            baseFiles.set(path, content);
          repository.heads.set(pull.base, sha);
          Object.assign(pull, { merged: true, mergedAt: now(), mergeCommitSha: sha });
          Object.assign(issue, { state: "closed", closedAt: now(), updatedAt: now() });
          return { json: { sha, merged: true, message: "Pull Request successfully merged" } };
        }),
      ),
      gh(
        "GET",
        "/repos/:owner/:repo/contents/*",
        inRepository((request, params, repository) => {
          const read = readQuery(request, contentQuery, "Content");
          if (!read.ok) return read.reply;
          const ref = read.query.ref ?? repository.defaultBranch;
          const files = repository.branches.get(ref);
          if (!files) return githubError(404, `No commit found for the ref ${ref}`);
          const path = (params["*"] ?? "").replace(/\/+$/, "");
          const base = apiUrl(request);
          const fullName = `${repository.owner}/${repository.name}`;
          const entry = (entryPath: string, type: "file" | "dir", content?: Buffer) => {
            const sha = content ? blobSha(content) : createHash("sha1").update(entryPath).digest("hex");
            const url = `${base}/repos/${fullName}/contents/${entryPath}?ref=${ref}`;
            const htmlUrl = `https://github.com/${fullName}/${type === "file" ? "blob" : "tree"}/${ref}/${entryPath}`;
            const gitUrl = `${base}/repos/${fullName}/git/${type === "file" ? "blobs" : "trees"}/${sha}`;
            return {
              type,
              size: content?.length ?? 0,
              name: entryPath.split("/").at(-1) ?? entryPath,
              path: entryPath,
              sha,
              url,
              git_url: gitUrl,
              html_url: htmlUrl,
              download_url:
                type === "file" ? `https://raw.githubusercontent.com/${fullName}/${ref}/${entryPath}` : null,
              _links: { self: url, git: gitUrl, html: htmlUrl },
            };
          };
          const file = files.get(path);
          if (file)
            return {
              json: { ...entry(path, "file", file), content: wrappedBase64(file), encoding: "base64" },
            };
          const prefix = path ? `${path}/` : "";
          const children = new Map<string, ReturnType<typeof entry>>();
          for (const [filePath, content] of files) {
            if (!filePath.startsWith(prefix)) continue;
            const [name, ...rest] = filePath.slice(prefix.length).split("/");
            const childPath = `${prefix}${name}`;
            children.set(
              childPath,
              rest.length ? entry(childPath, "dir") : entry(childPath, "file", content),
            );
          }
          return children.size ? { json: [...children.values()] } : notFound();
        }),
      ),
      gh(
        "PUT",
        "/repos/:owner/:repo/contents/*",
        inRepository((request, params, repository) => {
          const read = readBody(request, fileWrite);
          if (!read.ok) return read.reply;
          const { body } = read;
          const path = params["*"] ?? "";
          if (!path) return notFound();
          const branch = body.branch ?? repository.defaultBranch;
          const files = repository.branches.get(branch);
          if (!files) return githubError(404, `Branch ${branch} not found`);
          if (!/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(body.content))
            return githubError(422, "content is not valid Base64");
          const existing = files.get(path);
          if (existing && body.sha === undefined) return invalidRequest(`"sha" wasn't supplied.`);
          if (existing && body.sha !== blobSha(existing))
            return githubError(409, `${path} does not match ${body.sha}`);
          const content = Buffer.from(body.content, "base64");
          files.set(path, content);
          const commitSha = newCommitSha();
          const parent = repository.heads.get(branch)!;
          repository.heads.set(branch, commitSha);
          const base = apiUrl(request);
          const fullName = `${repository.owner}/${repository.name}`;
          const sha = blobSha(content);
          const author = { name: "The Octocat", email: "octocat@github.com", date: now(), ...body.author };
          return {
            status: existing ? 200 : 201,
            json: {
              content: {
                name: path.split("/").at(-1),
                path,
                sha,
                size: content.length,
                url: `${base}/repos/${fullName}/contents/${path}?ref=${branch}`,
                html_url: `https://github.com/${fullName}/blob/${branch}/${path}`,
                git_url: `${base}/repos/${fullName}/git/blobs/${sha}`,
                download_url: `https://raw.githubusercontent.com/${fullName}/${branch}/${path}`,
                type: "file",
                _links: {
                  self: `${base}/repos/${fullName}/contents/${path}?ref=${branch}`,
                  git: `${base}/repos/${fullName}/git/blobs/${sha}`,
                  html: `https://github.com/${fullName}/blob/${branch}/${path}`,
                },
              },
              commit: {
                sha: commitSha,
                node_id: `C_kwDO${commitSha.slice(0, 8)}`,
                url: `${base}/repos/${fullName}/git/commits/${commitSha}`,
                html_url: `https://github.com/${fullName}/commit/${commitSha}`,
                author,
                committer: { ...author, ...body.committer },
                message: body.message,
                tree: { url: `${base}/repos/${fullName}/git/trees/${commitSha}`, sha: commitSha },
                parents: [
                  {
                    url: `${base}/repos/${fullName}/git/commits/${parent}`,
                    html_url: `https://github.com/${fullName}/commit/${parent}`,
                    sha: parent,
                  },
                ],
                verification: {
                  verified: false,
                  reason: "unsigned",
                  signature: null,
                  payload: null,
                  verified_at: null,
                },
              },
            },
          };
        }),
      ),
      gh("GET", "/search/issues", (request) => {
        const read = readQuery(request, issueSearchQuery, "Search");
        if (!read.ok) return read.reply;
        const { query } = read;
        const { qualifiers, words } = parseSearch(query.q);
        const matches: Array<{ repository: Repository; issue: IssueRecord }> = [];
        for (const repository of visibleRepositories())
          for (const issue of repository.issues.values()) {
            const fits = qualifiers.every(([name, value]) => {
              if (name === "repo")
                return value.toLowerCase() === `${repository.owner}/${repository.name}`.toLowerCase();
              if (name === "is" || name === "type" || name === "state")
                return value === "issue"
                  ? !issue.pull
                  : value === "pr" || value === "pull-request"
                    ? Boolean(issue.pull)
                    : value === "open" || value === "closed"
                      ? issue.state === value
                      : true;
              if (name === "label") return issue.labels.includes(value);
              if (name === "author") return issue.user === value;
              if (name === "assignee") return issue.assignees.includes(value);
              return true;
            });
            const text = `${issue.title}\n${issue.body ?? ""}`.toLowerCase();
            if (fits && words.every((word) => text.includes(word))) matches.push({ repository, issue });
          }
        const page = pageOf(request, matches, query);
        return {
          json: {
            total_count: matches.length,
            incomplete_results: false,
            items: page.items.map(({ repository, issue }) => ({
              ...issueJson(apiUrl(request), repository, issue),
              score: 1,
            })),
          },
          headers: page.headers,
        };
      }),
      gh("GET", "/search/code", (request) => {
        const read = readQuery(request, codeSearchQuery, "Search");
        if (!read.ok) return read.reply;
        const { query } = read;
        const { qualifiers, words } = parseSearch(query.q);
        if (!words.length)
          return validationFailed([
            {
              resource: "Search",
              field: "q",
              code: "invalid",
              message: "Code search needs at least one search term.",
            },
          ]);
        const matches: Array<{ repository: Repository; path: string; content: Buffer }> = [];
        for (const repository of visibleRepositories())
          for (const [path, content] of repository.branches.get(repository.defaultBranch) ?? []) {
            const fits = qualifiers.every(([name, value]) => {
              if (name === "repo")
                return value.toLowerCase() === `${repository.owner}/${repository.name}`.toLowerCase();
              if (name === "org" || name === "user")
                return value.toLowerCase() === repository.owner.toLowerCase();
              if (name === "path") return path.startsWith(value.replace(/^\//, ""));
              if (name === "filename") return path.split("/").at(-1) === value;
              if (name === "extension") return path.endsWith(`.${value}`);
              return true;
            });
            const text = content.toString("utf8").toLowerCase();
            if (fits && words.every((word) => text.includes(word)))
              matches.push({ repository, path, content });
          }
        const page = pageOf(request, matches, query);
        const base = apiUrl(request);
        return {
          json: {
            total_count: matches.length,
            incomplete_results: false,
            items: page.items.map(({ repository, path, content }) => {
              const fullName = `${repository.owner}/${repository.name}`;
              const sha = blobSha(content);
              return {
                name: path.split("/").at(-1),
                path,
                sha,
                url: `${base}/repos/${fullName}/contents/${path}?ref=${repository.heads.get("main")}`,
                git_url: `${base}/repos/${fullName}/git/blobs/${sha}`,
                html_url: `https://github.com/${fullName}/blob/${repository.heads.get("main")}/${path}`,
                repository: repositoryJson(base, repository),
                score: 1,
              };
            }),
          },
          headers: page.headers,
        };
      }),
    ],
  });

  return {
    ...emulator,
    /** The text of a file on a branch, as the emulator holds it. */
    file: (repository: string, path: string, branch = "main") =>
      repositories.get(repository.toLowerCase())?.branches.get(branch)?.get(path)?.toString("utf8"),
    blobSha,
  };
}
