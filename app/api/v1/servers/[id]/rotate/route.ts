import { workspaceOfRequest } from "@/lib/api/v1/org-scope";
import { rotateServerEndpoint } from "@/lib/api/v1/servers";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { rotateServerSecret } from "@/lib/servers/manage-servers";

export const dynamic = "force-dynamic";

export const POST = withApiAuth(rotateServerEndpoint, async ({ user, query, params, context }) =>
  rotateServerSecret(await workspaceOfRequest(user.id, query.orgId), params.id, context),
);
