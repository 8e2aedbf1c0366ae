import { listFieldOptionsEndpoint } from "@/lib/api/v1/integrations";
import { workspaceOfRequest } from "@/lib/api/v1/org-scope";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { listFieldOptions, parseDependencyValues } from "@/lib/integrations/field-options";

export const dynamic = "force-dynamic";

export const GET = withApiAuth(listFieldOptionsEndpoint, async ({ user, params, query }) =>
  listFieldOptions(await workspaceOfRequest(user.id, query.orgId), {
    integration: params.slug,
    action: params.action,
    field: params.field,
    connectionId: query.connectionId ?? null,
    values: parseDependencyValues(query.values),
  }),
);
