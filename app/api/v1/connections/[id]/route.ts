import { deleteConnectionEndpoint } from "@/lib/api/v1/connections";
import { workspaceOfRequest } from "@/lib/api/v1/org-scope";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { deleteConnection } from "@/lib/connections/manage-connections";

export const dynamic = "force-dynamic";

export const DELETE = withApiAuth(deleteConnectionEndpoint, async ({ user, query, params, context }) =>
  deleteConnection(await workspaceOfRequest(user.id, query.orgId), params.id, context),
);
