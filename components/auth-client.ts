// Browser side of Auth.js's endpoints (what next-auth/react's signIn/signOut do): fetch a CSRF
// token, post the form, and follow the URL Auth.js returns.
"use client";

async function csrfToken(): Promise<string> {
  const response = await fetch("/api/auth/csrf", { cache: "no-store" });
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return csrfToken;
}

async function postToAuth(path: string, fields: Record<string, string>): Promise<URL> {
  const body = new URLSearchParams({ ...fields, csrfToken: await csrfToken() });
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Auth-Return-Redirect": "1" },
    body,
  });
  const { url } = (await response.json()) as { url: string };
  return new URL(url, window.location.href);
}

/** Signs in with email and password; returns the error code, or null on success. */
export async function signInWithPassword(
  email: string,
  password: string,
  callbackUrl = "/",
): Promise<string | null> {
  const url = await postToAuth("/api/auth/callback/credentials", { email, password, callbackUrl });
  if (url.searchParams.has("error")) return url.searchParams.get("code") ?? url.searchParams.get("error");
  return null;
}

export function signInWithProvider(providerId: string, callbackUrl = "/"): Promise<void> {
  return postToAuth(`/api/auth/signin/${providerId}`, { callbackUrl }).then((url) => {
    window.location.href = url.toString();
  });
}

/** Signs out, then opens `to` (a path on this site: the sign-in page unless told otherwise). */
export async function signOut(to = "/signin"): Promise<void> {
  await postToAuth("/api/auth/signout", { callbackUrl: to });
  window.location.href = to;
}
