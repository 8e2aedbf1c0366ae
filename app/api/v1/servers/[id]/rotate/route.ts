import { rotateServerEndpoint } from "@/lib/api/v1/servers";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { rotateServerSecret } from "@/lib/servers/manage-servers";

export const dynamic = "force-dynamic";

export const POST = withApiAuth(rotateServerEndpoint, ({ user, params, context }) =>
  rotateServerSecret(user.id, params.id, context),
);
