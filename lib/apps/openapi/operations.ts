// The operations of a resolved OpenAPI document, the ones a person picked, and each one as an
// action: its input schema (one property per parameter, plus `body`), its annotations from the
// HTTP method's semantics (RFC 9110), and `invoke`, what run-operation.ts needs to send it.
import {
  type ActionAnnotations,
  externalCreate,
  externalDelete,
  externalRead,
  externalUpdate,
} from "@/integrations/sdk/define";
import { AppError } from "@/lib/errors/app-error";
import type { DiscoveredAction } from "../action-definition";
import { requestSchemaOf, type SchemaBudget } from "./json-schema";
import type { OpenApiDocument } from "./load-document";

/** More operations than this, and the person must say which to import (GitHub's has ~1000). */
export const maxOperationsWithoutPicking = 100;

const methods = ["get", "put", "post", "delete", "patch", "head", "options"] as const;
type Method = (typeof methods)[number];

export type ParameterLocation = "path" | "query" | "header" | "cookie";

export type InvokeParameter = {
  name: string;
  in: ParameterLocation;
  /** The input property that holds it (the name, or `<in>_<name>` when two share a name). */
  property: string;
  style?: string;
  explode?: boolean;
};

export type OperationInvoke = {
  method: Uppercase<Method>;
  path: string;
  parameters: InvokeParameter[];
  body?: { contentType: string; property: string };
};

type RawParameter = {
  name: string;
  in: ParameterLocation;
  description?: string;
  required?: boolean;
  deprecated?: boolean;
  schema?: unknown;
  content?: Record<string, { schema?: unknown }>;
  style?: string;
  explode?: boolean;
};

type RawOperation = {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: RawParameter[];
  requestBody?: { description?: string; required?: boolean; content?: Record<string, { schema?: unknown }> };
  security?: Record<string, string[]>[];
};

export type Operation = {
  method: Method;
  path: string;
  /** operationId, or "METHOD /path" when the document gives none. */
  name: string;
  operation: RawOperation;
  pathParameters: RawParameter[];
};

export function listOperations(api: OpenApiDocument): Operation[] {
  const found: Operation[] = [];
  for (const [path, item] of Object.entries(api.paths ?? {})) {
    if (!item || typeof item !== "object") continue;
    const pathParameters = Array.isArray(item.parameters) ? (item.parameters as RawParameter[]) : [];
    for (const method of methods) {
      const operation = item[method] as RawOperation | undefined;
      if (!operation || typeof operation !== "object") continue;
      const name = operation.operationId?.trim() || `${method.toUpperCase()} ${path}`;
      found.push({ method, path, name, operation, pathParameters });
    }
  }
  return found;
}

export type Selection = { operations?: string[]; tags?: string[] };

/**
 * The operations to import: those named (by operationId or "METHOD /path") or tagged, else all of
 * them when there are few enough. When adding, a name that matches nothing is an error, not
 * silently skipped; on a refresh (`again`) the description may have changed since: what is gone is
 * left out (and so stops being served), and a description grown past the limit is read whole.
 */
export function pickOperations(all: Operation[], selection: Selection, { again = false } = {}): Operation[] {
  const { operations, tags } = selection;
  if (!operations?.length && !tags?.length) {
    if (all.length > maxOperationsWithoutPicking && !again) {
      const tagCount = new Set(all.flatMap((entry) => entry.operation.tags ?? [])).size;
      throw new AppError(
        "validation_failed",
        `The description has ${all.length} operations, more than ${maxOperationsWithoutPicking} can be imported at once without choosing: give "operations" (operationIds such as "${all[0]?.name}", or "METHOD /path") or "tags" (it has ${tagCount}) to pick the ones to import.`,
        { field: "operations" },
      );
    }
    return all;
  }
  const byName = new Map<string, Operation>();
  for (const entry of all) {
    byName.set(entry.name, entry);
    byName.set(`${entry.method.toUpperCase()} ${entry.path}`, entry);
  }
  const picked = new Set<Operation>();
  for (const wanted of operations ?? []) {
    const [method = "", ...rest] = wanted.trim().split(/\s+/);
    const entry = byName.get(wanted.trim()) ?? byName.get(`${method.toUpperCase()} ${rest.join(" ")}`);
    if (!entry && again) continue;
    if (!entry)
      throw new AppError(
        "validation_failed",
        `The description has no operation "${wanted.slice(0, 200)}" (give an operationId or "METHOD /path").`,
        { field: "operations" },
      );
    picked.add(entry);
  }
  for (const tag of tags ?? []) {
    const tagged = all.filter((entry) => entry.operation.tags?.includes(tag));
    if (tagged.length === 0 && !again)
      throw new AppError("validation_failed", `No operation has the tag "${tag.slice(0, 200)}".`, {
        field: "tags",
      });
    for (const entry of tagged) picked.add(entry);
  }
  if (picked.size > maxOperationsWithoutPicking * 5 && !again)
    throw new AppError(
      "validation_failed",
      `${picked.size} operations are picked; at most ${maxOperationsWithoutPicking * 5} can be imported into one app.`,
      { field: "operations" },
    );
  return all.filter((entry) => picked.has(entry));
}

/**
 * What each method promises (RFC 9110's safe and idempotent methods), as the HTTP request action
 * annotates them: PUT replaces what was there (an overwrite loses data) and PATCH may too.
 */
const annotationsByMethod: Record<Method, ActionAnnotations> = {
  get: externalRead,
  head: externalRead,
  options: externalRead,
  delete: externalDelete,
  put: externalDelete,
  post: externalCreate,
  patch: { ...externalUpdate, destructive: true, idempotent: false },
};

