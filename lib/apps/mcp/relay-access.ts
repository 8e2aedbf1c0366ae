// Which upstream MCP servers a server's endpoint relays resources and prompts from (the MCP apps
// its tools use), and reaching one of them as the caller: the app's sealed headers opened, the
// connection its tools use (or the workspace's default one), a short deadline. An upstream found
// down a moment ago is not tried again; one that cannot be reached is recorded as down, so its
// tool calls fail fast too.

import { AppUnreachableError } from "@/integrations/sdk/errors";
import { withConnection } from "@/lib/connections/connection-context";
import type { ServerSnapshot } from "@/lib/servers/server-snapshot";
import type { AppRecord } from "../app-driver";
import { integrationOfApp, loadAppRecord } from "../app-registry";
import { upstreamRequestTimeoutMs } from "./mcp-driver";
import { isStdioSource } from "./stdio-source";
import type { UpstreamAccess } from "./upstream-catalog";
import { assertUpstreamNotDown, recordUpstreamHealth } from "./upstream-health";

/** How long one upstream may take to answer a listing or a read: the others do not wait longer. */
export function relayTimeoutMs(): number {
  return Math.min(upstreamRequestTimeoutMs(), 5_000);
}

/**
 * The MCP apps reached over HTTP that a snapshot's tools use, by slug (the order listings follow).
 * A command run by the workers (stdio) is not started by the web process to list its resources.
 */
export function relayedApps(snapshot: ServerSnapshot): AppRecord[] {
  return Object.values(snapshot.addedApps)
    .map((entry) => entry.app)
    .filter((app) => app.kind === "MCP" && !isStdioSource(app.source))
    .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}

/** The connection a server's tools of this app use: the first one pinned, else the default. */
function pinnedConnectionOf(snapshot: ServerSnapshot, slug: string): string | null {
  return snapshot.tools.find((tool) => tool.integration === slug && tool.connectionId)?.connectionId ?? null;
}

/**
 * Runs `use` against the upstream of `app` as the snapshot's caller would call its tools: an
 * organization's server with the organization's connections only. `signal` (the request's) is
 * combined with the relay's own deadline.
 */
export async function withRelayAccess<T>(
  snapshot: ServerSnapshot,
  app: AppRecord,
  signal: AbortSignal,
  use: (app: AppRecord, access: UpstreamAccess) => Promise<T>,
): Promise<T> {
  await assertUpstreamNotDown(app);
  const record = await loadAppRecord(app.id);
  if (!record) throw new AppUnreachableError(`${app.name} no longer exists.`, "the app was removed");
  const deadline = AbortSignal.any([signal, AbortSignal.timeout(relayTimeoutMs())]);
  const scope = snapshot.org
    ? { userId: snapshot.org.caller.userId, orgId: snapshot.org.id }
    : { userId: snapshot.userId, orgId: null };
  try {
    return await withConnection(
      scope,
      integrationOfApp(record, []),
      pinnedConnectionOf(snapshot, app.slug),
      deadline,
      (connection) => use(record, { connection, signal: deadline }),
      { purpose: "options" },
    );
  } catch (error) {
    if (error instanceof AppUnreachableError)
      await recordUpstreamHealth(app.id, { healthy: false, error: error.reason }).catch(() => {});
    throw error;
  }
}
