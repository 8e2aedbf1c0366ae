// Whether an added app's upstream answers: a short check (an MCP server: a handshake and its tool
// list; an OpenAPI app: its connection check) whose outcome, last error and latency are recorded on
// the App row, where pages show them and calls read them (a call fails fast while its upstream was
// just found down). A person checks on demand ("Check now", POST /apps/{slug}/check) with their
// own connection when the app has accounts.

import type { ConnectionContext, IntegrationDefinition } from "@/integrations/sdk/define";
import { CredentialsRejectedError } from "@/integrations/sdk/errors";
import {
  buildConnectionContext,
  NoConnectionError,
  withConnection,
} from "@/lib/connections/connection-context";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { ownedBy, requirePermission, type WorkspaceArg, workspaceOf } from "@/lib/orgs/workspace";
import type { AppKindName, AppRecord } from "./app-driver";
import { integrationOfApp, loadAppRecord } from "./app-registry";
import { targetOfApp } from "./mcp/mcp-driver";
import { mcpKindDriver } from "./mcp/stdio-driver";
import { isStdioSource } from "./mcp/stdio-source";
import { recordUpstreamHealth } from "./mcp/upstream-health";
import { withUpstream } from "./mcp/upstream-session";
import { listAllTools } from "./mcp/upstream-tools";

export const probeTimeoutMs = 5_000;

export type HealthReport = {
  healthy: boolean;
  latencyMs: number;
  /** Why it is not healthy; null when it is. */
  error: string | null;
  checkedAt: Date;
};

/** `context` carries a connection's credentials, or none (context.auth undefined). */
type Probe = (
  app: AppRecord,
  integration: IntegrationDefinition,
  context: ConnectionContext<unknown>,
  timeoutMs: number,
) => Promise<void>;

const probeMcp: Probe = async (app, _integration, context, timeoutMs) => {
  const { signal } = context;
  // A command (stdio) answers when started and asked for its tools, as a call would start it.
  if (isStdioSource(app.source)) {
    await mcpKindDriver.discover(app, { connection: null, signal });
    return;
  }
  await withUpstream(targetOfApp(app, context.auth), { signal, timeoutMs }, (session) =>
    listAllTools(session.client, app.name, { signal, timeout: timeoutMs }),
  );
};

// The API's own check (its check path, or any HTTP answer from its base URL).
const probeOpenApi: Probe = async (_app, integration, context) => {
  await integration.test?.(context);
};

const probes: Partial<Record<AppKindName, Probe>> = { MCP: probeMcp, OPENAPI: probeOpenApi };

/** The kinds the periodic check covers (calls of the others do not record health). */
const staleCheckKinds: AppKindName[] = ["MCP"];

/** How a check reaches the upstream: runs `use` with a connection's context, or without one. */
export type ProbeAccess = (
  integration: IntegrationDefinition,
  signal: AbortSignal,
  use: (context: ConnectionContext<unknown>) => Promise<void>,
) => Promise<void>;

const withoutConnection: ProbeAccess = (integration, signal, use) =>
  use(buildConnectionContext(integration, undefined, signal));

/** Why a failed check failed, in plain words: the SDK's reason when it has one. */
function reasonOf(error: unknown): string {
  const reason = (error as { reason?: unknown }).reason;
  if (typeof reason === "string") return reason;
  return error instanceof Error ? error.message : String(error);
}

/** Checks the app's upstream now and records the outcome on its row. */
export async function probeApp(
  appId: string,
  {
    timeoutMs = probeTimeoutMs,
    access = withoutConnection,
  }: { timeoutMs?: number; access?: ProbeAccess } = {},
): Promise<HealthReport> {
  const app = await loadAppRecord(appId);
  if (!app) throw new AppError("not_found", `There is no app ${appId}.`);
  const probe = probes[app.kind];
  if (!probe) throw new AppError("bad_request", `Apps of kind ${app.kind} have no health check yet.`);
  const started = performance.now();
  // The check's own deadline covers the whole of it, handshake and listing together.
  const deadlineMs = timeoutMs * 2;
  const signal = AbortSignal.timeout(deadlineMs);
  let error: string | null = null;
  try {
    const integration = integrationOfApp(app, []);
    await access(integration, signal, (context) => probe(app, integration, context, timeoutMs));
  } catch (caught) {
    // An upstream that refuses the credentials (or asks for some) still answers.
    if (!(caught instanceof CredentialsRejectedError))
      error = signal.aborted ? `it did not answer within ${deadlineMs / 1000} s` : reasonOf(caught);
  }
  const latencyMs = Math.round(performance.now() - started);
  const healthy = error === null;
  const checkedAt = new Date();
  await recordUpstreamHealth(appId, { healthy, latencyMs, ...(error && { error }) }, checkedAt);
  return { healthy, latencyMs, error, checkedAt };
}

/**
 * Checks the upstreams not checked for `staleMs` (oldest first, at most `limit`, a few at a time),
 * for a periodic job: each page showing an app's health then shows a recent answer.
 */
export async function probeStaleApps({
  staleMs = 5 * 60_000,
  limit = 50,
  concurrency = 4,
  now = new Date(),
} = {}): Promise<Map<string, HealthReport>> {
  const due = await getDb().app.findMany({
    where: {
      kind: { in: staleCheckKinds },
      OR: [{ lastCheckedAt: null }, { lastCheckedAt: { lt: new Date(now.getTime() - staleMs) } }],
    },
    orderBy: { lastCheckedAt: { sort: "asc", nulls: "first" } },
    take: limit,
    select: { id: true },
  });
  const reports = new Map<string, HealthReport>();
  const queue = due.map((app) => app.id);
  const probeNext = async (): Promise<void> => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      try {
        reports.set(id, await probeApp(id));
      } catch {
        // Deleted meanwhile: nothing to record.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, probeNext));
  return reports;
}

export type CheckReport = HealthReport & {
  /** Whether the check used your own connection (an app with accounts, when you have one). */
  usedConnection: boolean;
};

/**
 * Checks an app of the workspace now, for a person who may use it: with their own connection when
 * the app has accounts and they have one (else without, where a request for credentials still
 * counts as an answer); the outcome is recorded and returned.
 */
export async function checkApp(owner: WorkspaceArg, slug: string): Promise<CheckReport> {
  const workspace = workspaceOf(owner);
  const row = await getDb().app.findFirst({ where: { slug, ...ownedBy(workspace) }, select: { id: true } });
  if (!row) throw new AppError("not_found", `No added app "${slug}" in this workspace.`);
  requirePermission(workspace, "use_servers");
  let usedConnection = false;
  const access: ProbeAccess = async (integration, signal, use) => {
    if (integration.auth.type === "none") return withoutConnection(integration, signal, use);
    try {
      await withConnection(
        { userId: workspace.userId, orgId: workspace.orgId },
        integration,
        null,
        signal,
        (context) => {
          usedConnection = true;
          return use(context);
        },
        { purpose: "check" },
      );
    } catch (error) {
      if (!(error instanceof NoConnectionError) || usedConnection) throw error;
      await withoutConnection(integration, signal, use);
    }
  };
  const report = await probeApp(row.id, { access });
  return { ...report, usedConnection };
}
