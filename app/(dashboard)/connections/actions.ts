"use server";
// The Connections pages' mutations: the same lib/connections functions the REST API calls, run
// for the signed-in user through runServerAction. Ids from the browser are only ever looked up
// together with that user's id.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import {
  connectAccount,
  createConnectionSchema,
  deleteConnection,
  renameConnection,
  replaceConnectionCredentials,
} from "@/lib/connections/manage-connections";
import type { ConnectionStatus } from "@/lib/connections/status-words";
import { type ConnectionTestOutcome, testConnection } from "@/lib/connections/test-connection";
import { storableString } from "@/lib/db/storable-text";
import type { Workspace } from "@/lib/orgs/workspace";
import { returnWithConnection, toolFormReturnPath } from "@/lib/web/return-path";
import { type ActionResult, runServerAction } from "@/lib/web/server-action";

const connectionIdSchema = storableString().min(1).max(100);
const credentialPrefix = "credentials.";

function credentialsFrom(form: FormData): Record<string, string> {
  const credentials: Record<string, string> = {};
  for (const [name, value] of form)
    if (name.startsWith(credentialPrefix) && typeof value === "string")
      credentials[name.slice(credentialPrefix.length)] = value;
  return credentials;
}

/** A test that cannot even start (the app was removed, say) still leaves a saved connection. */
async function testSafely(workspace: Workspace, connectionId: string): Promise<ConnectionTestOutcome> {
  try {
    return await testConnection(workspace, connectionId);
  } catch (error) {
    return { ok: false, status: "UNCHECKED", message: (error as Error).message, reconnectNeeded: false };
  }
}

export async function testConnectionAction(
  connectionId: string,
): Promise<ActionResult<ConnectionTestOutcome>> {
  const result = await runServerAction("connections.test", ({ workspace }) =>
    testConnection(workspace, connectionIdSchema.parse(connectionId)),
  );
  // The test sets the connection's status, which the servers' tool lists show too.
  revalidatePath("/connections");
  revalidatePath("/servers", "layout");
  return result;
}

export async function renameConnectionAction(
  connectionId: string,
  form: FormData,
): Promise<ActionResult<{ label: string }>> {
  const result = await runServerAction("connections.rename", async ({ workspace, audit }) => {
    const connection = await renameConnection(
      workspace,
      connectionIdSchema.parse(connectionId),
      String(form.get("label") ?? ""),
      audit,
    );
    return { label: connection.label };
  });
  if (result.ok) revalidatePath("/connections");
  return result;
}

/** Saves new credentials for the connection, then tests them at once so the person knows. */
export async function replaceCredentialsAction(
  connectionId: string,
  form: FormData,
): Promise<ActionResult<ConnectionTestOutcome>> {
  const result = await runServerAction("connections.replace-credentials", async ({ workspace, audit }) => {
    const connection = await replaceConnectionCredentials(
      workspace,
      connectionIdSchema.parse(connectionId),
      credentialsFrom(form),
      audit,
    );
    return testSafely(workspace, connection.id);
  });
  revalidatePath("/connections");
  revalidatePath("/servers", "layout");
  return result;
}

export async function deleteConnectionAction(connectionId: string): Promise<ActionResult> {
  const result = await runServerAction("connections.delete", async ({ workspace, audit }) => {
    await deleteConnection(workspace, connectionIdSchema.parse(connectionId), audit);
    return undefined;
  });
  if (result.ok) {
    revalidatePath("/connections");
    // Tools that used it now show no account.
    revalidatePath("/servers", "layout");
  }
  return result;
}

export type ConnectState = {
  message?: string;
  fieldErrors?: Record<string, string>;
  /** The check failed and nothing was saved: why, for the "Save anyway?" question. */
  checkFailed?: { status: ConnectionStatus; message: string };
};

/**
 * Checks the account, then saves it: at once when the check passes, or on the person's explicit
 * "Save anyway" (`intent=save-anyway`) when it failed, marked with the failure (checked again).
 */
export async function connectAccountAction(slug: string, form: FormData): Promise<ConnectState> {
  const label = String(form.get("label") ?? "").trim();
  const credentials = credentialsFrom(form);
  const saveAnyway = form.get("intent") === "save-anyway";
  const result = await runServerAction("connections.create", async ({ workspace, audit }) => {
    const input = createConnectionSchema.parse({ integration: slug, ...(label && { label }), credentials });
    return connectAccount(workspace, input, { saveAnyway }, audit);
  });
  if (!result.ok) return { message: result.message, fieldErrors: result.fieldErrors };
  if (!result.data.saved) {
    const { status, message } = result.data.outcome;
    return { checkFailed: { status, message } };
  }
  const { connection, outcome } = result.data;
  revalidatePath("/connections");
  // Back to the tool form the person came from, with the account chosen there; a saved account
  // that does not work is explained on the Connections page instead.
  const returnTo = toolFormReturnPath(form.get("returnTo"));
  const works = outcome?.ok !== false;
  if (returnTo && works) redirect(returnWithConnection(returnTo, connection.id));
  const query = new URLSearchParams({ integration: slug, connected: connection.id });
  if (outcome?.ok) {
    query.set("tested", "ok");
    if (outcome.account) query.set("account", outcome.account);
  } else if (outcome) query.set("tested", "failed");
  redirect(`/connections?${query}`);
}
