// Todoist, through its unified API v1 (https://developer.todoist.com/api/v1/): tasks and projects,
// with a personal API token (Settings → Integrations → Developer) as a bearer token.
import { z } from "zod";
import {
  actionFor,
  apiKeyAuth,
  defineIntegration,
  externalCreate,
  externalRead,
  externalUpdate,
  type KeyCredentials,
  type OptionsLoader,
} from "@/integrations/sdk/define";

type Auth = KeyCredentials<"api_token">;
const defineAction = actionFor<Auth>();

const task = z.object({
  id: z.string(),
  content: z.string(),
  description: z.string().optional(),
  project_id: z.string().optional(),
  priority: z.number().optional(),
  labels: z.array(z.string()).optional(),
  due: z.object({ date: z.string(), string: z.string().optional() }).nullable().optional(),
  checked: z.boolean().optional(),
  url: z.string().optional(),
});
type Task = z.infer<typeof task>;

const page = <T extends z.ZodType>(item: T) =>
  z.object({ results: z.array(item), next_cursor: z.string().nullable() });

const projectOptions: OptionsLoader<Auth> = async ({ http }) => {
  const projects = await http.request<{ results: Array<{ id: string; name: string }> }>("/api/v1/projects", {
    query: { limit: 200 },
  });
  return projects.results.map((project) => ({ value: project.id, label: project.name }));
};

const createTask = defineAction({
  key: "create_task",
  title: "Create task",
  description: 'Add a task to Todoist, with an optional due date in natural language ("tomorrow at 9").',
  input: z.object({
    content: z.string().min(1).describe("The task's title (Markdown allowed)."),
    description: z.string().optional().describe("Longer notes for the task."),
    project_id: z.string().optional().describe("The project to add it to; the Inbox if left out."),
    due_string: z.string().optional().describe('When it is due, in words: "tomorrow", "every monday at 9".'),
    priority: z.number().int().min(1).max(4).optional().describe("1 (normal) to 4 (urgent)."),
    labels: z.array(z.string()).optional().describe("Label names."),
  }),
  output: task,
  annotations: externalCreate,
  options: { project_id: projectOptions },
  run: async ({ input, http }) => http.request<Task>("/api/v1/tasks", { method: "POST", json: input }),
});

const listTasks = defineAction({
  key: "list_tasks",
  title: "List tasks",
  description: 'List open tasks, optionally of one project or matching a Todoist filter ("today | overdue").',
  input: z.object({
    project_id: z.string().optional().describe("Only tasks of this project."),
    filter: z.string().optional().describe('A Todoist filter query, such as "today | overdue".'),
    limit: z.number().int().min(1).max(200).default(50).describe("At most this many tasks."),
  }),
  output: z.object({ tasks: z.array(task) }),
  annotations: externalRead,
  options: { project_id: projectOptions },
  run: async ({ input, http }) => {
    const { filter, ...query } = input;
    const result = filter
      ? await http.request<z.infer<ReturnType<typeof page>>>("/api/v1/tasks/filter", {
          query: { query: filter, limit: input.limit },
        })
      : await http.request<z.infer<ReturnType<typeof page>>>("/api/v1/tasks", { query });
    return { tasks: result.results as Task[] };
  },
});

const completeTask = defineAction({
  key: "complete_task",
  title: "Complete task",
  description: "Mark a task as done (a recurring task moves to its next date).",
  input: z.object({ task_id: z.string().min(1).describe("The task's id.") }),
  output: z.object({ task_id: z.string(), completed: z.boolean() }),
  annotations: externalUpdate,
  run: async ({ input, http }) => {
    await http.request(`/api/v1/tasks/${encodeURIComponent(input.task_id)}/close`, { method: "POST" });
    return { task_id: input.task_id, completed: true };
  },
});

const createProject = defineAction({
  key: "create_project",
  title: "Create project",
  description: "Create a Todoist project.",
  input: z.object({
    name: z.string().min(1).describe("The project's name."),
    color: z.string().optional().describe('A Todoist color name, such as "berry_red".'),
    is_favorite: z.boolean().optional().describe("Whether to add it to favorites."),
  }),
  output: z.object({ id: z.string(), name: z.string() }).passthrough(),
  annotations: externalCreate,
  run: async ({ input, http }) => http.request("/api/v1/projects", { method: "POST", json: input }),
});

export default defineIntegration<Auth>({
  slug: "todoist",
  name: "Todoist",
  description: "Tasks and projects in Todoist.",
  category: "Productivity",
  auth: apiKeyAuth([
    {
      name: "api_token",
      label: "API token",
      secret: true,
      help: "Todoist → Settings → Integrations → Developer → API token.",
    },
  ]),
  api: {
    baseUrl: "https://api.todoist.com",
    baseUrlSetting: "TODOIST_API_URL",
    headers: (auth) => ({ authorization: `Bearer ${auth.api_token}` }),
  },
  test: async ({ http }) => {
    const user = await http.request<{ email?: string; full_name?: string }>("/api/v1/user");
    return { account: user.email ?? user.full_name };
  },
  actions: [createTask, listTasks, completeTask, createProject],
});
