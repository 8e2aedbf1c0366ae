// The OAuth client an added app's connections sign in with, set by whoever manages the app: the
// client ID (and secret) they registered at the provider for the app's redirect URI. Audited
// without the secret; the secret is stored sealed and never shown again.
import { z } from "zod";
import type { AuditContext } from "@/lib/audit/record-audit-event";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { storableString } from "@/lib/db/storable-text";
import { AppError } from "@/lib/errors/app-error";
import { auditIn, type WorkspaceArg, workspaceOf } from "@/lib/orgs/workspace";
import { readAppOAuthClient, removeAppOAuthClient, saveAppOAuthClient } from "./app-oauth";
import { findAppToChange, getApp, signsInWithOAuth } from "./manage-apps";

export const appOAuthClientInputSchema = z
  .object({
    clientId: storableString().trim().min(1, "Give the client ID.").max(500),
    /**
     * Empty or absent: the stored secret stays when the client ID is the same; a new client ID
     * without a secret is a public client (a secret belongs to the ID it was issued with).
     */
    clientSecret: storableString().max(2_000).optional(),
  })
  .strict();
export type AppOAuthClientSetting = z.infer<typeof appOAuthClientInputSchema>;

async function findOAuthAppToChange(owner: WorkspaceArg, slug: string) {
  const row = await findAppToChange(workspaceOf(owner), slug);
  if (!signsInWithOAuth(row.auth))
    throw new AppError(
      "conflict",
      `${row.name}'s connections do not sign in with OAuth, so it takes no OAuth client.`,
    );
  return row;
}

/** Sets (or replaces) the app's client; returns the app as GET /apps/{slug} shows it. */
export async function setAppOAuthClient(
  owner: WorkspaceArg,
  slug: string,
  input: unknown,
  context: AuditContext = {},
) {
  const parsed = appOAuthClientInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || "body";
    throw new AppError("validation_failed", `${field}: ${issue?.message ?? "invalid"}`, { field });
  }
  const { clientId } = parsed.data;
  const workspace = workspaceOf(owner);
  const row = await findOAuthAppToChange(workspace, slug);
  const given = parsed.data.clientSecret || undefined;
  const stored = given ? undefined : await readAppOAuthClient(row.id);
  const clientSecret = given ?? (stored?.clientId === clientId ? stored.clientSecret : undefined);
  await saveAppOAuthClient(row.id, {
    clientId,
    ...(clientSecret && { clientSecret }),
    registeredBy: "owner",
  });
  await recordAuditEvent(
    auditIn(workspace, context),
    "app.oauth_client_set",
    { type: "app", id: row.id },
    { slug, clientId, secretSet: clientSecret !== undefined, secretChanged: given !== undefined },
  );
  return getApp(workspace, slug);
}

/** Removes the app's client: nobody can connect (or renew access) until one is set again. */
export async function deleteAppOAuthClient(owner: WorkspaceArg, slug: string, context: AuditContext = {}) {
  const workspace = workspaceOf(owner);
  const row = await findOAuthAppToChange(workspace, slug);
  await removeAppOAuthClient(row.id);
  await recordAuditEvent(
    auditIn(workspace, context),
    "app.oauth_client_removed",
    { type: "app", id: row.id },
    {
      slug,
    },
  );
}
