// Dynamic choices for an action's field (a repository, a channel), read from an account with one of
// the workspace's connections, for the configuration form. Some lists depend on other fields
// (the tables of a base): their values come with the request, and are required.
import { z } from "zod";
import { describeOptionsSource, type FieldOption } from "@/integrations/sdk/define";
import { ActionError, RateLimitedError } from "@/integrations/sdk/errors";
import { findAppAction } from "@/lib/apps/app-registry";
import { NoConnectionError, withConnection } from "@/lib/connections/connection-context";
import { AppError } from "@/lib/errors/app-error";
import { type WorkspaceArg, workspaceOf } from "@/lib/orgs/workspace";

const optionsTimeoutMs = 15_000;

export async function listFieldOptions(
  owner: WorkspaceArg,
  request: {
    integration: string;
    action: string;
    field: string;
    connectionId?: string | null;
    /** Values of other fields; those the list depends on are required, the rest are ignored. */
    values?: Record<string, string>;
  },
): Promise<FieldOption[]> {
  const found = await findAppAction(request.integration, request.action, {
    withHeaders: true,
    owner: workspaceOf(owner),
  });
  if (!found) throw new AppError("not_found", `No action ${request.integration}/${request.action}.`);
  const source = found.action.options?.[request.field];
  if (!source)
    throw new AppError(
      "not_found",
      `The field "${request.field}" of ${request.action} has no list of choices.`,
    );
  const { dependsOn, load } = describeOptionsSource(source);
  const values: Record<string, string> = {};
  for (const dependency of dependsOn) {
    const value = request.values?.[dependency]?.trim();
    if (!value)
      throw new AppError(
        "validation_failed",
        `Choose a value for "${dependency}" first: the choices for "${request.field}" depend on it.`,
        { field: `values.${dependency}` },
      );
    values[dependency] = value;
  }
  try {
    return await withConnection(
      workspaceOf(owner),
      found.integration,
      request.connectionId ?? null,
      AbortSignal.timeout(optionsTimeoutMs),
      (context) => load({ ...context, values }),
      { purpose: "options" },
    );
  } catch (error) {
    if (error instanceof NoConnectionError)
      throw new AppError("validation_failed", error.message, { field: "connectionId" });
    if (error instanceof RateLimitedError) throw new AppError("rate_limited", error.message);
    if (error instanceof ActionError) throw new AppError("upstream_error", error.message);
    throw new AppError(
      "upstream_error",
      `${found.integration.name} did not answer: ${(error as Error).message}`,
    );
  }
}

const dependencyValuesSchema = z.record(z.string().max(200), z.string().max(1_000));

/** Values of the fields a list depends on, as they arrive (from a form, say): strings by field. */
export function checkDependencyValues(value: unknown): Record<string, string> {
  const values = dependencyValuesSchema.safeParse(value);
  if (!values.success)
    throw new AppError(
      "validation_failed",
      'values must be a JSON object of strings, like {"base_id":"app1"}.',
      {
        field: "values",
      },
    );
  return values.data;
}

/** The `values` query parameter of GET .../options/{field}: a JSON object of strings. */
export function parseDependencyValues(text: string | undefined): Record<string, string> {
  if (text === undefined) return {};
  try {
    return checkDependencyValues(JSON.parse(text));
  } catch (error) {
    if (error instanceof SyntaxError) return checkDependencyValues(undefined);
    throw error;
  }
}
