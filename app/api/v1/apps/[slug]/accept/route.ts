import { acceptAppActionsEndpoint } from "@/lib/api/v1/apps";
import { workspaceOfRequest } from "@/lib/api/v1/org-scope";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { acceptAppActions } from "@/lib/apps/manage-apps";

export const dynamic = "force-dynamic";

export const POST = withApiAuth(acceptAppActionsEndpoint, async ({ user, params, query, body, context }) =>
  acceptAppActions(
    await workspaceOfRequest(user.id, body.orgId, query.orgId),
    params.slug,
    body.actions,
    context,
  ),
);
