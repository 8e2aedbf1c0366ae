import type { NextConfig } from "next";
import { securityHeaders } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Pages load on their first request rather than all at start: the web process idles at less
  // memory, and the MCP endpoint, which serves most requests, never goes through them.
  experimental: { preloadEntriesOnStart: false },
  serverExternalPackages: ["pino", "bullmq", "ioredis", "pg", "@prisma/adapter-pg"],
  // Next.js does not route folders whose names begin with a dot: the well-known documents of the
  // authorization server (app/oauth/metadata) are reached through rewrites.
  async rewrites() {
    return [
      { source: "/.well-known/oauth-protected-resource", destination: "/oauth/metadata/protected-resource" },
      {
        source: "/.well-known/oauth-protected-resource/:path*",
        destination: "/oauth/metadata/protected-resource/:path*",
      },
      {
        source: "/.well-known/oauth-authorization-server",
        destination: "/oauth/metadata/authorization-server",
      },
      { source: "/.well-known/openid-configuration", destination: "/oauth/metadata/authorization-server" },
    ];
  },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
