// "Test connection": the app's cheap authenticated read, run with the connection's credentials.
// Success clears a "needs reconnection" mark; a refusal of the credentials sets it.
import { findIntegration } from "@/integrations/registry";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { withConnection } from "./connection-context";
import { markConnectionOk } from "./connection-status";

export type ConnectionTestOutcome =
  | { ok: true; account?: string }
  | { ok: false; message: string; reconnectNeeded: boolean };

const testTimeoutMs = 15_000;

export async function testConnection(userId: string, connectionId: string): Promise<ConnectionTestOutcome> {
  const connection = await getDb().connection.findFirst({
    where: { id: connectionId, userId },
    select: { id: true, integration: true },
  });
  if (!connection) throw new AppError("not_found", "No such connection.");
  const integration = findIntegration(connection.integration);
  if (!integration?.test) throw new AppError("conflict", `${connection.integration} is no longer available.`);
  const check = integration.test;
  try {
    const result = await withConnection(
      userId,
      integration,
      connection.id,
      AbortSignal.timeout(testTimeoutMs),
      (context) => check(context),
      { ignoreStatus: true },
    );
    await markConnectionOk(connection.id);
    return { ok: true, ...(result.account && { account: result.account }) };
  } catch (error) {
    const refreshed = await getDb().connection.findUnique({
      where: { id: connection.id },
      select: { status: true },
    });
    return {
      ok: false,
      message: (error as Error).message || "The test failed.",
      reconnectNeeded: refreshed?.status === "NEEDS_RECONNECT",
    };
  }
}
