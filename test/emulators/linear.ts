// Linear's GraphQL API (https://linear.app/developers/graphql) for the operations the Linear app
// uses: POST /graphql with a JSON `{query, variables, operationName}`, the personal API key as the
// bare Authorization header, and a small GraphQL front end that parses each operation and checks
// it against a subset of Linear's schema (fields, arguments, variable types, input objects) before
// answering in Linear's shapes: connections of `nodes`/`pageInfo`, `{success, issue}` payloads,
// and Linear's errors `{errors: [{message, extensions: {code, type, userPresentableMessage}}]}`
// (a 400 for a bad operation, a 200 with `data: null` for a missing entity, a 401 for a bad key).
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { type EmulatedRequest, type Reply, route, startEmulator } from "./emulator";

export const linearApiKey = "lin_api_0123456789abcdefghijklmnopqrstuvwxyzABCD";

type LinearErrorInit = { code: string; type: string; status?: number; userPresentableMessage?: string };

export function linearError(status: number, message: string, init: LinearErrorInit): Reply {
  return {
    status,
    json: {
      errors: [
        {
          message,
          extensions: {
            code: init.code,
            type: init.type,
            statusCode: init.status ?? status,
            userError: true,
            userPresentableMessage: init.userPresentableMessage ?? message,
          },
        },
      ],
    },
  };
}

const authenticationError = () =>
  linearError(401, "Authentication required, not authenticated", {
    code: "AUTHENTICATION_ERROR",
    type: "authentication error",
    userPresentableMessage: "You need to authenticate to access this operation.",
  });
const graphqlError = (message: string, code = "GRAPHQL_VALIDATION_FAILED") =>
  linearError(400, message, { code, type: "graphql error" });

// --- A GraphQL operation, parsed -----------------------------------------------------------------

type Value =
  | { kind: "variable"; name: string }
  | { kind: "literal"; value: unknown }
  | { kind: "list"; values: Value[] }
  | { kind: "object"; fields: Record<string, Value> };
type Selection = { alias?: string; name: string; args: Record<string, Value>; selections?: Selection[] };
type Operation = {
  type: "query" | "mutation";
  name?: string;
  variables: Record<string, { type: string; defaultValue?: unknown }>;
  selections: Selection[];
};

class GraphQLSyntaxError extends Error {}

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  const pattern =
    /\s+|,|#[^\n]*|("(?:[^"\\]|\\.)*")|(\.\.\.|[{}()[\]:!$=@|])|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([_A-Za-z][_0-9A-Za-z]*)|(.)/gy;
  for (const match of source.matchAll(pattern)) {
    if (match[5] !== undefined)
      throw new GraphQLSyntaxError(`Syntax Error: Unexpected character: "${match[5]}".`);
    const token = match[1] ?? match[2] ?? match[3] ?? match[4];
    if (token !== undefined) tokens.push(token);
  }
  return tokens;
}

