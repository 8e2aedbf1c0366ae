// The MCP endpoint's request body, at most MCP_MAX_BODY_BYTES: read as a stream that stops at the
// limit (lib/http/read-body.ts), by the route handlers here or by the node:http adapter before.
import { getEnv } from "@/env";
import { readRequestText } from "@/lib/http/read-body";
import { JsonRpcCodes, jsonRpcError } from "./jsonrpc-responses";

/**
 * The request's body as text, read here unless the caller already read it (`bodyText`: the text,
 * or null when it was over the limit); a 413 answer when it is over the limit.
 */
export async function readMcpBodyText(
  request: Request,
  bodyText: string | null | undefined,
): Promise<string | Response> {
  const maxBytes = getEnv().MCP_MAX_BODY_BYTES;
  const text = bodyText === undefined ? await readRequestText(request, maxBytes) : bodyText;
  return text ?? jsonRpcError(413, JsonRpcCodes.invalidRequest, `Request body larger than ${maxBytes} bytes`);
}