/**
 * Header parameters left out: OpenAPI says Accept, Content-Type and Authorization ones are ignored
 * (the body and the security scheme set them), and the client sets the framing headers itself.
 */
const ignoredHeaders = new Set([
  "accept",
  "content-type",
  "authorization",
  "host",
  "content-length",
  "connection",
  "transfer-encoding",
  "cookie",
]);

/** The operation's parameters: path-level ones, overridden by operation-level ones of the same name and place. */
function parametersOf(entry: Operation): RawParameter[] {
  const merged = new Map<string, RawParameter>();
  for (const parameter of [...entry.pathParameters, ...(entry.operation.parameters ?? [])])
    if (parameter && typeof parameter.name === "string" && typeof parameter.in === "string")
      merged.set(`${parameter.in}:${parameter.name}`, parameter);
  return [...merged.values()].filter(
    (parameter) =>
      ["path", "query", "header", "cookie"].includes(parameter.in) &&
      !(parameter.in === "header" && ignoredHeaders.has(parameter.name.toLowerCase())),
  );
}

/** An operation whose required body none of the supported media types can carry (multipart, binary). */
export class UnsupportedBodyError extends Error {}

/** The body's media type this platform can send: JSON first, then a form, then text. */
function pickBodyType(content: Record<string, { schema?: unknown }>): string | undefined {
  const types = Object.keys(content);
  return (
    types.find((type) => /^application\/json\b/i.test(type)) ??
    types.find((type) => /^application\/[\w.-]+\+json\b/i.test(type)) ??
    types.find((type) => /^application\/x-www-form-urlencoded\b/i.test(type)) ??
    types.find((type) => /^text\/plain\b/i.test(type))
  );
}

/** An object that can hold nothing: a body declared only to say there is none. */
function isEmptyObjectSchema(schema: Record<string, unknown>): boolean {
  const properties = schema.properties as Record<string, unknown> | undefined;
  return (
    schema.type === "object" &&
    schema.additionalProperties === false &&
    Object.keys(properties ?? {}).length === 0 &&
    !schema.anyOf &&
    !schema.oneOf &&
    !schema.allOf
  );
}

function withDescription(schema: Record<string, unknown>, description: string | undefined) {
  return description && !schema.description ? { ...schema, description } : schema;
}

function parameterSchema(parameter: RawParameter, budget: SchemaBudget): Record<string, unknown> {
  const fromContent = parameter.content ? Object.values(parameter.content)[0]?.schema : undefined;
  const schema = requestSchemaOf(parameter.schema ?? fromContent ?? { type: "string" }, budget);
  return withDescription(
    parameter.deprecated ? { ...schema, deprecated: true } : schema,
    parameter.description?.trim(),
  );
}

/** The operation as an action; throws SchemaTooLargeError when its input cannot be described. */
export function actionOfOperation(entry: Operation): DiscoveredAction {
  const { operation } = entry;
  const budget: SchemaBudget = { objects: 0 };
  const parameters = parametersOf(entry);
  const nameCount = new Map<string, number>();
  for (const parameter of parameters) nameCount.set(parameter.name, (nameCount.get(parameter.name) ?? 0) + 1);

  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  const invokeParameters: InvokeParameter[] = [];
  for (const parameter of parameters) {
    const shared = (nameCount.get(parameter.name) ?? 0) > 1;
    let property = shared ? `${parameter.in}_${parameter.name}` : parameter.name;
    while (property in properties) property = `${parameter.in}_${property}`;
    properties[property] = parameterSchema(parameter, budget);
    if (parameter.required || parameter.in === "path") required.push(property);
    invokeParameters.push({
      name: parameter.name,
      in: parameter.in,
      property,
      ...(parameter.style && { style: parameter.style }),
      ...(parameter.explode !== undefined && { explode: parameter.explode }),
    });
  }

  let body: OperationInvoke["body"];
  // A GET or HEAD body means nothing in HTTP (Stripe declares an empty one on every GET).
  const content =
    entry.method === "get" || entry.method === "head" ? undefined : operation.requestBody?.content;
  const contentType = content && pickBodyType(content);
  if (content && !contentType && operation.requestBody?.required && Object.keys(content).length > 0)
    throw new UnsupportedBodyError(
      `its request body is sent as ${Object.keys(content).join(" or ").slice(0, 200)}, which cannot be sent here (JSON, a form or text can)`,
    );
  const schema = contentType ? requestSchemaOf(content?.[contentType]?.schema ?? {}, budget) : undefined;
  if (contentType && schema && !isEmptyObjectSchema(schema)) {
    let property = "body";
    while (property in properties) property = `request_${property}`;
    properties[property] = withDescription(schema, operation.requestBody?.description?.trim());
    if (operation.requestBody?.required) required.push(property);
    body = { contentType, property };
  }

  const invoke: OperationInvoke = {
    method: entry.method.toUpperCase() as OperationInvoke["method"],
    path: entry.path,
    parameters: invokeParameters,
    ...(body && { body }),
  };
  const summary = operation.summary?.trim();
  const description = operation.description?.trim();
  return {
    upstreamName: entry.name,
    title: summary || entry.name,
    description:
      summary && description && !description.startsWith(summary)
        ? `${summary}\n\n${description}`
        : description || summary || `${invoke.method} ${entry.path}`,
    inputSchema: {
      type: "object",
      properties,
      ...(required.length > 0 && { required }),
    },
    annotations: annotationsByMethod[entry.method],
    invoke,
  };
}
