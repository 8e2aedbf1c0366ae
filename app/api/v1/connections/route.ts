import { createConnectionEndpoint, listConnectionsEndpoint } from "@/lib/api/v1/connections";
import { workspaceOfRequest } from "@/lib/api/v1/org-scope";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { createConnection, listConnections } from "@/lib/connections/manage-connections";

export const dynamic = "force-dynamic";

export const GET = withApiAuth(listConnectionsEndpoint, async ({ user, query }) =>
  listConnections(await workspaceOfRequest(user.id, query.orgId)),
);

export const POST = withApiAuth(createConnectionEndpoint, async ({ user, query, body, context }) =>
  createConnection(await workspaceOfRequest(user.id, body.orgId, query.orgId), body, context),
);
