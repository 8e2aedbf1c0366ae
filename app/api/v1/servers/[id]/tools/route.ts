import { workspaceOfRequest } from "@/lib/api/v1/org-scope";
import { addToolEndpoint, listToolsEndpoint } from "@/lib/api/v1/tools";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { addTool, listTools } from "@/lib/tools/manage-tools";

export const dynamic = "force-dynamic";

export const GET = withApiAuth(listToolsEndpoint, async ({ user, query, params }) =>
  listTools(await workspaceOfRequest(user.id, query.orgId), params.id),
);

export const POST = withApiAuth(addToolEndpoint, async ({ user, query, params, body, context }) =>
  addTool(await workspaceOfRequest(user.id, body.orgId, query.orgId), params.id, body, context),
);
