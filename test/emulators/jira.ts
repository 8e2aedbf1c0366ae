// Jira Cloud's REST API v3 (https://developer.atlassian.com/cloud/jira/platform/rest/v3/) for the
// operations the Jira app uses: basic auth of email and API token, JSON bodies checked as Jira
// checks them (required fields, rich text as an Atlassian Document Format document, fields Jira
// does not know refused), the enhanced JQL search (POST /rest/api/3/search/jql, bounded queries,
// nextPageToken pages), workflow transitions, and Jira's error shape
// `{errorMessages: [...], errors: {field: message}}`.
import { z } from "zod";
import { basicCredentials, type EmulatedRequest, type Reply, route, startEmulator } from "./emulator";

export const jiraEmail = "ada@example.com";
export const jiraToken = "ATATT3xFfGF0-test-token-0123456789";

function jiraError(status: number, errorMessages: string[], errors: Record<string, string> = {}): Reply {
  return { status, json: { errorMessages, errors } };
}

const requireJson = (request: EmulatedRequest) =>
  request.contentType.startsWith("application/json")
    ? undefined
    : {
        status: 415,
        json: { errorMessages: ["Unsupported Media Type: use Content-Type: application/json."], errors: {} },
      };

// --- Atlassian Document Format, as Jira checks it -------------------------------------------------

const inlineTypes = new Set(["text", "hardBreak", "mention", "emoji", "inlineCard", "date", "status"]);
const blockTypes = new Set([
  "paragraph",
  "heading",
  "bulletList",
  "orderedList",
  "listItem",
  "codeBlock",
  "blockquote",
  "rule",
  "panel",
  "table",
  "tableRow",
  "tableHeader",
  "tableCell",
]);

/** Why a value is not an ADF document, or undefined when it is one. */
export function adfProblem(value: unknown): string | undefined {
  if (!value || typeof value !== "object" || Array.isArray(value)) return "not an object";
  const doc = value as { type?: unknown; version?: unknown; content?: unknown };
  if (doc.type !== "doc") return 'the root node is not of type "doc"';
  if (doc.version !== 1) return "the document's version is not 1";
  if (!Array.isArray(doc.content)) return "the document has no content array";
  const check = (node: unknown, path: string): string | undefined => {
    if (!node || typeof node !== "object") return `${path} is not a node`;
    const { type, text, content, marks, ...rest } = node as Record<string, unknown>;
    if (typeof type !== "string") return `${path} has no type`;
    if (!inlineTypes.has(type) && !blockTypes.has(type)) return `${path} has an unknown type "${type}"`;
    if (type === "text") {
      if (typeof text !== "string" || text === "") return `${path} is a text node without text`;
      if (content !== undefined) return `${path} is a text node with content`;
      if (marks !== undefined && !Array.isArray(marks)) return `${path} has marks that are not an array`;
    } else if (text !== undefined) return `${path} has text but is not a text node`;
    if (Object.keys(rest).some((key) => key !== "attrs")) return `${path} has unknown properties`;
    if (content === undefined) return undefined;
    if (!Array.isArray(content)) return `${path} has content that is not an array`;
    for (const [index, child] of content.entries()) {
      const problem = check(child, `${path}.content[${index}]`);
      if (problem) return problem;
    }
    return undefined;
  };
  for (const [index, node] of doc.content.entries()) {
    if (!blockTypes.has(String((node as { type?: unknown })?.type)))
      return `content[${index}] is not a block node`;
    const problem = check(node, `content[${index}]`);
    if (problem) return problem;
  }
  return undefined;
}

// --- The emulator ------------------------------------------------------------------------------------

type Status = { id: string; name: string; category: "new" | "indeterminate" | "done" };
const statuses: Status[] = [
  { id: "10000", name: "To Do", category: "new" },
  { id: "3", name: "In Progress", category: "indeterminate" },
  { id: "10001", name: "Done", category: "done" },
];
const categoryNames = { new: "To Do", indeterminate: "In Progress", done: "Done" };
const workflow = [
  { id: "11", name: "Reopen", to: "To Do" },
  { id: "21", name: "Start work", to: "In Progress" },
  { id: "31", name: "Finish", to: "Done" },
];