function parseOperation(source: string): Operation {
  const tokens = tokenize(source);
  let at = 0;
  const peek = () => tokens[at];
  const next = () => {
    const token = tokens[at++];
    if (token === undefined) throw new GraphQLSyntaxError("Syntax Error: Unexpected <EOF>.");
    return token;
  };
  const expect = (token: string) => {
    const actual = next();
    if (actual !== token)
      throw new GraphQLSyntaxError(`Syntax Error: Expected "${token}", found "${actual}".`);
  };
  const name = () => {
    const token = next();
    if (!/^[_A-Za-z]/.test(token))
      throw new GraphQLSyntaxError(`Syntax Error: Expected Name, found "${token}".`);
    return token;
  };
  const type = (): string => {
    if (peek() === "[") {
      next();
      const inner = type();
      expect("]");
      return `[${inner}]${peek() === "!" ? next() : ""}`;
    }
    const named = name();
    return `${named}${peek() === "!" ? next() : ""}`;
  };
  const value = (constant: boolean): Value => {
    const token = next();
    if (token === "$") {
      if (constant) throw new GraphQLSyntaxError("Syntax Error: Unexpected variable in a constant value.");
      return { kind: "variable", name: name() };
    }
    if (token === "[") {
      const values: Value[] = [];
      while (peek() !== "]") values.push(value(constant));
      next();
      return { kind: "list", values };
    }
    if (token === "{") {
      const fields: Record<string, Value> = {};
      while (peek() !== "}") {
        const field = name();
        expect(":");
        fields[field] = value(constant);
      }
      next();
      return { kind: "object", fields };
    }
    if (token.startsWith('"')) return { kind: "literal", value: JSON.parse(token) };
    if (/^-?\d/.test(token)) return { kind: "literal", value: Number(token) };
    if (token === "true" || token === "false") return { kind: "literal", value: token === "true" };
    if (token === "null") return { kind: "literal", value: null };
    if (/^[_A-Za-z]/.test(token)) return { kind: "literal", value: token };
    throw new GraphQLSyntaxError(`Syntax Error: Unexpected "${token}".`);
  };
  const selectionSet = (): Selection[] => {
    expect("{");
    const selections: Selection[] = [];
    while (peek() !== "}") {
      if (peek() === "...") throw new GraphQLSyntaxError("Syntax Error: fragments are not supported here.");
      let field = name();
      let alias: string | undefined;
      if (peek() === ":") {
        next();
        alias = field;
        field = name();
      }
      const args: Record<string, Value> = {};
      if (peek() === "(") {
        next();
        while (peek() !== ")") {
          const argument = name();
          expect(":");
          args[argument] = value(false);
        }
        next();
      }
      selections.push({
        ...(alias && { alias }),
        name: field,
        args,
        ...(peek() === "{" && { selections: selectionSet() }),
      });
    }
    next();
    return selections;
  };

  let operationType: "query" | "mutation" = "query";
  let operationName: string | undefined;
  const variables: Operation["variables"] = {};
  if (peek() !== "{") {
    const keyword = name();
    if (keyword !== "query" && keyword !== "mutation")
      throw new GraphQLSyntaxError(`Syntax Error: Unexpected Name "${keyword}".`);
    operationType = keyword;
    if (peek() !== "(" && peek() !== "{") operationName = name();
    if (peek() === "(") {
      next();
      while (peek() !== ")") {
        expect("$");
        const variable = name();
        expect(":");
        const variableType = type();
        let defaultValue: unknown;
        if (peek() === "=") {
          next();
          defaultValue = (value(true) as { value?: unknown }).value;
        }
        variables[variable] = { type: variableType, ...(defaultValue !== undefined && { defaultValue }) };
      }
      next();
    }
  }
  const selections = selectionSet();
  if (at < tokens.length)
    throw new GraphQLSyntaxError("This emulator takes one operation per document, without fragments.");
  return { type: operationType, ...(operationName && { name: operationName }), variables, selections };
}

// --- The part of Linear's schema the app uses ------------------------------------------------------

type Field = { type: string; list?: boolean; args?: Record<string, string> };
const scalars = new Set(["ID", "String", "Int", "Float", "Boolean", "DateTime", "TimelessDate", "JSON"]);
const connectionArgs = {
  after: "String",
  before: "String",
  first: "Int",
  last: "Int",
  includeArchived: "Boolean",
  orderBy: "PaginationOrderBy",
};
const issueObjectFields: Record<string, Field> = {
  id: { type: "ID" },
  identifier: { type: "String" },
  number: { type: "Float" },
  title: { type: "String" },
  description: { type: "String" },
  priority: { type: "Float" },
  priorityLabel: { type: "String" },
  estimate: { type: "Float" },
  url: { type: "String" },
  branchName: { type: "String" },
  dueDate: { type: "TimelessDate" },
  createdAt: { type: "DateTime" },
  updatedAt: { type: "DateTime" },
  completedAt: { type: "DateTime" },
  state: { type: "WorkflowState" },
  assignee: { type: "User" },
  creator: { type: "User" },
  team: { type: "Team" },
  labels: { type: "IssueLabelConnection", args: { ...connectionArgs, filter: "IssueLabelFilter" } },
  comments: { type: "CommentConnection", args: { ...connectionArgs, filter: "CommentFilter" } },
};
const connection = (node: string): Record<string, Field> => ({
  nodes: { type: node, list: true },
  pageInfo: { type: "PageInfo" },
});
const schema: Record<string, Record<string, Field>> = {
  Query: {
    viewer: { type: "User" },
    issue: { type: "Issue", args: { id: "String!" } },
    issues: {
      type: "IssueConnection",
      args: { ...connectionArgs, filter: "IssueFilter", sort: "[IssueSortInput!]" },
    },
    searchIssues: {
      type: "IssueSearchPayload",
      args: {
        ...connectionArgs,
        term: "String!",
        filter: "IssueFilter",
        teamId: "String",
        includeComments: "Boolean",
      },
    },
    teams: { type: "TeamConnection", args: { ...connectionArgs, filter: "TeamFilter" } },
    users: {
      type: "UserConnection",
      args: { ...connectionArgs, filter: "UserFilter", includeDisabled: "Boolean" },
    },
    team: { type: "Team", args: { id: "String!" } },
  },
  Mutation: {
    issueCreate: { type: "IssuePayload", args: { input: "IssueCreateInput!" } },
    issueUpdate: { type: "IssuePayload", args: { id: "String!", input: "IssueUpdateInput!" } },
    commentCreate: { type: "CommentPayload", args: { input: "CommentCreateInput!" } },
  },
  Issue: issueObjectFields,
  IssueSearchResult: { ...issueObjectFields, metadata: { type: "JSON" } },
  IssueConnection: connection("Issue"),
  IssueSearchPayload: { ...connection("IssueSearchResult"), totalCount: { type: "Float" } },
  IssueLabel: { id: { type: "ID" }, name: { type: "String" }, color: { type: "String" } },
  IssueLabelConnection: connection("IssueLabel"),
  PageInfo: {
    hasNextPage: { type: "Boolean" },
    hasPreviousPage: { type: "Boolean" },
    startCursor: { type: "String" },
    endCursor: { type: "String" },
  },
  WorkflowState: {
    id: { type: "ID" },
    name: { type: "String" },
    type: { type: "String" },
    color: { type: "String" },
    position: { type: "Float" },
  },
  WorkflowStateConnection: connection("WorkflowState"),
  User: {
    id: { type: "ID" },
    name: { type: "String" },
    displayName: { type: "String" },
    email: { type: "String" },
    active: { type: "Boolean" },
    url: { type: "String" },
  },
  Team: {
    id: { type: "ID" },
    key: { type: "String" },
    name: { type: "String" },
    description: { type: "String" },
    states: { type: "WorkflowStateConnection", args: { ...connectionArgs, filter: "WorkflowStateFilter" } },
  },
  TeamConnection: connection("Team"),
  UserConnection: connection("User"),
  Comment: {
    id: { type: "ID" },
    body: { type: "String" },
    url: { type: "String" },
    createdAt: { type: "DateTime" },
    updatedAt: { type: "DateTime" },
    user: { type: "User" },
    issue: { type: "Issue" },
  },
  CommentConnection: connection("Comment"),
  IssuePayload: { success: { type: "Boolean" }, lastSyncId: { type: "Float" }, issue: { type: "Issue" } },
  CommentPayload: {
    success: { type: "Boolean" },
    lastSyncId: { type: "Float" },
    comment: { type: "Comment" },
  },
};

