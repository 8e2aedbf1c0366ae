// The signed-in user for server components, server actions and route handlers, read through
// Auth.js's own session endpoint so that cookie names, chunking and JWT checks stay its concern.
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

export async function getUserIdFromCookies(cookieHeader: string): Promise<string | undefined> {
  if (!cookieHeader) return undefined;
  const response = await Auth(
    new Request(`${getAppUrl()}/api/auth/session`, { headers: { cookie: cookieHeader } }),
    getAuthConfig(),
  );
  if (!response.ok) return undefined;
  const session = (await response.json()) as { userId?: string } | null;
  return session?.userId;
}

export async function getCurrentUser(): Promise<CurrentUser | null> {
  const cookieHeader = (await cookies()).toString();
  const userId = await getUserIdFromCookies(cookieHeader);
  if (!userId) return null;
  const user = await getDb().user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, role: true, isDemo: true, suspendedAt: true },
  });
  if (!user || user.suspendedAt) return null;
  const { suspendedAt: _suspended, ...current } = user;
  return current;
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
