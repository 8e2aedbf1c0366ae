// Todoist's API v1 as its reference describes it (https://developer.todoist.com/api/v1/): bearer
// token auth, JSON bodies, cursor pages of `{results, next_cursor}`, and errors as
// `{error, error_code, error_tag, http_code}`.
import { z } from "zod";
import { bearerToken, checkBody, type EmulatedRequest, type Reply, route, startEmulator } from "./emulator";

export const todoistToken = "0123456789abcdef0123456789abcdef01234567";

function todoistError(status: number, tag: string, message: string): Reply {
  return {
    status,
    json: { error: message, error_code: status === 400 ? 19 : 0, error_tag: tag, http_code: status },
  };
}

const newTask = z.object({
  content: z.string().min(1),
  description: z.string().optional(),
  project_id: z.string().optional(),
  due_string: z.string().optional(),
  priority: z.number().int().min(1).max(4).optional(),
  labels: z.array(z.string()).optional(),
});

function requireJson(request: EmulatedRequest): Reply | undefined {
  return request.contentType.startsWith("application/json")
    ? undefined
    : todoistError(400, "INVALID_CONTENT_TYPE", "Content-Type must be application/json");
}

export async function startTodoistEmulator(acceptedToken = todoistToken) {
  const tasks = new Map<string, Record<string, unknown>>();
  const projects = [
    { id: "2203306141", name: "Inbox" },
    { id: "2203306142", name: "Groceries" },
  ];
  let nextId = 7_000_000_000;
  return startEmulator({
    name: "todoist",
    authenticate: (request) =>
      bearerToken(request) === acceptedToken
        ? undefined
        : todoistError(401, "AUTH_INVALID_TOKEN", "Invalid token"),
    notFound: () => todoistError(404, "NOT_FOUND", "Not found"),
    routes: [
      route("GET", "/api/v1/user", () => ({
        json: { id: "2671355", email: "ada@example.com", full_name: "Ada" },
      })),
      route("GET", "/api/v1/projects", () => ({ json: { results: projects, next_cursor: null } })),
      route("POST", "/api/v1/projects", (request) => {
        const checked = checkBody(request, z.object({ name: z.string().min(1) }).passthrough(), (problem) =>
          todoistError(400, "ARGUMENT_MISSING", problem),
        );
        if (!checked.ok) return checked.reply;
        const project = { id: String(nextId++), ...checked.body };
        projects.push(project as { id: string; name: string });
        return { json: project };
      }),
      route("POST", "/api/v1/tasks", (request) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const checked = checkBody(request, newTask, (problem) =>
          todoistError(400, "ARGUMENT_MISSING", problem),
        );
        if (!checked.ok) return checked.reply;
        const { due_string, ...rest } = checked.body;
        const id = String(nextId++);
        const task = {
          id,
          project_id: rest.project_id ?? "2203306141",
          description: "",
          priority: 1,
          labels: [],
          checked: false,
          ...rest,
          due: due_string ? { date: "2026-11-25", string: due_string } : null,
          url: `https://app.todoist.com/app/task/${id}`,
        };
        tasks.set(id, task);
        return { json: task };
      }),
      route("GET", "/api/v1/tasks", (request) => {
        const projectId = request.query.get("project_id");
        const limit = Number(request.query.get("limit") ?? 50);
        const results = [...tasks.values()]
          .filter((task) => !task.checked && (!projectId || task.project_id === projectId))
          .slice(0, limit);
        return { json: { results, next_cursor: null } };
      }),
      route("GET", "/api/v1/tasks/filter", (request) => {
        if (!request.query.get("query"))
          return todoistError(400, "ARGUMENT_MISSING", "Required argument is missing: query");
        return { json: { results: [...tasks.values()].filter((task) => !task.checked), next_cursor: null } };
      }),
      route("POST", "/api/v1/tasks/:id/close", (_request, params) => {
        const task = tasks.get(params.id ?? "");
        if (!task) return todoistError(404, "NOT_FOUND", "Task not found");
        task.checked = true;
        return { status: 204 };
      }),
    ],
  });
}
