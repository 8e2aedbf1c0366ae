import { workspaceOfRequest } from "@/lib/api/v1/org-scope";
import { deleteToolEndpoint, updateToolEndpoint } from "@/lib/api/v1/tools";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { deleteTool, updateTool } from "@/lib/tools/manage-tools";

export const dynamic = "force-dynamic";

export const PATCH = withApiAuth(updateToolEndpoint, async ({ user, query, params, body, context }) =>
  updateTool(await workspaceOfRequest(user.id, query.orgId), params.id, params.toolId, body, context),
);

export const DELETE = withApiAuth(deleteToolEndpoint, async ({ user, query, params, context }) =>
  deleteTool(await workspaceOfRequest(user.id, query.orgId), params.id, params.toolId, context),
);
