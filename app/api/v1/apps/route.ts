import { createAppEndpoint, listAppsEndpoint } from "@/lib/api/v1/apps";
import { workspaceOfRequest } from "@/lib/api/v1/org-scope";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { createApp, listApps } from "@/lib/apps/manage-apps";

export const dynamic = "force-dynamic";

export const GET = withApiAuth(listAppsEndpoint, async ({ user, query }) =>
  listApps(await workspaceOfRequest(user.id, query.orgId)),
);

export const POST = withApiAuth(createAppEndpoint, async ({ user, query, body, context }) =>
  createApp(await workspaceOfRequest(user.id, body.orgId, query.orgId), body, context),
);