// Input types, as Linear defines their fields (those of them this emulator knows, all optional
// except where Linear's schema says `!`); keys Linear does not define are refused.
const stringComparator = z.strictObject({
  eq: z.string().optional(),
  neq: z.string().optional(),
  in: z.array(z.string()).optional(),
  nin: z.array(z.string()).optional(),
  eqIgnoreCase: z.string().optional(),
  neqIgnoreCase: z.string().optional(),
  contains: z.string().optional(),
  containsIgnoreCase: z.string().optional(),
  startsWith: z.string().optional(),
});
const idComparator = z.strictObject({
  eq: z.string().optional(),
  neq: z.string().optional(),
  in: z.array(z.string()).optional(),
  nin: z.array(z.string()).optional(),
});
const numberComparator = z.strictObject({
  eq: z.number().optional(),
  neq: z.number().optional(),
  gt: z.number().optional(),
  gte: z.number().optional(),
  lt: z.number().optional(),
  lte: z.number().optional(),
  in: z.array(z.number()).optional(),
  null: z.boolean().optional(),
});
const booleanComparator = z.strictObject({ eq: z.boolean().optional(), neq: z.boolean().optional() });
const teamFilter = z.strictObject({
  id: idComparator.optional(),
  key: stringComparator.optional(),
  name: stringComparator.optional(),
});
const stateFilter = z.strictObject({
  id: idComparator.optional(),
  name: stringComparator.optional(),
  type: stringComparator.optional(),
});
const userFilter = z.strictObject({
  id: idComparator.optional(),
  email: stringComparator.optional(),
  name: stringComparator.optional(),
  isMe: booleanComparator.optional(),
  null: z.boolean().optional(),
});
const labelFilter = z.strictObject({ id: idComparator.optional(), name: stringComparator.optional() });
type IssueFilter = {
  id?: z.infer<typeof idComparator>;
  team?: z.infer<typeof teamFilter>;
  state?: z.infer<typeof stateFilter>;
  assignee?: z.infer<typeof userFilter>;
  priority?: z.infer<typeof numberComparator>;
  labels?: { some?: z.infer<typeof labelFilter>; every?: z.infer<typeof labelFilter> } & z.infer<
    typeof labelFilter
  >;
  title?: z.infer<typeof stringComparator>;
  description?: z.infer<typeof stringComparator>;
  and?: IssueFilter[];
  or?: IssueFilter[];
};
const issueFilter: z.ZodType<IssueFilter> = z.lazy(() =>
  z.strictObject({
    id: idComparator.optional(),
    team: teamFilter.optional(),
    state: stateFilter.optional(),
    assignee: userFilter.optional(),
    priority: numberComparator.optional(),
    labels: labelFilter.extend({ some: labelFilter.optional(), every: labelFilter.optional() }).optional(),
    title: stringComparator.optional(),
    description: stringComparator.optional(),
    and: z.array(issueFilter).optional(),
    or: z.array(issueFilter).optional(),
  }),
);
const optionalString = z.string().nullable().optional();
const inputTypes: Record<string, z.ZodType> = {
  IssueCreateInput: z.strictObject({
    teamId: z.string(),
    title: optionalString,
    description: optionalString,
    priority: z.number().int().nullable().optional(),
    assigneeId: optionalString,
    stateId: optionalString,
    labelIds: z.array(z.string()).nullable().optional(),
    dueDate: optionalString,
    estimate: z.number().int().nullable().optional(),
    projectId: optionalString,
    parentId: optionalString,
    cycleId: optionalString,
  }),
  IssueUpdateInput: z.strictObject({
    title: optionalString,
    description: optionalString,
    priority: z.number().int().nullable().optional(),
    assigneeId: optionalString,
    stateId: optionalString,
    labelIds: z.array(z.string()).nullable().optional(),
    addedLabelIds: z.array(z.string()).nullable().optional(),
    removedLabelIds: z.array(z.string()).nullable().optional(),
    dueDate: optionalString,
    estimate: z.number().int().nullable().optional(),
    teamId: optionalString,
    projectId: optionalString,
    parentId: optionalString,
  }),
  CommentCreateInput: z.strictObject({
    body: optionalString,
    issueId: optionalString,
    parentId: optionalString,
    id: optionalString,
  }),
  IssueFilter: issueFilter,
  TeamFilter: teamFilter,
  WorkflowStateFilter: stateFilter,
  PaginationOrderBy: z.enum(["createdAt", "updatedAt"]),
  String: z.string(),
  ID: z.string(),
  Int: z
    .number()
    .int()
    .min(-(2 ** 31))
    .max(2 ** 31 - 1),
  Float: z.number(),
  Boolean: z.boolean(),
};

