// DNS-rebinding defence for the MCP endpoint: a request whose Origin (when present) or Host is
// not the platform's own is refused. APP_URL's origin and host are allowed, plus the loopback
// aliases of a loopback APP_URL, plus MCP_ALLOWED_ORIGINS / MCP_ALLOWED_HOSTS.
import { getAppUrl, getEnv } from "@/env";

const loopbackNames = ["localhost", "127.0.0.1", "[::1]"];

type Policy = { origins: Set<string>; hosts: Set<string> };
let cached: { appUrl: string; policy: Policy } | undefined;

function getPolicy(): Policy {
  const appUrl = getAppUrl();
  if (cached?.appUrl === appUrl) return cached.policy;
  const url = new URL(appUrl);
  const env = getEnv();
  const hosts = new Set([url.host.toLowerCase(), ...env.MCP_ALLOWED_HOSTS]);
  const origins = new Set([url.origin.toLowerCase(), ...env.MCP_ALLOWED_ORIGINS]);
  if (loopbackNames.includes(url.hostname)) {
    for (const name of loopbackNames) {
      const host = url.port ? `${name}:${url.port}` : name;
      hosts.add(host);
      origins.add(`${url.protocol}//${host}`);
    }
  }
  cached = { appUrl, policy: { origins, hosts } };
  return cached.policy;
}

/** Why the request must be refused, or null when it may proceed. */
export function checkOriginAndHost(request: Request): string | null {
  const policy = getPolicy();
  const origin = request.headers.get("origin");
  if (origin !== null && !policy.origins.has(origin.toLowerCase())) return `Origin ${origin} is not allowed`;
  const host = request.headers.get("host");
  if (host !== null && !policy.hosts.has(host.toLowerCase())) return `Host ${host} is not allowed`;
  return null;
}
