// GitHub's REST API through its official SDK, Octokit (https://github.com/octokit/rest.js), over
// the connection's guarded fetch; requests as https://github.com/github/rest-api-description
// defines them (API version 2022-11-28), and Octokit's errors turned into the SDK's error classes.
import { Octokit } from "@octokit/rest";
import type { ConnectionContext, KeyCredentials } from "@/integrations/sdk/define";
import { ActionError, RateLimitedError, RetriableError } from "@/integrations/sdk/errors";
import { errorForStatus, retryAfterMs } from "@/integrations/sdk/http";

export type Auth = KeyCredentials<"token">;

/** The REST API version every request asks for (GitHub's default; GHES knows it too). */
export const apiVersion = "2022-11-28";
export const mediaType = "application/vnd.github+json";
export const userAgent = "toolgate";

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** An Octokit for one call: no retries or throttling (the worker decides), our fetch, our headers. */
export function octokitFor({ auth, http, signal }: ConnectionContext<Auth>): Octokit {
  const octokit = new Octokit({
    auth: auth.token,
    baseUrl: http.baseUrl.replace(/\/+$/, ""),
    userAgent,
    log: quiet,
    request: { fetch: http.fetch, signal },
  });
  octokit.hook.before("request", (options) => {
    options.headers.accept = mediaType;
    options.headers["x-github-api-version"] = apiVersion;
  });
  return octokit;
}

type GitHubErrorBody = {
  message?: unknown;
  errors?: Array<
    string | { resource?: string; field?: string; code?: string; message?: string; value?: unknown }
  >;
};

const codeMeaning: Record<string, string> = {
  missing: "does not exist",
  missing_field: "is required",
  invalid: "is invalid",
  already_exists: "already exists",
  unprocessable: "could not be processed",
};

/** GitHub's error text: the message, then each validation error ("Issue.assignees is invalid"). */
export function describeGitHubError(body: unknown): string | undefined {
  if (typeof body === "string") return body.trim().slice(0, 300) || undefined;
  if (!body || typeof body !== "object") return undefined;
  const { message, errors } = body as GitHubErrorBody;
  const details = (Array.isArray(errors) ? errors : []).map((error) => {
    if (typeof error === "string") return error;
    if (error.message) return error.message;
    const subject = [error.resource, error.field].filter(Boolean).join(".");
    const value = error.value === undefined ? "" : ` (${JSON.stringify(error.value)})`;
    return `${subject} ${codeMeaning[error.code ?? ""] ?? error.code ?? "is invalid"}${value}`.trim();
  });
  const text = typeof message === "string" ? message.replace(/\s+/g, " ").trim() : "";
  if (!details.length) return text || undefined;
  return text ? `${text}: ${details.join("; ")}` : details.join("; ");
}

type OctokitError = Error & {
  status?: number;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
  cause?: unknown;
};

/** The SDK error for whatever Octokit threw. */
export function toSdkError(error: unknown): unknown {
  if (error instanceof ActionError || error instanceof RetriableError) return error;
  const failure = error as OctokitError;
  if (!(failure instanceof Error) || typeof failure.status !== "number") return error;
  // A failure of the fetch itself (our guarded fetch's own error, or the abort): Octokit wraps it
  // as a status 500 without a response.
  if (!failure.response)
    return failure.cause ?? new RetriableError(`Could not reach GitHub (${failure.message}).`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(failure.response.headers ?? {}))
    if (value !== undefined) headers.set(name, String(value));
  const detail = describeGitHubError(failure.response.data) ?? failure.message;
  // errorForStatus reads 403s with Retry-After or no requests left as rate limits; GitHub's
  // secondary limit can also come as a 403 that says so in words only.
  if (failure.status === 403 && !headers.has("retry-after") && /secondary rate limit/i.test(detail))
    return new RateLimitedError(
      `GitHub is rate limiting this account (HTTP 403): ${detail}`,
      retryAfterMs(headers) ?? 60_000,
    );
  return errorForStatus("GitHub", failure.status, headers, detail);
}

/** Runs one Octokit call and answers its data, with GitHub's errors as the SDK's. */
export async function github<T>(
  context: ConnectionContext<Auth>,
  call: (octokit: Octokit) => Promise<{ data: T; status?: number }>,
): Promise<{ data: T; status: number }> {
  try {
    const response = await call(octokitFor(context));
    return { data: response.data, status: response.status ?? 200 };
  } catch (error) {
    throw toSdkError(error);
  }
}

/** "owner/name" split for the API's path parameters. */
export function splitRepository(repository: string): { owner: string; repo: string } {
  const [owner, repo, ...rest] = repository
    .trim()
    .replace(/\.git$/, "")
    .split("/");
  if (!owner || !repo || rest.length)
    throw new ActionError(`"${repository}" is not a repository: give it as "owner/name".`);
  return { owner, repo };
}
