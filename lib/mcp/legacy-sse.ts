// The older HTTP+SSE transport (protocol 2024-11-05) for clients that still use it: GET opens an
// event stream whose first event names the URL to POST messages to; answers travel back over
// the stream. Streams and POSTs meet through Redis pub/sub, so they may land on different
// replicas. Sessions are the same Redis sessions the Streamable HTTP transport uses.
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { type JSONRPCMessage, JSONRPCMessageSchema } from "@modelcontextprotocol/sdk/types.js";
import { createWorkerRedis, getRedis, type RedisClient, redisKey } from "@/lib/redis/client";
import { endpointIdOf, type ServerSnapshot } from "@/lib/servers/server-snapshot";
import { buildMcpServer } from "./build-server";
import { recordCancellations } from "./cancellations";
import { JsonRpcCodes, jsonRpcError } from "./jsonrpc-responses";
import { readMcpBodyText } from "./read-mcp-body";
import { createSession, deleteSession, findSession, renewSession } from "./sessions";
import { watchToolList } from "./tool-list-watch";

const listChangedNotice = (list: "tools" | "resources" | "prompts") =>
  `event: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", method: `notifications/${list}/list_changed` })}\n\n`;

const channelOf = (sessionId: string) => redisKey("mcp", "sse", sessionId);
const keepAliveMs = 15_000;

type Listener = (message: string) => void;
const globalForSse = globalThis as unknown as {
  sseSubscriber?: RedisClient;
  sseListeners?: Map<string, Listener>;
};

function getSubscriber(): { subscriber: RedisClient; listeners: Map<string, Listener> } {
  if (!globalForSse.sseSubscriber) {
    const subscriber = createWorkerRedis();
    const listeners = new Map<string, Listener>();
    subscriber.on("message", (channel: string, message: string) => listeners.get(channel)?.(message));
    globalForSse.sseSubscriber = subscriber;
    globalForSse.sseListeners = listeners;
  }
  return { subscriber: globalForSse.sseSubscriber, listeners: globalForSse.sseListeners! };
}

/** GET: opens the event stream. `messagesPath` is where the client must POST. */
export async function openSseStream(
  request: Request,
  snapshot: ServerSnapshot,
  messagesPath: string,
): Promise<Response> {
  const sessionId = await createSession(endpointIdOf(snapshot));
  const channel = channelOf(sessionId);
  const { subscriber, listeners } = getSubscriber();
  const encoder = new TextEncoder();
  let cleanup = () => {};

  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const write = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      listeners.set(channel, (message) => write(`event: message\ndata: ${message}\n\n`));
      await subscriber.subscribe(channel);
      write(`event: endpoint\ndata: ${messagesPath}?sessionId=${sessionId}\n\n`);
      const keepAlive = setInterval(() => write(": keep-alive\n\n"), keepAliveMs);
      const close = () => {
        cleanup();
        try {
          controller.close();
        } catch {}
      };
      // The one stream of a legacy session carries its notifications too.
      const stopWatching = watchToolList(snapshot, {
        sessionId,
        toolsChanged: () => write(listChangedNotice("tools")),
        catalogChanged: (list) => write(listChangedNotice(list)),
        end: close,
        // Its session ended (deleted, expired): so does the stream.
        sessionChanged: () =>
          void findSession(sessionId, endpointIdOf(snapshot)).then(
            (current) => current ?? close(),
            () => {},
          ),
      });
      cleanup = () => {
        clearInterval(keepAlive);
        stopWatching();
        listeners.delete(channel);
        void subscriber.unsubscribe(channel).catch(() => {});
        void deleteSession({ id: sessionId, serverId: endpointIdOf(snapshot) }).catch(() => {});
        cleanup = () => {};
      };
      request.signal.addEventListener("abort", close);
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
    },
  });
}

/** A transport whose replies are published to the session's stream, wherever it is served. */
class PublishingTransport implements Transport {
  onmessage?: Transport["onmessage"];
  onclose?: () => void;
  onerror?: (error: Error) => void;
  constructor(private readonly channel: string) {}
  async start(): Promise<void> {}
  async send(message: JSONRPCMessage): Promise<void> {
    await (await getRedis()).publish(this.channel, JSON.stringify(message));
  }
  async close(): Promise<void> {
    this.onclose?.();
  }
}

/** POST: accepts one message for a session, answers 202, and replies over the session's stream. */
export async function acceptSseMessage(
  request: Request,
  snapshot: ServerSnapshot,
  bodyText?: string | null,
): Promise<Response> {
  const sessionId = new URL(request.url).searchParams.get("sessionId") ?? "";
  const session = await findSession(sessionId, endpointIdOf(snapshot));
  if (!session)
    return jsonRpcError(404, JsonRpcCodes.sessionNotFound, "Session not found; open a new event stream");
  // Best effort: a session that misses a renewal only expires sooner.
  await renewSession(session).catch(() => {});
  const text = await readMcpBodyText(request, bodyText);
  if (text instanceof Response) return text;
  let message: JSONRPCMessage;
  try {
    message = JSONRPCMessageSchema.parse(JSON.parse(text));
  } catch {
    return jsonRpcError(400, JsonRpcCodes.parseError, "Parse error: the body is not a JSON-RPC message");
  }
  // A cancellation reaches the call it names through Redis, as on the Streamable HTTP route.
  await recordCancellations(message, endpointIdOf(snapshot), session.id);
  const server = buildMcpServer(snapshot, { session });
  const transport = new PublishingTransport(channelOf(session.id));
  await server.connect(transport);
  transport.onmessage?.(message);
  return new Response("Accepted", { status: 202 });
}
