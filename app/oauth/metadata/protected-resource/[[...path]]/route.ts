// Protected-resource metadata (RFC 9728) for the MCP endpoint. next.config.ts rewrites
// /.well-known/oauth-protected-resource and its path-suffixed form for /mcp here: Next.js does
// not route folders whose names begin with a dot.
import { preflight, serveProtectedResourceMetadata } from "@/lib/authorization-server/endpoints";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ path?: string[] }> };

async function get(_request: Request, { params }: Context): Promise<Response> {
  const { path = [] } = await params;
  // Only the MCP endpoint is a protected resource; the root form names it too (clients fall back to it).
  if (path.length > 1 || (path.length === 1 && path[0] !== "mcp")) return new Response(null, { status: 404 });
  return serveProtectedResourceMetadata();
}

export { get as GET, preflight as OPTIONS };
