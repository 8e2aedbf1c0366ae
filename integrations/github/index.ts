// GitHub REST API (https://docs.github.com/en/rest, https://github.com/github/rest-api-description)
// through Octokit: issues, comments, pull requests, file contents, repositories and search, with a
// personal access token (fine-grained or classic).
import { z } from "zod";
import {
  actionFor,
  apiKeyAuth,
  defineIntegration,
  externalCreate,
  externalRead,
  externalUpdate,
  type OptionsLoader,
  type OptionsSource,
} from "@/integrations/sdk/define";
import { ActionError } from "@/integrations/sdk/errors";
import {
  type Auth,
  apiVersion,
  describeGitHubError,
  github,
  mediaType,
  splitRepository,
  userAgent,
} from "./client";
import {
  type GitHubIssue,
  type GitHubPull,
  type GitHubRepository,
  issueView,
  pullView,
  repositoryView,
  toIssue,
  toPull,
  toRepository,
} from "./shapes";

const defineAction = actionFor<Auth>();

const repositoryOptions: OptionsLoader<Auth> = async (context) => {
  const { data } = await github(context, (octokit) =>
    octokit.rest.repos.listForAuthenticatedUser({ per_page: 100, sort: "updated" }),
  );
  return data.map((repository) => ({ value: repository.full_name, label: repository.full_name }));
};

const repository = z
  .string()
  .regex(/^[\w.-]+\/[\w.-]+$/, 'Give the repository as "owner/name".')
  .describe('The repository, as "owner/name" (for example "octocat/hello-world").');
const issueNumber = z.number().int().min(1).describe("The issue's number in the repository (as in #42).");
const pullNumber = z.number().int().min(1).describe("The pull request's number in the repository.");
const perPage = z.number().int().min(1).max(100).default(30).describe("At most this many results (1-100).");
const page = z.number().int().min(1).optional().describe("Which page of results, from 1.");
const direction = z.enum(["asc", "desc"]).optional().describe("Sort order; newest first when left out.");
const withRepository = { repository: repositoryOptions };

/** The chosen repository's branches (the first 100), for a pull request's base or head. */
const branchOptions: OptionsSource<Auth> = {
  dependsOn: ["repository"],
  load: async (context) => {
    const { owner, repo } = splitRepository(context.values.repository ?? "");
    const { data } = await github(context, (octokit) =>
      octokit.rest.repos.listBranches({ owner, repo, per_page: 100 }),
    );
    return data.map((branch) => ({ value: branch.name, label: branch.name }));
  },
};

const createIssue = defineAction({
  key: "create_issue",
  title: "Create issue",
  description: "Open a new issue in a GitHub repository, optionally with labels and assignees.",
  input: z.object({
    repository,
    title: z.string().min(1).describe("The issue's title."),
    body: z.string().optional().describe("The issue's text, in GitHub Markdown."),
    labels: z
      .array(z.string().min(1))
      .optional()
      .describe("Label names (kept only if the token may push to the repository)."),
    assignees: z
      .array(z.string().min(1))
      .optional()
      .describe("Logins of people to assign (kept only if the token may push to the repository)."),
    milestone: z.number().int().min(1).optional().describe("The number of a milestone to add it to."),
  }),
  output: issueView,
  annotations: externalCreate,
  options: withRepository,
  run: async (context) => {
    const { repository, ...fields } = context.input;
    const { data } = await github(context, (octokit) =>
      octokit.rest.issues.create({ ...splitRepository(repository), ...fields }),
    );
    return toIssue(data as GitHubIssue);
  },
});

const getIssue = defineAction({
  key: "get_issue",
  title: "Get issue",
  description: "Read one issue (or pull request, by its number) with its text, labels and state.",
  input: z.object({ repository, issue_number: issueNumber }),
  output: issueView,
  annotations: externalRead,
  options: withRepository,
  run: async (context) => {
    const { repository, issue_number } = context.input;
    const { data } = await github(context, (octokit) =>
      octokit.rest.issues.get({ ...splitRepository(repository), issue_number }),
    );
    return toIssue(data as GitHubIssue);
  },
});

