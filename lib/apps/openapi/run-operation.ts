// Sends one operation as its description says: path parameters substituted and encoded, query
// parameters serialized by their style, headers and cookies set, the body as JSON, a form or text;
// through the connection's guarded client, which keeps every request under the app's base URL and
// turns 401, 429 and 5xx into the platform's errors. The answer is the status and the body, cut
// as the HTTP request action cuts it.
import { isText } from "@/integrations/http/request";
import { ActionError } from "@/integrations/sdk/errors";
import type { ApiClient, ApiRequest } from "@/integrations/sdk/http";
import type { InvokeParameter, OperationInvoke } from "./operations";

/** Longer answers are cut to this many characters, as the HTTP request action does by default. */
export const maxResponseChars = 20_000;

export type OperationResult = {
  status: number;
  content_type: string | null;
  /** Parsed JSON, or text; null when empty or binary. */
  body: unknown;
  /** Whether the body was cut to maxResponseChars (or left out as binary). */
  truncated: boolean;
};

function scalarText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** `a[b][0]=c` pairs of a nested value, as Rails, PHP and Stripe read forms and deepObject queries. */
function bracketPairs(prefix: string, value: unknown, into: [string, string][]): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) bracketPairs(`${prefix}[${index}]`, item, into);
  } else if (typeof value === "object") {
    for (const [key, item] of Object.entries(value)) bracketPairs(`${prefix}[${key}]`, item, into);
  } else into.push([prefix, scalarText(value)]);
}

/** A query parameter's pairs by OpenAPI's style rules (form/explode by default). */
function queryPairs(parameter: InvokeParameter, value: unknown): [string, string][] {
  const style = parameter.style ?? "form";
  const explode = parameter.explode ?? style === "form";
  const pairs: [string, string][] = [];
  if (Array.isArray(value)) {
    if (explode) for (const item of value) pairs.push([parameter.name, scalarText(item)]);
    else {
      const separator = style === "spaceDelimited" ? " " : style === "pipeDelimited" ? "|" : ",";
      pairs.push([parameter.name, value.map(scalarText).join(separator)]);
    }
  } else if (value && typeof value === "object") {
    if (style === "deepObject") bracketPairs(parameter.name, value, pairs);
    else if (explode) for (const [key, item] of Object.entries(value)) pairs.push([key, scalarText(item)]);
    else pairs.push([parameter.name, Object.entries(value).flat().map(scalarText).join(",")]);
  } else pairs.push([parameter.name, scalarText(value)]);
  return pairs;
}

function pathSegment(parameter: InvokeParameter, value: unknown): string {
  const text = Array.isArray(value) ? value.map(scalarText).join(",") : scalarText(value);
  // Encoded, a value cannot add a segment; "." and ".." would still move the request elsewhere.
  if (text === "" || text === "." || text === "..")
    throw new ActionError(`"${parameter.property}" cannot be "${text}": it is part of the request's path.`);
  return encodeURIComponent(text);
}

function formBody(value: unknown): string {
  const pairs: [string, string][] = [];
  if (value && typeof value === "object" && !Array.isArray(value))
    for (const [key, item] of Object.entries(value)) {
      if (Array.isArray(item) || (item && typeof item === "object")) bracketPairs(key, item, pairs);
      else if (item !== undefined && item !== null) pairs.push([key, scalarText(item)]);
    }
  return new URLSearchParams(pairs).toString();
}

function cutBody(data: unknown): { body: unknown; truncated: boolean } {
  if (data === undefined) return { body: null, truncated: false };
  const text = typeof data === "string" ? data : JSON.stringify(data);
  if (text.length <= maxResponseChars) return { body: data, truncated: false };
  return { body: text.slice(0, maxResponseChars), truncated: true };
}

export type CredentialParameter = { in: "query" | "cookie"; name: string; value: string };

export async function runOperation(
  http: ApiClient,
  invoke: OperationInvoke,
  input: Record<string, unknown>,
  credential: CredentialParameter | undefined,
): Promise<OperationResult> {
  let path = invoke.path;
  const query: [string, string][] = [];
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const parameter of invoke.parameters) {
    const value = input[parameter.property];
    if (parameter.in === "path") {
      if (value === undefined || value === null)
        throw new ActionError(`"${parameter.property}" is required: it is part of the request's path.`);
      path = path.split(`{${parameter.name}}`).join(pathSegment(parameter, value));
      continue;
    }
    if (value === undefined || value === null) continue;
    if (parameter.in === "query") query.push(...queryPairs(parameter, value));
    else if (parameter.in === "header") {
      const text = Array.isArray(value) ? value.map(scalarText).join(",") : scalarText(value);
      if (/[\r\n\0]/.test(text))
        throw new ActionError(`The header "${parameter.name}" cannot hold a line break.`);
      headers[parameter.name] = text;
    } else cookies.push(`${encodeURIComponent(parameter.name)}=${encodeURIComponent(scalarText(value))}`);
  }
  if (credential?.in === "query") query.push([credential.name, credential.value]);
  if (credential?.in === "cookie") cookies.push(`${credential.name}=${encodeURIComponent(credential.value)}`);
  if (cookies.length > 0) headers.cookie = cookies.join("; ");

  const request: ApiRequest = { method: invoke.method as ApiRequest["method"], headers };
  const bodyValue = invoke.body && input[invoke.body.property];
  if (invoke.body && bodyValue !== undefined) {
    const type = invoke.body.contentType;
    if (/x-www-form-urlencoded/i.test(type)) request.body = formBody(bodyValue);
    else if (/json/i.test(type)) request.body = JSON.stringify(bodyValue);
    else request.body = scalarText(bodyValue);
    headers["content-type"] = type;
  }
  // The query as one string: pairs keep their order and repeated names (URLSearchParams would too,
  // but the client's `query` record cannot hold a name twice with other names between).
  const search = new URLSearchParams(query).toString();
  const response = await http.send<unknown>(search ? `${path}?${search}` : path, request);
  const contentType = response.headers.get("content-type");
  if (!isText(contentType))
    return {
      status: response.status,
      content_type: contentType,
      body: null,
      truncated: response.data !== undefined,
    };
  return { status: response.status, content_type: contentType, ...cutBody(response.data) };
}
