// The Streamable HTTP GET stream of a session: where the server tells a client things it did not
// ask for, here `notifications/tools/list_changed` and the relayed upstreams' resources and prompts
// list_changed (tool-list-watch.ts says when). One stream per
// session: a new GET takes over from the one before, wherever that one is served (the takeover is
// written to Redis and announced on the invalidation feed, which names the session), so a client
// that reconnects after losing a replica is never refused. The stream ends when the session does.
import { randomBytes } from "node:crypto";
import { getRedis, redisKey } from "@/lib/redis/client";
import { endpointIdOf, type ServerSnapshot } from "@/lib/servers/server-snapshot";
import { announceInvalidation, whenSnapshotFeedLive } from "@/lib/servers/snapshot-cache";
import { JsonRpcCodes, jsonRpcError } from "./jsonrpc-responses";
import { findSession, type McpSession, renewSession } from "./sessions";
import { watchToolList } from "./tool-list-watch";

const keepAliveMs = 15_000;
const renewEveryMs = 60_000;
const streamTtlSeconds = 24 * 60 * 60;
const streamKey = (sessionId: string) => redisKey("mcp", "stream", sessionId);

const notice = (method: string) => `event: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", method })}\n\n`;
const toolsChanged = notice("notifications/tools/list_changed");
const catalogChanged = {
  resources: notice("notifications/resources/list_changed"),
  prompts: notice("notifications/prompts/list_changed"),
};

/** GET with a session: the session's stream of notifications (text/event-stream). */
export async function openSessionStream(
  request: Request,
  snapshot: ServerSnapshot,
  session: McpSession,
): Promise<Response> {
  if (!request.headers.get("accept")?.includes("text/event-stream"))
    return jsonRpcError(
      406,
      JsonRpcCodes.invalidRequest,
      "Not Acceptable: the client must accept text/event-stream",
    );
  // Without a live feed no change would be heard: better no stream than a silent one.
  if (!(await whenSnapshotFeedLive(2_000)))
    return jsonRpcError(
      503,
      JsonRpcCodes.unavailable,
      "The platform is temporarily unavailable; try again shortly",
      {
        "Retry-After": "5",
      },
    );
  const token = randomBytes(12).toString("hex");
  const redis = await getRedis();
  await redis.set(streamKey(session.id), token, "EX", streamTtlSeconds);
  // The stream this one replaces, on whichever replica, hears its session named and ends.
  await announceInvalidation({ sessionIds: [session.id] });

  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        cleanup();
        try {
          controller.close();
        } catch {}
      };
      const write = (text: string) => {
        if (ended) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          end();
        }
      };
      let touchedAt = Date.now();
      const keepAlive = setInterval(() => {
        write(": keep-alive\n\n");
        // An open stream is a session in use.
        if (Date.now() - touchedAt >= renewEveryMs) {
          touchedAt = Date.now();
          void renewSession({ ...session, touchedAt: 0 }).catch(() => {});
        }
      }, keepAliveMs);
      const stopWatching = watchToolList(snapshot, {
        sessionId: session.id,
        toolsChanged: () => write(toolsChanged),
        catalogChanged: (list) => write(catalogChanged[list]),
        end,
        sessionChanged: () => {
          void Promise.all([
            findSession(session.id, endpointIdOf(snapshot)),
            redis.get(streamKey(session.id)),
          ]).then(
            ([current, owner]) => {
              if (!current || owner !== token) end();
            },
            () => {},
          );
        },
      });
      cleanup = () => {
        clearInterval(keepAlive);
        stopWatching();
        void redis
          .get(streamKey(session.id))
          .then((owner) => (owner === token ? redis.del(streamKey(session.id)) : 0))
          .catch(() => {});
        cleanup = () => {};
      };
      request.signal.addEventListener("abort", end);
      // Sent at once, so that the client (and any proxy) sees the stream open.
      write(": stream open\n\n");
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "mcp-session-id": session.id,
    },
  });
}
