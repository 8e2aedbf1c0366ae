// Whether an added app's upstream answers: a short check (an MCP server: a handshake and its tool
// list) whose outcome, last error and latency are recorded on the App row, where pages show them
// and calls read them (a call fails fast while its upstream was just found down).

import { CredentialsRejectedError } from "@/integrations/sdk/errors";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { AppKindName, AppRecord } from "./app-driver";
import { loadAppRecord } from "./app-registry";
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

type Probe = (app: AppRecord, signal: AbortSignal, timeoutMs: number) => Promise<void>;

// Without a person's connection: an upstream that asks for credentials (a 401) still answers.
const probeMcp: Probe = async (app, signal, timeoutMs) => {
  try {
    // A command (stdio) answers when started and asked for its tools, as a call would start it.
    if (isStdioSource(app.source)) {
      await mcpKindDriver.discover(app, { connection: null, signal });
      return;
    }
    await withUpstream(targetOfApp(app, undefined), { signal, timeoutMs }, (session) =>
      listAllTools(session.client, app.name, { signal, timeout: timeoutMs }),
    );
  } catch (error) {
    if (!(error instanceof CredentialsRejectedError)) throw error;
  }
};

const probes: Partial<Record<AppKindName, Probe>> = { MCP: probeMcp };

/** Why a failed check failed, in plain words: the SDK's reason when it has one. */
function reasonOf(error: unknown): string {
  const reason = (error as { reason?: unknown }).reason;
  if (typeof reason === "string") return reason;
  return error instanceof Error ? error.message : String(error);
}

/** Checks the app's upstream now and records the outcome on its row. */
export async function probeApp(appId: string, { timeoutMs = probeTimeoutMs } = {}): Promise<HealthReport> {
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
    await probe(app, signal, timeoutMs);
  } catch (caught) {
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
      kind: { in: Object.keys(probes) as AppKindName[] },
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
