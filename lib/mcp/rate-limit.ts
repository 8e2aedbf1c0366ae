// The MCP endpoint's request limit per URL (MCP_RATE_LIMIT_PER_MINUTE): every request on a
// server's URL, whatever its method, counts in one fixed one-minute window, checked before the
// request writes anything else to Redis, so one URL cannot flood the Redis every tenant shares. Each
// member's own URL for an organization's server has its own window, so that one member cannot use
// up the others'.
import { getEnv } from "@/env";
import { hitRateLimit } from "@/lib/auth/rate-limit";
import { JsonRpcCodes, jsonRpcError } from "./jsonrpc-responses";

/** A 429 answer when the URL (endpointIdOf) has used up its requests for the minute, else null. */
export async function checkMcpRateLimit(endpointId: string): Promise<Response | null> {
  const max = getEnv().MCP_RATE_LIMIT_PER_MINUTE;
  if (max === 0) return null;
  const { allowed, retryAfterSeconds } = await hitRateLimit(
    { name: "mcp", max, windowSeconds: 60 },
    endpointId,
  );
  if (allowed) return null;
  const seconds = Math.max(1, retryAfterSeconds);
  return jsonRpcError(
    429,
    JsonRpcCodes.rateLimited,
    `Too many requests: this MCP URL accepts ${max} requests a minute. Try again in ${seconds} s.`,
    { "Retry-After": String(seconds) },
  );
}
