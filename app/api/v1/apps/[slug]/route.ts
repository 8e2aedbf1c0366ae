import { deleteAppEndpoint, getAppEndpoint } from "@/lib/api/v1/apps";
import { workspaceOfRequest } from "@/lib/api/v1/org-scope";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { deleteApp, getApp } from "@/lib/apps/manage-apps";

export const dynamic = "force-dynamic";

export const GET = withApiAuth(getAppEndpoint, async ({ user, params, query }) =>
  getApp(await workspaceOfRequest(user.id, query.orgId), params.slug),
);

export const DELETE = withApiAuth(deleteAppEndpoint, async ({ user, params, query, context }) => {
  await deleteApp(await workspaceOfRequest(user.id, query.orgId), params.slug, context);
});
