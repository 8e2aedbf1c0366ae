// An upstream's log messages (`notifications/message`) during a call, relayed to the call's client:
// the worker passes them on through the job's events, and the endpoint sends those its session's
// level lets through.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import type { ActionContext } from "@/integrations/sdk/define";

/** Relays the upstream's log messages during a call to the call's client (through the worker). */
export function relayUpstreamLogs(
  client: Client,
  context: Pick<ActionContext<unknown, unknown>, "log">,
): () => void {
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
    const { level, logger, data } = notification.params;
    void context.log?.({ level, data, ...(logger !== undefined && { logger }) }).catch(() => {});
  });
  return () => client.removeNotificationHandler("notifications/message");
}