const updateIssue = defineAction({
  key: "update_issue",
  title: "Update issue",
  description:
    "Change an issue: its title or text, close or reopen it, or replace its labels or assignees. Only the fields given change.",
  input: z.object({
    repository,
    issue_number: issueNumber,
    title: z.string().min(1).optional().describe("A new title."),
    body: z.string().optional().describe("A new text (replaces the old one), in GitHub Markdown."),
    state: z
      .enum(["open", "closed"])
      .optional()
      .describe('"closed" to close the issue, "open" to reopen it.'),
    state_reason: z
      .enum(["completed", "not_planned", "reopened"])
      .optional()
      .describe('Why its state changed: "completed" or "not_planned" when closing, "reopened" when opening.'),
    labels: z
      .array(z.string().min(1))
      .optional()
      .describe("The issue's labels from now on (replaces all; an empty list removes them)."),
    assignees: z
      .array(z.string().min(1))
      .optional()
      .describe("The logins assigned from now on (replaces all; an empty list unassigns everyone)."),
  }),
  output: issueView,
  annotations: externalUpdate,
  options: withRepository,
  run: async (context) => {
    const { repository, issue_number, ...changes } = context.input;
    if (Object.values(changes).every((value) => value === undefined))
      throw new ActionError("Nothing to change: give a title, body, state, labels or assignees.");
    const { data } = await github(context, (octokit) =>
      octokit.rest.issues.update({ ...splitRepository(repository), issue_number, ...changes }),
    );
    return toIssue(data as GitHubIssue);
  },
});

const listIssues = defineAction({
  key: "list_issues",
  title: "List issues",
  description:
    "List a repository's issues, newest first, filtered by state, labels or assignee. Pull requests are included and marked as such.",
  input: z.object({
    repository,
    state: z.enum(["open", "closed", "all"]).default("open").describe("Which issues, by state."),
    labels: z.array(z.string().min(1)).optional().describe("Only issues that have all these labels."),
    assignee: z
      .string()
      .optional()
      .describe('Only issues assigned to this login; "none" for unassigned ones, "*" for any assigned.'),
    sort: z
      .enum(["created", "updated", "comments"])
      .optional()
      .describe("What to sort by (created by default)."),
    direction,
    per_page: perPage,
    page,
  }),
  output: z.object({ issues: z.array(issueView) }),
  annotations: externalRead,
  options: withRepository,
  run: async (context) => {
    const { repository, labels, ...query } = context.input;
    const { data } = await github(context, (octokit) =>
      octokit.rest.issues.listForRepo({
        ...splitRepository(repository),
        ...query,
        ...(labels?.length && { labels: labels.join(",") }),
      }),
    );
    return { issues: data.map((issue) => toIssue(issue as GitHubIssue)) };
  },
});

const addIssueComment = defineAction({
  key: "add_issue_comment",
  title: "Comment on issue",
  description: "Add a comment to an issue or a pull request's conversation.",
  input: z.object({
    repository,
    issue_number: issueNumber.describe("The number of the issue or pull request."),
    body: z.string().min(1).describe("The comment, in GitHub Markdown."),
  }),
  output: z
    .object({
      id: z.number(),
      html_url: z.string(),
      body: z.string().nullable(),
      user: z.string().nullable(),
      created_at: z.string(),
    })
    .passthrough(),
  annotations: externalCreate,
  options: withRepository,
  run: async (context) => {
    const { repository, issue_number, body } = context.input;
    const { data } = await github(context, (octokit) =>
      octokit.rest.issues.createComment({ ...splitRepository(repository), issue_number, body }),
    );
    return {
      id: Number(data.id),
      html_url: data.html_url,
      body: data.body ?? null,
      user: data.user?.login ?? null,
      created_at: data.created_at,
    };
  },
});

