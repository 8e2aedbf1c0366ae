// One HTTP exchange with a URL the user (or the model) chose, shared by the HTTP request and
// Webhook apps: it goes through the action's `http.fetch`, which for an app without an account
// is the guarded client with SSRF checks on (every address, redirects included, must be public
// unless the operator opened a range with HTTP_ALLOWED_PRIVATE_CIDRS), and it answers with the
// status instead of failing on 4xx/5xx: a 404 is an answer the caller may want.

import { ActionError, RetriableError } from "@/integrations/sdk/errors";
import type { ApiClient } from "@/integrations/sdk/http";

/** Headers the client sets itself: a caller's value would break the framing or the routing. */
const clientHeaders = new Set([
  "host",
  "content-length",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "expect",
  "proxy-connection",
]);

const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function checkHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const checked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!headerName.test(name)) throw new ActionError(`"${name}" is not a valid header name.`);
    if (clientHeaders.has(name.toLowerCase()))
      throw new ActionError(`The ${name} header is set by the client; leave it out.`);
    if (/[\r\n\0]/.test(value)) throw new ActionError(`The value of the ${name} header has a line break.`);
    checked[name] = value;
  }
  return checked;
}

export type ExchangeResult = {
  status: number;
  headers: Record<string, string>;
  content_type: string | null;
  /** Parsed JSON when the answer is JSON and fits, else text (cut to the limit); null when binary or empty. */
  body: unknown;
  /** The size of the body as received, in bytes. */
  bytes: number;
  truncated: boolean;
};

const maxHeaders = 50;
const maxHeaderChars = 1_000;

/** Bodies worth showing as text: text, JSON, XML, forms, YAML; anything else is left out. */
export function isText(contentType: string | null): boolean {
  if (!contentType) return true;
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  return (
    type.startsWith("text/") ||
    /[/+](json|xml)$/.test(type) ||
    type.endsWith("javascript") ||
    type === "application/x-www-form-urlencoded" ||
    type === "application/yaml" ||
    type === "application/x-ndjson"
  );
}

function isJson(contentType: string | null): boolean {
  return /[/+]json\b/i.test(contentType?.split(";")[0] ?? "");
}

export async function exchange(
  http: ApiClient,
  request: { method: string; url: string; headers: Record<string, string>; body?: string },
  maxChars: number,
): Promise<ExchangeResult> {
  let response: Response;
  try {
    response = await http.fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined && { body: request.body }),
    });
  } catch (error) {
    // The client's message names the app ("Could not reach HTTP request (fetch failed)"), not
    // the server the caller chose; refusals (SSRF) and timeouts already say what happened.
    if (error instanceof RetriableError && error.message.startsWith("Could not reach "))
      throw new RetriableError(
        `Could not reach ${new URL(request.url).host}: no connection (unknown host, refused or reset).`,
      );
    throw error;
  }
  const raw = Buffer.from(await response.arrayBuffer());
  const contentType = response.headers.get("content-type");

  const headers: Record<string, string> = {};
  for (const [name, value] of response.headers) {
    if (name === "set-cookie" || Object.keys(headers).length >= maxHeaders) continue;
    headers[name] = value.length > maxHeaderChars ? `${value.slice(0, maxHeaderChars)}…` : value;
  }

  let body: unknown = null;
  let truncated = false;
  if (raw.length > 0 && isText(contentType)) {
    const text = raw.toString("utf8");
    if (text.length > maxChars) {
      body = text.slice(0, maxChars);
      truncated = true;
    } else if (isJson(contentType)) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    } else {
      body = text;
    }
  } else if (raw.length > 0) {
    truncated = true;
  }
  return { status: response.status, headers, content_type: contentType, body, bytes: raw.length, truncated };
}
