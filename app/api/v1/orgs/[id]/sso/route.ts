import { updateOrgSsoEndpoint } from "@/lib/api/v1/org-sso";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { setOrgSso } from "@/lib/orgs/sso-settings";
import { resolveWorkspace } from "@/lib/orgs/workspace";

export const dynamic = "force-dynamic";

export const PATCH = withApiAuth(updateOrgSsoEndpoint, async ({ user, params, body, context }) =>
  setOrgSso(await resolveWorkspace(user.id, params.id), body, context),
);
