// The two browser routes of an OAuth connection. Both need a signed-in session, and both end
// with a redirect to this platform's own Connections page, carrying the outcome in its query, or
// after a success to the tool form the person came from (a path checked when the flow began).
import { getAppUrl } from "@/env";
import { getUserIdFromCookies } from "@/lib/auth/session";
import { AppError } from "@/lib/errors/app-error";
import { createLogger } from "@/lib/log/logger";
import { workspaceCookie } from "@/lib/orgs/current-workspace";
import { personalWorkspace, resolveWorkspace, type Workspace } from "@/lib/orgs/workspace";
import { returnWithConnection } from "@/lib/web/return-path";
import {
  beginAuthorization,
  beginAuthorizationSchema,
  callbackQuerySchema,
  completeAuthorization,
} from "./authorization";

type RouteContext = { params: Promise<{ integration: string }> };

const log = createLogger({ module: "oauth" });

function redirectTo(pathAndQuery: string): Response {
  return new Response(null, {
    status: 303,
    headers: {
      location: `${getAppUrl()}${pathAndQuery}`,
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
    },
  });
}

function connectionsPage(outcome: Record<string, string>): Response {
  return redirectTo(`/connections?${new URLSearchParams(outcome)}`);
}

function failureMessage(error: unknown): string {
  if (error instanceof AppError) return error.message;
  log.error({ err: (error as Error).message }, "oauth flow failed");
  return "Connecting failed because of a platform error; try again.";
}

/** The workspace chosen in the header (its cookie), checked against the person's memberships. */
async function workspaceFromCookie(userId: string, request: Request): Promise<Workspace> {
  const cookie = (request.headers.get("cookie") ?? "")
    .split(";")
    .map((part) => part.trim().split("="))
    .find(([name]) => name === workspaceCookie);
  const orgId = cookie?.[1] ? decodeURIComponent(cookie[1]) : undefined;
  try {
    return await resolveWorkspace(userId, orgId);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return personalWorkspace(userId);
    throw error;
  }
}

function queryOf(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams);
}

export async function handleOAuthStart(request: Request, { params }: RouteContext): Promise<Response> {
  const { integration } = await params;
  const userId = await getUserIdFromCookies(request.headers.get("cookie") ?? "");
  if (!userId) return redirectTo("/signin");
  try {
    const options = beginAuthorizationSchema.safeParse(queryOf(request));
    if (!options.success)
      throw new AppError(
        "bad_request",
        "The label, connection to reconnect or page to return to is not valid.",
      );
    const authorizeUrl = await beginAuthorization(
      await workspaceFromCookie(userId, request),
      integration,
      options.data,
    );
    return new Response(null, {
      status: 303,
      headers: { location: authorizeUrl, "cache-control": "no-store", "referrer-policy": "no-referrer" },
    });
  } catch (error) {
    return connectionsPage({ integration, error: failureMessage(error) });
  }
}

export async function handleOAuthCallback(request: Request, { params }: RouteContext): Promise<Response> {
  const { integration } = await params;
  const userId = await getUserIdFromCookies(request.headers.get("cookie") ?? "");
  if (!userId) return redirectTo("/signin");
  try {
    const query = callbackQuerySchema.safeParse(queryOf(request));
    if (!query.success)
      throw new AppError("bad_request", "The provider's answer is malformed; start connecting again.");
    const connection = await completeAuthorization(userId, integration, query.data, {
      actorId: userId,
      userAgent: request.headers.get("user-agent"),
    });
    if (connection.returnTo) return redirectTo(returnWithConnection(connection.returnTo, connection.id));
    return connectionsPage({ integration, connected: connection.id });
  } catch (error) {
    return connectionsPage({ integration, error: failureMessage(error) });
  }
}
