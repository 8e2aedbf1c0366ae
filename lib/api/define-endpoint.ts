// One REST endpoint described once: method, path and the zod schemas of its parameters, query,
// body and response. The route handler parses with these schemas and the OpenAPI document is
// generated from them, so the two cannot drift apart.
import type { z } from "zod";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type Endpoint<
  Params extends z.ZodType = z.ZodType,
  Query extends z.ZodType = z.ZodType,
  Body extends z.ZodType = z.ZodType,
  Result extends z.ZodType = z.ZodType,
> = {
  method: HttpMethod;
  /** Below /api/v1, in OpenAPI style: `/servers/{id}`. */
  path: `/${string}`;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  /** False only for the few endpoints anyone may read (the OpenAPI document). */
  auth: boolean;
  params?: Params;
  query?: Query;
  body?: Body;
  /** Also an allowlist: a field the schema does not name never reaches the caller. */
  response?: Result;
  status: 200 | 201 | 204;
  /** Error statuses this endpoint can answer besides those every endpoint can (401, 403, 500). */
  errors: number[];
};

export type AnyEndpoint = Endpoint<z.ZodType, z.ZodType, z.ZodType, z.ZodType>;

export function defineEndpoint<
  Params extends z.ZodType = z.ZodType,
  Query extends z.ZodType = z.ZodType,
  Body extends z.ZodType = z.ZodType,
  Result extends z.ZodType = z.ZodType,
>(endpoint: Endpoint<Params, Query, Body, Result>): Endpoint<Params, Query, Body, Result> {
  return endpoint;
}

/** What a handler receives for a schema slot: its parsed value, or `undefined` if there is none. */
export type ParsedSlot<Schema> = Schema extends z.ZodType ? z.output<Schema> : undefined;
