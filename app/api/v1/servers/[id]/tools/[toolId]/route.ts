import { deleteToolEndpoint, updateToolEndpoint } from "@/lib/api/v1/tools";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { deleteTool, updateTool } from "@/lib/tools/manage-tools";

export const dynamic = "force-dynamic";

export const PATCH = withApiAuth(updateToolEndpoint, ({ user, params, body, context }) =>
  updateTool(user.id, params.id, params.toolId, body, context),
);

export const DELETE = withApiAuth(deleteToolEndpoint, ({ user, params, context }) =>
  deleteTool(user.id, params.id, params.toolId, context),
);
