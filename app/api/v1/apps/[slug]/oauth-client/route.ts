import { deleteAppOAuthClientEndpoint, setAppOAuthClientEndpoint } from "@/lib/api/v1/apps";
import { workspaceOfRequest } from "@/lib/api/v1/org-scope";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { deleteAppOAuthClient, setAppOAuthClient } from "@/lib/apps/app-oauth-client";

export const dynamic = "force-dynamic";

export const PUT = withApiAuth(setAppOAuthClientEndpoint, async ({ user, params, query, body, context }) => {
  const { orgId, ...client } = body;
  return setAppOAuthClient(
    await workspaceOfRequest(user.id, orgId, query.orgId),
    params.slug,
    client,
    context,
  );
});

export const DELETE = withApiAuth(deleteAppOAuthClientEndpoint, async ({ user, params, query, context }) => {
  await deleteAppOAuthClient(await workspaceOfRequest(user.id, query.orgId), params.slug, context);
});
