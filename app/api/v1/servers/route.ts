import { workspaceOfRequest } from "@/lib/api/v1/org-scope";
import { createServerEndpoint, listServersEndpoint } from "@/lib/api/v1/servers";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { createServer, listServers } from "@/lib/servers/manage-servers";

export const dynamic = "force-dynamic";

export const GET = withApiAuth(listServersEndpoint, async ({ user, query }) =>
  listServers(await workspaceOfRequest(user.id, query.orgId)),
);

export const POST = withApiAuth(createServerEndpoint, async ({ user, query, body, context }) =>
  createServer(await workspaceOfRequest(user.id, body.orgId, query.orgId), body.name, context),
);
