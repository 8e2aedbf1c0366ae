import { refreshAppEndpoint } from "@/lib/api/v1/apps";
import { workspaceOfRequest } from "@/lib/api/v1/org-scope";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { refreshApp } from "@/lib/apps/manage-apps";

export const dynamic = "force-dynamic";

export const POST = withApiAuth(refreshAppEndpoint, async ({ user, params, query, context }) =>
  refreshApp(await workspaceOfRequest(user.id, query.orgId), params.slug, context),
);
