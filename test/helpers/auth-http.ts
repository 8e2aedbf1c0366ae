// Signing in over HTTP the way the sign-in page does (components/auth-client.ts): fetch a CSRF
// token, post the credentials to Auth.js, and keep the cookies it sets.
export class CookieJar {
  readonly cookies = new Map<string, string>();
  /** The raw Set-Cookie lines seen, newest last, for checking their attributes. */
  readonly setCookieLines: string[] = [];

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      this.setCookieLines.push(line);
      const [pair] = line.split(";");
      const index = pair!.indexOf("=");
      const name = pair!.slice(0, index).trim();
      const value = pair!.slice(index + 1).trim();
      if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  lastSetCookie(name: string): string | undefined {
    return this.setCookieLines.findLast((line) => line.startsWith(`${name}=`));
  }
}

export const sessionCookieName = "authjs.session-token";

async function postToAuth(
  baseUrl: string,
  path: string,
  fields: Record<string, string>,
  jar: CookieJar,
  headers: Record<string, string> = {},
): Promise<URL> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`, { headers: { cookie: jar.header() } });
  jar.take(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-auth-return-redirect": "1",
      cookie: jar.header(),
      ...headers,
    },
    body: new URLSearchParams({ ...fields, csrfToken }),
    redirect: "manual",
  });
  jar.take(response);
  const { url } = (await response.json()) as { url: string };
  return new URL(url, baseUrl);
}

/** Returns the sign-in error code (null on success); the jar then holds the session cookie. */
export async function signInOverHttp(
  baseUrl: string,
  email: string,
  password: string,
  jar = new CookieJar(),
  headers: Record<string, string> = {},
): Promise<{ code: string | null; jar: CookieJar }> {
  const url = await postToAuth(
    baseUrl,
    "/api/auth/callback/credentials",
    { email, password, callbackUrl: "/" },
    jar,
    headers,
  );
  const code = url.searchParams.has("error")
    ? (url.searchParams.get("code") ?? url.searchParams.get("error"))
    : null;
  return { code, jar };
}

export async function signOutOverHttp(baseUrl: string, jar: CookieJar): Promise<void> {
  await postToAuth(baseUrl, "/api/auth/signout", { callbackUrl: "/signin" }, jar);
}
