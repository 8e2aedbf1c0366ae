// Jira Cloud REST API v3 (https://developer.atlassian.com/cloud/jira/platform/rest/v3/): issues,
// comments, transitions, JQL search and projects on the user's own site (your-team.atlassian.net),
// with basic auth of the account's email and an API token; rich text as Atlassian Document Format.
import { z } from "zod";
import {
  actionFor,
  basicAuth,
  type ConnectionContext,
  defineIntegration,
  externalCreate,
  externalRead,
  externalUpdate,
  type KeyCredentials,
  type OptionsLoader,
  type OptionsSource,
} from "@/integrations/sdk/define";
import { ActionError } from "@/integrations/sdk/errors";
import { adfToText, textToAdf } from "./adf";

type Auth = KeyCredentials<"site" | "email" | "api_token">;
const defineAction = actionFor<Auth>();

/** The site's base URL, "https://<name>.atlassian.net", from what the person typed. */
export function siteUrl(site: string): string {
  const typed = site.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(typed) ? typed : `https://${typed}`);
  } catch {
    throw new ActionError(`"${site}" is not a Jira site: give it as "your-team.atlassian.net".`);
  }
  if (
    url.protocol !== "https:" ||
    url.port !== "" ||
    url.username !== "" ||
    !/^[a-z0-9][a-z0-9-]*\.atlassian\.net$/i.test(url.hostname)
  )
    throw new ActionError(
      `"${site}" is not a Jira Cloud site: it must be an https://<name>.atlassian.net address.`,
    );
  return `https://${url.hostname.toLowerCase()}`;
}

/** Jira's error body: `{errorMessages: [...], errors: {field: message}}`. */
export function describeJiraError(body: unknown): string | undefined {
  if (typeof body === "string") return body.trim().slice(0, 300) || undefined;
  if (!body || typeof body !== "object") return undefined;
  const { errorMessages, errors, message } = body as {
    errorMessages?: unknown;
    errors?: unknown;
    message?: unknown;
  };
  const parts = [
    ...(Array.isArray(errorMessages) ? errorMessages.map(String) : []),
    ...(errors && typeof errors === "object"
      ? Object.entries(errors as Record<string, unknown>).map(([field, text]) => `${field}: ${String(text)}`)
      : []),
    ...(typeof message === "string" ? [message] : []),
  ].filter((part) => part.trim() !== "");
  return parts.length ? parts.join("; ") : undefined;
}

const browseUrl = (auth: Auth, key: string) => `${siteUrl(auth.site)}/browse/${key}`;
const issuePath = (key: string) => `/rest/api/3/issue/${encodeURIComponent(key.trim())}`;

type JiraUser = { accountId?: string; displayName?: string; emailAddress?: string } | null;
type JiraIssue = {
  id: string;
  key: string;
  fields: {
    summary?: string;
    status?: { name?: string; statusCategory?: { key?: string; name?: string } };
    issuetype?: { name?: string };
    priority?: { name?: string } | null;
    assignee?: JiraUser;
    reporter?: JiraUser;
    project?: { key?: string; name?: string };
    labels?: string[];
    created?: string;
    updated?: string;
    duedate?: string | null;
    description?: unknown;
  };
};

