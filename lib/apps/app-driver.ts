// What each kind of added app implements: how its connections authenticate and reach the upstream,
// how its actions are read from the upstream, and how one accepted action runs. lib/apps/mcp and
// lib/apps/openapi are the two kinds; app-registry.ts turns a stored app into the same
// IntegrationDefinition a built-in app is, so everything else (connections, tools, field modes,
// quotas, the queue, history) treats them alike.
import type { ActionContext, ConnectionContext, IntegrationDefinition } from "@/integrations/sdk/define";
import type { ActionDefinitionData, DiscoveredAction } from "./action-definition";

export type AppKindName = "MCP" | "OPENAPI";

/** A stored app as the drivers see it. `headers` are its owner's sealed headers, opened (or {}). */
export type AppRecord = {
  id: string;
  slug: string;
  kind: AppKindName;
  name: string;
  description: string;
  userId: string;
  orgId: string | null;
  /** Kind-specific, validated by the driver: where the upstream is. */
  source: unknown;
  /** Kind-specific, validated by the driver: how each connection authenticates. */
  auth: unknown;
  headers: Record<string, string>;
};

/** One accepted action, as the upstream defined it when its owner accepted it. */
export type ServedAction = { key: string; upstreamName: string; definition: ActionDefinitionData };

/** How a discovery reaches the upstream: with a connection's context when the app has accounts. */
export type DiscoveryAccess = { connection: ConnectionContext<unknown> | null; signal: AbortSignal };

export type AppDriver = {
  /** The app's connection kind, API (an untrusted base URL: SSRF-checked) and connection check. */
  connect: (app: AppRecord) => Pick<IntegrationDefinition, "auth" | "api" | "test">;
  /** Reads what the upstream offers now. Names and texts are untrusted: the caller caps and scans them. */
  discover: (app: AppRecord, access: DiscoveryAccess) => Promise<DiscoveredAction[]>;
  /** Runs one accepted action with the caller's connection; input is already validated. */
  run: (
    app: AppRecord,
    action: ServedAction,
    context: ActionContext<Record<string, unknown>, unknown>,
  ) => Promise<unknown>;
};
