// Linear GraphQL API (https://linear.app/developers/graphql, schema: https://github.com/linear/linear
// packages/sdk/src/schema.graphql): issues and comments with a personal API key. A typed client
// over the connection's fetch; the official @linear/sdk is far too large for what is used here.
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
import { type Auth, describeLinearErrors, linear } from "./client";

const defineAction = actionFor<Auth>();

/** The issue fields every action reads (the same on Issue and IssueSearchResult). */
const issueFields = `
    id
    identifier
    title
    description
    priority
    priorityLabel
    url
    dueDate
    createdAt
    updatedAt
    state { id name type }
    assignee { id name email }
    team { id key name }
    labels { nodes { id name } }`;

type LinearIssue = {
  id: string;
  identifier: string;
  title: string;
  description?: string | null;
  priority: number;
  priorityLabel: string;
  url: string;
  dueDate?: string | null;
  createdAt: string;
  updatedAt: string;
  state?: { id: string; name: string; type: string } | null;
  assignee?: { id: string; name: string; email?: string | null } | null;
  team?: { id: string; key: string; name: string } | null;
  labels?: { nodes: Array<{ id: string; name: string }> } | null;
};

const issueView = z
  .object({
    id: z.string(),
    identifier: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    priority: z.number(),
    priority_label: z.string(),
    url: z.string(),
    state: z.string().nullable(),
    state_type: z.string().nullable(),
    assignee: z.string().nullable(),
    assignee_id: z.string().nullable(),
    team: z.string().nullable(),
    labels: z.array(z.string()),
    due_date: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .passthrough();

function toIssue(issue: LinearIssue): z.infer<typeof issueView> {
  return {
    id: issue.id,
    identifier: issue.identifier,
    title: issue.title,
    description: issue.description ?? null,
    priority: issue.priority,
    priority_label: issue.priorityLabel,
    url: issue.url,
    state: issue.state?.name ?? null,
    state_type: issue.state?.type ?? null,
    assignee: issue.assignee?.name ?? null,
    assignee_id: issue.assignee?.id ?? null,
    team: issue.team?.key ?? null,
    labels: (issue.labels?.nodes ?? []).map((label) => label.name),
    due_date: issue.dueDate ?? null,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
  };
}

const teamOptions: OptionsLoader<Auth> = async (context) => {
  const data = await linear<{ teams: { nodes: Array<{ id: string; key: string; name: string }> } }>(
    context,
    `query Teams($first: Int) { teams(first: $first) { nodes { id key name } } }`,
    { first: 100 },
  );
  return data.teams.nodes.map((team) => ({ value: team.id, label: `${team.name} (${team.key})` }));
};

/** The chosen team's workflow states, in the team's order. */
const stateOptions: OptionsSource<Auth> = {
  dependsOn: ["teamId"],
  load: async (context) => {
    const data = await linear<{
      team: { states: { nodes: Array<{ id: string; name: string; type: string; position: number }> } };
    }>(
      context,
      `query TeamStates($id: String!, $first: Int) { team(id: $id) { states(first: $first) { nodes { id name type position } } } }`,
      { id: context.values.teamId ?? "", first: 100 },
    );
    return [...data.team.states.nodes]
      .sort((a, b) => a.position - b.position)
      .map((state) => ({ value: state.id, label: state.name }));
  },
};

/** The workspace's active members, who can be assigned issues. */
const assigneeOptions: OptionsLoader<Auth> = async (context) => {
  const data = await linear<{
    users: { nodes: Array<{ id: string; name: string; email: string; active: boolean }> };
  }>(context, `query Users($first: Int) { users(first: $first) { nodes { id name email active } } }`, {
    first: 250,
  });
  return data.users.nodes
    .filter((user) => user.active)
    .map((user) => ({ value: user.id, label: `${user.name} (${user.email})` }));
};

const issueId = z.string().min(1).describe('The issue\'s identifier, such as "ENG-123", or its id.');
const priority = z
  .number()
  .int()
  .min(0)
  .max(4)
  .describe("Priority: 0 none, 1 urgent, 2 high, 3 medium, 4 low.");
const dueDate = z.iso.date().describe("The due date, as YYYY-MM-DD.");

const createIssue = defineAction({
  key: "create_issue",
  title: "Create issue",
  description:
    "Create a Linear issue in a team, with an optional description (Markdown), priority and assignee.",
  input: z.object({
    teamId: z.string().min(1).describe("The team's id (list_teams gives them)."),
    title: z.string().min(1).describe("The issue's title."),
    description: z.string().optional().describe("The issue's description, in Markdown."),
    priority: priority.optional(),
    assigneeId: z.string().optional().describe("The id of the user to assign it to."),
    stateId: z
      .string()
      .optional()
      .describe("The id of its workflow state; the team's default when left out."),
    labelIds: z.array(z.string()).optional().describe("Ids of labels to put on it."),
    dueDate: dueDate.optional(),
  }),
  output: issueView,
  annotations: externalCreate,
  options: { teamId: teamOptions, stateId: stateOptions, assigneeId: assigneeOptions },
  run: async (context) => {
    const data = await linear<{ issueCreate: { success: boolean; issue: LinearIssue | null } }>(
      context,
      `mutation IssueCreate($input: IssueCreateInput!) {
  issueCreate(input: $input) {
    success
    issue {${issueFields}
    }
  }
}`,
      { input: context.input },
    );
    if (!data.issueCreate.success || !data.issueCreate.issue)
      throw new ActionError("Linear did not create the issue.");
    return toIssue(data.issueCreate.issue);
  },
});

const getIssue = defineAction({
  key: "get_issue",
  title: "Get issue",
  description: "Read one Linear issue: its title, description, state, priority, assignee and labels.",
  input: z.object({ id: issueId }),
  output: issueView,
  annotations: externalRead,
  run: async (context) => {
    const data = await linear<{ issue: LinearIssue }>(
      context,
      `query Issue($id: String!) {
  issue(id: $id) {${issueFields}
  }
}`,
      { id: context.input.id },
    );
    return toIssue(data.issue);
  },
});

type TeamStates = {
  issue: { team: { states: { nodes: Array<{ id: string; name: string; type: string }> } } };
};

const updateIssue = defineAction({
  key: "update_issue",
  title: "Update issue",
  description:
    'Change a Linear issue: move it to another state by name ("In Progress", "Done"), or change its title, description, priority, assignee, labels or due date. Only the fields given change.',
  input: z.object({
    id: issueId,
    state: z
      .string()
      .optional()
      .describe('The name of the workflow state to move it to, such as "In Progress" or "Done".'),
    title: z.string().min(1).optional().describe("A new title."),
    description: z.string().optional().describe("A new description (replaces the old one), in Markdown."),
    priority: priority.optional(),
    assigneeId: z
      .string()
      .nullable()
      .optional()
      .describe("The id of the user to assign it to; null to unassign."),
    labelIds: z.array(z.string()).optional().describe("Its labels from now on, by id (replaces all)."),
    dueDate: dueDate.nullable().optional(),
  }),
  output: issueView,
  annotations: externalUpdate,
  options: { assigneeId: assigneeOptions },
  run: async (context) => {
    const { id, state, ...changes } = context.input;
    const input: Record<string, unknown> = Object.fromEntries(
      Object.entries(changes).filter(([, value]) => value !== undefined),
    );
    if (state !== undefined) {
      const data = await linear<TeamStates>(
        context,
        `query IssueTeamStates($id: String!) {
  issue(id: $id) {
    team {
      states { nodes { id name type } }
    }
  }
}`,
        { id },
      );
      const states = data.issue.team.states.nodes;
      const match = states.find((candidate) => candidate.name.toLowerCase() === state.trim().toLowerCase());
      if (!match)
        throw new ActionError(
          `The issue's team has no state "${state}". Its states are: ${states.map((candidate) => candidate.name).join(", ")}.`,
        );
      input.stateId = match.id;
    }
    if (!Object.keys(input).length)
      throw new ActionError(
        "Nothing to change: give a state, title, description, priority, assignee, labels or due date.",
      );
    const data = await linear<{ issueUpdate: { success: boolean; issue: LinearIssue | null } }>(
      context,
      `mutation IssueUpdate($id: String!, $input: IssueUpdateInput!) {
  issueUpdate(id: $id, input: $input) {
    success
    issue {${issueFields}
    }
  }
}`,
      { id, input },
    );
    if (!data.issueUpdate.success || !data.issueUpdate.issue)
      throw new ActionError("Linear did not update the issue.");
    return toIssue(data.issueUpdate.issue);
  },
});

const listIssues = defineAction({
  key: "list_issues",
  title: "List issues",
  description:
    "List Linear issues, most recently updated first, filtered by team, state, assignee, priority or label.",
  input: z.object({
    teamId: z.string().optional().describe("Only issues of this team (its id)."),
    state: z.string().optional().describe('Only issues in the state of this name, such as "Todo".'),
    assignee: z
      .string()
      .optional()
      .describe('Only issues assigned to this person: "me", or their email address.'),
    priority: priority.optional().describe("Only issues of this priority (0 none, 1 urgent ... 4 low)."),
    label: z.string().optional().describe("Only issues with a label of this name."),
    first: z.number().int().min(1).max(100).default(25).describe("At most this many issues."),
    after: z.string().optional().describe("The next_cursor of a previous answer, for the next page."),
  }),
  output: z.object({ issues: z.array(issueView), next_cursor: z.string().nullable() }),
  annotations: externalRead,
  options: { teamId: teamOptions },
  run: async (context) => {
    const { teamId, state, assignee, priority, label, first, after } = context.input;
    const filter: Record<string, unknown> = {
      ...(teamId && { team: { id: { eq: teamId } } }),
      ...(state && { state: { name: { eqIgnoreCase: state } } }),
      ...(assignee &&
        (assignee.toLowerCase() === "me"
          ? { assignee: { isMe: { eq: true } } }
          : { assignee: { email: { eqIgnoreCase: assignee } } })),
      ...(priority !== undefined && { priority: { eq: priority } }),
      ...(label && { labels: { some: { name: { eqIgnoreCase: label } } } }),
    };
    const data = await linear<{
      issues: { nodes: LinearIssue[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    }>(
      context,
      `query Issues($filter: IssueFilter, $first: Int, $after: String, $orderBy: PaginationOrderBy) {
  issues(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    nodes {${issueFields}
    }
    pageInfo { hasNextPage endCursor }
  }
}`,
      { filter, first, orderBy: "updatedAt", ...(after && { after }) },
    );
    return {
      issues: data.issues.nodes.map(toIssue),
      next_cursor: data.issues.pageInfo.hasNextPage ? data.issues.pageInfo.endCursor : null,
    };
  },
});

const searchIssues = defineAction({
  key: "search_issues",
  title: "Search issues",
  description: "Search Linear issues by text in their title, description (and comments, if asked).",
  input: z.object({
    term: z.string().min(1).describe("The words to search for."),
    teamId: z.string().optional().describe("Boost the issues of this team (its id)."),
    includeComments: z.boolean().optional().describe("Also search the issues' comments."),
    first: z.number().int().min(1).max(100).default(25).describe("At most this many issues."),
  }),
  output: z.object({ total_count: z.number(), issues: z.array(issueView) }),
  annotations: externalRead,
  options: { teamId: teamOptions },
  run: async (context) => {
    const data = await linear<{ searchIssues: { totalCount: number; nodes: LinearIssue[] } }>(
      context,
      `query SearchIssues($term: String!, $first: Int, $teamId: String, $includeComments: Boolean) {
  searchIssues(term: $term, first: $first, teamId: $teamId, includeComments: $includeComments) {
    totalCount
    nodes {${issueFields}
    }
  }
}`,
      Object.fromEntries(Object.entries(context.input).filter(([, value]) => value !== undefined)),
    );
    return { total_count: data.searchIssues.totalCount, issues: data.searchIssues.nodes.map(toIssue) };
  },
});

const addComment = defineAction({
  key: "add_comment",
  title: "Comment on issue",
  description: "Add a comment (Markdown) to a Linear issue.",
  input: z.object({
    issueId: issueId,
    body: z.string().min(1).describe("The comment, in Markdown."),
  }),
  output: z.object({ id: z.string(), body: z.string(), url: z.string(), created_at: z.string() }),
  annotations: externalCreate,
  run: async (context) => {
    const data = await linear<{
      commentCreate: {
        success: boolean;
        comment: { id: string; body: string; url: string; createdAt: string };
      };
    }>(
      context,
      `mutation CommentCreate($input: CommentCreateInput!) {
  commentCreate(input: $input) {
    success
    comment { id body url createdAt }
  }
}`,
      { input: { issueId: context.input.issueId, body: context.input.body } },
    );
    if (!data.commentCreate.success) throw new ActionError("Linear did not add the comment.");
    const { comment } = data.commentCreate;
    return { id: comment.id, body: comment.body, url: comment.url, created_at: comment.createdAt };
  },
});

const listTeams = defineAction({
  key: "list_teams",
  title: "List teams",
  description: "List the Linear teams of the workspace, with the ids other actions take.",
  input: z.object({}),
  output: z.object({ teams: z.array(z.object({ id: z.string(), key: z.string(), name: z.string() })) }),
  annotations: externalRead,
  run: async (context) => {
    const data = await linear<{ teams: { nodes: Array<{ id: string; key: string; name: string }> } }>(
      context,
      `query Teams($first: Int) { teams(first: $first) { nodes { id key name } } }`,
      { first: 100 },
    );
    return { teams: data.teams.nodes };
  },
});

export default defineIntegration<Auth>({
  slug: "linear",
  name: "Linear",
  description: "Issues and comments in Linear.",
  category: "Developer tools",
  auth: apiKeyAuth([
    {
      name: "api_key",
      label: "Personal API key",
      secret: true,
      help: "Linear → Settings → Account → Security & access → Personal API keys → New API key.",
    },
  ]),
  api: {
    baseUrl: "https://api.linear.app",
    baseUrlSetting: "LINEAR_API_URL",
    headers: (auth) => ({ authorization: auth.api_key }),
    describeError: (body) => describeLinearErrors(body),
  },
  test: async (context) => {
    const data = await linear<{ viewer: { name: string; email: string } }>(
      context,
      "query Viewer { viewer { id name email } }",
    );
    return { account: data.viewer.email || data.viewer.name };
  },
  actions: [createIssue, getIssue, updateIssue, listIssues, searchIssues, addComment, listTeams],
});
