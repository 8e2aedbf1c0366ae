// What GitHub's actions answer: trimmed views of GitHub's issue, pull request, file and repository
// objects (https://docs.github.com/en/rest), with the fields a model needs and no more.
import { z } from "zod";

type Login = { login?: string } | null | undefined;
type Label = string | { name?: string };

const login = (user: Login) => user?.login ?? null;
const labelNames = (labels: Label[] | undefined) =>
  (labels ?? []).map((label) => (typeof label === "string" ? label : (label.name ?? ""))).filter(Boolean);

export const issueView = z
  .object({
    number: z.number(),
    title: z.string(),
    state: z.string(),
    state_reason: z.string().nullable(),
    html_url: z.string(),
    body: z.string().nullable(),
    user: z.string().nullable(),
    labels: z.array(z.string()),
    assignees: z.array(z.string()),
    comments: z.number(),
    is_pull_request: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
    closed_at: z.string().nullable(),
  })
  .passthrough();

export type GitHubIssue = {
  number: number;
  title: string;
  state: string;
  state_reason?: string | null;
  html_url: string;
  body?: string | null;
  user: Login;
  labels?: Label[];
  assignees?: Login[] | null;
  comments: number;
  pull_request?: unknown;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
};

export function toIssue(issue: GitHubIssue): z.infer<typeof issueView> {
  return {
    number: issue.number,
    title: issue.title,
    state: issue.state,
    state_reason: issue.state_reason ?? null,
    html_url: issue.html_url,
    body: issue.body ?? null,
    user: login(issue.user),
    labels: labelNames(issue.labels),
    assignees: (issue.assignees ?? []).map(login).filter((name): name is string => name !== null),
    comments: issue.comments,
    is_pull_request: issue.pull_request !== undefined && issue.pull_request !== null,
    created_at: issue.created_at,
    updated_at: issue.updated_at,
    closed_at: issue.closed_at,
  };
}

export const pullView = z
  .object({
    number: z.number(),
    title: z.string(),
    state: z.string(),
    draft: z.boolean(),
    merged: z.boolean().optional(),
    mergeable: z.boolean().nullable().optional(),
    html_url: z.string(),
    body: z.string().nullable(),
    user: z.string().nullable(),
    head: z.string(),
    head_sha: z.string(),
    base: z.string(),
    labels: z.array(z.string()),
    created_at: z.string(),
    updated_at: z.string(),
    merged_at: z.string().nullable(),
  })
  .passthrough();

export type GitHubPull = {
  number: number;
  title: string;
  state: string;
  draft?: boolean;
  merged?: boolean;
  mergeable?: boolean | null;
  html_url: string;
  body: string | null;
  user: Login;
  head: { ref: string; sha: string; label?: string };
  base: { ref: string };
  labels?: Label[];
  created_at: string;
  updated_at: string;
  merged_at: string | null;
};

export function toPull(pull: GitHubPull): z.infer<typeof pullView> {
  return {
    number: pull.number,
    title: pull.title,
    state: pull.state,
    draft: pull.draft ?? false,
    ...(pull.merged !== undefined && { merged: pull.merged }),
    ...(pull.mergeable !== undefined && { mergeable: pull.mergeable }),
    html_url: pull.html_url,
    body: pull.body,
    user: login(pull.user),
    head: pull.head.label ?? pull.head.ref,
    head_sha: pull.head.sha,
    base: pull.base.ref,
    labels: labelNames(pull.labels),
    created_at: pull.created_at,
    updated_at: pull.updated_at,
    merged_at: pull.merged_at,
  };
}

export const repositoryView = z
  .object({
    full_name: z.string(),
    private: z.boolean(),
    description: z.string().nullable(),
    default_branch: z.string().optional(),
    html_url: z.string(),
    archived: z.boolean().optional(),
    updated_at: z.string().nullable().optional(),
  })
  .passthrough();

export type GitHubRepository = {
  full_name: string;
  private: boolean;
  description: string | null;
  default_branch?: string;
  html_url: string;
  archived?: boolean;
  updated_at?: string | null;
};

export function toRepository(repository: GitHubRepository): z.infer<typeof repositoryView> {
  return {
    full_name: repository.full_name,
    private: repository.private,
    description: repository.description,
    ...(repository.default_branch !== undefined && { default_branch: repository.default_branch }),
    html_url: repository.html_url,
    ...(repository.archived !== undefined && { archived: repository.archived }),
    ...(repository.updated_at !== undefined && { updated_at: repository.updated_at }),
  };
}
