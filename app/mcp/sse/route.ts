// The older HTTP+SSE transport with `Authorization: Bearer <secret>`: the event stream.
import { handleMcpRequest } from "@/lib/mcp/handle-mcp-request";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  return handleMcpRequest(request, undefined, "sse");
}
