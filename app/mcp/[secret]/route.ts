// APP_URL/mcp/<secret>: the URL a user pastes into an MCP client.
import { handleMcpRequest } from "@/lib/mcp/handle-mcp-request";

export const dynamic = "force-dynamic";

async function handle(
  request: Request,
  { params }: { params: Promise<{ secret: string }> },
): Promise<Response> {
  return handleMcpRequest(request, (await params).secret);
}

export { handle as DELETE, handle as GET, handle as POST };
