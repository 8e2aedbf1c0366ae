// The older HTTP+SSE transport: the event stream.
import { handleMcpRequest } from "@/lib/mcp/handle-mcp-request";

export const dynamic = "force-dynamic";

export async function GET(
  request: Request,
  { params }: { params: Promise<{ secret: string }> },
): Promise<Response> {
  return handleMcpRequest(request, (await params).secret, "sse");
}
