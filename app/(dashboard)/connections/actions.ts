"use server";
// The Connections pages' mutations: the same lib/connections functions the REST API calls, run
// for the signed-in user through runServerAction. Ids from the browser are only ever looked up
// together with that user's id.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import {
  createConnection,
  createConnectionSchema,
  deleteConnection,
  renameConnection,
  replaceConnectionCredentials,
} from "@/lib/connections/manage-connections";
import { type ConnectionTestOutcome, testConnection } from "@/lib/connections/test-connection";
import { storableString } from "@/lib/db/storable-text";
import { describeIntegrations } from "@/lib/integrations/catalog";
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
async function testSafely(userId: string, connectionId: string): Promise<ConnectionTestOutcome> {
  try {
    return await testConnection(userId, connectionId);
  } catch (error) {
    return { ok: false, message: (error as Error).message, reconnectNeeded: false };
  }
}

export async function testConnectionAction(
  connectionId: string,
): Promise<ActionResult<ConnectionTestOutcome>> {
  const result = await runServerAction("connections.test", ({ user }) =>
    testConnection(user.id, connectionIdSchema.parse(connectionId)),
  );
  // The test can change the connection's status (and its "last used").
  revalidatePath("/connections");
  return result;
}

export async function renameConnectionAction(
  connectionId: string,
  form: FormData,
): Promise<ActionResult<{ label: string }>> {
  const result = await runServerAction("connections.rename", async ({ user, audit }) => {
    const connection = await renameConnection(
      user.id,
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
  const result = await runServerAction("connections.replace-credentials", async ({ user, audit }) => {
    const connection = await replaceConnectionCredentials(
      user.id,
      connectionIdSchema.parse(connectionId),
      credentialsFrom(form),
      audit,
    );
    return testSafely(user.id, connection.id);
  });
  revalidatePath("/connections");
  return result;
}

export async function deleteConnectionAction(connectionId: string): Promise<ActionResult> {
  const result = await runServerAction("connections.delete", async ({ user, audit }) => {
    await deleteConnection(user.id, connectionIdSchema.parse(connectionId), audit);
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
  /** What was typed, to fill the form again: the label and non-secret fields only. */
  values?: Record<string, string>;
};

export async function connectAccountAction(
  slug: string,
  _previous: ConnectState,
  form: FormData,
): Promise<ConnectState> {
  const label = String(form.get("label") ?? "").trim();
  const credentials = credentialsFrom(form);
  const result = await runServerAction("connections.create", async ({ user, audit }) => {
    const input = createConnectionSchema.parse({ integration: slug, ...(label && { label }), credentials });
    const connection = await createConnection(user.id, input, audit);
    return { connection, outcome: await testSafely(user.id, connection.id) };
  });
  if (!result.ok) {
    const fields = describeIntegrations().find((app) => app.slug === slug)?.auth.fields ?? [];
    const values: Record<string, string> = { label };
    for (const field of fields)
      if (!field.secret) values[`credentials.${field.name}`] = credentials[field.name] ?? "";
    return { message: result.message, fieldErrors: result.fieldErrors, values };
  }
  const { connection, outcome } = result.data;
  revalidatePath("/connections");
  // Back to the tool form the person came from, with the account chosen there; a failed test is
  // explained on the Connections page instead.
  const returnTo = toolFormReturnPath(form.get("returnTo"));
  if (returnTo && outcome.ok) redirect(returnWithConnection(returnTo, connection.id));
  const query = new URLSearchParams({ integration: slug, connected: connection.id });
  if (outcome.ok) {
    query.set("tested", "ok");
    if (outcome.account) query.set("account", outcome.account);
  } else {
    query.set("tested", "failed");
    query.set("message", outcome.message);
  }
  redirect(`/connections?${query}`);
}
