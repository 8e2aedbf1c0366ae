// The older HTTP+SSE transport with `Authorization: Bearer <secret>`: where messages are posted.
import { handleMcpRequest } from "@/lib/mcp/handle-mcp-request";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  return handleMcpRequest(request, undefined, "sse-messages");
}
