// What Google's REST APIs share (https://cloud.google.com/apis/design/errors#http_mapping):
// bearer tokens, the error body `{error: {code, message, status, errors: [{reason}]}}`, and rate
// limits that some APIs (Drive, Calendar, Gmail) answer with 403 rateLimitExceeded instead of 429.
import type { z } from "zod";
import {
  type ActionDefinition,
  type ApiDefinition,
  describeOptionsSource,
  type OAuthCredentials,
  type OptionsLoader,
} from "@/integrations/sdk/define";
import { ActionError, CredentialsRejectedError, RateLimitedError } from "@/integrations/sdk/errors";
import type { ApiClient } from "@/integrations/sdk/http";

export type GoogleAuth = OAuthCredentials;

type GoogleErrorBody = {
  error?: {
    code?: number;
    message?: string;
    status?: string;
    errors?: Array<{ reason?: string; message?: string }>;
  };
};

/** Google's message, with its status and reason ("… (NOT_FOUND, notFound)"). */
export function describeGoogleError(body: unknown): string | undefined {
  const error = (body as GoogleErrorBody | undefined)?.error;
  if (!error || typeof error !== "object") return undefined;
  const message = error.message?.trim() || error.errors?.[0]?.message?.trim();
  if (!message) return undefined;
  const reason = error.errors?.[0]?.reason;
  const tags = [error.status, reason].filter((tag): tag is string => Boolean(tag));
  return tags.length > 0 ? `${message} (${tags.join(", ")})` : message;
}

export function googleApi(baseUrl: string, baseUrlSetting: string): ApiDefinition<GoogleAuth> {
  return {
    baseUrl,
    baseUrlSetting,
    headers: (auth) => ({ authorization: `Bearer ${auth.accessToken}` }),
    describeError: (body) => describeGoogleError(body),
  };
}

/** How long to hold off after a 403 rate limit (Google sends no Retry-After with those). */
export const googleRateLimitWaitMs = 5_000;

const rateLimitReason = /\((?:[A-Z_]+, )?(?:rateLimitExceeded|userRateLimitExceeded)\)$/;

/**
 * A 403 whose reason is a rate limit is a "slow down", not a refusal: the SDK only knows 429 (or a
 * 403 with x-ratelimit-remaining: 0), so it is turned into a RateLimitedError here.
 */
export function rateLimitFrom403(error: unknown): unknown {
  if (
    error instanceof ActionError &&
    !(error instanceof CredentialsRejectedError) &&
    error.message.includes("(HTTP 403)") &&
    rateLimitReason.test(error.message)
  )
    return new RateLimitedError(
      error.message.replace("refused the request", "is rate limiting this account"),
      googleRateLimitWaitMs,
    );
  return error;
}

function withRateLimits<T>(work: () => Promise<T>): Promise<T> {
  return work().catch((error: unknown) => {
    throw rateLimitFrom403(error);
  });
}

/** An options loader whose 403 rate limits count as rate limits. */
export function googleOptions(loader: OptionsLoader<GoogleAuth>): OptionsLoader<GoogleAuth> {
  return (context) => withRateLimits(() => loader(context));
}

/** `actionFor<GoogleAuth>()`, with Google's 403 rate limits read as rate limits. */
export function googleActionFor() {
  return <Input extends z.ZodObject, Output extends z.ZodType = z.ZodType>(
    definition: ActionDefinition<Input, Output, GoogleAuth>,
  ): ActionDefinition<Input, Output, GoogleAuth> => ({
    ...definition,
    run: (context) => withRateLimits(() => definition.run(context)),
    ...(definition.options && {
      options: Object.fromEntries(
        Object.entries(definition.options).map(([field, source]) => {
          const { dependsOn, load } = describeOptionsSource(source);
          return [field, { dependsOn, load: googleOptions(load) }];
        }),
      ),
    }),
  });
}

/**
 * A path on another Google API host (Drive's www.googleapis.com from Sheets, say). The API client
 * has one base URL per app: against Google itself the other host is named in full; when the base
 * URL is overridden (a proxy, an emulator), the same base is expected to serve that path too.
 */
export function onGoogleHost(
  http: ApiClient,
  ownBaseUrl: string,
  otherBaseUrl: string,
  path: string,
): string {
  return http.baseUrl.replace(/\/+$/, "") === ownBaseUrl ? `${otherBaseUrl}${path}` : path;
}

/** A value for Drive's `q` strings: single quotes and backslashes escaped. */
export function driveQueryString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}
