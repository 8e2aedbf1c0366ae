// Listens to an upstream MCP server for `notifications/tools/list_changed`, for a long-running
// process that then refreshes the app (which pins what changed) and tells the servers using it, and
// for its resources and prompts list_changed, which the servers relaying it pass on as they are. A
// session of its own stays open for this; when its event stream ends (the upstream restarted,
// forgot the session, the network dropped), a new one is opened after a pause and `onChanged` (and
// `onCatalogChanged`, for both lists) is called once, since a change may have been missed meanwhile.
import {
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { upstreamRequestTimeoutMs } from "./mcp-driver";
import { openUpstream, type UpstreamSession, type UpstreamTarget } from "./upstream-session";

export type ToolListWatch = {
  /** Stops listening and closes the session. */
  stop: () => Promise<void>;
};

export type WatchOptions = {
  /** The pause before a new session after one ended or could not be opened. */
  retryMs?: number;
  /** Told when a session could not be opened or ended, for the app's health and logs. */
  onError?: (error: unknown) => void;
  /** Told when the upstream says its resource or prompt list changed. */
  onCatalogChanged?: (list: CatalogList) => void;
};

export type CatalogList = "resources" | "prompts";

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Resolves when the session's event stream has ended or the session closed. */
function untilSessionEnds(session: UpstreamSession, signal: AbortSignal, onError: (error: unknown) => void) {
  return new Promise<void>((resolve) => {
    const closed = session.client.onclose;
    session.client.onclose = () => {
      closed?.();
      resolve();
    };
    // The transport does not resume a stream by itself (see upstream-session.ts): an error about
    // the stream means no more notifications come through this session.
    session.client.onerror = (error) => {
      if (/SSE stream|reconnection attempts|Failed to open SSE stream/i.test(error.message)) {
        onError(error);
        resolve();
      }
    };
    signal.addEventListener("abort", () => resolve());
  });
}

export function watchToolListChanges(
  target: UpstreamTarget,
  onChanged: () => void,
  { retryMs = 5_000, onError = () => {}, onCatalogChanged }: WatchOptions = {},
): ToolListWatch {
  const stopping = new AbortController();
  const { signal } = stopping;
  const listen = async () => {
    for (let round = 0; !signal.aborted; round++) {
      let session: UpstreamSession | undefined;
      try {
        session = await openUpstream(target, { signal, timeoutMs: upstreamRequestTimeoutMs() });
        session.client.setNotificationHandler(ToolListChangedNotificationSchema, async () => onChanged());
        if (onCatalogChanged) {
          session.client.setNotificationHandler(ResourceListChangedNotificationSchema, async () =>
            onCatalogChanged("resources"),
          );
          session.client.setNotificationHandler(PromptListChangedNotificationSchema, async () =>
            onCatalogChanged("prompts"),
          );
        }
        if (round > 0) {
          onChanged();
          onCatalogChanged?.("resources");
          onCatalogChanged?.("prompts");
        }
        await untilSessionEnds(session, signal, onError);
      } catch (error) {
        if (!signal.aborted) onError(error);
      } finally {
        await session?.close();
      }
      if (!signal.aborted) await sleep(retryMs, signal);
    }
  };
  const running = listen();
  return {
    stop: async () => {
      stopping.abort();
      await running;
    },
  };
}
