// The older HTTP+SSE transport: where clients post their messages.
import { handleMcpRequest } from "@/lib/mcp/handle-mcp-request";

export const dynamic = "force-dynamic";

export async function POST(
  request: Request,
  { params }: { params: Promise<{ secret: string }> },
): Promise<Response> {
  return handleMcpRequest(request, (await params).secret, "sse-messages");
}
