// APP_URL/mcp with `Authorization: Bearer <secret>`: the same servers, for clients that keep
// the secret in a header.
import { handleMcpRequest } from "@/lib/mcp/handle-mcp-request";

export const dynamic = "force-dynamic";

async function handle(request: Request): Promise<Response> {
  return handleMcpRequest(request);
}

export { handle as DELETE, handle as GET, handle as POST };
