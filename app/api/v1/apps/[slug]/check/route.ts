import { checkAppEndpoint } from "@/lib/api/v1/apps";
import { workspaceOfRequest } from "@/lib/api/v1/org-scope";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { checkApp } from "@/lib/apps/app-health";

export const dynamic = "force-dynamic";

export const POST = withApiAuth(checkAppEndpoint, async ({ user, params, query }) =>
  checkApp(await workspaceOfRequest(user.id, query.orgId), params.slug),
);
