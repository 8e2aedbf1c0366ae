// A webhook receiver as the Webhook app meets them: JSON in, and an answer that may be JSON
// (Zapier, Make), plain "ok" (Slack) or a failure; plus a redirect, to check it is followed safely.
import { route, startEmulator } from "./emulator";

export async function startWebhookEmulator() {
  return startEmulator({
    name: "webhook",
    routes: [
      route("POST", "/hooks/slack", (request) =>
        request.contentType.startsWith("application/json")
          ? { text: "ok" }
          : { status: 400, text: "invalid_payload" },
      ),
      route("POST", "/hooks/broken", () => ({ status: 500, text: "Internal Server Error" })),
      route("POST", "/hooks/:name", (request, params) =>
        request.contentType.startsWith("application/json")
          ? { json: { received: true, hook: params.name, id: "evt_1" } }
          : { status: 415, json: { error: "JSON only" } },
      ),
      route("POST", "/redirect", (request) => ({
        status: Number(request.query.get("status") ?? 307),
        headers: { location: request.query.get("to") ?? "/" },
      })),
    ],
  });
}
