import { createServerEndpoint, listServersEndpoint } from "@/lib/api/v1/servers";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { createServer, listServers } from "@/lib/servers/manage-servers";

export const dynamic = "force-dynamic";

export const GET = withApiAuth(listServersEndpoint, ({ user }) => listServers(user.id));

export const POST = withApiAuth(createServerEndpoint, ({ user, body, context }) =>
  createServer(user.id, body.name, context),
);
