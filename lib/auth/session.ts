// The signed-in user for server components, server actions and route handlers, read through
// Auth.js's own session endpoint so that cookie names, chunking, JWT checks and signed-out
// (revoked) sessions stay its concern (lib/auth/config.ts).
import { Auth } from "@auth/core";
import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { getAppUrl } from "@/env";
import { getDb } from "@/lib/db/client";
import { getAuthConfig } from "./config";

export type CurrentUser = {
  id: string;
  email: string;
  name: string | null;
  role: "USER" | "ADMIN";
  isDemo: boolean;
};

type SessionClaims = { userId: string; signedInAt: number };

async function readSession(cookieHeader: string): Promise<SessionClaims | undefined> {
  if (!cookieHeader) return undefined;
  const response = await Auth(
    new Request(`${getAppUrl()}/api/auth/session`, { headers: { cookie: cookieHeader } }),
    getAuthConfig(),
  );
  if (!response.ok) return undefined;
  const session = (await response.json()) as { userId?: string; signedInAt?: number } | null;
  if (!session?.userId) return undefined;
  // Sessions from before the sign-in time was recorded count as the oldest.
  return { userId: session.userId, signedInAt: session.signedInAt ?? 0 };
}

const currentUserSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  isDemo: true,
  suspendedAt: true,
  sessionsValidFrom: true,
} as const;

/** The user a session cookie signs in: not suspended, and signed in since the last password change. */
async function userOfSession(cookieHeader: string): Promise<CurrentUser | null> {
  const session = await readSession(cookieHeader);
  if (!session) return null;
  const user = await getDb().user.findUnique({ where: { id: session.userId }, select: currentUserSelect });
  if (!user || user.suspendedAt) return null;
  if (user.sessionsValidFrom && session.signedInAt < user.sessionsValidFrom.getTime()) return null;
  const { suspendedAt: _suspended, sessionsValidFrom: _validFrom, ...current } = user;
  return current;
}

/** The signed-in user of a request's Cookie header (for route handlers), or null. */
export async function getUserFromCookies(cookieHeader: string): Promise<CurrentUser | null> {
  return userOfSession(cookieHeader);
}

export async function getUserIdFromCookies(cookieHeader: string): Promise<string | undefined> {
  return (await userOfSession(cookieHeader))?.id;
}

export async function getCurrentUser(): Promise<CurrentUser | null> {
  return userOfSession((await cookies()).toString());
}

/** The signed-in administrator; anyone else gets the not-found page (admin pages are not advertised). */
export async function requireAdmin(): Promise<CurrentUser> {
  const user = await requireUser();
  if (user.role !== "ADMIN") notFound();
  return user;
}

/** The signed-in user, or a redirect to the sign-in page. */
export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/signin");
  return user;
}