type Issue = {
  id: string;
  key: string;
  projectKey: string;
  issueType: string;
  summary: string;
  description: unknown;
  status: string;
  priority: string;
  labels: string[];
  assignee: string | null;
  reporter: string;
  duedate: string | null;
  created: string;
  updated: string;
  comments: Array<{ id: string; body: unknown; created: string }>;
};

const createBody = z.strictObject({
  fields: z.record(z.string(), z.unknown()),
  update: z.record(z.string(), z.unknown()).optional(),
  transition: z.object({ id: z.string() }).optional(),
  properties: z.array(z.unknown()).optional(),
  historyMetadata: z.unknown().optional(),
});
const commentBody = z.strictObject({
  body: z.unknown(),
  visibility: z.unknown().optional(),
  properties: z.array(z.unknown()).optional(),
});
const transitionBody = z.strictObject({
  transition: z.object({ id: z.string() }).optional(),
  fields: z.record(z.string(), z.unknown()).optional(),
  update: z.record(z.string(), z.unknown()).optional(),
  historyMetadata: z.unknown().optional(),
  properties: z.array(z.unknown()).optional(),
});
const searchBody = z.strictObject({
  jql: z.string().optional(),
  maxResults: z.number().int().min(1).optional(),
  nextPageToken: z.string().optional(),
  fields: z.array(z.string()).optional(),
  expand: z.string().optional(),
  properties: z.array(z.string()).optional(),
  fieldsByKeys: z.boolean().optional(),
  reconcileIssues: z.array(z.number()).optional(),
});

export type JiraEmulator = Awaited<ReturnType<typeof startJiraEmulator>>;

