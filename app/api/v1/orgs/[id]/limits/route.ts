import { setOrgLimitsEndpoint } from "@/lib/api/v1/orgs";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { getOrg } from "@/lib/orgs/manage-orgs";
import { setDefaultMemberLimits } from "@/lib/orgs/org-limits";
import { resolveWorkspace } from "@/lib/orgs/workspace";

export const dynamic = "force-dynamic";

export const PATCH = withApiAuth(setOrgLimitsEndpoint, async ({ user, params, body, context }) => {
  const workspace = await resolveWorkspace(user.id, params.id);
  await setDefaultMemberLimits(workspace, body, context);
  return getOrg(workspace);
});
