import { addToolEndpoint, listToolsEndpoint } from "@/lib/api/v1/tools";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { addTool, listTools } from "@/lib/tools/manage-tools";

export const dynamic = "force-dynamic";

export const GET = withApiAuth(listToolsEndpoint, ({ user, params }) => listTools(user.id, params.id));

export const POST = withApiAuth(addToolEndpoint, ({ user, params, body, context }) =>
  addTool(user.id, params.id, body, context),
);
