import { deleteServerEndpoint, getServerEndpoint } from "@/lib/api/v1/servers";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { deleteServer, getServerOrThrow } from "@/lib/servers/manage-servers";

export const dynamic = "force-dynamic";

export const GET = withApiAuth(getServerEndpoint, ({ user, params }) => getServerOrThrow(user.id, params.id));

export const DELETE = withApiAuth(deleteServerEndpoint, ({ user, params, context }) =>
  deleteServer(user.id, params.id, context),
);
