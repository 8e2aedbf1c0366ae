import { setOfferedActionsEndpoint } from "@/lib/api/v1/apps";
import { workspaceOfRequest } from "@/lib/api/v1/org-scope";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { setOfferedActions } from "@/lib/apps/manage-apps";

export const dynamic = "force-dynamic";

export const PATCH = withApiAuth(setOfferedActionsEndpoint, async ({ user, params, query, body, context }) =>
  setOfferedActions(
    await workspaceOfRequest(user.id, body.orgId, query.orgId),
    params.slug,
    body.offered,
    context,
  ),
);
