// Dynamic choices for an action's field (a repository, a channel), read from the user's account
// with one of their connections, for the configuration form.
import { findAction } from "@/integrations/registry";
import type { FieldOption } from "@/integrations/sdk/define";
import { ActionError, RateLimitedError } from "@/integrations/sdk/errors";
import { NoConnectionError, withConnection } from "@/lib/connections/connection-context";
import { AppError } from "@/lib/errors/app-error";

const optionsTimeoutMs = 15_000;

export async function listFieldOptions(
  userId: string,
  request: { integration: string; action: string; field: string; connectionId?: string | null },
): Promise<FieldOption[]> {
  const found = findAction(request.integration, request.action);
  if (!found) throw new AppError("not_found", `No action ${request.integration}/${request.action}.`);
  const loader = found.action.options?.[request.field];
  if (!loader)
    throw new AppError(
      "not_found",
      `The field "${request.field}" of ${request.action} has no list of choices.`,
    );
  try {
    return await withConnection(
      userId,
      found.integration,
      request.connectionId ?? null,
      AbortSignal.timeout(optionsTimeoutMs),
      (context) => loader(context),
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
