import { listConnectedAppsEndpoint } from "@/lib/api/v1/connected-apps";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { listUserGrants } from "@/lib/authorization-server/grants";

export const dynamic = "force-dynamic";

export const GET = withApiAuth(listConnectedAppsEndpoint, async ({ user }) => listUserGrants(user.id));
