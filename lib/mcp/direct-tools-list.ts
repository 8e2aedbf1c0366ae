// tools/list answered without building an SDK server for it: the most frequent request, whose
// answer depends on the server's snapshot alone, so it is serialized once per snapshot. Only a
// plain request qualifies (one message, no params beyond an empty object, headers the SDK's
// transport accepts, JSON answer); anything else goes through the SDK, which stays the reference
// (direct-tools-list.test.ts compares the two answers byte for byte).
import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import type { ServerSnapshot } from "@/lib/servers/server-snapshot";
import { listToolDescriptions } from "./build-server";

// The answer's bytes up to the id, per snapshot: encoded once rather than on every request.
const answerHeads = new WeakMap<ServerSnapshot, Buffer>();
const plainJson = /^application\/json\s*(;\s*charset=utf-8\s*)?$/i;
const requestKeys = new Set(["jsonrpc", "id", "method", "params"]);

function isPlainToolsList(body: unknown): body is { id: string | number } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return false;
  const message = body as Record<string, unknown>;
  if (message.jsonrpc !== "2.0" || message.method !== "tools/list") return false;
  if (!Object.keys(message).every((key) => requestKeys.has(key))) return false;
  const { id, params } = message;
  if (typeof id !== "string" && !Number.isSafeInteger(id)) return false;
  return (
    params === undefined ||
    (typeof params === "object" &&
      params !== null &&
      !Array.isArray(params) &&
      Object.keys(params).length === 0)
  );
}

function headersQualify(request: Request): boolean {
  const accept = request.headers.get("accept");
  const version = request.headers.get("mcp-protocol-version");
  return (
    request.method === "POST" &&
    accept?.includes("application/json") === true &&
    accept.includes("text/event-stream") &&
    plainJson.test(request.headers.get("content-type") ?? "") &&
    (version === null || SUPPORTED_PROTOCOL_VERSIONS.includes(version))
  );
}

/** The answer to a plain tools/list request, as the SDK would give it; null for any other request. */
export function answerToolsListDirectly(
  request: Request,
  body: unknown,
  snapshot: ServerSnapshot,
): Response | null {
  if (!isPlainToolsList(body) || !headersQualify(request)) return null;
  let head = answerHeads.get(snapshot);
  if (head === undefined) {
    // The key order of the SDK's own responses: result, jsonrpc, id.
    head = Buffer.from(
      `{"result":{"tools":${JSON.stringify(listToolDescriptions(snapshot))}},"jsonrpc":"2.0","id":`,
    );
    answerHeads.set(snapshot, head);
  }
  return new Response(Buffer.concat([head, Buffer.from(`${JSON.stringify(body.id)}}`)]), {
    status: 200,
    headers: { "Content-Type": "application/json" },
  });
}
