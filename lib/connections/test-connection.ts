// Checking a connection: the app's cheap authenticated read (`integration.test`), run with a saved
// connection's credentials ("Test") or with credentials about to be saved. A saved connection's
// status becomes the check's verdict: Working, Not working (unreachable, or another error) or
// Needs reconnecting.
import type { ConnectionTestResult, IntegrationDefinition } from "@/integrations/sdk/define";
import { findApp } from "@/lib/apps/app-registry";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { ownedBy, type WorkspaceArg, workspaceOf } from "@/lib/orgs/workspace";
import { buildConnectionContext, withConnection } from "./connection-context";
import { recordCheck } from "./connection-status";
import { type Verdict, verdictOfCheckFailure, workingVerdict } from "./connection-verdict";
import { scrubError, secretValuesOf } from "./secret-scrub";
import type { ConnectionStatus } from "./status-words";

export type ConnectionTestOutcome =
  | { ok: true; account?: string }
  | {
      ok: false;
      /** The connection's status after the check. */
      status: ConnectionStatus;
      message: string;
      reconnectNeeded: boolean;
    };

const testTimeoutMs = 15_000;

type CheckRun = { verdict: Verdict | null; outcome: ConnectionTestOutcome };

/** The check's outcome; `unchanged` is the status kept when the failure says nothing (a 429). */
async function runCheck(
  integration: IntegrationDefinition,
  check: () => Promise<ConnectionTestResult>,
  unchanged: ConnectionStatus,
): Promise<CheckRun> {
  try {
    const result = await check();
    return {
      verdict: workingVerdict,
      outcome: { ok: true, ...(result.account && { account: result.account }) },
    };
  } catch (error) {
    const verdict = verdictOfCheckFailure(error, integration.name);
    const status = verdict?.status ?? unchanged;
    return {
      verdict,
      outcome: {
        ok: false,
        status,
        message: verdict?.message ?? ((error as Error).message || "The check failed."),
        reconnectNeeded: status === "NEEDS_RECONNECT",
      },
    };
  }
}

/** Checks a saved connection of the workspace (any member may: it shows no credentials). */
export async function testConnection(
  owner: WorkspaceArg,
  connectionId: string,
): Promise<ConnectionTestOutcome> {
  const workspace = workspaceOf(owner);
  const connection = await getDb().connection.findFirst({
    where: { id: connectionId, ...ownedBy(workspace) },
    select: { id: true, integration: true, status: true },
  });
  if (!connection) throw new AppError("not_found", "No such connection.");
  const integration = await findApp(connection.integration, { withHeaders: true, owner: workspace });
  if (!integration) throw new AppError("conflict", `${connection.integration} is no longer available.`);
  const test = integration.test;
  if (!test) throw new AppError("conflict", `${integration.name} has no way to check a connection.`);
  const { verdict, outcome } = await runCheck(
    integration,
    () =>
      withConnection(workspace, integration, connection.id, AbortSignal.timeout(testTimeoutMs), test, {
        purpose: "check",
      }),
    connection.status,
  );
  await recordCheck(connection.id, verdict);
  return outcome;
}

/**
 * Checks credentials that are not saved yet (a new connection). Undefined when the app has no
 * check. Nothing is written; secrets do not come back in the message.
 */
export async function checkNewCredentials(
  integration: IntegrationDefinition,
  credentials: Record<string, string>,
): Promise<CheckRun | undefined> {
  const test = integration.test;
  if (!test) return undefined;
  return runCheck(
    integration,
    async () => {
      try {
        return await test(
          buildConnectionContext(integration, credentials, AbortSignal.timeout(testTimeoutMs)),
        );
      } catch (error) {
        throw scrubError(error, secretValuesOf(integration, credentials));
      }
    },
    "UNCHECKED",
  );
}
