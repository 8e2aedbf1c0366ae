// Which redirect URIs a client may register, and when a requested one matches: exactly, except
// that a loopback http URI may use any port (RFC 8252 §7.3: a desktop app listens on a port it
// picks at run time). Web apps use https; native apps may use a private-use scheme
// (com.example.app:/callback, cursor://...). Never a fragment, user info, or a scheme a browser
// would run (javascript:, data:, file:, ...).
const refusedSchemes = new Set([
  "javascript:",
  "data:",
  "file:",
  "blob:",
  "about:",
  "vbscript:",
  "filesystem:",
]);
const loopbackHosts = new Set(["127.0.0.1", "[::1]", "localhost"]);

/** Why the URI cannot be registered, or undefined when it can. */
export function redirectUriProblem(value: string): string | undefined {
  if (value.length > 2_000) return "longer than 2000 characters";
  if (!URL.canParse(value)) return "not a URL";
  const url = new URL(value);
  if (url.hash || value.includes("#")) return "has a fragment";
  if (url.username || url.password) return "has a user name or password";
  if (refusedSchemes.has(url.protocol)) return `uses the ${url.protocol} scheme`;
  if (url.protocol === "http:" && !loopbackHosts.has(url.hostname))
    return "uses http on a host other than the loopback (use https)";
  return undefined;
}

function isLoopbackHttp(url: URL): boolean {
  return url.protocol === "http:" && loopbackHosts.has(url.hostname);
}

/** Whether a requested redirect URI is one the client registered. */
export function redirectUriMatches(requested: string, registered: readonly string[]): boolean {
  if (registered.includes(requested)) return true;
  if (!URL.canParse(requested)) return false;
  const asked = new URL(requested);
  if (!isLoopbackHttp(asked) || requested.includes("#")) return false;
  return registered.some((candidate) => {
    if (!URL.canParse(candidate)) return false;
    const known = new URL(candidate);
    return (
      isLoopbackHttp(known) &&
      known.hostname === asked.hostname &&
      known.pathname === asked.pathname &&
      known.search === asked.search
    );
  });
}
