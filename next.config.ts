import type { NextConfig } from "next";
import { securityHeaders } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Pages load on their first request rather than all at start: the web process idles at less
  // memory, and the MCP endpoint, which serves most requests, never goes through them.
  experimental: { preloadEntriesOnStart: false },
  serverExternalPackages: ["pino", "bullmq", "ioredis", "pg", "@prisma/adapter-pg"],
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