export async function startJiraEmulator() {
  const users = [
    { accountId: "5b10a2844c20165700ede21g", displayName: "Ada Lovelace", emailAddress: jiraEmail },
    { accountId: "5b10ac8d82e05b22cc7d4ef5", displayName: "Grace Hopper", emailAddress: "grace@example.com" },
  ];
  const me = users[0]!;
  const projects = [
    {
      id: "10000",
      key: "PROJ",
      name: "Platform",
      issueTypes: ["Task", "Bug", "Story", "Epic"],
      assignable: users.map((user) => user.accountId),
    },
    { id: "10001", key: "OPS", name: "Operations", issueTypes: ["Task"], assignable: [me.accountId] },
  ];
  const priorities = ["Highest", "High", "Medium", "Low", "Lowest"];
  const issues: Issue[] = [];
  let nextIssueId = 10_100;
  let nextCommentId = 10_500;
  let clock = Date.parse("2025-03-01T10:00:00.000Z");
  const now = () => {
    clock += 60_000;
    return new Date(clock).toISOString().replace("Z", "+0000");
  };

  const base = (request: EmulatedRequest) => `http://${request.headers.host ?? "127.0.0.1"}`;
  const userJson = (request: EmulatedRequest, accountId: string | null) => {
    const user = users.find((candidate) => candidate.accountId === accountId);
    return user
      ? {
          self: `${base(request)}/rest/api/3/user?accountId=${user.accountId}`,
          ...user,
          active: true,
          timeZone: "Europe/London",
          accountType: "atlassian",
        }
      : null;
  };
  const projectJson = (request: EmulatedRequest, project: (typeof projects)[number]) => ({
    self: `${base(request)}/rest/api/3/project/${project.id}`,
    id: project.id,
    key: project.key,
    name: project.name,
    projectTypeKey: "software",
    simplified: false,
    style: "classic",
  });
  const statusJson = (request: EmulatedRequest, name: string) => {
    const status = statuses.find((candidate) => candidate.name === name)!;
    return {
      self: `${base(request)}/rest/api/3/status/${status.id}`,
      id: status.id,
      name: status.name,
      statusCategory: { id: 2, key: status.category, name: categoryNames[status.category] },
    };
  };
  const issueJson = (request: EmulatedRequest, issue: Issue, fieldNames?: string[]) => {
    const project = projects.find((candidate) => candidate.key === issue.projectKey)!;
    const all: Record<string, unknown> = {
      summary: issue.summary,
      description: issue.description,
      status: statusJson(request, issue.status),
      issuetype: {
        id: String(10_000 + project.issueTypes.indexOf(issue.issueType)),
        name: issue.issueType,
        subtask: false,
      },
      priority: { id: String(priorities.indexOf(issue.priority) + 1), name: issue.priority },
      assignee: userJson(request, issue.assignee),
      reporter: userJson(request, issue.reporter),
      project: projectJson(request, project),
      labels: issue.labels,
      created: issue.created,
      updated: issue.updated,
      duedate: issue.duedate,
      comment: { comments: issue.comments, total: issue.comments.length, maxResults: 5000, startAt: 0 },
    };
    const wanted = fieldNames?.filter((name) => name !== "*all" && name !== "*navigable");
    return {
      expand: "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
      id: issue.id,
      self: `${base(request)}/rest/api/3/issue/${issue.id}`,
      key: issue.key,
      fields: wanted?.length
        ? Object.fromEntries(wanted.filter((name) => name in all).map((name) => [name, all[name]]))
        : all,
    };
  };
  const findIssue = (key: string) =>
    issues.find((issue) => issue.key.toLowerCase() === key.toLowerCase() || issue.id === key);
  const issueMissing = () =>
    jiraError(404, ["Issue does not exist or you do not have permission to see it."]);

  /** The issues a (small) JQL query selects, in its order, or the error Jira answers. */
  function runJql(jql: string): { ok: true; issues: Issue[] } | { ok: false; reply: Reply } {
    const [where = "", orderBy] = jql.split(/\s+ORDER\s+BY\s+|^ORDER\s+BY\s+/i);
    const clauses = where.trim() ? where.trim().split(/\s+AND\s+/i) : [];
    if (!clauses.length)
      return {
        ok: false,
        reply: jiraError(400, [
          "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.",
        ]),
      };
    const unquote = (value: string) =>
      value
        .trim()
        .replace(/^"(.*)"$/, "$1")
        .replace(/^'(.*)'$/, "$1");
    const predicates: Array<(issue: Issue) => boolean> = [];
    for (const clause of clauses) {
      const match = /^(\w+)\s*(!=|=|~|not\s+in|in)\s*(.+)$/i.exec(clause.trim());
      if (!match)
        return { ok: false, reply: jiraError(400, [`Error in the JQL Query: '${clause}' is not valid.`]) };
      const field = match[1]!.toLowerCase();
      const operator = match[2]!.toLowerCase().replace(/\s+/, " ");
      const raw = match[3]!.trim();
      const values = /^\(.*\)$/.test(raw) ? raw.slice(1, -1).split(",").map(unquote) : [unquote(raw)];
      const readers: Record<string, (issue: Issue) => string | string[] | null> = {
        project: (issue) => issue.projectKey,
        key: (issue) => issue.key,
        status: (issue) => issue.status,
        statuscategory: (issue) =>
          categoryNames[statuses.find((status) => status.name === issue.status)!.category],
        issuetype: (issue) => issue.issueType,
        type: (issue) => issue.issueType,
        priority: (issue) => issue.priority,
        labels: (issue) => issue.labels,
        assignee: (issue) => issue.assignee,
        summary: (issue) => issue.summary,
        text: (issue) => `${issue.summary}\n${JSON.stringify(issue.description ?? "")}`,
      };
      const read = readers[field];
      if (!read)
        return {
          ok: false,
          reply: jiraError(400, [
            `Field '${match[1]}' does not exist or you do not have permission to view it.`,
          ]),
        };
      const wanted = values.map((value) =>
        value.toLowerCase() === "currentuser()" ? me.accountId.toLowerCase() : value.toLowerCase(),
      );
      predicates.push((issue) => {
        const actual = read(issue);
        const list = (Array.isArray(actual) ? actual : [actual ?? ""]).map((value) => value.toLowerCase());
        if (operator === "~") return list.some((value) => wanted.every((word) => value.includes(word)));
        const hit = list.some((value) => wanted.includes(value));
        return operator === "=" || operator === "in" ? hit : !hit;
      });
    }
    const [sortField = "created", sortOrder = "DESC"] = (orderBy ?? "").trim().split(/\s+/);
    const sorted = issues
      .filter((issue) => predicates.every((predicate) => predicate(issue)))
      .sort((a, b) => {
        const key = sortField.toLowerCase() === "updated" ? "updated" : "created";
        return a[key].localeCompare(b[key]) || Number(a.id) - Number(b.id);
      });
    if (sortOrder.toUpperCase() !== "ASC") sorted.reverse();
    return { ok: true, issues: sorted };
  }

  const emulator = await startEmulator({
    name: "jira",
    authenticate: (request) => {
      const credentials = basicCredentials(request);
      if (credentials?.user === jiraEmail && credentials.password === jiraToken) return undefined;
      return { status: 401, text: "Client must be authenticated to access this resource." };
    },
    notFound: () => jiraError(404, ["null for uri: not found"]),
    routes: [
      route("GET", "/rest/api/3/myself", (request) => ({
        json: { ...userJson(request, me.accountId), locale: "en_US", groups: { size: 3, items: [] } },
      })),
      route("GET", "/rest/api/3/project/search", (request) => {
        const maxResults = Number(request.query.get("maxResults") ?? 50);
        const startAt = Number(request.query.get("startAt") ?? 0);
        const orderBy = request.query.get("orderBy") ?? "key";
        if (
          ![
            "key",
            "name",
            "-key",
            "-name",
            "+key",
            "+name",
            "category",
            "issueCount",
            "lastIssueUpdatedTime",
            "owner",
            "archivedDate",
            "deletedDate",
          ].includes(orderBy)
        )
          return jiraError(400, [`Invalid orderBy '${orderBy}'.`]);
        const sorted = [...projects].sort((a, b) =>
          orderBy.replace(/^[+-]/, "") === "name" ? a.name.localeCompare(b.name) : a.key.localeCompare(b.key),
        );
        if (orderBy.startsWith("-")) sorted.reverse();
        const values = sorted.slice(startAt, startAt + maxResults);
        return {
          json: {
            self: `${base(request)}/rest/api/3/project/search?maxResults=${maxResults}&startAt=${startAt}`,
            maxResults,
            startAt,
            total: projects.length,
            isLast: startAt + maxResults >= projects.length,
            values: values.map((project) => projectJson(request, project)),
          },
        };
      }),
      // Find users assignable to projects: a bare array, paged with startAt and maxResults (max 1000).
      route("GET", "/rest/api/3/user/assignable/search", (request) => {
        const key = request.query.get("project");
        const project = projects.find((candidate) => [candidate.key, candidate.id].includes(key ?? ""));
        if (!project) return jiraError(404, [`No project could be found with key '${key}'.`]);
        const maxResults = Math.min(Number(request.query.get("maxResults") ?? 50), 1000);
        const startAt = Number(request.query.get("startAt") ?? 0);
        const assignable = users.filter((user) => project.assignable.includes(user.accountId));
        return {
          json: assignable
            .slice(startAt, startAt + maxResults)
            .map((user) => userJson(request, user.accountId)),
        };
      }),
      // Get create metadata issue types for a project (a page of IssueTypeIssueCreateMetadata).
      route("GET", "/rest/api/3/issue/createmeta/:project/issuetypes", (request, params) => {
        const project = projects.find((candidate) =>
          [candidate.key, candidate.id].includes(params.project ?? ""),
        );
        if (!project) return jiraError(404, [`No project could be found with key '${params.project}'.`]);
        const maxResults = Number(request.query.get("maxResults") ?? 50);
        const startAt = Number(request.query.get("startAt") ?? 0);
        const types = [...project.issueTypes, "Subtask"].map((name, index) => ({
          self: `${base(request)}/rest/api/3/issuetype/${10_000 + index}`,
          id: String(10_000 + index),
          name,
          untranslatedName: name,
          description: `A ${name.toLowerCase()}.`,
          subtask: name === "Subtask",
          hierarchyLevel: name === "Epic" ? 1 : name === "Subtask" ? -1 : 0,
        }));
        return {
          json: {
            maxResults,
            startAt,
            total: types.length,
            issueTypes: types.slice(startAt, startAt + maxResults),
          },
        };
      }),
      route("POST", "/rest/api/3/issue", (request) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const parsed = createBody.safeParse(request.body);
        if (!parsed.success)
          return jiraError(400, [
            "Invalid request payload. Refer to the REST API documentation and try again.",
          ]);
        const fields = parsed.data.fields;
        const errors: Record<string, string> = {};
        const known = [
          "project",
          "issuetype",
          "summary",
          "description",
          "labels",
          "priority",
          "assignee",
          "duedate",
          "parent",
          "reporter",
        ];
        for (const name of Object.keys(fields))
          if (!known.includes(name))
            errors[name] = `Field '${name}' cannot be set. It is not on the appropriate screen, or unknown.`;
        const projectRef = fields.project as { key?: string; id?: string } | undefined;
        const project = projects.find(
          (candidate) => candidate.key === projectRef?.key || candidate.id === projectRef?.id,
        );
        if (!project) errors.project = "valid project is required";
        const typeRef = fields.issuetype as { name?: string; id?: string } | undefined;
        if (!typeRef) errors.issuetype = "Specify an issue type";
        else if (project && !project.issueTypes.includes(String(typeRef.name)))
          errors.issuetype = "Specify a valid issue type";
        if (typeof fields.summary !== "string" || !fields.summary.trim())
          errors.summary = "You must specify a summary of the issue.";
        else if (fields.summary.length > 255) errors.summary = "Summary must be less than 255 characters.";
        if (fields.description !== undefined && adfProblem(fields.description))
          errors.description =
            "Operation value must be an Atlassian Document (see the Atlassian Document Format)";
        const labels = fields.labels;
        if (labels !== undefined) {
          if (!Array.isArray(labels) || labels.some((label) => typeof label !== "string"))
            errors.labels = "data was not an array";
          else {
            const spaced = labels.find((label) => /\s/.test(label as string));
            if (spaced) errors.labels = `The label '${spaced}' contains spaces which is invalid.`;
          }
        }
        const priority = fields.priority as { name?: string } | undefined;
        if (priority !== undefined && !priorities.includes(String(priority?.name)))
          errors.priority = `Priority name '${String(priority?.name)}' is not valid`;
        const assignee = fields.assignee as { accountId?: string } | undefined;
        if (assignee !== undefined && !users.some((user) => user.accountId === assignee?.accountId))
          errors.assignee = "Specified user does not exist or you do not have required permissions";
        if (fields.duedate !== undefined && !/^\d{4}-\d\d-\d\d$/.test(String(fields.duedate)))
          errors.duedate = `Error parsing date string: ${String(fields.duedate)}`;
        if (Object.keys(errors).length) return jiraError(400, [], errors);
        const number = issues.filter((issue) => issue.projectKey === project!.key).length + 1;
        const issue: Issue = {
          id: String(nextIssueId++),
          key: `${project!.key}-${number}`,
          projectKey: project!.key,
          issueType: String(typeRef!.name),
          summary: String(fields.summary),
          description: fields.description ?? null,
          status: "To Do",
          priority: priority?.name ?? "Medium",
          labels: (labels as string[] | undefined) ?? [],
          assignee: assignee?.accountId ?? null,
          reporter: me.accountId,
          duedate: (fields.duedate as string | undefined) ?? null,
          created: now(),
          updated: "",
          comments: [],
        };
        issue.updated = issue.created;
        issues.push(issue);
        return {
          status: 201,
          json: { id: issue.id, key: issue.key, self: `${base(request)}/rest/api/3/issue/${issue.id}` },
        };
      }),
      route("GET", "/rest/api/3/issue/:key", (request, params) => {
        const issue = findIssue(params.key ?? "");
        if (!issue) return issueMissing();
        const fields = request.query
          .get("fields")
          ?.split(",")
          .map((name) => name.trim());
        return { json: issueJson(request, issue, fields) };
      }),
      route("POST", "/rest/api/3/issue/:key/comment", (request, params) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const issue = findIssue(params.key ?? "");
        if (!issue) return issueMissing();
        const parsed = commentBody.safeParse(request.body);
        if (!parsed.success)
          return jiraError(400, [
            "Invalid request payload. Refer to the REST API documentation and try again.",
          ]);
        if (parsed.data.body === undefined)
          return jiraError(400, [], { comment: "Comment body can not be empty!" });
        if (adfProblem(parsed.data.body)) return jiraError(400, ["Comment body is not valid!"]);
        const comment = { id: String(nextCommentId++), body: parsed.data.body, created: now() };
        issue.comments.push(comment);
        issue.updated = comment.created;
        return {
          status: 201,
          json: {
            self: `${base(request)}/rest/api/3/issue/${issue.id}/comment/${comment.id}`,
            id: comment.id,
            author: userJson(request, me.accountId),
            body: comment.body,
            updateAuthor: userJson(request, me.accountId),
            created: comment.created,
            updated: comment.created,
            jsdPublic: true,
          },
        };
      }),
      route("GET", "/rest/api/3/issue/:key/transitions", (request, params) => {
        const issue = findIssue(params.key ?? "");
        if (!issue) return issueMissing();
        return {
          json: {
            expand: "transitions",
            transitions: workflow
              .filter((transition) => transition.to !== issue.status)
              .map((transition) => ({
                id: transition.id,
                name: transition.name,
                to: statusJson(request, transition.to),
                hasScreen: false,
                isGlobal: true,
                isInitial: false,
                isAvailable: true,
                isConditional: false,
                isLooped: false,
              })),
          },
        };
      }),
      route("POST", "/rest/api/3/issue/:key/transitions", (request, params) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const issue = findIssue(params.key ?? "");
        if (!issue) return issueMissing();
        const parsed = transitionBody.safeParse(request.body);
        if (!parsed.success)
          return jiraError(400, [
            "Invalid request payload. Refer to the REST API documentation and try again.",
          ]);
        if (!parsed.data.transition) return jiraError(400, ["Missing 'transition' identifier"]);
        const transition = workflow.find((candidate) => candidate.id === parsed.data.transition!.id);
        if (!transition || transition.to === issue.status)
          return jiraError(400, [
            `Transition id '${parsed.data.transition.id}' is not valid for this issue.`,
          ]);
        issue.status = transition.to;
        issue.updated = now();
        return { status: 204 };
      }),
      route("POST", "/rest/api/3/search/jql", (request) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const parsed = searchBody.safeParse(request.body);
        if (!parsed.success)
          return jiraError(400, [
            "Invalid request payload. Refer to the REST API documentation and try again.",
          ]);
        const body = parsed.data;
        const result = runJql(body.jql ?? "");
        if (!result.ok) return result.reply;
        const start = body.nextPageToken
          ? Number(Buffer.from(body.nextPageToken, "base64url").toString())
          : 0;
        if (!Number.isInteger(start))
          return jiraError(400, ["The provided next page token is invalid or expired."]);
        const size = Math.min(body.maxResults ?? 50, 100);
        const page = result.issues.slice(start, start + size);
        const more = start + size < result.issues.length;
        return {
          json: {
            issues: page.map((issue) =>
              body.fields ? issueJson(request, issue, body.fields) : { id: issue.id },
            ),
            ...(more && { nextPageToken: Buffer.from(String(start + size)).toString("base64url") }),
            isLast: !more,
          },
        };
      }),
    ],
  });

  return { ...emulator, users, issue: (key: string) => findIssue(key) };
}
