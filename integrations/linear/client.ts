// Linear's GraphQL API (https://linear.app/developers/graphql): one POST /graphql per operation
// with a personal API key as the bare Authorization header. Linear answers its errors as GraphQL
// errors, with the kind in `extensions` (`code`/`type`) and an HTTP status that does not always
// tell (a rate limit is an HTTP 400 with code RATELIMITED), so this client reads the body itself.
import type { ConnectionContext, KeyCredentials } from "@/integrations/sdk/define";
import { ActionError, RateLimitedError, RetriableError } from "@/integrations/sdk/errors";
import { errorForStatus, readErrorText, retryAfterMs } from "@/integrations/sdk/http";

export type Auth = KeyCredentials<"api_key">;

type GraphQLError = {
  message?: string;
  path?: Array<string | number>;
  extensions?: {
    code?: string;
    type?: string;
    userError?: boolean;
    userPresentableMessage?: string;
    statusCode?: number;
  };
};

type GraphQLResponse<T> = { data?: T | null; errors?: GraphQLError[] };

/** The error text of Linear's GraphQL errors: the person-facing message when there is one. */
export function describeLinearErrors(body: unknown): string | undefined {
  const errors = (body as GraphQLResponse<unknown> | undefined)?.errors;
  if (!Array.isArray(errors) || !errors.length) return undefined;
  const messages = errors.map((error) => error.extensions?.userPresentableMessage ?? error.message ?? "");
  return [...new Set(messages.filter(Boolean))].join("; ") || undefined;
}

/** How long Linear asks to wait: Retry-After, else its requests reset time (epoch ms or s). */
function rateLimitWaitMs(headers: Headers): number {
  const fromRetryAfter = retryAfterMs(headers);
  if (fromRetryAfter !== undefined) return fromRetryAfter;
  const reset = Number(
    headers.get("x-ratelimit-requests-reset") ?? headers.get("x-ratelimit-complexity-reset") ?? Number.NaN,
  );
  if (Number.isFinite(reset) && reset > 1_000_000_000)
    return Math.max(0, (reset > 100_000_000_000 ? reset : reset * 1000) - Date.now());
  return 60_000;
}

function errorFor(status: number, headers: Headers, body: unknown): Error {
  const errors = (body as GraphQLResponse<unknown> | undefined)?.errors ?? [];
  const detail = describeLinearErrors(body) ?? readErrorText(body);
  const kinds = errors.flatMap((error) => [error.extensions?.code, error.extensions?.type]);
  if (kinds.some((kind) => kind === "RATELIMITED" || kind === "ratelimited"))
    return new RateLimitedError(
      `Linear is rate limiting this account (HTTP ${status}): ${detail ?? "rate limited"}`,
      rateLimitWaitMs(headers),
    );
  if (kinds.some((kind) => kind === "AUTHENTICATION_ERROR" || kind === "authentication error"))
    return errorForStatus("Linear", 401, headers, detail);
  if (status >= 400 || !detail)
    return errorForStatus("Linear", status >= 400 ? status : 502, headers, detail);
  if (kinds.some((kind) => kind === "INTERNAL_ERROR" || kind === "internal error" || kind === "lock timeout"))
    return new RetriableError(`Linear could not answer: ${detail}`);
  return new ActionError(`Linear refused the request: ${detail}`);
}

/** Runs one GraphQL operation and answers its data; Linear's errors become the SDK's errors. */
export async function linear<T>(
  { auth, http }: ConnectionContext<Auth>,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const operationName = /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1];
  const response = await http.fetch(`${http.baseUrl.replace(/\/+$/, "")}/graphql`, {
    method: "POST",
    headers: {
      authorization: auth.api_key,
      "content-type": "application/json",
      accept: "application/json",
    },
    body: JSON.stringify({ query, variables, ...(operationName && { operationName }) }),
  });
  const text = await response.text();
  let body: GraphQLResponse<T> | undefined;
  try {
    body = text ? (JSON.parse(text) as GraphQLResponse<T>) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok || body?.errors?.length || !body?.data) {
    if (!body && response.ok) throw new RetriableError("Linear answered with something other than JSON.");
    throw errorFor(response.status, response.headers, body ?? text.slice(0, 300));
  }
  return body.data;
}
