// Asana's REST API as its reference describes it (https://developers.asana.com/reference/rest-api-reference):
// served under /api/1.0, bearer tokens, bodies and answers wrapped in `{data: ...}`, compact
// records unless opt_fields asks for more, and errors as `{errors: [{message, help}]}`.
import { z } from "zod";
import { bearerToken, checkBody, type EmulatedRequest, type Reply, route, startEmulator } from "./emulator";

export const asanaToken = "2/1204060000000001/1208000000000001:0123456789abcdef0123456789abcdef";

export const asanaIds = {
  me: "1204060000000001",
  workspace: "1204060000000100",
  otherWorkspace: "1204060000000200",
  project: "1204060000001000",
  sideProject: "1204060000002000",
  task: "1204060000010001",
};

const help =
  "For more information on API status codes and how to handle them, read the docs on errors: https://developers.asana.com/docs/errors";

export function asanaError(status: number, message: string): Reply {
  return { status, json: { errors: [{ message, help }] } };
}

const base = "/api/1.0";

export async function startAsanaEmulator() {
  const me = { gid: asanaIds.me, name: "Ada Lovelace", email: "ada@example.com" };
  const workspaces = [
    { gid: asanaIds.workspace, name: "Acme", resource_type: "workspace" },
    { gid: asanaIds.otherWorkspace, name: "Side gigs", resource_type: "workspace" },
  ];
  const projects = [
    { gid: asanaIds.project, name: "Launch", workspace: asanaIds.workspace, archived: false },
    { gid: "1204060000001500", name: "Old launch", workspace: asanaIds.workspace, archived: true },
    { gid: asanaIds.sideProject, name: "Blog", workspace: asanaIds.otherWorkspace, archived: false },
  ];
  // The people of each workspace; Ada is in both. GET /users pages them (limit 1-100, offset).
  const members = [
    { ...me, workspaces: [asanaIds.workspace, asanaIds.otherWorkspace] },
    {
      gid: "1204060000000002",
      name: "Grace Hopper",
      email: "grace@example.com",
      workspaces: [asanaIds.workspace],
    },
    ...Array.from({ length: 100 }, (_, index) => ({
      gid: String(1204060000000500 + index),
      name: `Contractor ${index}`,
      email: `contractor${index}@example.com`,
      workspaces: [asanaIds.otherWorkspace],
    })),
  ];
  type StoredTask = {
    gid: string;
    name: string;
    notes: string;
    completed: boolean;
    due_on: string | null;
    assignee: string | null;
    projects: string[];
    workspace: string;
  };
  const tasks = new Map<string, StoredTask>([
    [
      asanaIds.task,
      {
        gid: asanaIds.task,
        name: "Write the press release",
        notes: "",
        completed: false,
        due_on: "2026-04-01",
        assignee: asanaIds.me,
        projects: [asanaIds.project],
        workspace: asanaIds.workspace,
      },
    ],
    [
      "1204060000010002",
      {
        gid: "1204060000010002",
        name: "Book the venue",
        notes: "",
        completed: true,
        due_on: null,
        assignee: null,
        projects: [asanaIds.project],
        workspace: asanaIds.workspace,
      },
    ],
  ]);
  let nextGid = 1204060000020000;

  /** The record with the fields opt_fields names (compact records otherwise, as Asana does). */
  function render(item: StoredTask, request: EmulatedRequest): Record<string, unknown> {
    const full: Record<string, unknown> = {
      gid: item.gid,
      resource_type: "task",
      name: item.name,
      notes: item.notes,
      completed: item.completed,
      due_on: item.due_on,
      assignee: item.assignee ? { gid: item.assignee, name: me.name, resource_type: "user" } : null,
      projects: item.projects.map((gid) => ({
        gid,
        name: projects.find((project) => project.gid === gid)?.name,
        resource_type: "project",
      })),
      permalink_url: `https://app.asana.com/0/${item.projects[0] ?? 0}/${item.gid}`,
    };
    const wanted = (request.query.get("opt_fields") ?? "").split(",").map((field) => field.split(".")[0]);
    return Object.fromEntries(
      Object.entries(full).filter(
        ([key]) => key === "gid" || key === "resource_type" || key === "name" || wanted.includes(key),
      ),
    );
  }

  function requireJson(request: EmulatedRequest): Reply | undefined {
    return request.contentType.startsWith("application/json")
      ? undefined
      : asanaError(400, "Could not parse request data, invalid JSON");
  }

  const userGid = (value: string) =>
    value === "me" || value === me.email || value === me.gid ? me.gid : undefined;

  function findTask(gid: string): { task: StoredTask } | { reply: Reply } {
    if (!/^\d+$/.test(gid)) return { reply: asanaError(400, `task: Not a Long: ${gid}`) };
    const task = tasks.get(gid);
    return task ? { task } : { reply: asanaError(404, `Unknown object: ${gid}`) };
  }

  const reject = (problem: string) => asanaError(400, problem);

  return startEmulator({
    name: "asana",
    authenticate: (request) =>
      bearerToken(request) === asanaToken ? undefined : asanaError(401, "Not Authorized"),
    notFound: (request) =>
      asanaError(404, `No matching route for request: ${request.method} ${request.path}`),
    routes: [
      route("GET", `${base}/users/me`, () => ({
        json: { data: { ...me, resource_type: "user", workspaces } },
      })),
      route("GET", `${base}/workspaces`, () => ({ json: { data: workspaces, next_page: null } })),
      route("GET", `${base}/projects`, (request) => {
        const workspace = request.query.get("workspace");
        if (!workspace && !request.query.get("team")) return asanaError(400, "workspace: Missing input");
        const archived = request.query.get("archived");
        return {
          json: {
            data: projects
              .filter((project) => project.workspace === workspace)
              .filter((project) => archived === null || String(project.archived) === archived)
              .map(({ gid, name }) => ({ gid, name, resource_type: "project" })),
            next_page: null,
          },
        };
      }),
      route("GET", `${base}/users`, (request) => {
        const workspace = request.query.get("workspace");
        if (!workspace) return asanaError(400, "workspace: Missing input");
        const limit = Number(request.query.get("limit") ?? 100);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100)
          return asanaError(400, "limit: Must be between 1 and 100");
        // Asana's offsets are opaque tokens; this one is the index, encoded.
        const offset = request.query.get("offset");
        const start = offset ? Number(Buffer.from(offset, "base64url").toString()) : 0;
        if (!Number.isInteger(start)) return asanaError(400, "offset: Your pagination token is invalid.");
        const inWorkspace = members.filter((member) => member.workspaces.includes(workspace));
        const next =
          start + limit < inWorkspace.length
            ? Buffer.from(String(start + limit)).toString("base64url")
            : null;
        const wanted = (request.query.get("opt_fields") ?? "").split(",");
        return {
          json: {
            data: inWorkspace.slice(start, start + limit).map(({ gid, name, email }) => ({
              gid,
              resource_type: "user",
              name,
              ...(wanted.includes("email") && { email }),
            })),
            next_page: next && {
              offset: next,
              path: `/users?workspace=${workspace}&limit=${limit}&offset=${next}`,
              uri: `https://app.asana.com/api/1.0/users?workspace=${workspace}&limit=${limit}&offset=${next}`,
            },
          },
        };
      }),
      route("POST", `${base}/tasks`, (request) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const checked = checkBody(
          request,
          z.object({
            data: z.object({
              name: z.string().optional(),
              notes: z.string().optional(),
              projects: z.array(z.string()).optional(),
              workspace: z.string().optional(),
              assignee: z.string().optional(),
              due_on: z.string().optional(),
            }),
          }),
          reject,
        );
        if (!checked.ok) return checked.reply;
        const data = checked.body.data;
        const projectGid = data.projects?.[0];
        const project = projects.find((candidate) => candidate.gid === projectGid);
        if (projectGid && !project)
          return asanaError(400, `projects: [0]: Not a recognized ID: ${projectGid}`);
        const workspace = data.workspace ?? project?.workspace;
        if (!workspace) return asanaError(400, "You should specify one of workspace, parent, projects");
        if (data.due_on && !/^\d{4}-\d{2}-\d{2}$/.test(data.due_on))
          return asanaError(400, `due_on: Invalid date: ${data.due_on}`);
        const assignee = data.assignee === undefined ? null : userGid(data.assignee);
        if (assignee === undefined) return asanaError(400, `assignee: Not a recognized ID: ${data.assignee}`);
        const created: StoredTask = {
          gid: String(nextGid++),
          name: data.name ?? "",
          notes: data.notes ?? "",
          completed: false,
          due_on: data.due_on ?? null,
          assignee,
          projects: data.projects ?? [],
          workspace,
        };
        tasks.set(created.gid, created);
        return { status: 201, json: { data: render(created, request) } };
      }),
      route("GET", `${base}/tasks`, (request) => {
        const { query } = request;
        const project = query.get("project");
        if (!project && !(query.get("assignee") && query.get("workspace")))
          return asanaError(400, "workspace: Missing input");
        const limit = Number(query.get("limit") ?? 100);
        if (!(limit >= 1 && limit <= 100)) return asanaError(400, "limit: Must be between 1 and 100");
        const assignee = query.get("assignee");
        const results = [...tasks.values()]
          .filter((item) =>
            project
              ? item.projects.includes(project)
              : item.workspace === query.get("workspace") && item.assignee === userGid(assignee ?? ""),
          )
          .filter((item) => query.get("completed_since") !== "now" || !item.completed)
          .slice(0, limit)
          .map((item) => render(item, request));
        return { json: { data: results, next_page: null } };
      }),
      route("PUT", `${base}/tasks/:gid`, (request, params) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const lookup = findTask(params.gid ?? "");
        if ("reply" in lookup) return lookup.reply;
        const found = lookup.task;
        const checked = checkBody(
          request,
          z.object({ data: z.object({ completed: z.boolean().optional() }) }),
          reject,
        );
        if (!checked.ok) return checked.reply;
        if (checked.body.data.completed !== undefined) found.completed = checked.body.data.completed;
        return { json: { data: render(found, request) } };
      }),
      route("POST", `${base}/tasks/:gid/stories`, (request, params) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const lookup = findTask(params.gid ?? "");
        if ("reply" in lookup) return lookup.reply;
        const found = lookup.task;
        const checked = checkBody(request, z.object({ data: z.object({ text: z.string().min(1) }) }), () =>
          asanaError(400, "text: Missing input"),
        );
        if (!checked.ok) return checked.reply;
        return {
          status: 201,
          json: {
            data: {
              gid: String(nextGid++),
              resource_type: "story",
              created_at: "2026-03-02T09:20:00.000Z",
              text: checked.body.data.text,
              target: { gid: found.gid, name: found.name, resource_type: "task" },
              ...(request.query.get("opt_fields")
                ? {}
                : { type: "comment", resource_subtype: "comment_added" }),
            },
          },
        };
      }),
    ],
  });
}
