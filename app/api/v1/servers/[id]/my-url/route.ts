import { workspaceOfRequest } from "@/lib/api/v1/org-scope";
import { issueMemberUrlEndpoint } from "@/lib/api/v1/servers";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { issueMemberUrl } from "@/lib/servers/server-access";

export const dynamic = "force-dynamic";

export const POST = withApiAuth(issueMemberUrlEndpoint, async ({ user, query, params, context }) =>
  issueMemberUrl(await workspaceOfRequest(user.id, query.orgId), params.id, context),
);
