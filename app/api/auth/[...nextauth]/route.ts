import { Auth } from "@auth/core";
import { getAppUrl } from "@/env";
import { getAuthConfig } from "@/lib/auth/config";

export const dynamic = "force-dynamic";

// Auth.js builds its redirects from the request URL; behind a proxy, or on 127.0.0.1, that is not
// the public address, so the request is re-addressed to APP_URL first.
async function handle(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const publicUrl = new URL(`${url.pathname}${url.search}`, getAppUrl());
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  const body = hasBody ? await request.text() : undefined;
  return Auth(
    new Request(publicUrl, { method: request.method, headers: request.headers, body }),
    getAuthConfig(),
  );
}

export { handle as GET, handle as POST };
