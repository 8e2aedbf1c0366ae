import { workspaceOfRequest } from "@/lib/api/v1/org-scope";
import { deleteServerEndpoint, getServerEndpoint, updateServerEndpoint } from "@/lib/api/v1/servers";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { deleteServer, getServerOrThrow, updateServer } from "@/lib/servers/manage-servers";

export const dynamic = "force-dynamic";

export const GET = withApiAuth(getServerEndpoint, async ({ user, params, query }) =>
  getServerOrThrow(await workspaceOfRequest(user.id, query.orgId), params.id),
);

export const PATCH = withApiAuth(updateServerEndpoint, async ({ user, params, query, body, context }) =>
  updateServer(await workspaceOfRequest(user.id, query.orgId), params.id, body, context),
);

export const DELETE = withApiAuth(deleteServerEndpoint, async ({ user, params, query, context }) =>
  deleteServer(await workspaceOfRequest(user.id, query.orgId), params.id, context),
);
