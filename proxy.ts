// Runs before every route: gives each request an id (kept from x-request-id when present), and
// refuses cross-origin state-changing requests to route handlers, which unlike server actions
// do not check Origin themselves. The MCP endpoint applies its own Origin policy.
import { type NextRequest, NextResponse } from "next/server";
import { getAppUrl } from "@/env";

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function isSameOrigin(request: NextRequest, origin: string): boolean {
  let originUrl: URL;
  try {
    originUrl = new URL(origin);
  } catch {
    return false;
  }
  if (originUrl.origin === new URL(getAppUrl()).origin) return true;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  return originUrl.host === host;
}

export function proxy(request: NextRequest): NextResponse {
  const requestId = request.headers.get("x-request-id")?.slice(0, 100) || crypto.randomUUID();
  const { pathname } = request.nextUrl;
  const origin = request.headers.get("origin");
  if (
    unsafeMethods.has(request.method) &&
    pathname.startsWith("/api/") &&
    !pathname.startsWith("/api/mcp") &&
    origin !== null &&
    !isSameOrigin(request, origin)
  ) {
    return NextResponse.json(
      { error: { code: "forbidden", message: "Cross-origin requests are not allowed." } },
      { status: 403, headers: { "x-request-id": requestId } },
    );
  }
  const headers = new Headers(request.headers);
  headers.set("x-request-id", requestId);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("x-request-id", requestId);
  return response;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
