// HTTP request: any method to any public URL (https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Methods),
// with query, headers and a JSON, form or raw body, answering with the status, headers and body
// (Zapier's "Webhooks by Zapier: custom request" counterpart). No account: the worker hands the
// action the guarded client with SSRF checks on, so private, loopback and link-local addresses
// (cloud metadata included) are refused, after every redirect too.
import { z } from "zod";
import {
  defineAction,
  defineIntegration,
  externalCreate,
  externalDelete,
  externalRead,
  externalUpdate,
  noAuth,
  secretField,
} from "@/integrations/sdk/define";
import { ActionError } from "@/integrations/sdk/errors";
import { checkHeaders, exchange } from "./request";

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const responseOutput = z.object({
  status: z.number().describe("The HTTP status code."),
  headers: z.record(z.string(), z.string()).describe("The response headers (cookies left out)."),
  content_type: z.string().nullable(),
  body: z.unknown().describe("Parsed JSON, or text; null when empty or binary."),
  bytes: z.number().describe("The body's size in bytes."),
  truncated: z.boolean().describe("Whether the body was cut to max_response_chars (or left out as binary)."),
});

const request = defineAction({
  key: "request",
  title: "Send HTTP request",
  description:
    "Send an HTTP request to a public URL and return the status, headers and body, whatever the status (a 404 is returned, not an error). Private and internal addresses are refused.",
  input: z.object({
    method: z
      .enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
      .default("GET")
      .describe("The HTTP method."),
    url: z.url({ protocol: /^https?$/ }).describe("The absolute http(s) URL to call."),
    query: z
      .record(z.string(), scalar)
      .optional()
      .describe("Query parameters added to the URL (encoded for you)."),
    headers: secretField(
      z
        .record(z.string(), z.string())
        .optional()
        .describe(
          'Request headers, such as {"Authorization": "Bearer ..."}; Host and Content-Length are set by the client.',
        ),
    ),
    json: z.unknown().optional().describe("A body sent as JSON (application/json): any JSON value."),
    form: z
      .record(z.string(), scalar)
      .optional()
      .describe("A body sent as an HTML form (application/x-www-form-urlencoded)."),
    body: z.string().optional().describe("A raw text body, sent with content_type."),
    content_type: z
      .string()
      .optional()
      .describe('The Content-Type of a raw body; "text/plain; charset=utf-8" when left out.'),
    max_response_chars: z
      .number()
      .int()
      .min(100)
      .max(60_000)
      .default(20_000)
      .describe("Longer text bodies are cut to this many characters."),
  }),
  output: responseOutput,
  // Left to the AI, any method, DELETE included: neither read-only nor safe to repeat. A tool that
  // fixes the method is what that method is (RFC 9110's safe and idempotent methods).
  annotations: { readOnly: false, destructive: true, idempotent: false, openWorld: true },
  annotationsByValue: {
    field: "method",
    values: {
      GET: externalRead,
      HEAD: externalRead,
      OPTIONS: externalRead,
      POST: externalCreate,
      PUT: externalDelete,
      PATCH: { ...externalUpdate, destructive: true, idempotent: false },
      DELETE: externalDelete,
    },
  },
  run: async ({ input, http }) => {
    const bodies = [input.json !== undefined, input.form !== undefined, input.body !== undefined];
    if (bodies.filter(Boolean).length > 1) throw new ActionError("Give one body: json, form or body.");
    if (bodies.some(Boolean) && (input.method === "GET" || input.method === "HEAD"))
      throw new ActionError(`A ${input.method} request cannot have a body; use POST, PUT or PATCH.`);
    if (input.content_type !== undefined && input.body === undefined)
      throw new ActionError("content_type goes with a raw body.");

    const url = new URL(input.url);
    for (const [name, value] of Object.entries(input.query ?? {}))
      url.searchParams.append(name, String(value));
    const headers = checkHeaders(input.headers);
    const hasType = Object.keys(headers).some((name) => name.toLowerCase() === "content-type");
    let body: string | undefined;
    let type: string | undefined;
    if (input.json !== undefined) {
      body = JSON.stringify(input.json);
      type = "application/json";
    } else if (input.form !== undefined) {
      body = new URLSearchParams(
        Object.entries(input.form).map(([name, value]) => [name, String(value)]),
      ).toString();
      type = "application/x-www-form-urlencoded";
    } else if (input.body !== undefined) {
      body = input.body;
      type = input.content_type ?? "text/plain; charset=utf-8";
    }
    if (type && !hasType) headers["content-type"] = type;
    return exchange(
      http,
      { method: input.method, url: url.toString(), headers, body },
      input.max_response_chars,
    );
  },
});

export default defineIntegration({
  slug: "http",
  name: "HTTP request",
  description: "Call any public HTTP API or web page, without connecting an account.",
  category: "Built-in tools",
  auth: noAuth,
  actions: [request],
});
