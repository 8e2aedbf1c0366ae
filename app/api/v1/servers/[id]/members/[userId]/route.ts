import { workspaceOfRequest } from "@/lib/api/v1/org-scope";
import { revokeMemberUrlEndpoint } from "@/lib/api/v1/servers";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { revokeMemberUrl } from "@/lib/servers/server-access";

export const dynamic = "force-dynamic";

export const DELETE = withApiAuth(revokeMemberUrlEndpoint, async ({ user, query, params, context }) =>
  revokeMemberUrl(await workspaceOfRequest(user.id, query.orgId), params.id, params.userId, context),
);
