// Asana, through its REST API (https://developers.asana.com/reference/rest-api-reference): tasks and
// their comments, with a personal access token as the bearer token; every body and answer is
// wrapped in `{data: ...}`.
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
import { ActionError } from "@/integrations/sdk/errors";
import type { ApiClient } from "@/integrations/sdk/http";

type Auth = KeyCredentials<"access_token">;
const defineAction = actionFor<Auth>();

type Named = { gid: string; name: string };

const task = z
  .object({
    gid: z.string(),
    name: z.string(),
    notes: z.string().optional(),
    completed: z.boolean().optional(),
    due_on: z.string().nullable().optional(),
    assignee: z.object({ gid: z.string(), name: z.string().optional() }).nullable().optional(),
    projects: z.array(z.object({ gid: z.string(), name: z.string().optional() })).optional(),
    permalink_url: z.string().optional(),
  })
  .passthrough();
type Task = z.infer<typeof task>;

/** The task fields asked for with opt_fields (Asana returns compact records otherwise). */
const taskFields = "name,notes,completed,due_on,assignee.name,projects.name,permalink_url";
const listFields = "name,completed,due_on,assignee.name,permalink_url";

async function workspaces(http: ApiClient): Promise<Named[]> {
  return (await http.request<{ data: Named[] }>("/workspaces", { query: { limit: 100 } })).data;
}

const workspaceOptions: OptionsLoader<Auth> = async ({ http }) =>
  (await workspaces(http)).map((workspace) => ({ value: workspace.gid, label: workspace.name }));

/** The active projects of the user's workspaces (the first 10 workspaces, 100 projects each). */
const projectOptions: OptionsLoader<Auth> = async ({ http }) => {
  const all = (await workspaces(http)).slice(0, 10);
  const options = [];
  for (const workspace of all) {
    const projects = await http.request<{ data: Named[] }>("/projects", {
      query: { workspace: workspace.gid, archived: false, limit: 100 },
    });
    for (const project of projects.data)
      options.push({
        value: project.gid,
        label: all.length > 1 ? `${workspace.name} › ${project.name}` : project.name,
      });
  }
  return options;
};

/**
 * Who can be assigned a task: "me", then the people of the user's workspaces (the first 10), read
 * a page of 100 at a time while Asana gives a next page, a few pages at most.
 */
const assigneeOptions: OptionsLoader<Auth> = async ({ http }) => {
  const all = (await workspaces(http)).slice(0, 10);
  const options = [{ value: "me", label: "Me (the connected account)" }];
  const seen = new Set<string>();
  for (const workspace of all) {
    let offset: string | undefined;
    for (let page = 0; page < 5; page++) {
      const users = await http.request<{
        data: Array<Named & { email?: string }>;
        next_page: { offset: string } | null;
      }>("/users", {
        query: { workspace: workspace.gid, limit: 100, opt_fields: "name,email", ...(offset && { offset }) },
      });
      for (const user of users.data) {
        if (seen.has(user.gid)) continue;
        seen.add(user.gid);
        options.push({ value: user.gid, label: user.email ? `${user.name} (${user.email})` : user.name });
      }
      offset = users.next_page?.offset;
      if (!offset) break;
    }
  }
  return options;
};

const taskGid = z.string().min(1).describe("The task's gid (the number in its URL).");

const createTask = defineAction({
  key: "create_task",
  title: "Create task",
  description: "Create an Asana task in a project or a workspace, optionally assigned and with a due date.",
  input: z.object({
    name: z.string().min(1).describe("The task's name."),
    notes: z.string().optional().describe("The task's description (plain text)."),
    project_gid: z.string().optional().describe("The project to add it to."),
    workspace_gid: z
      .string()
      .optional()
      .describe("The workspace to create it in; needed when no project is given."),
    assignee: z.string().optional().describe('Who does it: "me", an email address or a user gid.'),
    due_on: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional()
      .describe("The due date, YYYY-MM-DD."),
  }),
  output: task,
  annotations: externalCreate,
  options: { project_gid: projectOptions, workspace_gid: workspaceOptions, assignee: assigneeOptions },
  run: async ({ input, http }) => {
    if (!input.project_gid && !input.workspace_gid)
      throw new ActionError("Give a project_gid or a workspace_gid for the new task.");
    const created = await http.request<{ data: Task }>("/tasks", {
      method: "POST",
      query: { opt_fields: taskFields },
      json: {
        data: {
          name: input.name,
          ...(input.notes && { notes: input.notes }),
          ...(input.project_gid && { projects: [input.project_gid] }),
          ...(input.workspace_gid && { workspace: input.workspace_gid }),
          ...(input.assignee && { assignee: input.assignee }),
          ...(input.due_on && { due_on: input.due_on }),
        },
      },
    });
    return created.data;
  },
});