/** Whether a variable of type `given` may be used where `expected` is (GraphQL's rule, simplified). */
function typeFits(given: string, expected: string): boolean {
  return given === expected || (given.endsWith("!") && given.slice(0, -1) === expected);
}

function checkValue(typeName: string, value: unknown, where: string): string | undefined {
  const nonNull = typeName.endsWith("!");
  const named = nonNull ? typeName.slice(0, -1) : typeName;
  if (value === null || value === undefined)
    return nonNull ? `${where}: expected non-nullable type "${typeName}" not to be null.` : undefined;
  if (named.startsWith("[")) {
    if (!Array.isArray(value)) return `${where}: expected a list of ${named}.`;
    for (const [index, item] of value.entries()) {
      const problem = checkValue(named.slice(1, -1), item, `${where}[${index}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  const schemaOf = inputTypes[named];
  if (!schemaOf) return `${where}: unknown type "${named}".`;
  const parsed = schemaOf.safeParse(value);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.length ? ` at "${issue.path.join(".")}"` : "";
  if (issue.code === "unrecognized_keys")
    return `${where}: Field "${issue.keys[0]}" is not defined by type "${named}"${path}.`;
  if (
    issue.code === "invalid_type" &&
    issue.path.length === 1 &&
    (value as Record<string, unknown>)[String(issue.path[0])] === undefined
  )
    return `${where}: Field "${String(issue.path[0])}" of required type "String!" was not provided.`;
  return `${where}: ${issue.message}${path}.`;
}

// --- The emulator ----------------------------------------------------------------------------------

type User = { id: string; name: string; email: string };
type State = { id: string; name: string; type: string; position: number };
type Team = { id: string; key: string; name: string; states: State[] };
type Issue = {
  id: string;
  number: number;
  teamId: string;
  title: string;
  description: string | null;
  priority: number;
  stateId: string;
  assigneeId: string | null;
  labelIds: string[];
  dueDate: string | null;
  createdAt: string;
  updatedAt: string;
  comments: string[];
};

class EntityError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly type: string,
    readonly userPresentableMessage: string,
  ) {
    super(message);
  }
}
const notFound = (entity: string) =>
  new EntityError(
    `Entity not found: ${entity}`,
    "INPUT_ERROR",
    "invalid input",
    `Could not find referenced ${entity}.`,
  );
const invalidInput = (message: string) =>
  new EntityError("Argument Validation Error", "INVALID_INPUT", "invalid input", message);

const priorityLabels = ["No priority", "Urgent", "High", "Medium", "Low"];

export type LinearEmulator = Awaited<ReturnType<typeof startLinearEmulator>>;

export async function startLinearEmulator() {
  let clock = Date.parse("2025-03-01T10:00:00.000Z");
  const now = () => {
    clock += 1000;
    return new Date(clock).toISOString();
  };
  const users: User[] = [
    { id: randomUUID(), name: "Ada Lovelace", email: "ada@example.com" },
    { id: randomUUID(), name: "Grace Hopper", email: "grace@example.com" },
  ];
  const viewer = users[0]!;
  const formerMember = { id: randomUUID(), name: "Charles Babbage", email: "charles@example.com" };
  const teamStates = () =>
    [
      ["Backlog", "backlog"],
      ["Todo", "unstarted"],
      ["In Progress", "started"],
      ["Done", "completed"],
      ["Canceled", "canceled"],
    ].map(([name, type], position) => ({ id: randomUUID(), name: name!, type: type!, position }));
  const teams: Team[] = [
    { id: randomUUID(), key: "ENG", name: "Engineering", states: teamStates() },
    { id: randomUUID(), key: "DES", name: "Design", states: teamStates() },
  ];
  const labels = [
    { id: randomUUID(), name: "Bug", color: "#eb5757" },
    { id: randomUUID(), name: "Feature", color: "#bb87fc" },
  ];
  const issues: Issue[] = [];
  const comments = new Map<string, { id: string; body: string; createdAt: string; issueId: string }>();
  let requestCount = 0;

  const teamOf = (issue: Issue) => teams.find((team) => team.id === issue.teamId)!;
  const identifier = (issue: Issue) => `${teamOf(issue).key}-${issue.number}`;
  const findIssue = (id: string) => issues.find((issue) => issue.id === id || identifier(issue) === id);
  const page = <T>(nodes: T[]) => ({
    nodes,
    pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  });

  // Objects as the schema exposes them; functions take the field's arguments.
  const userObject = (user: User) => ({
    ...user,
    displayName: user.name.split(" ")[0]!.toLowerCase(),
    active: true,
    url: `https://linear.app/acme/profiles/${user.name.split(" ")[0]!.toLowerCase()}`,
  });
  const teamObject = (team: Team) => ({
    id: team.id,
    key: team.key,
    name: team.name,
    description: null,
    states: () => page(team.states.map((state) => ({ ...state, color: "#e2e2e2" }))),
  });
  const issueObject = (issue: Issue): Record<string, unknown> => {
    const state = teamOf(issue).states.find((candidate) => candidate.id === issue.stateId)!;
    const assignee = users.find((user) => user.id === issue.assigneeId);
    const slug = issue.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "");
    return {
      id: issue.id,
      identifier: identifier(issue),
      number: issue.number,
      title: issue.title,
      description: issue.description,
      priority: issue.priority,
      priorityLabel: priorityLabels[issue.priority],
      estimate: null,
      url: `https://linear.app/acme/issue/${identifier(issue)}/${slug}`,
      branchName: `ada/${identifier(issue).toLowerCase()}-${slug}`,
      dueDate: issue.dueDate,
      createdAt: issue.createdAt,
      updatedAt: issue.updatedAt,
      completedAt: state.type === "completed" ? issue.updatedAt : null,
      state: { ...state, color: "#e2e2e2" },
      assignee: assignee ? userObject(assignee) : null,
      creator: userObject(viewer),
      team: teamObject(teamOf(issue)),
      labels: () => page(labels.filter((label) => issue.labelIds.includes(label.id))),
      comments: () => page(issue.comments.map((id) => commentObject(id))),
    };
  };
  const commentObject = (id: string): Record<string, unknown> => {
    const comment = comments.get(id)!;
    const issue = findIssue(comment.issueId)!;
    return {
      id,
      body: comment.body,
      createdAt: comment.createdAt,
      updatedAt: comment.createdAt,
      url: `${issueObject(issue).url}#comment-${id.slice(0, 8)}`,
      user: userObject(viewer),
      issue: issueObject(issue),
    };
  };

  const compareString = (value: string | null | undefined, comparator: z.infer<typeof stringComparator>) => {
    const text = value ?? "";
    if (comparator.eq !== undefined && text !== comparator.eq) return false;
    if (comparator.neq !== undefined && text === comparator.neq) return false;
    if (comparator.in && !comparator.in.includes(text)) return false;
    if (comparator.nin?.includes(text)) return false;
    if (comparator.eqIgnoreCase !== undefined && text.toLowerCase() !== comparator.eqIgnoreCase.toLowerCase())
      return false;
    if (comparator.contains !== undefined && !text.includes(comparator.contains)) return false;
    if (
      comparator.containsIgnoreCase !== undefined &&
      !text.toLowerCase().includes(comparator.containsIgnoreCase.toLowerCase())
    )
      return false;
    return comparator.startsWith === undefined || text.startsWith(comparator.startsWith);
  };
  const matches = (issue: Issue, filter: IssueFilter): boolean => {
    const team = teamOf(issue);
    const state = team.states.find((candidate) => candidate.id === issue.stateId)!;
    const assignee = users.find((user) => user.id === issue.assigneeId);
    const issueLabels = labels.filter((label) => issue.labelIds.includes(label.id));
    const labelMatches = (label: { id: string; name: string }, wanted: z.infer<typeof labelFilter>) =>
      (!wanted.id || compareString(label.id, wanted.id)) &&
      (!wanted.name || compareString(label.name, wanted.name));
    if (filter.id && !compareString(issue.id, filter.id)) return false;
    if (filter.team?.id && !compareString(team.id, filter.team.id)) return false;
    if (filter.team?.key && !compareString(team.key, filter.team.key)) return false;
    if (filter.state?.name && !compareString(state.name, filter.state.name)) return false;
    if (filter.state?.type && !compareString(state.type, filter.state.type)) return false;
    if (filter.assignee) {
      if (filter.assignee.null === true && assignee) return false;
      if (filter.assignee.isMe?.eq === true && assignee?.id !== viewer.id) return false;
      if (filter.assignee.email && !compareString(assignee?.email, filter.assignee.email)) return false;
      if (filter.assignee.id && !compareString(assignee?.id, filter.assignee.id)) return false;
    }
    if (filter.priority?.eq !== undefined && issue.priority !== filter.priority.eq) return false;
    if (filter.labels?.some && !issueLabels.some((label) => labelMatches(label, filter.labels!.some!)))
      return false;
    if (filter.title && !compareString(issue.title, filter.title)) return false;
    if (filter.and && !filter.and.every((inner) => matches(issue, inner))) return false;
    return !filter.or || filter.or.some((inner) => matches(issue, inner));
  };

  function checkIssueFields(input: Record<string, unknown>, team: Team) {
    if (
      input.priority !== undefined &&
      input.priority !== null &&
      (Number(input.priority) < 0 || Number(input.priority) > 4)
    )
      throw invalidInput("Priority must be between 0 and 4.");
    if (input.assigneeId && !users.some((user) => user.id === input.assigneeId)) throw notFound("User");
    if (input.stateId && !team.states.some((state) => state.id === input.stateId))
      throw invalidInput("The workflow state does not belong to the issue's team.");
    for (const labelId of (input.labelIds as string[] | undefined) ?? [])
      if (!labels.some((label) => label.id === labelId)) throw notFound("IssueLabel");
    if (input.dueDate && !/^\d{4}-\d\d-\d\d$/.test(String(input.dueDate)))
      throw invalidInput("dueDate must be a date.");
  }

  type Args = Record<string, unknown>;
  const root: Record<string, (args: Args) => unknown> = {
    viewer: () => userObject(viewer),
    issue: ({ id }) => {
      const issue = findIssue(String(id));
      if (!issue) throw notFound("Issue");
      return issueObject(issue);
    },
    issues: ({ filter, first, after, orderBy }) => {
      const list = issues
        .filter((issue) => matches(issue, (filter ?? {}) as IssueFilter))
        .sort((a, b) =>
          (orderBy === "updatedAt" ? b.updatedAt : b.createdAt).localeCompare(
            orderBy === "updatedAt" ? a.updatedAt : a.createdAt,
          ),
        );
      const start = after ? list.findIndex((issue) => issue.id === after) + 1 : 0;
      const size = Number(first ?? 50);
      const slice = list.slice(start, start + size);
      return {
        nodes: slice.map(issueObject),
        pageInfo: {
          hasNextPage: start + size < list.length,
          hasPreviousPage: start > 0,
          startCursor: slice[0]?.id ?? null,
          endCursor: slice.at(-1)?.id ?? null,
        },
      };
    },
    searchIssues: ({ term, first, includeComments }) => {
      const words = String(term).toLowerCase().split(/\s+/).filter(Boolean);
      const found = issues.filter((issue) => {
        const text = [
          issue.title,
          issue.description ?? "",
          ...(includeComments ? issue.comments.map((id) => comments.get(id)?.body ?? "") : []),
        ]
          .join("\n")
          .toLowerCase();
        return words.every((word) => text.includes(word));
      });
      return { ...page(found.slice(0, Number(first ?? 50)).map(issueObject)), totalCount: found.length };
    },
    teams: ({ first }) => page(teams.slice(0, Number(first ?? 50)).map(teamObject)),
    // Linear leaves out deactivated members unless includeDisabled is true.
    users: ({ first, includeDisabled }) =>
      page(
        [...users, ...(includeDisabled ? [formerMember] : [])].slice(0, Number(first ?? 50)).map(userObject),
      ),
    team: ({ id }) => {
      const team = teams.find((candidate) => candidate.id === id || candidate.key === id);
      if (!team) throw notFound("Team");
      return teamObject(team);
    },
    issueCreate: ({ input }) => {
      const fields = input as Record<string, unknown>;
      const team = teams.find((candidate) => candidate.id === fields.teamId);
      if (!team) throw notFound("Team");
      if (typeof fields.title !== "string" || !fields.title.trim()) throw invalidInput("Title is required.");
      checkIssueFields(fields, team);
      const issue: Issue = {
        id: randomUUID(),
        number: issues.filter((candidate) => candidate.teamId === team.id).length + 1,
        teamId: team.id,
        title: fields.title,
        description: (fields.description as string | undefined) ?? null,
        priority: Number(fields.priority ?? 0),
        stateId: (fields.stateId as string | undefined) ?? team.states[1]!.id,
        assigneeId: (fields.assigneeId as string | undefined) ?? null,
        labelIds: (fields.labelIds as string[] | undefined) ?? [],
        dueDate: (fields.dueDate as string | undefined) ?? null,
        createdAt: now(),
        updatedAt: "",
        comments: [],
      };
      issue.updatedAt = issue.createdAt;
      issues.push(issue);
      return { success: true, lastSyncId: requestCount, issue: issueObject(issue) };
    },
    issueUpdate: ({ id, input }) => {
      const issue = findIssue(String(id));
      if (!issue) throw notFound("Issue");
      const fields = input as Record<string, unknown>;
      checkIssueFields(fields, teamOf(issue));
      if (fields.title !== undefined) issue.title = String(fields.title);
      if (fields.description !== undefined) issue.description = fields.description as string | null;
      if (fields.priority !== undefined) issue.priority = Number(fields.priority ?? 0);
      if (fields.stateId) issue.stateId = String(fields.stateId);
      if (fields.assigneeId !== undefined) issue.assigneeId = fields.assigneeId as string | null;
      if (fields.labelIds) issue.labelIds = fields.labelIds as string[];
      if (fields.dueDate !== undefined) issue.dueDate = fields.dueDate as string | null;
      issue.updatedAt = now();
      return { success: true, lastSyncId: requestCount, issue: issueObject(issue) };
    },
    commentCreate: ({ input }) => {
      const fields = input as Record<string, unknown>;
      const issue = findIssue(String(fields.issueId ?? ""));
      if (!issue) throw notFound("Issue");
      if (typeof fields.body !== "string" || !fields.body.trim())
        throw invalidInput("Comment body is required.");
      const id = randomUUID();
      comments.set(id, { id, body: fields.body, createdAt: now(), issueId: issue.id });
      issue.comments.push(id);
      return { success: true, lastSyncId: requestCount, comment: commentObject(id) };
    },
  };

  /** The operation checked against the schema; the first problem found, as GraphQL words it. */
  function validate(operation: Operation): string | undefined {
    const used = new Set<string>();
    const walk = (typeName: string, selections: Selection[]): string | undefined => {
      for (const selection of selections) {
        if (selection.name === "__typename") continue;
        const field = schema[typeName]?.[selection.name];
        if (!field) return `Cannot query field "${selection.name}" on type "${typeName}".`;
        for (const [argument, value] of Object.entries(selection.args)) {
          const expected = field.args?.[argument];
          if (!expected) return `Unknown argument "${argument}" on field "${typeName}.${selection.name}".`;
          const variables: string[] = [];
          const collect = (inner: Value) => {
            if (inner.kind === "variable") variables.push(inner.name);
            if (inner.kind === "list") inner.values.forEach(collect);
            if (inner.kind === "object") Object.values(inner.fields).forEach(collect);
          };
          collect(value);
          for (const variable of variables) {
            const declared = operation.variables[variable];
            if (!declared)
              return `Variable "$${variable}" is not defined${operation.name ? ` by operation "${operation.name}"` : ""}.`;
            used.add(variable);
            if (value.kind === "variable" && !typeFits(declared.type, expected))
              return `Variable "$${variable}" of type "${declared.type}" used in position expecting type "${expected}".`;
          }
        }
        for (const [argument, expected] of Object.entries(field.args ?? {}))
          if (expected.endsWith("!") && !(argument in selection.args))
            return `Field "${selection.name}" argument "${argument}" of type "${expected}" is required, but it was not provided.`;
        const leaf = scalars.has(field.type);
        if (leaf && selection.selections)
          return `Field "${selection.name}" must not have a selection since type "${field.type}" has no subfields.`;
        if (!leaf && !selection.selections)
          return `Field "${selection.name}" of type "${field.type}" must have a selection of subfields.`;
        if (selection.selections) {
          const problem = walk(field.type, selection.selections);
          if (problem) return problem;
        }
      }
      return undefined;
    };
    const problem = walk(operation.type === "query" ? "Query" : "Mutation", operation.selections);
    if (problem) return problem;
    for (const variable of Object.keys(operation.variables))
      if (!used.has(variable))
        return `Variable "$${variable}" is never used${operation.name ? ` in operation "${operation.name}"` : ""}.`;
    return undefined;
  }

  function resolveValue(value: Value, variables: Record<string, unknown>): unknown {
    if (value.kind === "variable") return variables[value.name];
    if (value.kind === "literal") return value.value;
    if (value.kind === "list") return value.values.map((inner) => resolveValue(inner, variables));
    return Object.fromEntries(
      Object.entries(value.fields).map(([name, inner]) => [name, resolveValue(inner, variables)]),
    );
  }

  function project(typeName: string, value: unknown, selections: Selection[], variables: Args): unknown {
    if (value === null || value === undefined) return null;
    const record = value as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    for (const selection of selections) {
      const key = selection.alias ?? selection.name;
      if (selection.name === "__typename") {
        result[key] = typeName;
        continue;
      }
      const field = schema[typeName]![selection.name]!;
      const args = Object.fromEntries(
        Object.entries(selection.args).map(([name, inner]) => [name, resolveValue(inner, variables)]),
      );
      const raw =
        typeof record[selection.name] === "function"
          ? (record[selection.name] as (args: Args) => unknown)(args)
          : record[selection.name];
      if (!selection.selections) result[key] = raw ?? null;
      else if (field.list)
        result[key] = ((raw as unknown[] | null) ?? []).map((item) =>
          project(field.type, item, selection.selections!, variables),
        );
      else result[key] = project(field.type, raw, selection.selections, variables);
    }
    return result;
  }

  function execute(request: EmulatedRequest): Reply {
    const body = request.body as
      | { query?: unknown; variables?: unknown; operationName?: unknown }
      | undefined;
    if (!request.contentType.startsWith("application/json") || !body || typeof body !== "object")
      return graphqlError("POST body sent invalid JSON.", "BAD_REQUEST");
    if (typeof body.query !== "string" || !body.query.trim())
      return graphqlError("GraphQL operations must contain a non-empty `query`.", "BAD_REQUEST");
    const variables = (body.variables ?? {}) as Args;
    if (typeof variables !== "object" || Array.isArray(variables))
      return graphqlError("`variables` must be an object.", "BAD_REQUEST");
    let operation: Operation;
    try {
      operation = parseOperation(body.query);
    } catch (error) {
      if (error instanceof GraphQLSyntaxError) return graphqlError(error.message, "GRAPHQL_PARSE_FAILED");
      throw error;
    }
    if (body.operationName !== undefined && body.operationName !== operation.name)
      return graphqlError(`Unknown operation named "${String(body.operationName)}".`, "BAD_REQUEST");
    const problem = validate(operation);
    if (problem) return graphqlError(problem);
    for (const [name, declared] of Object.entries(operation.variables)) {
      const value = variables[name] ?? declared.defaultValue;
      const invalid = checkValue(
        declared.type,
        value,
        `Variable "$${name}" got invalid value ${JSON.stringify(value)}`,
      );
      if (invalid) return graphqlError(invalid, "BAD_USER_INPUT");
    }
    const data: Record<string, unknown> = {};
    const rootType = operation.type === "query" ? "Query" : "Mutation";
    for (const selection of operation.selections) {
      const key = selection.alias ?? selection.name;
      if (selection.name === "__typename") {
        data[key] = rootType;
        continue;
      }
      const args = Object.fromEntries(
        Object.entries(selection.args).map(([name, inner]) => [name, resolveValue(inner, variables)]),
      );
      try {
        const value = root[selection.name]!(args);
        data[key] = project(
          schema[rootType]![selection.name]!.type,
          value,
          selection.selections ?? [],
          variables,
        );
      } catch (error) {
        if (!(error instanceof EntityError)) throw error;
        return {
          json: {
            data: null,
            errors: [
              {
                message: error.message,
                path: [key],
                extensions: {
                  code: error.code,
                  type: error.type,
                  userError: true,
                  userPresentableMessage: error.userPresentableMessage,
                },
              },
            ],
          },
        };
      }
    }
    return { json: { data } };
  }

  const resetAt = Date.now() + 3_600_000;
  const emulator = await startEmulator({
    name: "linear",
    authenticate: (request) => {
      requestCount++;
      return request.headers.authorization === linearApiKey ? undefined : authenticationError();
    },
    notFound: () => ({ status: 404, text: "Cannot GET" }),
    routes: [
      route("POST", "/graphql", (request) => {
        const reply = execute(request);
        return {
          ...reply,
          headers: {
            "x-ratelimit-requests-limit": "2500",
            "x-ratelimit-requests-remaining": String(2500 - requestCount),
            "x-ratelimit-requests-reset": String(resetAt),
            ...reply.headers,
          },
        };
      }),
    ],
  });

  return {
    ...emulator,
    viewer,
    users,
    teams,
    labels,
    /** The operation of a recorded request, parsed (its type, name, variables and fields). */
    operationOf: (request: EmulatedRequest) => parseOperation((request.body as { query: string }).query),
    issueByIdentifier: (key: string) => {
      const issue = findIssue(key);
      return issue && { ...issue, identifier: identifier(issue) };
    },
  };
}