const issueFields = [
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

const issueView = z
  .object({
    key: z.string(),
    id: z.string(),
    url: z.string(),
    summary: z.string(),
    status: z.string().nullable(),
    status_category: z.string().nullable(),
    issue_type: z.string().nullable(),
    priority: z.string().nullable(),
    assignee: z.string().nullable(),
    reporter: z.string().nullable(),
    project: z.string().nullable(),
    labels: z.array(z.string()),
    created: z.string().nullable(),
    updated: z.string().nullable(),
    due_date: z.string().nullable(),
    description: z.string().nullable(),
  })
  .passthrough();

function toIssue(auth: Auth, issue: JiraIssue): z.infer<typeof issueView> {
  const fields = issue.fields;
  return {
    key: issue.key,
    id: issue.id,
    url: browseUrl(auth, issue.key),
    summary: fields.summary ?? "",
    status: fields.status?.name ?? null,
    status_category: fields.status?.statusCategory?.name ?? null,
    issue_type: fields.issuetype?.name ?? null,
    priority: fields.priority?.name ?? null,
    assignee: fields.assignee?.displayName ?? null,
    reporter: fields.reporter?.displayName ?? null,
    project: fields.project?.key ?? null,
    labels: fields.labels ?? [],
    created: fields.created ?? null,
    updated: fields.updated ?? null,
    due_date: fields.duedate ?? null,
    description: fields.description ? adfToText(fields.description) || null : null,
  };
}

async function listProjects({ http }: ConnectionContext<Auth>) {
  const page = await http.request<{ values: Array<{ id: string; key: string; name: string }> }>(
    "/rest/api/3/project/search",
    { query: { maxResults: 100, orderBy: "name" } },
  );
  return page.values;
}

const projectOptions: OptionsLoader<Auth> = async (context) =>
  (await listProjects(context)).map((project) => ({
    value: project.key,
    label: `${project.name} (${project.key})`,
  }));

/** The issue types a project offers (Get create metadata issue types for a project). */
const issueTypeOptions: OptionsSource<Auth> = {
  dependsOn: ["project_key"],
  load: async ({ http, values }) => {
    const page = await http.request<{ issueTypes?: Array<{ id: string; name: string; subtask?: boolean }> }>(
      `/rest/api/3/issue/createmeta/${encodeURIComponent((values.project_key ?? "").trim())}/issuetypes`,
      { query: { maxResults: 100 } },
    );
    return (page.issueTypes ?? []).map((type) => ({
      value: type.name,
      label: type.subtask ? `${type.name} (sub-task: needs a parent)` : type.name,
    }));
  },
};

/** The people who can be assigned issues in the chosen project (Find users assignable to projects). */
const assigneeOptions: OptionsSource<Auth> = {
  dependsOn: ["project_key"],
  load: async ({ http, values }) => {
    const pageSize = 100;
    const options: Array<{ value: string; label: string }> = [];
    // Pages of people until one comes back short; a few at most, as a list of thousands helps nobody.
    for (let page = 0; page < 5; page++) {
      const users = await http.request<
        Array<{ accountId: string; displayName?: string; emailAddress?: string; accountType?: string }>
      >("/rest/api/3/user/assignable/search", {
        query: { project: (values.project_key ?? "").trim(), startAt: page * pageSize, maxResults: pageSize },
      });
      for (const user of users)
        if (user.accountType !== "app")
          options.push({
            value: user.accountId,
            label: user.emailAddress
              ? `${user.displayName ?? user.accountId} (${user.emailAddress})`
              : (user.displayName ?? user.accountId),
          });
      if (users.length < pageSize) break;
    }
    return options;
  },
};

const issueKey = z
  .string()
  .regex(/^\s*([A-Za-z][A-Za-z0-9_]*-\d+|\d+)\s*$/, 'Give an issue key such as "PROJ-123".')
  .describe('The issue\'s key, such as "PROJ-123".');

const createIssue = defineAction({
  key: "create_issue",
  title: "Create issue",
  description: "Create a Jira issue in a project: a task, bug, story (or any issue type the project has).",
  input: z.object({
    project_key: z.string().min(1).describe('The project\'s key, such as "PROJ".'),
    issue_type: z
      .string()
      .min(1)
      .default("Task")
      .describe('The issue type\'s name in that project, such as "Task", "Bug" or "Story".'),
    summary: z.string().min(1).max(255).describe("The issue's one-line summary."),
    description: z
      .string()
      .optional()
      .describe("The issue's description, as plain text (blank lines separate paragraphs)."),
    labels: z
      .array(z.string().regex(/^\S+$/, "Labels have no spaces."))
      .optional()
      .describe("Labels to set."),
    priority: z.string().optional().describe('The priority\'s name, such as "High".'),
    assignee_account_id: z
      .string()
      .optional()
      .describe("The Atlassian account id of the person to assign it to."),
    due_date: z.iso.date().optional().describe("The due date, as YYYY-MM-DD."),
    parent_key: z.string().optional().describe("The parent issue's key, for a sub-task or an epic's child."),
  }),
  output: z.object({ id: z.string(), key: z.string(), url: z.string() }),
  annotations: externalCreate,
  options: {
    project_key: projectOptions,
    issue_type: issueTypeOptions,
    assignee_account_id: assigneeOptions,
  },
  run: async ({ input, http, auth }) => {
    const fields: Record<string, unknown> = {
      project: { key: input.project_key.trim() },
      issuetype: { name: input.issue_type },
      summary: input.summary,
      ...(input.description?.trim() && { description: textToAdf(input.description) }),
      ...(input.labels && { labels: input.labels }),
      ...(input.priority && { priority: { name: input.priority } }),
      ...(input.assignee_account_id && { assignee: { accountId: input.assignee_account_id } }),
      ...(input.due_date && { duedate: input.due_date }),
      ...(input.parent_key && { parent: { key: input.parent_key } }),
    };
    const created = await http.request<{ id: string; key: string }>("/rest/api/3/issue", {
      method: "POST",
      json: { fields },
    });
    return { id: created.id, key: created.key, url: browseUrl(auth, created.key) };
  },
});

const getIssue = defineAction({
  key: "get_issue",
  title: "Get issue",
  description: "Read a Jira issue: summary, status, assignee, priority, labels and description (as text).",
  input: z.object({ issue_key: issueKey }),
  output: issueView,
  annotations: externalRead,
  run: async ({ input, http, auth }) => {
    const issue = await http.request<JiraIssue>(issuePath(input.issue_key), {
      query: { fields: issueFields.join(",") },
    });
    return toIssue(auth, issue);
  },
});

const addComment = defineAction({
  key: "add_comment",
  title: "Comment on issue",
  description: "Add a comment to a Jira issue (plain text; blank lines separate paragraphs).",
  input: z.object({
    issue_key: issueKey,
    body: z.string().trim().min(1).describe("The comment."),
  }),
  output: z.object({
    id: z.string(),
    url: z.string(),
    author: z.string().nullable(),
    created: z.string().nullable(),
  }),
  annotations: externalCreate,
  run: async ({ input, http, auth }) => {
    const comment = await http.request<{ id: string; author?: JiraUser; created?: string }>(
      `${issuePath(input.issue_key)}/comment`,
      { method: "POST", json: { body: textToAdf(input.body) } },
    );
    const key = input.issue_key.trim();
    return {
      id: comment.id,
      url: `${browseUrl(auth, key)}?focusedCommentId=${comment.id}`,
      author: comment.author?.displayName ?? null,
      created: comment.created ?? null,
    };
  },
});

type Transition = { id: string; name: string; to?: { name?: string } };

const transitionIssue = defineAction({
  key: "transition_issue",
  title: "Transition issue",
  description:
    'Move a Jira issue through its workflow, by the transition\'s name or the status to reach ("In Progress", "Done").',
  input: z.object({
    issue_key: issueKey,
    transition: z
      .string()
      .min(1)
      .describe('The transition\'s name, or the name of the status to move to, such as "Done".'),
  }),
  output: z.object({ issue_key: z.string(), transition: z.string(), status: z.string().nullable() }),
  annotations: externalUpdate,
  run: async ({ input, http }) => {
    const wanted = input.transition.trim().toLowerCase();
    const { transitions } = await http.request<{ transitions: Transition[] }>(
      `${issuePath(input.issue_key)}/transitions`,
    );
    const match =
      transitions.find((transition) => transition.name.toLowerCase() === wanted) ??
      transitions.find((transition) => transition.to?.name?.toLowerCase() === wanted);
    if (!match)
      throw new ActionError(
        `${input.issue_key.trim()} has no transition "${input.transition}" now. Its transitions are: ${
          transitions
            .map((transition) => `${transition.name} (to ${transition.to?.name ?? "?"})`)
            .join(", ") || "none"
        }.`,
      );
    await http.request(`${issuePath(input.issue_key)}/transitions`, {
      method: "POST",
      json: { transition: { id: match.id } },
    });
    return { issue_key: input.issue_key.trim(), transition: match.name, status: match.to?.name ?? null };
  },
});

const searchIssues = defineAction({
  key: "search_issues",
  title: "Search issues (JQL)",
  description:
    'Find Jira issues with a JQL query, such as "project = PROJ AND status != Done ORDER BY updated DESC". The query must be restricted (by project, assignee, ...).',
  input: z.object({
    jql: z.string().min(1).describe("The JQL query."),
    max_results: z.number().int().min(1).max(100).default(25).describe("At most this many issues."),
    next_page_token: z
      .string()
      .optional()
      .describe("The next_page_token of a previous answer, for the next page."),
  }),
  output: z.object({ issues: z.array(issueView), next_page_token: z.string().nullable() }),
  annotations: externalRead,
  run: async ({ input, http, auth }) => {
    const result = await http.request<{
      issues?: JiraIssue[];
      nextPageToken?: string | null;
      isLast?: boolean;
    }>("/rest/api/3/search/jql", {
      method: "POST",
      json: {
        jql: input.jql,
        maxResults: input.max_results,
        fields: issueFields,
        ...(input.next_page_token && { nextPageToken: input.next_page_token }),
      },
    });
    return {
      issues: (result.issues ?? []).map((issue) => toIssue(auth, issue)),
      next_page_token: result.isLast === true ? null : (result.nextPageToken ?? null),
    };
  },
});

const listProjectsAction = defineAction({
  key: "list_projects",
  title: "List projects",
  description: "List the Jira projects the account can see, with their keys.",
  input: z.object({}),
  output: z.object({ projects: z.array(z.object({ id: z.string(), key: z.string(), name: z.string() })) }),
  annotations: externalRead,
  run: async (context) => ({
    projects: (await listProjects(context)).map(({ id, key, name }) => ({ id, key, name })),
  }),
});

export default defineIntegration<Auth>({
  slug: "jira",
  name: "Jira",
  description: "Issues, comments, transitions and JQL search in Jira Cloud.",
  category: "Developer tools",
  auth: basicAuth([
    {
      name: "site",
      label: "Jira site",
      secret: false,
      help: 'Your Jira Cloud address, such as "your-team.atlassian.net".',
    },
    {
      name: "email",
      label: "Email",
      secret: false,
      help: "The email address of your Atlassian account.",
    },
    {
      name: "api_token",
      label: "API token",
      secret: true,
      help: "Create one at https://id.atlassian.com/manage-profile/security/api-tokens.",
    },
  ]),
  api: {
    // A placeholder: every call goes to the user's own site (userBaseUrl).
    baseUrl: "https://api.atlassian.com",
    baseUrlSetting: "JIRA_API_URL",
    userBaseUrl: (auth) => siteUrl(auth.site),
    headers: (auth) => ({
      authorization: `Basic ${Buffer.from(`${auth.email}:${auth.api_token}`, "utf8").toString("base64")}`,
    }),
    describeError: (body) => describeJiraError(body),
  },
  test: async ({ http }) => {
    const me = await http.request<{ emailAddress?: string; displayName?: string }>("/rest/api/3/myself");
    return { account: me.emailAddress || me.displayName };
  },
  actions: [createIssue, getIssue, addComment, transitionIssue, searchIssues, listProjectsAction],
});
