import { createConnectionEndpoint, listConnectionsEndpoint } from "@/lib/api/v1/connections";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { createConnection, listConnections } from "@/lib/connections/manage-connections";

export const dynamic = "force-dynamic";

export const GET = withApiAuth(listConnectionsEndpoint, ({ user }) => listConnections(user.id));

export const POST = withApiAuth(createConnectionEndpoint, ({ user, body, context }) =>
  createConnection(user.id, body, context),
);