const createPullRequest = defineAction({
  key: "create_pull_request",
  title: "Create pull request",
  description: "Open a pull request to merge one branch (head) into another (base).",
  input: z.object({
    repository,
    title: z.string().min(1).describe("The pull request's title."),
    head: z
      .string()
      .min(1)
      .describe('The branch with the changes; "user:branch" when it is in a fork of the repository.'),
    base: z.string().min(1).describe('The branch to merge into, such as "main".'),
    body: z.string().optional().describe("The description, in GitHub Markdown."),
    draft: z.boolean().optional().describe("Open it as a draft."),
    maintainer_can_modify: z
      .boolean()
      .optional()
      .describe("Whether maintainers may push to the head branch (for pull requests from forks)."),
  }),
  output: pullView,
  annotations: externalCreate,
  options: { ...withRepository, base: branchOptions, head: branchOptions },
  run: async (context) => {
    const { repository, ...fields } = context.input;
    const { data } = await github(context, (octokit) =>
      octokit.rest.pulls.create({ ...splitRepository(repository), ...fields }),
    );
    return toPull(data as GitHubPull);
  },
});

const getPullRequest = defineAction({
  key: "get_pull_request",
  title: "Get pull request",
  description: "Read one pull request: its branches, state, and whether it can be merged.",
  input: z.object({ repository, pull_number: pullNumber }),
  output: pullView,
  annotations: externalRead,
  options: withRepository,
  run: async (context) => {
    const { repository, pull_number } = context.input;
    const { data } = await github(context, (octokit) =>
      octokit.rest.pulls.get({ ...splitRepository(repository), pull_number }),
    );
    return toPull(data as GitHubPull);
  },
});

const listPullRequests = defineAction({
  key: "list_pull_requests",
  title: "List pull requests",
  description: "List a repository's pull requests, filtered by state or branches.",
  input: z.object({
    repository,
    state: z.enum(["open", "closed", "all"]).default("open").describe("Which pull requests, by state."),
    head: z.string().optional().describe('Only those from this branch, as "user:branch".'),
    base: z.string().optional().describe("Only those that merge into this branch."),
    sort: z
      .enum(["created", "updated", "popularity", "long-running"])
      .optional()
      .describe("What to sort by (created by default)."),
    direction,
    per_page: perPage,
    page,
  }),
  output: z.object({ pull_requests: z.array(pullView) }),
  annotations: externalRead,
  options: withRepository,
  run: async (context) => {
    const { repository, ...query } = context.input;
    const { data } = await github(context, (octokit) =>
      octokit.rest.pulls.list({ ...splitRepository(repository), ...query }),
    );
    return { pull_requests: data.map((pull) => toPull(pull as GitHubPull)) };
  },
});

const mergePullRequest = defineAction({
  key: "merge_pull_request",
  title: "Merge pull request",
  description: "Merge a pull request into its base branch, by a merge commit, a squash or a rebase.",
  input: z.object({
    repository,
    pull_number: pullNumber,
    merge_method: z
      .enum(["merge", "squash", "rebase"])
      .optional()
      .describe("How to merge; a merge commit when left out."),
    commit_title: z.string().optional().describe("The merge commit's title."),
    commit_message: z.string().optional().describe("More detail for the merge commit's message."),
    sha: z
      .string()
      .optional()
      .describe("The head commit the pull request must still be at (from get_pull_request); a guard."),
  }),
  output: z.object({ sha: z.string(), merged: z.boolean(), message: z.string() }),
  annotations: externalUpdate,
  options: withRepository,
  run: async (context) => {
    const { repository, pull_number, ...fields } = context.input;
    const { data } = await github(context, (octokit) =>
      octokit.rest.pulls.merge({ ...splitRepository(repository), pull_number, ...fields }),
    );
    return { sha: data.sha, merged: data.merged, message: data.message };
  },
});

const fileView = z.object({
  path: z.string(),
  sha: z.string(),
  size: z.number(),
  encoding: z.enum(["utf-8", "base64"]),
  content: z.string(),
  html_url: z.string().nullable(),
});

const utf8 = new TextDecoder("utf-8", { fatal: true });

