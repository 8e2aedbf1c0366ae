// What each kind of added app implements: how its connections authenticate and reach the upstream,
// how its actions are read from the upstream, and how one accepted action runs. lib/apps/mcp and
// lib/apps/openapi are the two kinds; app-registry.ts turns a stored app into the same
// IntegrationDefinition a built-in app is, so everything else (connections, tools, field modes,
// quotas, the queue, history) treats them alike.
import type { ActionContext, ConnectionContext, IntegrationDefinition } from "@/integrations/sdk/define";
import type { ActionDefinitionData, DiscoveredAction } from "./action-definition";
import type { AppOAuthClientInput } from "./app-oauth";
import type { UpstreamText } from "./upstream-texts";

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
export type DiscoveryAccess = {
  connection: ConnectionContext<unknown> | null;
  signal: AbortSignal;
  /** Told what the upstream says about itself (untrusted: the caller scans and stores it). */
  onTexts?: (texts: UpstreamText[]) => void;
};

/** What adding an app of a kind stores, once the driver has read the upstream. */
export type PreparedApp = {
  name: string;
  description: string;
  source: unknown;
  auth: unknown;
  /** Sent with every request to the upstream (sealed at rest); {} for none. */
  headers: Record<string, string>;
  /** An OpenAPI document given by upload, kept so that a refresh can read it again. */
  document?: unknown;
  /** Credentials for the adding person's first connection, when they gave some. */
  credentials?: Record<string, string>;
  /** The OAuth client the connections sign in with, when the person gave one (stored sealed). */
  oauthClient?: AppOAuthClientInput;
  actions: DiscoveredAction[];
  /** What the upstream says about itself beyond its actions (untrusted: scanned when stored). */
  texts?: UpstreamText[];
};

export type AppDriver = {
  /**
   * Validates what a person gives to add an app of this kind (the REST body without `kind`; throws
   * AppError "validation_failed" naming the field), reads the upstream, and says what to store.
   */
  prepare: (input: unknown, signal: AbortSignal) => Promise<PreparedApp>;
  /** The app's connection kind, API (an untrusted base URL: SSRF-checked) and connection check. */
  connect: (app: AppRecord) => Pick<IntegrationDefinition, "auth" | "api" | "test">;
  /** Reads what the upstream offers now. Names and texts are untrusted: the caller caps and scans them. */
  discover: (app: AppRecord, access: DiscoveryAccess) => Promise<DiscoveredAction[]>;
  /**
   * For an app whose connections sign in with OAuth and that has no client yet: registers one at
   * the upstream's authorization server for this redirect URI, or says none can be (undefined:
   * the owner must set one). Called when a person starts connecting.
   */
  registerOAuthClient?: (
    app: AppRecord,
    redirectUri: string,
    signal: AbortSignal,
  ) => Promise<AppOAuthClientInput | undefined>;
  /** Runs one accepted action with the caller's connection; input is already validated. */
  run: (
    app: AppRecord,
    action: ServedAction,
    context: ActionContext<Record<string, unknown>, unknown>,
  ) => Promise<unknown>;
};
