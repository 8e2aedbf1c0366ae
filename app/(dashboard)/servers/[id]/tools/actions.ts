"use server";
// The tool pages' mutations: add and update a tool, load a field's choices, and try a tool once,
// saved or as the editor has it (removing one is in ../actions.ts: the server's page offers it
// too). Each calls the same lib/ function as the REST API, scoped to the signed-in user.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { FieldOption } from "@/integrations/sdk/define";
import { findAppAction } from "@/lib/apps/app-registry";
import { type CallOutcome, describeCallOutcome } from "@/lib/calls/call-outcome";
import { AppError, isAppError } from "@/lib/errors/app-error";
import { checkDependencyValues, listFieldOptions } from "@/lib/integrations/field-options";
import {
  type FieldSettings,
  fieldSettingsSchema,
  isSealedSetting,
  validateFieldSettings,
} from "@/lib/tools/field-settings";
import {
  addTool,
  addToolSchema,
  listTools,
  toolDraftSchema,
  updateTool,
  updateToolSchema,
} from "@/lib/tools/manage-tools";
import { runToolDraftOnce, runToolOnce } from "@/lib/tools/run-tool-once";
import { type ActionResult, runServerAction } from "@/lib/web/server-action";
import { revalidateServer } from "../revalidate-server";

/**
 * validateFieldSettings names the action's field in its errors; the form needs to tell a field
 * called "description" from the tool's description, so field errors go under `fields.<name>`.
 */
async function checkFields(
  integration: string,
  action: string,
  fields: unknown,
  sealedNow: ReadonlySet<string> = new Set(),
): Promise<void> {
  const found = await findAppAction(integration, action);
  if (!found) return; // addTool/updateTool say so
  try {
    validateFieldSettings(found.action, fieldSettingsSchema.parse(fields ?? {}), sealedNow);
  } catch (error) {
    if (isAppError(error) && typeof error.details?.field === "string")
      throw new AppError(error.code, error.message, { field: `fields.${error.details.field}` });
    throw error;
  }
}

/** The fields of a saved tool whose secret values are sealed (a form may keep them as they are). */
function sealedFieldsOf(fields: FieldSettings): ReadonlySet<string> {
  return new Set(Object.keys(fields).filter((name) => isSealedSetting(fields[name])));
}

function nameConflictOnNameField<T>(work: () => Promise<T>): Promise<T> {
  return work().catch((error: unknown) => {
    if (isAppError(error) && error.code === "conflict")
      throw new AppError("conflict", `${error.message} Choose another name.`, { field: "name" });
    throw error;
  });
}

export async function addToolAction(serverId: string, input: unknown): Promise<ActionResult<string>> {
  const result = await runServerAction("tools.add", async ({ workspace, audit }) => {
    const parsed = addToolSchema.parse(input);
    await checkFields(parsed.integration, parsed.action, parsed.fields);
    const tool = await nameConflictOnNameField(() => addTool(workspace, String(serverId), parsed, audit));
    return tool.id;
  });
  if (!result.ok) return result;
  revalidateServer(serverId);
  redirect(`/servers/${serverId}/tools/${result.data}?added=1`);
}

export async function updateToolAction(
  serverId: string,
  toolId: string,
  input: unknown,
): Promise<ActionResult<undefined>> {
  const result = await runServerAction("tools.update", async ({ workspace, audit }) => {
    const parsed = updateToolSchema.parse(input);
    const tool = (await listTools(workspace, String(serverId))).find((candidate) => candidate.id === toolId);
    if (!tool) throw new AppError("not_found", "This tool no longer exists. It may have been removed.");
    if (parsed.fields)
      await checkFields(tool.integration, tool.action, parsed.fields, sealedFieldsOf(tool.fields));
    await nameConflictOnNameField(() => updateTool(workspace, serverId, tool.id, parsed, audit));
    return undefined;
  });
  if (result.ok) {
    revalidateServer(serverId);
    revalidatePath(`/servers/${serverId}/tools/${toolId}`);
  }
  return result;
}

export async function loadFieldOptionsAction(request: {
  integration: string;
  action: string;
  field: string;
  connectionId: string | null;
  values?: Record<string, string>;
}): Promise<ActionResult<FieldOption[]>> {
  return runServerAction("tools.field-options", ({ workspace }) =>
    listFieldOptions(workspace, {
      integration: String(request.integration),
      action: String(request.action),
      field: String(request.field),
      connectionId: request.connectionId ? String(request.connectionId) : null,
      // Whatever arrives is checked as the REST API checks its `values` parameter.
      values: checkDependencyValues(request.values ?? {}),
    }),
  );
}

export type TryResult = { isError: boolean; text: string };

function tryResultOf(outcome: CallOutcome): TryResult {
  return { isError: outcome.status !== "succeeded", text: describeCallOutcome(outcome) };
}

export async function tryToolAction(
  serverId: string,
  toolId: string,
  args: Record<string, unknown>,
): Promise<ActionResult<TryResult>> {
  const result = await runServerAction("tools.try", async ({ workspace }) =>
    tryResultOf(await runToolOnce(workspace, String(serverId), String(toolId), args)),
  );
  // A try is a call: it shows in the history and in the usage.
  if (result.ok) revalidatePath("/history");
  return result;
}

/** "Try it" with the editor's settings as they stand, checked as saving them would be; nothing is saved. */
export async function tryToolDraftAction(
  serverId: string,
  draft: unknown,
  args: Record<string, unknown>,
): Promise<ActionResult<TryResult>> {
  const result = await runServerAction("tools.try-draft", async ({ workspace }) => {
    const parsed = toolDraftSchema.parse(draft);
    const edited = parsed.toolId
      ? (await listTools(workspace, String(serverId))).find((tool) => tool.id === parsed.toolId)
      : undefined;
    await checkFields(parsed.integration, parsed.action, parsed.fields, sealedFieldsOf(edited?.fields ?? {}));
    const outcome = await nameConflictOnNameField(() =>
      runToolDraftOnce(workspace, String(serverId), parsed, args),
    );
    return tryResultOf(outcome);
  });
  if (result.ok) revalidatePath("/history");
  return result;
}

/** Who may call an organization's tool: the roles and members ticked (none: everyone allowed). */
export async function setToolPermissionsAction(
  serverId: string,
  toolId: string,
  form: FormData,
): Promise<ActionResult> {
  const allowedRoles = form.getAll("allowedRoles").map(String);
  const allowedUserIds = form.getAll("allowedUserIds").map(String);
  const result = await runServerAction("tools.permissions", async ({ workspace, audit }) => {
    const parsed = updateToolSchema.parse({ allowedRoles, allowedUserIds });
    await updateTool(workspace, String(serverId), String(toolId), parsed, audit);
    return undefined;
  });
  if (result.ok) revalidatePath(`/servers/${serverId}/tools/${toolId}`);
  return result;
}