const getFile = defineAction({
  key: "get_file",
  title: "Get file",
  description:
    "Read a file from a repository as text (base64 when it is binary), with the sha needed to update it.",
  input: z.object({
    repository,
    path: z.string().min(1).describe('The file\'s path in the repository, such as "src/index.ts".'),
    ref: z.string().optional().describe("A branch, tag or commit sha; the default branch when left out."),
  }),
  output: fileView,
  annotations: externalRead,
  options: withRepository,
  run: async (context) => {
    const { repository, path, ref } = context.input;
    const { data } = await github(context, (octokit) =>
      octokit.rest.repos.getContent({ ...splitRepository(repository), path: path.replace(/^\/+/, ""), ref }),
    );
    if (Array.isArray(data)) {
      const names = data.slice(0, 50).map((entry) => (entry.type === "dir" ? `${entry.name}/` : entry.name));
      throw new ActionError(`"${path}" is a directory, not a file. It holds: ${names.join(", ")}.`);
    }
    if (data.type !== "file") throw new ActionError(`"${path}" is a ${data.type}, not a file.`);
    if (data.encoding !== "base64")
      throw new ActionError(
        `"${path}" is too large (${data.size} bytes) to read through GitHub's contents API.`,
      );
    const bytes = Buffer.from(data.content, "base64");
    let text: string | undefined;
    try {
      text = utf8.decode(bytes);
    } catch {
      text = undefined;
    }
    return {
      path: data.path,
      sha: data.sha,
      size: data.size,
      encoding: text === undefined ? ("base64" as const) : ("utf-8" as const),
      content: text ?? bytes.toString("base64"),
      html_url: data.html_url,
    };
  },
});

