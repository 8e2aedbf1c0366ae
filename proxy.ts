// Runs before every route: gives each request an id (kept from x-request-id when present), refuses
// what its request line alone gets wrong (lib/http/request-line.ts, for `next start` and `next dev`;
// scripts/web.ts refuses the same before Next.js sees it), and refuses cross-origin
// state-changing requests to route handlers, which unlike server actions do not check Origin
// themselves (the REST API and the OAuth consent form; the OAuth token endpoints take any origin,
// having no cookies to abuse), and to server actions, whose own check answers 500. The MCP endpoint applies its
// own Origin policy.
import { type NextRequest, NextResponse } from "next/server";
import { getAppUrl } from "@/env";
import { describeRefusal, refuseRequestLine } from "@/lib/http/request-line";

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function isSameOrigin(request: NextRequest, origin: string): boolean {
  // A form posted from a page under "Referrer-Policy: no-referrer" says `Origin: null`; the
  // browser's own Sec-Fetch-Site, which no page can set, still tells where it came from.
  if (origin === "null") return request.headers.get("sec-fetch-site") === "same-origin";
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

function isGuarded(request: NextRequest, pathname: string): boolean {
  if (!unsafeMethods.has(request.method)) return false;
  if (request.headers.has("next-action")) return true;
  if (pathname === "/oauth/authorize/decision") return true;
  return pathname.startsWith("/api/") && !pathname.startsWith("/api/mcp");
}

export function proxy(request: NextRequest): NextResponse {
  const requestId = request.headers.get("x-request-id")?.slice(0, 100) || crypto.randomUUID();
  const { pathname } = request.nextUrl;
  const target = new URL(request.url).pathname;
  const refusal = refuseRequestLine(request.method, target);
  if (refusal) {
    const { contentType, body } = describeRefusal(refusal, target);
    return new NextResponse(body, {
      status: refusal.status,
      headers: { ...refusal.headers, "Content-Type": contentType, "x-request-id": requestId },
    });
  }
  const origin = request.headers.get("origin");
  if (origin !== null && isGuarded(request, pathname) && !isSameOrigin(request, origin)) {
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
