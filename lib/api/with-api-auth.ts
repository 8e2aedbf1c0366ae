// The wrapper every /api/v1 route handler is: authenticate the personal API token, parse path,
// query and body with the endpoint's schemas, call the handler, encode its result through the
// response schema, and map every failure to the one error shape. Auth, validation, error mapping
// and logging live here once, so a route file is a single call into lib/.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { z } from "zod";
import type { AuditContext } from "@/lib/audit/record-audit-event";
import { isUnstorableTextIssue } from "@/lib/db/storable-text";
import { AppError } from "@/lib/errors/app-error";
import { forwardedClientIp } from "@/lib/http/client-address";
import { createLogger } from "@/lib/log/logger";
import { type ApiUser, authenticateApiToken } from "@/lib/tokens/authenticate-api-token";
import type { Endpoint } from "./define-endpoint";
import { buildErrorResponse } from "./error-response";
import { readJsonBody } from "./read-json-body";
import { toValidationError } from "./validation-error";

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };
export type RouteHandler = (request: Request, routeContext: RouteContext) => Promise<Response>;

export type PublicHandlerInput<Params extends z.ZodType, Query extends z.ZodType, Body extends z.ZodType> = {
  request: Request;
  params: z.output<Params>;
  query: z.output<Query>;
  body: z.output<Body>;
  context: AuditContext;
  log: Logger;
};

export type ApiHandlerInput<
  Params extends z.ZodType,
  Query extends z.ZodType,
  Body extends z.ZodType,
> = PublicHandlerInput<Params, Query, Body> & { user: ApiUser };

function readQuery(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0]! : values;
  }
  return query;
}

async function parseSlot<Schema extends z.ZodType>(
  schema: Schema | undefined,
  value: unknown,
  location: "query" | "path",
): Promise<z.output<Schema>> {
  if (!schema) return undefined as z.output<Schema>;
  const parsed = await schema.safeParseAsync(value);
  if (parsed.success) return parsed.data;
  // Path segments are ids: one that cannot be valid names nothing the caller owns, unless it holds
  // what no stored text can (a NUL): that is a malformed request, and the answer names the part.
  if (location === "path" && !parsed.error.issues.some(isUnstorableTextIssue))
    throw new AppError("not_found", "Not found.");
  throw toValidationError(parsed.error, location);
}

function encodeResult(endpoint: Endpoint, result: unknown): unknown {
  if (!endpoint.response) return result;
  const encoded = z.safeEncode(endpoint.response, result);
  if (encoded.success) return encoded.data;
  // The handler broke the documented contract: a fault on our side, never the caller's.
  const problems = encoded.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  throw new Error(
    `${endpoint.operationId}: result does not match its response schema: ${problems.join("; ")}`,
  );
}

function createHandler(
  endpoint: Endpoint,
  authenticate: boolean,
  handler: (
    input: PublicHandlerInput<z.ZodType, z.ZodType, z.ZodType> & { user: ApiUser | null },
  ) => Promise<unknown>,
): RouteHandler {
  const route = `${endpoint.method} /api/v1${endpoint.path}`;
  return async (request, routeContext) => {
    const startedAt = performance.now();
    // proxy.ts sets the id on every request; the fallback covers a handler mounted elsewhere.
    const requestId = request.headers.get("x-request-id") ?? randomUUID();
    let log = createLogger({ module: "api", requestId, route });
    try {
      const user = authenticate ? await authenticateApiToken(request.headers.get("authorization")) : null;
      if (user) log = log.child({ userId: user.id });
      const params = await parseSlot(endpoint.params, await routeContext.params, "path");
      const query = await parseSlot(endpoint.query, readQuery(new URL(request.url)), "query");
      const body = endpoint.body ? await readJsonBody(request, endpoint.body) : undefined;
      const context: AuditContext = {
        actorId: user?.id ?? null,
        ip: forwardedClientIp(request.headers),
        userAgent: request.headers.get("user-agent"),
      };
      const result = await handler({ user, request, params, query, body, context, log });
      const headers = { "Cache-Control": "no-store", "x-request-id": requestId };
      const response =
        endpoint.status === 204
          ? new Response(null, { status: 204, headers })
          : Response.json(encodeResult(endpoint, result), { status: endpoint.status, headers });
      log.info({ status: endpoint.status, durationMs: Math.round(performance.now() - startedAt) }, "handled");
      return response;
    } catch (error) {
      return buildErrorResponse(error, log, requestId);
    }
  };
}

/** A route handler for an endpoint that needs a personal API token. */
export function withApiAuth<
  Params extends z.ZodType,
  Query extends z.ZodType,
  Body extends z.ZodType,
  Result extends z.ZodType,
>(
  endpoint: Endpoint<Params, Query, Body, Result>,
  handler: (input: ApiHandlerInput<Params, Query, Body>) => Promise<z.output<Result>>,
): RouteHandler {
  if (!endpoint.auth) throw new Error(`${endpoint.operationId} is public: use withPublicEndpoint`);
  return createHandler(endpoint as Endpoint, true, handler as never);
}

/** A route handler for an endpoint anyone may call (no token). */
export function withPublicEndpoint<
  Params extends z.ZodType,
  Query extends z.ZodType,
  Body extends z.ZodType,
  Result extends z.ZodType,
>(
  endpoint: Endpoint<Params, Query, Body, Result>,
  handler: (input: PublicHandlerInput<Params, Query, Body>) => Promise<z.output<Result>>,
): RouteHandler {
  if (endpoint.auth) throw new Error(`${endpoint.operationId} needs a token: use withApiAuth`);
  return createHandler(endpoint as Endpoint, false, handler as never);
}