const createOrUpdateFile = defineAction({
  key: "create_or_update_file",
  title: "Create or update file",
  description:
    "Commit a text file to a branch: a new file, or a new version of one (then give the sha get_file returned).",
  input: z.object({
    repository,
    path: z.string().min(1).describe('The file\'s path in the repository, such as "docs/notes.md".'),
    content: z.string().describe("The file's whole new content, as text."),
    message: z.string().min(1).describe("The commit message."),
    branch: z.string().optional().describe("The branch to commit to; the default branch when left out."),
    sha: z
      .string()
      .optional()
      .describe(
        "To replace an existing file: its current blob sha (from get_file). Leave out for a new file.",
      ),
  }),
  output: z.object({
    path: z.string(),
    sha: z.string(),
    commit_sha: z.string(),
    commit_url: z.string().nullable(),
    created: z.boolean(),
  }),
  annotations: externalUpdate,
  options: withRepository,
  run: async (context) => {
    const { repository, path, content, ...fields } = context.input;
    let response: Awaited<ReturnType<typeof github>>;
    try {
      response = await github(context, (octokit) =>
        octokit.rest.repos.createOrUpdateFileContents({
          ...splitRepository(repository),
          path: path.replace(/^\/+/, ""),
          content: Buffer.from(content, "utf8").toString("base64"),
          ...fields,
        }),
      );
    } catch (error) {
      if (error instanceof ActionError && !fields.sha && /"sha" wasn't supplied/.test(error.message))
        throw new ActionError(
          `${error.message} "${path}" already exists: read it with get_file and pass its sha to replace it.`,
        );
      throw error;
    }
    const data = response.data as {
      content: { path?: string; sha?: string } | null;
      commit: { sha?: string; html_url?: string };
    };
    return {
      path: data.content?.path ?? path,
      sha: data.content?.sha ?? "",
      commit_sha: data.commit.sha ?? "",
      commit_url: data.commit.html_url ?? null,
      created: response.status === 201,
    };
  },
});

const listRepositories = defineAction({
  key: "list_repositories",
  title: "List repositories",
  description:
    "List the repositories the account can reach: its own, its collaborations and its organizations'.",
  input: z.object({
    visibility: z.enum(["all", "public", "private"]).optional().describe("Only public or only private ones."),
    affiliation: z
      .string()
      .optional()
      .describe('Comma-separated: "owner", "collaborator", "organization_member" (all three when left out).'),
    sort: z
      .enum(["created", "updated", "pushed", "full_name"])
      .default("updated")
      .describe("What to sort by."),
    direction,
    per_page: perPage,
    page,
  }),
  output: z.object({ repositories: z.array(repositoryView) }),
  annotations: externalRead,
  run: async (context) => {
    const { data } = await github(context, (octokit) =>
      octokit.rest.repos.listForAuthenticatedUser(context.input),
    );
    return { repositories: data.map((repository) => toRepository(repository as GitHubRepository)) };
  },
});

const searchIssues = defineAction({
  key: "search_issues",
  title: "Search issues and pull requests",
  description:
    'Search issues and pull requests across GitHub with its search syntax, such as "repo:octocat/hello-world is:issue is:open label:bug crash".',
  input: z.object({
    q: z
      .string()
      .min(1)
      .describe(
        "The search: keywords and qualifiers (repo:, is:issue, is:pr, is:open, label:, author:, assignee:), AND/OR and parentheses allowed.",
      ),
    sort: z
      .enum(["comments", "reactions", "interactions", "created", "updated"])
      .optional()
      .describe("What to sort by; best match when left out."),
    order: z.enum(["asc", "desc"]).optional().describe("Sort order when sort is given (desc by default)."),
    per_page: perPage,
    page,
  }),
  output: z.object({ total_count: z.number(), issues: z.array(issueView) }),
  annotations: externalRead,
  run: async (context) => {
    const { data } = await github(context, (octokit) =>
      octokit.rest.search.issuesAndPullRequests({ ...context.input, advanced_search: "true" }),
    );
    return {
      total_count: data.total_count,
      issues: data.items.map((item) => toIssue(item as GitHubIssue)),
    };
  },
});

const searchCode = defineAction({
  key: "search_code",
  title: "Search code",
  description:
    'Search code in files of default branches, such as "useState repo:octocat/hello-world extension:ts".',
  input: z.object({
    q: z
      .string()
      .min(1)
      .describe("Keywords and qualifiers (repo:, org:, user:, path:, language:, extension:, filename:)."),
    per_page: perPage,
    page,
  }),
  output: z.object({
    total_count: z.number(),
    items: z.array(
      z.object({
        repository: z.string(),
        path: z.string(),
        name: z.string(),
        sha: z.string(),
        html_url: z.string(),
      }),
    ),
  }),
  annotations: externalRead,
  run: async (context) => {
    const { data } = await github(context, (octokit) => octokit.rest.search.code(context.input));
    return {
      total_count: data.total_count,
      items: data.items.map((item) => ({
        repository: item.repository.full_name,
        path: item.path,
        name: item.name,
        sha: item.sha,
        html_url: item.html_url,
      })),
    };
  },
});

export default defineIntegration<Auth>({
  slug: "github",
  name: "GitHub",
  description: "Issues, pull requests, files and code search on GitHub.",
  category: "Developer tools",
  auth: apiKeyAuth([
    {
      name: "token",
      label: "Personal access token",
      secret: true,
      help: "GitHub → Settings → Developer settings → Personal access tokens: a fine-grained token with the repositories and the Issues, Pull requests and Contents permissions it needs, or a classic token with the repo scope.",
    },
  ]),
  api: {
    baseUrl: "https://api.github.com",
    baseUrlSetting: "GITHUB_API_URL",
    headers: (auth) => ({
      authorization: `Bearer ${auth.token}`,
      accept: mediaType,
      "x-github-api-version": apiVersion,
      "user-agent": userAgent,
    }),
    describeError: (body) => describeGitHubError(body),
  },
  test: async (context) => {
    const { data } = await github(context, (octokit) => octokit.rest.users.getAuthenticated());
    return { account: data.login };
  },
  actions: [
    createIssue,
    getIssue,
    updateIssue,
    listIssues,
    addIssueComment,
    createPullRequest,
    getPullRequest,
    listPullRequests,
    mergePullRequest,
    getFile,
    createOrUpdateFile,
    listRepositories,
    searchIssues,
    searchCode,
  ],
});
