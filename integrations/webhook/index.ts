// Webhook: POST a JSON payload to a URL (https://www.rfc-editor.org/rfc/rfc8259 for the body,
// application/json), the way Slack incoming webhooks, Zapier/Make catch hooks and most "send to
// URL" integrations expect it. No account: the guarded client with SSRF checks on carries it
// (integrations/http/request.ts), so private and internal addresses are refused, redirects too.
import { z } from "zod";
import { checkHeaders, exchange } from "@/integrations/http/request";
import {
  defineAction,
  defineIntegration,
  externalCreate,
  noAuth,
  secretField,
} from "@/integrations/sdk/define";

const postJson = defineAction({
  key: "post_json",
  title: "Send webhook",
  description:
    "POST a JSON payload to a webhook URL and return the receiver's status and answer (ok is false for a 4xx/5xx, which is returned rather than raised).",
  input: z.object({
    // A webhook URL is often its own credential (Slack's, Discord's, Zapier's catch hooks).
    url: secretField(z.url({ protocol: /^https?$/ }).describe("The webhook's absolute http(s) URL.")),
    payload: z
      .union([z.record(z.string(), z.unknown()), z.array(z.unknown())])
      .describe("The JSON to send: an object (or an array)."),
    headers: secretField(
      z
        .record(z.string(), z.string())
        .optional()
        .describe('Extra request headers, such as a shared secret {"X-Webhook-Token": "..."}.'),
    ),
  }),
  output: z.object({
    status: z.number().describe("The receiver's HTTP status code."),
    ok: z.boolean().describe("Whether the status is 2xx."),
    body: z
      .unknown()
      .describe("The receiver's answer: parsed JSON, or text (cut to 10,000 characters); null when empty."),
  }),
  annotations: externalCreate,
  run: async ({ input, http }) => {
    const headers = checkHeaders(input.headers);
    if (!Object.keys(headers).some((name) => name.toLowerCase() === "content-type"))
      headers["content-type"] = "application/json";
    const answer = await exchange(
      http,
      { method: "POST", url: input.url, headers, body: JSON.stringify(input.payload) },
      10_000,
    );
    return { status: answer.status, ok: answer.status >= 200 && answer.status < 300, body: answer.body };
  },
});

export default defineIntegration({
  slug: "webhook",
  name: "Webhook",
  description: "Send JSON to a webhook URL, without connecting an account.",
  category: "Built-in tools",
  auth: noAuth,
  actions: [postJson],
});
