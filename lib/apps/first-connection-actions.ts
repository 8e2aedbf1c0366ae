// An added app whose upstream lists its actions only to a signed-in person (an MCP server behind
// OAuth) is added with none; the first connection saved for it reads them, as a refresh does, and
// accepts the clean ones at once as adding does (flagged ones wait for review), so the owner sees
// the tools right after signing in.
import type { IntegrationDefinition } from "@/integrations/sdk/define";
import { withConnection } from "@/lib/connections/connection-context";
import { getDb } from "@/lib/db/client";
import { createLogger } from "@/lib/log/logger";
import { applyDiscovery, type DiscoverySummary } from "./app-definitions";
import { driverOf } from "./app-drivers";
import { type AppOwner, loadAppRecord } from "./app-registry";

const log = createLogger({ module: "apps" });

const readTimeoutMs = 60_000;

/**
 * When `integration` is an added app that has never had actions, reads them with the connection
 * just saved. Never fails the connection: what went wrong is logged, and a refresh reads them later.
 */
export async function readActionsWithFirstConnection(
  owner: AppOwner,
  integration: IntegrationDefinition,
  connectionId: string,
): Promise<DiscoverySummary | undefined> {
  const appId = integration.auth.type === "oauth2" ? integration.auth.addedAppId : undefined;
  if (!appId) return undefined;
  try {
    if ((await getDb().appAction.count({ where: { appId } })) > 0) return undefined;
    const app = await loadAppRecord(appId);
    if (!app) return undefined;
    const signal = AbortSignal.timeout(readTimeoutMs);
    const found = await withConnection(
      owner,
      integration,
      connectionId,
      signal,
      (connection) => driverOf(app.kind).discover(app, { connection, signal }),
      { purpose: "check" },
    );
    return await applyDiscovery(appId, found, { acceptClean: true });
  } catch (error) {
    log.warn(
      { appId, connectionId, err: (error as Error).message },
      "could not read an added app's actions with its first connection",
    );
    return undefined;
  }
}