const listTasks = defineAction({
  key: "list_tasks",
  title: "List tasks",
  description:
    "List the tasks of an Asana project, or those assigned to someone (you, by default) in a workspace. Open tasks only unless asked.",
  input: z.object({
    project_gid: z.string().optional().describe("The project whose tasks to list."),
    workspace_gid: z
      .string()
      .optional()
      .describe("Without a project: the workspace to list assigned tasks in."),
    assignee: z
      .string()
      .default("me")
      .describe('Without a project: whose tasks, "me", an email address or a user gid.'),
    include_completed: z.boolean().default(false).describe("Also list completed tasks."),
    limit: z.number().int().min(1).max(100).default(50).describe("At most this many tasks."),
  }),
  output: z.object({ tasks: z.array(task), next_offset: z.string().optional() }),
  annotations: externalRead,
  options: { project_gid: projectOptions, workspace_gid: workspaceOptions, assignee: assigneeOptions },
  run: async ({ input, http }) => {
    if (!input.project_gid && !input.workspace_gid)
      throw new ActionError("Give a project_gid, or a workspace_gid to list assigned tasks.");
    const page = await http.request<{ data: Task[]; next_page?: { offset: string } | null }>("/tasks", {
      query: {
        ...(input.project_gid
          ? { project: input.project_gid }
          : { assignee: input.assignee, workspace: input.workspace_gid }),
        ...(!input.include_completed && { completed_since: "now" }),
        limit: input.limit,
        opt_fields: listFields,
      },
    });
    return { tasks: page.data, ...(page.next_page?.offset && { next_offset: page.next_page.offset }) };
  },
});

const completeTask = defineAction({
  key: "complete_task",
  title: "Complete task",
  description: "Mark an Asana task as completed.",
  input: z.object({ task_gid: taskGid }),
  output: task,
  annotations: externalUpdate,
  run: async ({ input, http }) => {
    const updated = await http.request<{ data: Task }>(`/tasks/${encodeURIComponent(input.task_gid)}`, {
      method: "PUT",
      query: { opt_fields: "name,completed,permalink_url" },
      json: { data: { completed: true } },
    });
    return updated.data;
  },
});

const addComment = defineAction({
  key: "add_comment",
  title: "Add comment",
  description: "Comment on an Asana task.",
  input: z.object({
    task_gid: taskGid,
    text: z.string().min(1).describe("The comment (plain text)."),
  }),
  output: z
    .object({ gid: z.string(), text: z.string().optional(), created_at: z.string().optional() })
    .passthrough(),
  annotations: externalCreate,
  run: async ({ input, http }) => {
    const story = await http.request<{ data: { gid: string; text?: string; created_at?: string } }>(
      `/tasks/${encodeURIComponent(input.task_gid)}/stories`,
      { method: "POST", query: { opt_fields: "text,created_at" }, json: { data: { text: input.text } } },
    );
    return story.data;
  },
});

export default defineIntegration<Auth>({
  slug: "asana",
  name: "Asana",
  description: "Tasks and comments in Asana projects.",
  category: "Productivity",
  auth: apiKeyAuth([
    {
      name: "access_token",
      label: "Personal access token",
      secret: true,
      help: "Asana → My settings → Apps → Developer apps (app.asana.com/0/my-apps) → Create new token.",
    },
  ]),
  api: {
    baseUrl: "https://app.asana.com/api/1.0",
    baseUrlSetting: "ASANA_API_URL",
    headers: (auth) => ({ authorization: `Bearer ${auth.access_token}` }),
  },
  test: async ({ http }) => {
    const me = await http.request<{ data: { email?: string; name?: string } }>("/users/me", {
      query: { opt_fields: "email,name" },
    });
    return { account: me.data.email ?? me.data.name };
  },
  actions: [createTask, listTasks, completeTask, addComment],
});
