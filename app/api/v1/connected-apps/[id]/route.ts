import { revokeConnectedAppEndpoint } from "@/lib/api/v1/connected-apps";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { revokeGrant } from "@/lib/authorization-server/grants";

export const dynamic = "force-dynamic";

export const DELETE = withApiAuth(revokeConnectedAppEndpoint, async ({ user, params, context }) =>
  revokeGrant(user.id, params.id, context),
);
